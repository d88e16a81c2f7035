//! The CPU training worker with the sequence tasks, words and reasoning (wasm): fetched only when
//! `task=words` or `task=reasoning` is chosen.
fn main() {
    distill_worker::main();
}
