//! What the student is allowed to learn from: the teacher's outputs as a white box (all logits)
//! or a black box (only what an API would return), limited to a query budget.
//! Computed on the CPU once per run: no top-k on the device, which WebGPU in wasm cannot read
//! back synchronously.

use crate::architecture::CLASSES;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the student is supervised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Mode {
    /// White box: the teacher's full distribution softened at temperature T.
    Soft,
    /// Black box: only the teacher's predicted class.
    TopLabel,
    /// Black box: the teacher's k most probable classes with their probabilities.
    TopK(usize),
    /// No teacher: the true labels alone (the baseline).
    LabelsOnly,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mode::Soft => write!(f, "soft"),
            Mode::TopLabel => write!(f, "top1"),
            Mode::TopK(k) => write!(f, "top{k}"),
            Mode::LabelsOnly => write!(f, "labels"),
        }
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "soft" => Ok(Mode::Soft),
            "labels" => Ok(Mode::LabelsOnly),
            "top1" => Ok(Mode::TopLabel),
            _ => match s.strip_prefix("top").and_then(|k| k.parse::<usize>().ok()) {
                Some(k) if (2..CLASSES).contains(&k) => Ok(Mode::TopK(k)),
                _ => Err(format!("mode `{s}`: expected soft, top1, top2..top9 or labels")),
            },
        }
    }
}

impl From<Mode> for String {
    fn from(m: Mode) -> String {
        m.to_string()
    }
}

impl TryFrom<String> for Mode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

/// softmax(logits / t) of one row.
pub fn softmax(logits: &[f32], t: f32) -> Vec<f32> {
    let max = logits.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let exps: Vec<f32> = logits.iter().map(|&z| ((z - max) / t).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}

/// Index of the largest value (the first one on ties).
pub fn argmax(row: &[f32]) -> usize {
    row.iter().enumerate().fold(0, |best, (i, &v)| if v > row[best] { i } else { best })
}

/// The target distribution the student is trained towards for one example, from the teacher's
/// logits; `None` in labels-only mode.
///
/// Top-k: an API returns the k largest probabilities (at T = 1). Since p_i ∝ exp(z_i), raising
/// them to 1/T and renormalising gives exactly softmax(z/T) restricted to those k classes, so
/// temperature still applies to what a black box reveals.
pub fn teacher_target(mode: Mode, logits: &[f32], t: f32) -> Option<Vec<f32>> {
    match mode {
        Mode::LabelsOnly => None,
        Mode::Soft => Some(softmax(logits, t)),
        Mode::TopLabel => {
            let mut one_hot = vec![0.0; logits.len()];
            one_hot[argmax(logits)] = 1.0;
            Some(one_hot)
        }
        Mode::TopK(k) => {
            let api = softmax(logits, 1.0);
            let mut order: Vec<usize> = (0..api.len()).collect();
            order.sort_by(|&a, &b| api[b].total_cmp(&api[a]));
            let mut target = vec![0.0; api.len()];
            for &c in &order[..k] {
                target[c] = api[c].powf(1.0 / t);
            }
            let sum: f32 = target.iter().sum();
            Some(target.iter().map(|p| p / sum).collect())
        }
    }
}

/// The training examples a student learns from, with their targets.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferSet {
    /// Indices into the training split.
    pub indices: Vec<usize>,
    /// True labels of those examples.
    pub labels: Vec<u8>,
    /// Teacher targets, `CLASSES` values per example, empty in labels-only mode.
    pub targets: Vec<f32>,
    pub mode: Mode,
    /// Temperature the targets were softened with (1 for the top label, which has no temperature).
    pub temperature: f32,
}

impl TransferSet {
    /// Picks at most `budget` training examples (a seeded random choice; all when `None`), leaving
    /// out `excluded_class` if given, and computes their targets from the teacher's logits.
    pub fn build(
        labels: &[u8],
        teacher_logits: &[f32],
        mode: Mode,
        temperature: f32,
        budget: Option<usize>,
        excluded_class: Option<u8>,
        seed: u64,
    ) -> TransferSet {
        let mut indices: Vec<usize> = (0..labels.len()).filter(|&i| Some(labels[i]) != excluded_class).collect();
        Rng::new(seed ^ 0x0b0d_9e7b).shuffle(&mut indices);
        indices.truncate(budget.unwrap_or(usize::MAX));
        let temperature = if mode == Mode::TopLabel { 1.0 } else { temperature };
        let targets = match mode {
            Mode::LabelsOnly => Vec::new(),
            _ => indices
                .iter()
                .flat_map(|&i| teacher_target(mode, &teacher_logits[i * CLASSES..(i + 1) * CLASSES], temperature))
                .flatten()
                .collect(),
        };
        TransferSet { labels: indices.iter().map(|&i| labels[i]).collect(), indices, targets, mode, temperature }
    }

    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f32], b: &[f32]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-6, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn temperature_softens() {
        // ln 2 apart: probabilities 2:1 at T=1, sqrt(2):1 at T=2.
        let z = [2f32.ln(), 0.0];
        close(&softmax(&z, 1.0), &[2.0 / 3.0, 1.0 / 3.0]);
        let s = 2f32.sqrt();
        close(&softmax(&z, 2.0), &[s / (s + 1.0), 1.0 / (s + 1.0)]);
    }

    #[test]
    fn black_box_targets() {
        let z = [0.0, 3.0, 1.0, 2.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let top1 = teacher_target(Mode::TopLabel, &z, 5.0).unwrap();
        assert_eq!(argmax(&top1), 1);
        assert_eq!(top1.iter().sum::<f32>(), 1.0);
        // Top-2 keeps classes 1 and 3, renormalised at T: e^{3/T} : e^{2/T}.
        let top2 = teacher_target(Mode::TopK(2), &z, 2.0).unwrap();
        let (a, b) = (1.5f32.exp(), 1f32.exp());
        let mut expected = [0.0f32; 10];
        expected[1] = a / (a + b);
        expected[3] = b / (a + b);
        close(&top2, &expected);
        assert!(teacher_target(Mode::LabelsOnly, &z, 2.0).is_none());
    }

    #[test]
    fn budget_and_exclusion() {
        let labels: Vec<u8> = (0..100).map(|i| (i % 10) as u8).collect();
        let logits = vec![0.0; 1000];
        let all = TransferSet::build(&labels, &logits, Mode::Soft, 3.0, None, None, 1);
        assert_eq!(all.len(), 100);
        assert_eq!(all.targets.len(), 1000);
        let some = TransferSet::build(&labels, &logits, Mode::Soft, 3.0, Some(25), Some(3), 1);
        assert_eq!(some.len(), 25);
        assert!(some.labels.iter().all(|&l| l != 3));
        assert_eq!(some, TransferSet::build(&labels, &logits, Mode::Soft, 3.0, Some(25), Some(3), 1));
        // Labels only needs no teacher at all, and picks the same examples for the same seed.
        let labels_only = TransferSet::build(&labels, &[], Mode::LabelsOnly, 3.0, Some(25), Some(3), 1);
        assert!(labels_only.targets.is_empty());
        assert_eq!(labels_only.indices, some.indices);
    }

    #[test]
    fn modes_parse() {
        for s in ["soft", "top1", "top3", "labels"] {
            assert_eq!(s.parse::<Mode>().unwrap().to_string(), s);
        }
        assert!("top10".parse::<Mode>().is_err());
        assert!("hard".parse::<Mode>().is_err());
    }
}
