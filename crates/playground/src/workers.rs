//! Which training worker the page starts. There are three builds of the worker: a CPU one without
//! any GPU code (a few hundred KB), the same with the sequence tasks, words and reasoning (fetched
//! only when one is chosen), and a WebGPU one that carries burn's wgpu backend and shader compiler
//! (several MB) and every task. A visitor who does not train on WebGPU never downloads the last.
//! The choice is made from the backend setting and what the browser offered when the page
//! asked for an adapter ([`Gpu`]); a software fallback adapter (SwiftShader, ~10× slower than the
//! CPU path here) is used only when asked for by name.

use crate::i18n::{fill, Lang, Msg};
use crate::settings::{Backend, Task};

/// A build of the training worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerKind {
    Cpu,
    /// The CPU build with the sequence tasks (`task=words`, `task=reasoning`).
    SequencesCpu,
    WebGpu,
}

impl WorkerKind {
    /// The script the page starts (trunk's loader for each worker binary).
    pub fn script(self) -> &'static str {
        match self {
            WorkerKind::Cpu => "./worker-cpu_loader.js",
            WorkerKind::SequencesCpu => "./worker-sequences_loader.js",
            WorkerKind::WebGpu => "./worker-webgpu_loader.js",
        }
    }
}

impl WorkerKind {
    /// Its wasm, which the page compiles once for all the workers of this build and sends to each.
    pub fn wasm(self) -> &'static str {
        match self {
            WorkerKind::Cpu => "./worker-cpu_bg.wasm",
            WorkerKind::SequencesCpu => "./worker-sequences_bg.wasm",
            WorkerKind::WebGpu => "./worker-webgpu_bg.wasm",
        }
    }

    /// Trains on the CPU (one thread a worker, so one worker a student where there are cores).
    pub fn is_cpu(self) -> bool {
        self != WorkerKind::WebGpu
    }

    /// The build that trains `task` on this one's backend.
    pub fn for_task(self, task: Task) -> WorkerKind {
        match self {
            WorkerKind::WebGpu => WorkerKind::WebGpu,
            _ => task.spec().cpu_worker,
        }
    }
}

/// The fields of a `GPUAdapterInfo` the page and the worker read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdapterInfo {
    pub description: Option<String>,
    pub vendor: Option<String>,
    pub architecture: Option<String>,
    /// A software adapter (SwiftShader), CPU-backed.
    pub fallback: bool,
}

impl AdapterInfo {
    /// What the adapter says it is, e.g. "SwiftShader" (its description, else vendor and architecture).
    pub fn label(&self) -> String {
        let named = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
        named(&self.description)
            .or_else(|| Some(format!("{} {}", named(&self.vendor)?, named(&self.architecture).unwrap_or_default())))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| "GPU".to_string())
    }

    /// How the page names the backend, e.g. "WebGPU (SwiftShader, fallback adapter)".
    pub fn backend_name(&self) -> String {
        format!("WebGPU ({}{})", self.label(), if self.fallback { ", fallback adapter" } else { "" })
    }
}

/// What the browser offered when the page asked for a WebGPU adapter.
#[derive(Debug, Clone, PartialEq)]
pub enum Gpu {
    /// `name`: the adapter's [`AdapterInfo::label`].
    Adapter { name: String, fallback: bool },
    /// Why there is none, e.g. "this browser has no navigator.gpu".
    Missing(String),
}

/// A wgpu error in words a visitor can read: wgpu prints a browser error as
/// `JsValue(<name>: <message>\n<stack>)`, which becomes `<name>: <message>`.
pub fn plain_wgpu_error(text: &str) -> String {
    match text.split_once("JsValue(") {
        Some((before, inside)) => {
            let first_line = inside.lines().next().unwrap_or_default();
            format!("{before}{}", first_line.strip_suffix(')').unwrap_or(first_line))
        }
        None => text.to_string(),
    }
}

/// Why training does not run on WebGPU, when it does not.
#[derive(Debug, Clone, PartialEq)]
pub enum BackendNote {
    /// WebGPU could not be had (no adapter, or its device failed).
    Unavailable(String),
    /// Automatic passed over a software fallback adapter.
    FallbackSkipped(String),
}

