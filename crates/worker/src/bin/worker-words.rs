//! The CPU training worker with the words task (wasm): fetched only when `task=words` is chosen.
fn main() {
    distill_worker::main();
}
