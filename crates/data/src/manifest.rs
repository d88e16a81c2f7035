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

/// What a baked words teacher is (the language-model task): `web/teachers/words-<language>/manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordTeacherManifest {
    /// Always `words`: how `distill pack` tells it from an image teacher's manifest.
    pub task: String,
    pub id: String,
    /// `en` or `es`: the word list (`distill_data::words`).
    pub language: String,
    /// `context 8 · embedding 24 · 512-512`.
    pub architecture: String,
    pub parameters: usize,
    /// Mean −log₂ p(next letter) over every position of the test words (the end of word included).
    pub test_bits_per_char: f64,
    pub train_bits_per_char: f64,
    pub test_words: usize,
    pub test_positions: usize,
    pub epochs: usize,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub seed: u64,
    pub training_seconds: f64,
    pub device: String,
    /// SHA-256 of the word list it was trained and evaluated on, by path in its package.
    pub data_sha256: BTreeMap<String, String>,
    /// SHA-256 of `weights.safetensors`.
    pub weights_sha256: String,
    pub command: String,
}

/// What a baked reasoning teacher is: `web/teachers/parity/manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasoningTeacherManifest {
    /// Always `reasoning`: how `distill pack` tells it from the other tasks' manifests.
    pub task: String,
    pub id: String,
    /// `width 64 · 4 heads · 2 layers · feed-forward 256`.
    pub architecture: String,
    pub parameters: usize,
    /// The problem sizes it was taught (bits), and the test problems it was scored on, of those
    /// sizes and one more.
    pub sizes: String,
    pub test_problems: usize,
    /// Its answers right when it writes greedily, by size (`"5": 1.0`, ...), and when it samples
    /// at `sample_temperature` (how the pack's solutions are written).
    pub test_accuracy: BTreeMap<String, f64>,
    pub sampled_accuracy: BTreeMap<String, f64>,
    pub sample_temperature: f32,
    pub problems: usize,
    pub epochs: f64,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub seed: u64,
    pub training_seconds: f64,
    pub device: String,
    /// SHA-256 of `weights.safetensors`.
    pub weights_sha256: String,
    pub command: String,
}

/// The task a manifest's teacher belongs to: `words`, `reasoning`, or none (images).
pub fn manifest_task(json: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Task {
        task: Option<String>,
    }
    serde_json::from_slice::<Task>(json).ok().and_then(|t| t.task)
}
