//! The CPU training worker (wasm): burn's CPU backend, no GPU code.
fn main() {
    distill_worker::main();
}
