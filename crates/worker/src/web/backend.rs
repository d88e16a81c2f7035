//! Chooses the device: WebGPU when the browser gives an adapter (fallback adapters such as
//! SwiftShader included), burn's CPU backend compiled to wasm otherwise. burn's wgpu runtime
//! can be initialised once per worker, so the device is kept.

use super::js::{self, describe};
use burn::prelude::*;
use distill_playground::protocol::Event;
use distill_playground::settings::Backend;
use js_sys::{Function, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

const CPU_NAME: &str = "CPU (wasm, one thread)";

#[derive(Default)]
pub struct Backends {
    /// `Ok` once WebGPU works, `Err(why)` once it failed; never retried.
    gpu: Option<Result<(Device, String), String>>,
}

impl Backends {
    /// The device for `wanted` and its name, announcing on the page which one it is and why.
    pub async fn device(&mut self, wanted: Backend) -> (Device, String) {
        let (device, name, fallback) = self.pick(wanted).await;
        js::post(&Event::Backend { name: name.clone(), fallback });
        (device, name)
    }

    async fn pick(&mut self, wanted: Backend) -> (Device, String, Option<String>) {
        if wanted == Backend::Cpu {
            return (Device::flex(), CPU_NAME.to_string(), None);
        }
        if self.gpu.is_none() {
            self.gpu = Some(init_webgpu().await);
        }
        match self.gpu.as_ref().unwrap() {
            Ok((device, name)) => (device.clone(), name.clone(), None),
            Err(why) => (Device::flex(), CPU_NAME.to_string(), Some(why.clone())),
        }
    }
}

async fn init_webgpu() -> Result<(Device, String), String> {
    let name = adapter_name().await?;
    let device = Device::wgpu_options().init_async().await.map_err(|e| format!("{e}"))?;
    Ok((device, name))
}

/// Asks the browser for an adapter first, so its absence is a clear message rather than a
/// failure inside wgpu; returns a name for the page, e.g. "WebGPU (SwiftShader, fallback)".
async fn adapter_name() -> Result<String, String> {
    let navigator = Reflect::get(&js::scope(), &"navigator".into()).map_err(describe)?;
    let gpu = Reflect::get(&navigator, &"gpu".into()).map_err(describe)?;
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser has no navigator.gpu".to_string());
    }
    let request: Function = Reflect::get(&gpu, &"requestAdapter".into()).map_err(describe)?.into();
    let promise = request.call0(&gpu).map_err(describe)?;
    let adapter = JsFuture::from(js_sys::Promise::from(promise)).await.map_err(describe)?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err("the browser offers no WebGPU adapter".to_string());
    }
    let info = Reflect::get(&adapter, &"info".into()).unwrap_or(JsValue::UNDEFINED);
    let field =
        |name: &str| Reflect::get(&info, &name.into()).ok().and_then(|v| v.as_string()).filter(|s| !s.is_empty());
    let fallback = Reflect::get(&info, &"isFallbackAdapter".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
    let what = field("description")
        .or_else(|| {
            Some(format!("{} {}", field("vendor")?, field("architecture").unwrap_or_default()).trim().to_string())
        })
        .unwrap_or_else(|| "GPU".to_string());
    Ok(format!("WebGPU ({what}{})", if fallback { ", fallback adapter" } else { "" }))
}
