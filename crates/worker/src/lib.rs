//! The training worker. [`runner`] is the whole training loop as plain Rust (natively tested):
//! jobs, time slices, reports and result rows. [`pack_data`] checks and unpacks a downloaded pack.
//! [`words`] is the same loop for the words task (a language model distilled from a words pack).
//! In the browser, `web` is only a message pump: it takes commands from the page, picks the device
//! (WebGPU or the CPU), downloads packs, and posts back what the runner returns.

pub mod pack_data;
pub mod runner;
pub mod words;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// What both worker binaries run: the message pump in the browser, a pointer to it elsewhere.
pub fn main() {
    #[cfg(target_arch = "wasm32")]
    web::run();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the worker runs in the browser: `trunk serve`");
}
