//! The build's URLs for what it names by content: each worker's loader and the catalog
//! (`scripts/version.mjs` writes them into index.html's `<meta name="distill-versions">`; the packs
//! carry their catalog SHA-256 instead). A host's cache then never pairs this page with the worker
//! or catalog of another build.

use distill_playground::workers::WorkerKind;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// `path` as this build names it: with its content's version when the build gave one, as is
/// otherwise (a build without the post-build hook).
pub fn versioned(path: &str) -> String {
    let meta = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=distill-versions]").ok().flatten());
    let versions = meta.and_then(|m| m.get_attribute("content")).unwrap_or_default();
    let url = versions.split_whitespace().find(|url| url.split('?').next() == Some(path));
    url.unwrap_or(path).to_string()
}

thread_local! {
    /// Each worker build's wasm as it compiles (`WebAssembly.compileStreaming`), once a build.
    static MODULES: RefCell<Vec<(WorkerKind, js_sys::Promise)>> = const { RefCell::new(Vec::new()) };
}

/// The `WebAssembly.Module` of `kind`'s wasm, compiled while it downloads, once for every worker of
/// that build (its loader, written by scripts/version.mjs, waits for it): the bytes cross the link
/// once whatever the host's caching says. Null where that failed (a missing file, a host that
/// serves wasm as another type): the worker then fetches its wasm itself and says what is wrong.
pub async fn worker_module(kind: WorkerKind) -> JsValue {
    let compiling = MODULES.with_borrow_mut(|modules| {
        if let Some((_, promise)) = modules.iter().find(|(k, _)| *k == kind) {
            return Some(promise.clone());
        }
        let response = web_sys::window()?.fetch_with_str(&versioned(kind.wasm()));
        let promise: js_sys::Promise = js_sys::WebAssembly::compile_streaming(&response).unchecked_into();
        modules.push((kind, promise.clone()));
        Some(promise)
    });
    match compiling {
        Some(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::NULL),
        None => JsValue::NULL,
    }
}
