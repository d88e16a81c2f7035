//! The device: burn's CPU backend compiled to wasm, or (in the WebGPU build, `--features webgpu`)
//! WebGPU. The page starts the WebGPU build only when it trains there and found an adapter
//! (`distill_playground::workers`); if the device still fails, this build trains on the CPU and
//! says why. burn's wgpu runtime can be initialised once per worker, so the device is kept, until
//! it is lost: then the page hears why at once, and this worker trains on the CPU from then on
//! (the page's Reset starts a fresh worker, with a fresh device).

use super::js;
use burn::prelude::*;
use distill_playground::protocol::Event;
#[cfg(feature = "webgpu")]
use distill_playground::protocol::WorkerError;
use distill_playground::settings::Backend;
#[cfg(feature = "webgpu")]
use distill_playground::workers::plain_wgpu_error;

const CPU_NAME: &str = "CPU (wasm, one thread)";

/// Why WebGPU does not train here: the page shows it beside the CPU it falls back to.
#[cfg(feature = "webgpu")]
#[derive(Debug, Clone, thiserror::Error)]
enum GpuUnavailable {
    #[error("the GPU device was lost: {0}")]
    Lost(String),
    #[error("{0}")]
    Browser(#[from] distill_browser::BrowserError),
    /// wgpu could not make a device, in plain words.
    #[error("{0}")]
    Device(String),
}

#[derive(Default)]
pub struct Backends {
    /// `Ok` once WebGPU works, `Err(why)` once it failed; never retried.
    #[cfg(feature = "webgpu")]
    gpu: Option<Result<(Device, String), GpuUnavailable>>,
    /// Why the device was lost, once it was (set by the browser's `device.lost`).
    #[cfg(feature = "webgpu")]
    lost: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

impl Backends {
    /// The device for `wanted` and its name, announcing on the page which one it is and why.
    pub async fn device(&mut self, wanted: Backend) -> (Device, String) {
        let (device, name, fallback) = self.pick(wanted).await;
        js::post(&Event::Backend { name: name.clone(), fallback });
        (device, name)
    }

    /// Whether `device` compiles its kernels on first use (WebGPU): then a rehearsal pays off.
    pub fn compiles_kernels(&self, device: &Device) -> bool {
        #[cfg(feature = "webgpu")]
        {
            matches!(&self.gpu, Some(Ok((gpu, _))) if gpu == device)
        }
        #[cfg(not(feature = "webgpu"))]
        {
            let _ = device;
            false
        }
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
        if let Some(why) = self.lost.lock().ok().and_then(|lost| lost.clone()) {
            self.gpu = Some(Err(GpuUnavailable::Lost(why)));
        }
        if self.gpu.is_none() {
            self.gpu = Some(init_webgpu(self.lost.clone()).await);
        }
        match self.gpu.as_ref().unwrap() {
            Ok((device, name)) => (device.clone(), name.clone(), None),
            Err(why) => (Device::flex(), CPU_NAME.to_string(), Some(why.to_string())),
        }
    }
}

#[cfg(feature = "webgpu")]
async fn init_webgpu(
    lost: std::sync::Arc<std::sync::Mutex<Option<String>>>,
) -> Result<(Device, String), GpuUnavailable> {
    let name = adapter_name().await?;
    let (device, setup) = Device::wgpu_options()
        .init_with_setup_async()
        .await
        .map_err(|e| GpuUnavailable::Device(plain_wgpu_error(&e.to_string())))?;
    // On the web, wgpu adds this to the device's `lost` promise beside burn's own watcher.
    setup.device.set_device_lost_callback(move |reason, message| {
        let why = if message.is_empty() { format!("{reason:?}") } else { format!("{reason:?}: {message}") };
        if let Ok(mut lost) = lost.lock() {
            *lost = Some(why.clone());
        }
        js::post(&Event::Error(WorkerError::DeviceLost(why)));
    });
    Ok((device, name))
}

/// Asks the browser for an adapter first, so its absence is a clear message rather than a
/// failure inside wgpu; returns a name for the page, e.g. "WebGPU (SwiftShader, fallback adapter)".
#[cfg(feature = "webgpu")]
async fn adapter_name() -> Result<String, distill_browser::BrowserError> {
    let navigator = js_sys::Reflect::get(&js::scope(), &"navigator".into())?;
    Ok(distill_browser::request_adapter(&navigator).await?.backend_name())
}
