//! The CPU training worker (wasm only): burn's CPU backend, no GPU code.
#[cfg(target_arch = "wasm32")]
fn main() {
    distill_worker::web::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in the browser: `trunk serve`");
}
