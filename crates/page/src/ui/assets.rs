//! The build's URLs for what it names by content: each worker's loader and the catalog
//! (`scripts/version.mjs` writes them into index.html's `<meta name="distill-versions">`; the packs
//! carry their catalog SHA-256 instead). A host's cache then never pairs this page with the worker
//! or catalog of another build.

use distill_browser::stream_chunk;
use wasm_bindgen::JsCast;
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

/// Downloads `url` and drops it, reading no more than the `limit` bytes the catalog gives: only the
/// HTTP cache keeps it, for the workers' own request. A failure is left to that request to report.
pub async fn warm_the_cache(url: &str, limit: u64) {
    let Some(window) = web_sys::window() else { return };
    let Ok(response) = JsFuture::from(window.fetch_with_str(url)).await else { return };
    let Some(body) = response.unchecked_into::<web_sys::Response>().body() else { return };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut read = 0;
    while let Some(bytes) = JsFuture::from(reader.read()).await.ok().as_ref().and_then(stream_chunk) {
        read += bytes.length() as u64;
        if read > limit {
            let _ = reader.cancel(); // more than the catalog promised: the worker will say so
            return;
        }
    }
}
