//! Fetches a pack (or a questions file) from the page's own origin, reporting progress as bytes
//! arrive, and never more bytes than the catalog says it has.

use super::js::{self, describe};
use distill_data::catalog::MAX_PACK_BYTES;
use distill_playground::protocol::{Event, WorkerError};
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

/// `packs/<file>`, which the catalog says has `total` bytes.
pub async fn fetch(file: &str, total: u64) -> Result<Vec<u8>, WorkerError> {
    let url = format!("packs/{file}");
    let failed = |e| WorkerError::Pack(format!("downloading {url} failed: {}", describe(e)));
    let response: Response = JsFuture::from(js::scope().fetch_with_str(&url)).await.map_err(failed)?.unchecked_into();
    if !response.ok() {
        let status = format!("downloading {url} failed: HTTP {} {}", response.status(), response.status_text());
        return Err(WorkerError::Pack(status));
    }
    let body = response.body().ok_or_else(|| WorkerError::Pack(format!("{url}: empty response")))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total.min(MAX_PACK_BYTES) as usize);
    js::post(&Event::Loading { loaded: 0, total });
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        if Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into()).map_err(failed)?.unchecked_into();
        bytes.extend(value.to_vec());
        if bytes.len() as u64 > total {
            // More than the catalog promised: stop reading rather than hold whatever the host sends.
            let _ = reader.cancel();
            return Err(WorkerError::Pack(format!("{url} is larger than the {total} bytes the catalog gives")));
        }
        js::post(&Event::Loading { loaded: bytes.len() as u64, total });
    }
    Ok(bytes)
}
