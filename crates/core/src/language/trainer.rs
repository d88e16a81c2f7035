//! What a word student learns from, for the shared [`Trainer`]: a set of next-letter [`Examples`]
//! (the pack's real words, or the teacher's sampled words) and, for the white-box and top-k
//! modes, a dense target distribution per example at temperature T ([`super::targets`]). The
//! objective is the image task's, unchanged ([`crate::loss::distillation_loss`]).

use super::{Examples, WordModel};
use crate::error::TrainError;
use crate::rng::Rng;
use crate::trainer::{Plan, StudentNetwork, Trainer, TrainingSet};
use burn::prelude::*;
use distill_data::words_pack::WordShape;

/// Next-letter examples, with a row of `vocabulary` target probabilities each when the student
/// sees the teacher's distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct WordSet {
    pub examples: Examples,
    pub soft: Option<Vec<f32>>,
    pub vocabulary: usize,
}

impl StudentNetwork for WordModel {
    type Input = Tensor<2, Int>;

    fn forward(&self, contexts: Tensor<2, Int>) -> Tensor<2> {
        WordModel::forward(self, contexts)
    }

    /// A word model has no dropout.
    fn without_dropout(self) -> Self {
        self
    }
}

impl TrainingSet for WordSet {
    type Network = WordModel;

    fn len(&self) -> usize {
        self.examples.len()
    }

    fn batch(&self, rows: &[usize], _: &mut Rng, device: &Device) -> (Tensor<2, Int>, Tensor<1, Int>) {
        self.examples.batch(rows, device)
    }

    fn targets(&self, rows: &[usize], device: &Device) -> Option<Tensor<2>> {
        let v = self.vocabulary;
        self.soft.as_ref().map(|soft| {
            let picked: Vec<f32> = rows.iter().flat_map(|&r| &soft[r * v..(r + 1) * v]).copied().collect();
            Tensor::from_data(TensorData::new(picked, [rows.len(), v]), device)
        })
    }

    fn extend(&mut self, more: WordSet) {
        assert_eq!(self.soft.is_some(), more.soft.is_some(), "one kind of target in a set");
        self.examples.contexts.extend(more.examples.contexts);
        self.examples.targets.extend(more.examples.targets);
        if let (Some(soft), Some(more)) = (self.soft.as_mut(), more.soft) {
            soft.extend(more);
        }
    }
}

/// A fresh network of `shape` (weights drawn from `plan.seed`) that will learn `examples`,
/// towards `soft` targets (one row of `shape.vocabulary` per example) when given.
pub fn trainer(
    shape: &WordShape,
    examples: Examples,
    soft: Option<Vec<f32>>,
    plan: Plan,
    device: &Device,
) -> Result<Trainer<WordSet>, TrainError> {
    if let Some(soft) = &soft {
        assert_eq!(soft.len(), examples.len() * shape.vocabulary, "one target row per example");
    }
    let seed = plan.seed;
    let set = WordSet { examples, soft, vocabulary: shape.vocabulary };
    Trainer::new(set, plan, device, |device| WordModel::init(shape, seed, device))
}