impl BackendNote {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            BackendNote::Unavailable(why) => fill(Msg::WebGPUFallback.text(lang), &[("why", why.clone())]),
            BackendNote::FallbackSkipped(name) => {
                fill(Msg::AutomaticSkippedFallbackAdapter.text(lang), &[("adapter", name.clone())])
            }
        }
    }
}

/// The worker for `wanted` given what the browser offers (`None`: no answer yet; Automatic then
/// starts on the CPU, WebGPU asked for by name waits), and the note to show when that is not
/// WebGPU although WebGPU was possible or asked.
pub fn choose(wanted: Backend, gpu: Option<&Gpu>) -> (WorkerKind, Option<BackendNote>) {
    match (wanted, gpu) {
        (Backend::Cpu, _) | (Backend::Auto, None) => (WorkerKind::Cpu, None),
        (_, None) => (WorkerKind::Cpu, Some(BackendNote::Unavailable("no adapter was found".into()))),
        (_, Some(Gpu::Missing(why))) => (WorkerKind::Cpu, Some(BackendNote::Unavailable(why.clone()))),
        (Backend::Auto, Some(Gpu::Adapter { name, fallback: true })) => {
            (WorkerKind::Cpu, Some(BackendNote::FallbackSkipped(name.clone())))
        }
        (_, Some(Gpu::Adapter { .. })) => (WorkerKind::WebGpu, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_error_inside_a_wgpu_error_reads_as_words() {
        let wgpu = "Unable to request a wgpu device: JsValue(OperationError: refused\nundefined)";
        assert_eq!(plain_wgpu_error(wgpu), "Unable to request a wgpu device: OperationError: refused");
        assert_eq!(plain_wgpu_error("JsValue(TypeError: x)"), "TypeError: x");
        assert_eq!(plain_wgpu_error("no adapter"), "no adapter");
    }

    fn adapter(fallback: bool) -> Gpu {
        Gpu::Adapter { name: "SwiftShader".into(), fallback }
    }

    #[test]
    fn an_adapter_is_named_by_what_it_says_of_itself() {
        let swiftshader = AdapterInfo {
            description: Some("SwiftShader".into()),
            vendor: Some("google".into()),
            architecture: Some("swiftshader".into()),
            fallback: true,
        };
        assert_eq!(swiftshader.backend_name(), "WebGPU (SwiftShader, fallback adapter)");
        let vendor_only =
            AdapterInfo { description: Some(String::new()), vendor: Some("nvidia".into()), ..Default::default() };
        assert_eq!(vendor_only.backend_name(), "WebGPU (nvidia)");
        assert_eq!(swiftshader.label(), "SwiftShader");
        assert_eq!(AdapterInfo::default().backend_name(), "WebGPU (GPU)");
    }

    #[test]
    fn the_cpu_worker_unless_webgpu_is_there_and_worth_it() {
        assert_eq!(choose(Backend::Cpu, Some(&adapter(false))), (WorkerKind::Cpu, None));
        assert_eq!(choose(Backend::Auto, Some(&adapter(false))), (WorkerKind::WebGpu, None));
        assert_eq!(choose(Backend::WebGpu, Some(&adapter(true))), (WorkerKind::WebGpu, None), "asked for by name");
        assert_eq!(
            choose(Backend::Auto, Some(&adapter(true))),
            (WorkerKind::Cpu, Some(BackendNote::FallbackSkipped("SwiftShader".into())))
        );
        assert_eq!(WorkerKind::Cpu.for_task(Task::Words), WorkerKind::SequencesCpu);
        assert_eq!(WorkerKind::SequencesCpu.for_task(Task::Images), WorkerKind::Cpu);
        assert_eq!(WorkerKind::WebGpu.for_task(Task::Words), WorkerKind::WebGpu, "WebGPU's build has both");
        let missing = Gpu::Missing("the browser offers no WebGPU adapter".into());
        let (kind, note) = choose(Backend::WebGpu, Some(&missing));
        assert_eq!(kind, WorkerKind::Cpu);
        assert!(note.unwrap().text(Lang::En).contains("offers no WebGPU adapter"));
    }
}
