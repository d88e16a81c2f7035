//! The examples a student learns from, limited to a query budget, with the targets its mode
//! allows ([`distill_spec::teacher_target`]). Computed on the CPU once per run: no top-k on the
//! device, which WebGPU in wasm cannot read back synchronously.

use crate::rng::Rng;
use distill_spec::{teacher_target, Mode, TrainConfig, CLASSES};

/// The training examples a student learns from, with their targets.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferSet {
    /// Indices into the training split.
    pub indices: Vec<usize>,
    /// True labels of those examples.
    pub labels: Vec<u8>,
    /// Teacher targets, `CLASSES` values per example, empty in labels-only mode.
    pub targets: Vec<f32>,
}

impl TransferSet {
    /// Picks at most `config.budget` training examples (a seeded random choice; all when `None`),
    /// leaving out `config.excluded_class`, and computes their targets from the teacher's logits
    /// (`labels` and `teacher_logits` cover the whole training split; labels only needs no logits).
    pub fn build(config: &TrainConfig, labels: &[u8], teacher_logits: &[f32]) -> TransferSet {
        let mode = config.mode;
        let excluded_class = config.excluded_class;
        let mut indices: Vec<usize> = (0..labels.len()).filter(|&i| Some(labels[i]) != excluded_class).collect();
        Rng::new(config.seed ^ 0x0b0d_9e7b).shuffle(&mut indices);
        indices.truncate(config.budget.unwrap_or(usize::MAX));
        let temperature = config.target_temperature();
        let targets = match mode {
            Mode::LabelsOnly => Vec::new(),
            _ => indices
                .iter()
                .flat_map(|&i| teacher_target(mode, &teacher_logits[i * CLASSES..(i + 1) * CLASSES], temperature))
                .flatten()
                .collect(),
        };
        TransferSet { labels: indices.iter().map(|&i| labels[i]).collect(), indices, targets }
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

    fn config() -> TrainConfig {
        TrainConfig {
            architecture: "mlp:".parse().unwrap(),
            mode: Mode::Soft,
            temperature: 3.0,
            alpha: 0.5,
            learning_rate: 1e-3,
            batch_size: 8,
            epochs: 1.0,
            dropout: 0.0,
            jitter: 0,
            budget: None,
            excluded_class: None,
            seed: 1,
        }
    }

    #[test]
    fn budget_and_exclusion() {
        let labels: Vec<u8> = (0..100).map(|i| (i % 10) as u8).collect();
        let logits = vec![0.0; 1000];
        let soft = TrainConfig { budget: None, excluded_class: None, ..config() };
        let all = TransferSet::build(&soft, &labels, &logits);
        assert_eq!(all.len(), 100);
        assert_eq!(all.targets.len(), 1000);
        let soft = TrainConfig { budget: Some(25), excluded_class: Some(3), ..config() };
        let some = TransferSet::build(&soft, &labels, &logits);
        assert_eq!(some.len(), 25);
        assert!(some.labels.iter().all(|&l| l != 3));
        assert_eq!(some, TransferSet::build(&soft, &labels, &logits));
        // Labels only needs no teacher at all, and picks the same examples for the same seed.
        let labels_only = TransferSet::build(&soft.labels_only(), &labels, &[]);
        assert!(labels_only.targets.is_empty());
        assert_eq!(labels_only.indices, some.indices);
    }
}
