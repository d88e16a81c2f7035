//! Messages between the page and the training worker (serialised with serde-wasm-bindgen).

use crate::dark_knowledge::Curated;
use crate::session::Report;
use crate::settings::Settings;
use distill_data::catalog::PackEntry;
use serde::{Deserialize, Serialize};

/// Page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Download (with progress), verify and unpack this pack; replaces any previous one.
    Load(PackEntry),
    /// Build both students afresh from these settings (a reset); the pack must be loaded.
    Configure(Settings),
    Start,
    Pause,
    /// One step of each student, then a report.
    Step,
    /// The teacher's and both students' logits for one test image.
    Inspect(usize),
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The worker listens; commands sent before this are lost.
    Ready,
    /// Bytes of the pack received so far, out of `total`.
    Loading {
        loaded: u64,
        total: u64,
    },
    Loaded {
        teacher: String,
        test_rows: usize,
        curated: Vec<Curated>,
    },
    /// Where training runs: `name` is shown as is; `notice` explains a fallback.
    Backend {
        name: String,
        notice: Option<String>,
    },
    Configured {
        total_steps: usize,
        transfer_examples: usize,
    },
    Report(Report),
    Running(bool),
    Finished,
    Inspection(Inspection),
    Error(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub index: usize,
    pub label: u8,
    pub pixels: Vec<u8>,
    pub teacher_logits: Vec<f32>,
    pub distilled_logits: Vec<f32>,
    pub baseline_logits: Vec<f32>,
}
