//! The device: burn's CPU backend compiled to wasm, or (in the WebGPU build, `--features webgpu`)
//! WebGPU. The page starts the WebGPU build only when it trains there and found an adapter
//! (`distill_playground::workers`); if the device still fails, this build trains on the CPU and
//! says why. burn's wgpu runtime can be initialised once per worker, so the device is kept.

use super::js;
use burn::prelude::*;
use distill_playground::protocol::Event;
use distill_playground::settings::Backend;

const CPU_NAME: &str = "CPU (wasm, one thread)";

#[derive(Default)]
pub struct Backends {
    /// `Ok` once WebGPU works, `Err(why)` once it failed; never retried.
    #[cfg(feature = "webgpu")]
    gpu: Option<Result<(Device, String), String>>,
}

impl Backends {
    /// The device for `wanted` and its name, announcing on the page which one it is and why.
    pub async fn device(&mut self, wanted: Backend) -> (Device, String) {
        let (device, name, fallback) = self.pick(wanted).await;
        js::post(&Event::Backend { name: name.clone(), fallback });
        (device, name)
    }

    #[cfg(not(feature = "webgpu"))]
    async fn pick(&mut self, _wanted: Backend) -> (Device, String, Option<String>) {
        (Device::flex(), CPU_NAME.to_string(), None)
    }

    #[cfg(feature = "webgpu")]
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

#[cfg(feature = "webgpu")]
async fn init_webgpu() -> Result<(Device, String), String> {
    let name = adapter_name().await?;
    let device = Device::wgpu_options().init_async().await.map_err(|e| format!("{e}"))?;
    Ok((device, name))
}

/// Asks the browser for an adapter first, so its absence is a clear message rather than a
/// failure inside wgpu; returns a name for the page, e.g. "WebGPU (SwiftShader, fallback adapter)".
#[cfg(feature = "webgpu")]
async fn adapter_name() -> Result<String, String> {
    let navigator = js_sys::Reflect::get(&js::scope(), &"navigator".into()).map_err(js::describe)?;
    Ok(distill_browser::request_adapter(&navigator).await?.backend_name())
}
