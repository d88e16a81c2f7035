//! The browser calls both the page and the worker make (wasm only): their messages to each other
//! as `Uint8Array`s, a download's chunks, and the WebGPU adapter (the page asks for one to choose which worker to
//! start, the WebGPU worker asks again to name its device).
#![cfg(target_arch = "wasm32")]

use distill_playground::protocol::{decode, encode};
use distill_playground::workers::AdapterInfo;
use js_sys::{Function, Promise, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What went wrong in a browser call, in words.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BrowserError {
    #[error("this browser has no navigator.gpu")]
    NoWebGpu,
    #[error("the browser offers no WebGPU adapter")]
    NoAdapter,
    /// A JavaScript exception, by its message.
    #[error("{0}")]
    Js(String),
    #[error("not a byte array")]
    NotBytes,
    /// A message that does not encode or decode.
    #[error("{0}")]
    Message(String),
}

impl From<JsValue> for BrowserError {
    fn from(error: JsValue) -> BrowserError {
        BrowserError::Js(describe(error))
    }
}

/// The adapter `navigator.gpu.requestAdapter()` gives, or why there is none.
pub async fn request_adapter(navigator: &JsValue) -> Result<AdapterInfo, BrowserError> {
    let gpu = Reflect::get(navigator, &"gpu".into())?;
    if gpu.is_undefined() || gpu.is_null() {
        return Err(BrowserError::NoWebGpu);
    }
    let request: Function = Reflect::get(&gpu, &"requestAdapter".into())?.into();
    let promise = request.call0(&gpu)?;
    let adapter = JsFuture::from(Promise::from(promise)).await?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err(BrowserError::NoAdapter);
    }
    let info = Reflect::get(&adapter, &"info".into()).unwrap_or(JsValue::UNDEFINED);
    let field = |name: &str| Reflect::get(&info, &name.into()).ok().and_then(|v| v.as_string());
    Ok(AdapterInfo {
        description: field("description"),
        vendor: field("vendor"),
        architecture: field("architecture"),
        fallback: Reflect::get(&info, &"isFallbackAdapter".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false),
    })
}

/// What a `ReadableStreamDefaultReader.read()` gave (`{done, value}`): its bytes, or `None` once
/// the stream is done. The worker's pack download and the page's cache warming read with it.
pub fn stream_chunk(read: &JsValue) -> Option<Uint8Array> {
    if Reflect::get(read, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
        return None;
    }
    Reflect::get(read, &"value".into()).ok()?.dyn_into().ok()
}

/// A page ⇄ worker message as `postMessage` sends it.
pub fn to_message<T: Serialize>(message: &T) -> Result<JsValue, BrowserError> {
    let bytes = encode(message).map_err(|e| BrowserError::Message(e.to_string()))?;
    Ok(Uint8Array::from(&bytes[..]).into())
}

/// A message [`to_message`] made, from a `MessageEvent`'s data.
pub fn from_message<T: for<'a> Deserialize<'a>>(data: JsValue) -> Result<T, BrowserError> {
    let bytes = data.dyn_into::<Uint8Array>().map_err(|_| BrowserError::NotBytes)?.to_vec();
    decode(&bytes).map_err(|e| BrowserError::Message(e.to_string()))
}

/// A JS error as text.
pub fn describe(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "an unnamed browser error".to_string())
}
