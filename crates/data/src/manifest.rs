//! What a baked teacher is: written beside its weights and cached outputs as `manifest.json`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeacherManifest {
    /// Teacher id, also its folder name (`mnist-cnn`).
    pub id: String,
    /// Dataset id (`mnist`, `fashion`).
    pub dataset: String,
    /// Architecture in the syntax of `distill_core::Architecture` (`cnn:32-64-256`).
    pub architecture: String,
    pub parameters: usize,
    pub test_accuracy: f64,
    pub test_errors: usize,
    pub test_examples: usize,
    pub epochs: f64,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub dropout: f64,
    /// Random shift of each training image by up to this many pixels.
    pub jitter_pixels: usize,
    pub seed: u64,
    pub training_seconds: f64,
    /// Backend the teacher was trained on (`flex` = burn's CPU backend).
    pub device: String,
    /// SHA-256 of the source files it was trained and evaluated on, by path.
    pub data_sha256: BTreeMap<String, String>,
    /// SHA-256 of `logits.safetensors`, so a stale or swapped cache is detected.
    pub logits_sha256: String,
    /// The command that reproduces this teacher.
    pub command: String,
}
