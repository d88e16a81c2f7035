//! The training worker. [`runner`] is the whole training loop as plain Rust (natively tested):
//! jobs, time slices, reports and result rows, for any task. What differs between tasks is a
//! [`task::TaskData`], implemented by each task's loaded pack: [`images`] (a pack checked and
//! unpacked by [`pack_data`]), [`words`] (a words pack and its language-model students) and
//! [`reasoning`] (a reasoning pack and its small transformers).
//! In the browser, `web` is only a message pump: it takes commands from the page, picks the device
//! (WebGPU or the CPU), downloads packs, and posts back what the runner returns.

pub mod images;
pub mod pack_data;
pub mod reasoning;
pub mod runner;
pub mod task;
pub mod words;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// What the worker binaries run: the message pump in the browser, a pointer to it elsewhere.
pub fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        run_static_constructors();
        web::run();
    }
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the worker runs in the browser: `trunk serve`");
}

/// Runs the module's static constructors, once. The WebGPU worker links ~4,900 of them (cubecl's
/// IR and WGSL compiler register their dialects with `inventory`). A wasm binary whose code never
/// calls `__wasm_call_ctors` gets every export wrapped by the linker in a call to it, so all of
/// them ran again each time JavaScript entered the module: every GPU object handed to wasm, every
/// bind group, ~40% of the worker's time on WebGPU. Calling it here, once, before anything else,
/// is what tells `wasm-ld` not to wrap the exports (`scripts/bench.mjs` shows the difference).
#[cfg(target_arch = "wasm32")]
fn run_static_constructors() {
    extern "C" {
        fn __wasm_call_ctors();
    }
    // SAFETY: the linker's own function, called once at start-up before any other code of the
    // module, which is when a wrapped export would have run it.
    unsafe { __wasm_call_ctors() }
}
