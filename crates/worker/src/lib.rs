//! The training worker. [`runner`] is the whole training loop as plain Rust (natively tested):
//! jobs, time slices, reports and result rows. [`pack_data`] checks and unpacks a downloaded pack.
//! In the browser, `web` is only a message pump: it takes commands from the page, picks the device
//! (WebGPU or the CPU), downloads packs, and posts back what the runner returns.

pub mod pack_data;
pub mod runner;

#[cfg(target_arch = "wasm32")]
pub mod web;
