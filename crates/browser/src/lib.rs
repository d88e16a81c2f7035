//! The browser calls both the page and the worker make (wasm only): their messages to each other
//! as `Uint8Array`s, and the WebGPU adapter (the page asks for one to choose which worker to
//! start, the WebGPU worker asks again to name its device).
#![cfg(target_arch = "wasm32")]

use distill_playground::protocol::{decode, encode};
use distill_playground::workers::AdapterInfo;
use js_sys::{Function, Promise, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The adapter `navigator.gpu.requestAdapter()` gives, or why there is none, in words.
pub async fn request_adapter(navigator: &JsValue) -> Result<AdapterInfo, String> {
    let gpu = Reflect::get(navigator, &"gpu".into()).map_err(describe)?;
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser has no navigator.gpu".to_string());
    }
    let request: Function = Reflect::get(&gpu, &"requestAdapter".into()).map_err(describe)?.into();
    let promise = request.call0(&gpu).map_err(describe)?;
    let adapter = JsFuture::from(Promise::from(promise)).await.map_err(describe)?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err("the browser offers no WebGPU adapter".to_string());
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

/// A page ⇄ worker message as `postMessage` sends it.
pub fn to_message<T: Serialize>(message: &T) -> Result<JsValue, String> {
    let bytes = encode(message).map_err(|e| e.to_string())?;
    Ok(Uint8Array::from(&bytes[..]).into())
}

/// A message [`to_message`] made, from a `MessageEvent`'s data.
pub fn from_message<T: for<'a> Deserialize<'a>>(data: JsValue) -> Result<T, String> {
    let bytes = data.dyn_into::<Uint8Array>().map_err(|_| "not a byte array".to_string())?.to_vec();
    decode(&bytes).map_err(|e| e.to_string())
}

/// A JS error as text.
pub fn describe(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "an unnamed browser error".to_string())
}
