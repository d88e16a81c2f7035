//! Fetches a pack from the page's own origin, reporting progress as bytes arrive.

use super::js::{self, describe};
use crate::protocol::Event;
use distill_data::catalog::PackEntry;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

pub async fn fetch_pack(entry: &PackEntry) -> Result<Vec<u8>, String> {
    let url = format!("packs/{}", entry.file);
    let failed = |e| format!("downloading {url} failed: {}", describe(e));
    let response: Response = JsFuture::from(js::scope().fetch_with_str(&url)).await.map_err(failed)?.unchecked_into();
    if !response.ok() {
        return Err(format!("downloading {url} failed: HTTP {} {}", response.status(), response.status_text()));
    }
    let body = response.body().ok_or_else(|| format!("{url}: empty response"))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let total = entry.bytes;
    let mut bytes = Vec::with_capacity(total as usize);
    js::post(&Event::Loading { loaded: 0, total });
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        if Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into()).map_err(failed)?.unchecked_into();
        bytes.extend(value.to_vec());
        js::post(&Event::Loading { loaded: bytes.len() as u64, total });
    }
    Ok(bytes)
}
