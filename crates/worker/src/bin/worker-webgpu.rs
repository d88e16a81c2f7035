//! The WebGPU training worker (wasm, `--features webgpu`): burn's wgpu backend, with the CPU
//! backend to fall back on when the device cannot be had.
fn main() {
    distill_worker::main();
}
