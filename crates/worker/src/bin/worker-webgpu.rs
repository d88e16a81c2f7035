//! The WebGPU training worker (wasm only, `--features webgpu`): burn's wgpu backend, with the CPU
//! backend to fall back on when the device cannot be had.
#[cfg(target_arch = "wasm32")]
fn main() {
    distill_worker::web::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in the browser: `trunk serve`");
}
