//! Messages between the page and the training worker (serialised with serde-wasm-bindgen).
//! Byte vectors go as `Uint8Array`s (`serde_bytes`): as arrays of numbers, a 300 kB weights file
//! took serde-wasm-bindgen longer than the test would wait.

use crate::dark_knowledge::Curated;
use crate::results::ResultRow;
use crate::session::Report;
use crate::settings::Settings;
use crate::sweep::SweepPoint;
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
    /// Both students' logits for a drawn 28×28 image (ink 0–255).
    Predict(#[serde(with = "serde_bytes")] Vec<u8>),
    /// Train these students one after the other (stops a single run); each adds a result row
    /// tagged `name` (the page numbers its sweeps, so a new worker cannot reuse a name).
    Sweep {
        name: String,
        points: Vec<SweepPoint>,
    },
    StopSweep,
    /// The distilled student's weights, as a safetensors file.
    ExportWeights,
    /// Load a safetensors file into the distilled student, then report.
    ImportWeights(#[serde(with = "serde_bytes")] Vec<u8>),
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
    /// Logits for a drawn image: (distilled, labels only).
    Prediction {
        distilled: Vec<f32>,
        baseline: Vec<f32>,
    },
    /// Both students' logits on the whole test split, sent when a run with an excluded class
    /// ends, so the page can shift that class's bias without asking again.
    TestLogits {
        #[serde(with = "serde_bytes")]
        labels: Vec<u8>,
        distilled: Vec<f32>,
        baseline: Vec<f32>,
    },
    /// Sweep run `index` (of `total`) at `step` of `total_steps`.
    SweepProgress {
        index: usize,
        total: usize,
        step: usize,
        total_steps: usize,
    },
    /// A finished student: a row of the results table.
    Result(ResultRow),
    SweepDone,
    Weights(#[serde(with = "serde_bytes")] Vec<u8>),
    /// Whether weights were loaded into the distilled student (a fresh report follows), or why not;
    /// a refused file changes nothing.
    Imported(Result<(), String>),
    Error(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub index: usize,
    pub label: u8,
    #[serde(with = "serde_bytes")]
    pub pixels: Vec<u8>,
    pub teacher_logits: Vec<f32>,
    pub distilled_logits: Vec<f32>,
    pub baseline_logits: Vec<f32>,
}
