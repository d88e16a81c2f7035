//! The word student's training loop, one batch per call, like the image [`crate::Trainer`]:
//! nothing is read back in a step; the losses are summed on the device and read once per report
//! ([`WordTrainer::take_metrics`]), where a diverged step rolls the weights back.
//!
//! What it learns from is decided before it starts: a set of [`Examples`] (the pack's real words,
//! or the teacher's sampled words) and, for the white-box and top-k modes, a dense target
//! distribution per example at temperature T ([`super::targets`]). The objective is Hinton's,
//! unchanged from the image task ([`crate::loss::distillation_loss`]): α·T²·KL + (1 − α)·CE.

use super::{Examples, WordModel, WordModelConfig};
use crate::error::TrainError;
use crate::loss::distillation_loss;
use crate::rng::Rng;
use crate::trainer::{read_means, Checkpoint};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use std::f64::consts::PI;

/// How a word student is trained.
#[derive(Debug, Clone, PartialEq)]
pub struct WordPlan {
    /// Passes over the examples (a fraction of one is a part of it).
    pub epochs: f64,
    pub batch_size: usize,
    /// Adam's learning rate at the start; it follows a cosine to 0 over the run.
    pub learning_rate: f64,
    pub temperature: f32,
    /// Weight of the soft loss (ignored without soft targets).
    pub alpha: f32,
    pub seed: u64,
}

/// Mean losses over the steps since the last [`WordTrainer::take_metrics`], in nats per token.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordMetrics {
    pub steps: usize,
    pub soft_loss: f32,
    pub hard_loss: f32,
    pub total_loss: f32,
}

pub struct WordTrainer {
    model: WordModel,
    optimizer: ModuleOptimizer,
    device: Device,
    examples: Examples,
    /// [examples, vocabulary] target distributions, or none (hard labels only).
    soft: Option<Vec<f32>>,
    vocabulary: usize,
    plan: WordPlan,
    rng: Rng,
    order: Vec<usize>,
    cursor: usize,
    step: usize,
    total_steps: usize,
    sums: Option<Tensor<1>>,
    summed_steps: usize,
    last_good: Checkpoint<WordModel>,
}

impl WordTrainer {
    /// A fresh `config` network (weights from `plan.seed`) that will learn `examples`, towards
    /// `soft` targets (one row of `config.vocabulary` per example) when given.
    pub fn new(
        config: &WordModelConfig,
        examples: Examples,
        soft: Option<Vec<f32>>,
        plan: WordPlan,
        device: &Device,
    ) -> Result<Self, TrainError> {
        if examples.is_empty() {
            return Err(TrainError::NoExamples);
        }
        if let Some(soft) = &soft {
            assert_eq!(soft.len(), examples.len() * config.vocabulary, "one target row per example");
        }
        let device = device.clone().autodiff();
        let model = config.init(plan.seed, &device);
        let optimizer = AdamConfig::new().init();
        let total_steps = ((plan.epochs * examples.len() as f64) / plan.batch_size as f64).ceil().max(1.0) as usize;
        Ok(WordTrainer {
            last_good: Checkpoint { model: model.clone(), optimizer: optimizer.clone(), step: 0 },
            model,
            optimizer,
            device,
            examples,
            soft,
            vocabulary: config.vocabulary,
            rng: Rng::new(plan.seed),
            plan,
            order: Vec::new(),
            cursor: 0,
            step: 0,
            total_steps,
            sums: None,
            summed_steps: 0,
        })
    }

    pub fn total_steps(&self) -> usize {
        self.total_steps
    }

    pub fn steps_done(&self) -> usize {
        self.step
    }

    pub fn is_done(&self) -> bool {
        self.step >= self.total_steps
    }

    /// The network as it is now (still on the autodiff device).
    pub fn model(&self) -> &WordModel {
        &self.model
    }

    /// Examples of the next batch, reshuffled each epoch; the last batch of an epoch may be short.
    fn next_batch(&mut self) -> Vec<usize> {
        if self.cursor == self.order.len() {
            self.order = (0..self.examples.len()).collect();
            self.rng.shuffle(&mut self.order);
            self.cursor = 0;
        }
        let end = (self.cursor + self.plan.batch_size).min(self.order.len());
        let batch = self.order[self.cursor..end].to_vec();
        self.cursor = end;
        batch
    }

    /// One optimiser step on the next batch; nothing is read back.
    pub fn step(&mut self) {
        let rows = self.next_batch();
        let (contexts, targets) = self.examples.batch(&rows, &self.device);
        let v = self.vocabulary;
        let soft = self.soft.as_ref().map(|soft| {
            let picked: Vec<f32> = rows.iter().flat_map(|&r| &soft[r * v..(r + 1) * v]).copied().collect();
            Tensor::<2>::from_data(TensorData::new(picked, [rows.len(), v]), &self.device)
        });
        let parts =
            distillation_loss(self.model.forward(contexts), targets, soft, self.plan.temperature, self.plan.alpha);
        let metrics = Tensor::cat(vec![parts.soft.detach(), parts.hard.detach(), parts.total.clone().detach()], 0);
        self.sums = Some(match self.sums.take() {
            Some(sums) => sums + metrics,
            None => metrics,
        });
        self.summed_steps += 1;
        let grads = GradientsParams::from_grads(parts.total.backward(), &self.model);
        let progress = self.step as f64 / self.total_steps as f64;
        let learning_rate = self.plan.learning_rate * 0.5 * (1.0 + (PI * progress).cos());
        self.model = self.optimizer.step(learning_rate, self.model.clone(), grads);
        self.step += 1;
    }

    /// Waits until the device has done every step asked for so far (a read of three numbers).
    pub async fn settle(&self) -> Result<(), TrainError> {
        if let Some(sums) = &self.sums {
            sums.clone().into_data_async().await.map_err(|e| TrainError::read_back("the loss")(&e))?;
        }
        Ok(())
    }

    /// The mean losses since the last call (one read-back). A loss that is not finite is an error,
    /// and the network, optimiser and step go back to the last call that succeeded.
    pub async fn take_metrics(&mut self) -> Result<WordMetrics, TrainError> {
        let steps = std::mem::take(&mut self.summed_steps);
        let Some(sums) = self.sums.take() else {
            return Ok(WordMetrics { steps: 0, soft_loss: 0.0, hard_loss: 0.0, total_loss: 0.0 });
        };
        let mean = read_means(sums, steps).await?;
        let metrics = WordMetrics { steps, soft_loss: mean[0], hard_loss: mean[1], total_loss: mean[2] };
        self.last_good.judge((&mut self.model, &mut self.optimizer, &mut self.step), metrics.total_loss)?;
        Ok(metrics)
    }
}
