//! The examples a student learns from, limited to a query budget, with the targets the
//! teacher's API answers allow ([`crate::api`]). Computed on the CPU once per run (or round): no
//! top-k on the device, which WebGPU in wasm cannot read back synchronously.

use crate::api;
use crate::rng::Rng;
use distill_spec::{Mode, TrainConfig, CLASSES};

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
        let mut indices = question_order(config, labels);
        indices.truncate(config.budget.unwrap_or(usize::MAX));
        TransferSet::asked(config, &indices, 0, labels, teacher_logits)
    }

    /// The examples `images` (indices into the training split) with the API's answers about them,
    /// the first being the run's `first_query`-th question. An image the API refused to answer
    /// is left out (its query is spent all the same), also for the labels-only student, which
    /// learns from the same images as the copier.
    pub fn asked(
        config: &TrainConfig,
        images: &[usize],
        first_query: usize,
        labels: &[u8],
        teacher_logits: &[f32],
    ) -> TransferSet {
        let mut set = TransferSet { indices: Vec::new(), labels: Vec::new(), targets: Vec::new() };
        for (query, &image) in (first_query..).zip(images) {
            if config.mode == Mode::LabelsOnly {
                if api::refuses(&config.defence, query) {
                    continue;
                }
            } else {
                let logits = &teacher_logits[image * CLASSES..(image + 1) * CLASSES];
                match api::answer(config, logits, query) {
                    Some(target) => set.targets.extend(target),
                    None => continue,
                }
            }
            set.indices.push(image);
            set.labels.push(labels[image]);
        }
        set
    }

    /// Adds `more` examples after these.
    pub fn extend(&mut self, more: TransferSet) {
        self.indices.extend(more.indices);
        self.labels.extend(more.labels);
        self.targets.extend(more.targets);
    }

    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

/// Every training image the copier may ask about (all but `config.excluded_class`), in the
/// seeded random order a random draw takes them in.
pub fn question_order(config: &TrainConfig, labels: &[u8]) -> Vec<usize> {
    let mut images: Vec<usize> = (0..labels.len()).filter(|&i| Some(labels[i]) != config.excluded_class).collect();
    Rng::new(config.seed ^ 0x0b0d_9e7b).shuffle(&mut images);
    images
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
            queries: None,
            defence: Default::default(),
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
        // Past a refusing quota neither the copier nor the labels-only student has the image.
        let quota =
            distill_spec::Defence { quota: Some((10, distill_spec::BeyondQuota::Refuse)), ..Default::default() };
        let refused = TrainConfig { defence: quota, ..soft };
        let copier = TransferSet::build(&refused, &labels, &logits);
        assert_eq!(copier.indices, some.indices[..10]);
        assert_eq!(TransferSet::build(&refused.labels_only(), &labels, &[]).indices, copier.indices);
    }
}
