//! One trainer for every task, advancing one batch per call. A task gives it a network
//! ([`StudentNetwork`]) and what the network learns from ([`TrainingSet`]: a batch's inputs, true
//! labels and the teacher's targets); everything else is shared: the shuffled batches, Hinton's
//! objective ([`distillation_loss`]), Adam with a cosine learning rate, the metrics summed on the
//! device, and the roll-back of a diverged run.
//!
//! A step reads nothing back: its losses and batch accuracy are summed on the device and read
//! once per report ([`Trainer::take_metrics`]), since on WebGPU every read-back waits for the GPU
//! to drain. That read is also where divergence is caught, and the weights roll back to the last
//! good report. Reading is `async` because the only way to read a tensor back on WebGPU in wasm
//! is to await it; natively any executor (e.g. `pollster::block_on`) drives it.

use crate::error::TrainError;
use crate::loss::distillation_loss;
use crate::rng::Rng;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use distill_spec::TrainConfig;
use std::f64::consts::PI;

/// A task's student: logits over its classes (digits, letters) for a batch of its inputs.
pub trait StudentNetwork: Module {
    /// A batch of inputs on the device: pixels [n, 784], token contexts [n, context].
    type Input;
    fn forward(&self, input: Self::Input) -> Tensor<2>;
    /// The same network with its dropout off: its forward pass draws nothing from the device's
    /// random generator.
    fn without_dropout(self) -> Self;
}

/// What a student learns from: a task's examples, with the teacher's targets when it has them.
pub trait TrainingSet: Clone {
    type Network: StudentNetwork;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Rows `rows` as the network's input and their true labels [n]; `rng` draws any augmentation.
    fn batch(
        &self,
        rows: &[usize],
        rng: &mut Rng,
        device: &Device,
    ) -> (<Self::Network as StudentNetwork>::Input, Tensor<1, Int>);
    /// The teacher's targets for `rows` ([n, classes] probabilities), or none: labels alone.
    fn targets(&self, rows: &[usize], device: &Device) -> Option<Tensor<2>>;
    /// More examples after these (a copier's next round of questions).
    fn extend(&mut self, more: Self);
}

/// How a student is trained, whatever the task.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Passes over the training set (a fraction of one is a part of it).
    pub epochs: f64,
    pub batch_size: usize,
    /// Adam's learning rate at the start; it follows a cosine to 0 over the run (each round).
    pub learning_rate: f64,
    /// The temperature of the soft loss (1 for a teacher's top label, which has none).
    pub temperature: f32,
    /// Weight of the soft loss; 1 − α goes to the true labels (ignored without targets).
    pub alpha: f32,
    /// Draws the batches' order and any augmentation.
    pub seed: u64,
}

impl Plan {
    /// The plan of a run's configuration.
    pub fn of(config: &TrainConfig) -> Plan {
        Plan {
            epochs: config.epochs,
            batch_size: config.batch_size,
            learning_rate: config.learning_rate,
            temperature: config.target_temperature(),
            alpha: config.alpha,
            seed: config.seed,
        }
    }

    /// Optimiser steps of a run over `examples` examples.
    pub fn total_steps(&self, examples: usize) -> usize {
        distill_spec::config::total_steps(self.epochs, examples, self.batch_size)
    }
}

/// Means over the steps since the previous [`Trainer::take_metrics`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub steps: usize,
    pub soft_loss: f32,
    pub hard_loss: f32,
    pub total_loss: f32,
    /// Accuracy on the batches' true labels, each before its update.
    pub batch_accuracy: f32,
}

/// A model and its optimiser as they were at the last finite metrics.
#[derive(Clone)]
struct Checkpoint<M> {
    model: M,
    optimizer: ModuleOptimizer,
    step: usize,
}

#[derive(Clone)]
pub struct Trainer<S: TrainingSet> {
    plan: Plan,
    model: S::Network,
    optimizer: ModuleOptimizer,
    device: Device,
    set: S,
    order: Vec<usize>,
    cursor: usize,
    step: usize,
    /// The step the current round began at (0 unless [`Trainer::learn_more`] started another).
    round_start: usize,
    total_steps: usize,
    rng: Rng,
    /// `[soft, hard, total, batch accuracy]` summed on the device since the last read, and over
    /// how many steps.
    sums: Option<Tensor<1>>,
    summed_steps: usize,
    last_good: Checkpoint<S::Network>,
}

/// The order a pass reads a set of `len` rows in.
fn pass_order(len: usize, rng: &mut Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    rng.shuffle(&mut order);
    order
}

impl<S: TrainingSet> Trainer<S> {
    /// A student that will learn `set` by `plan`: the network `build` makes on the (autodiff)
    /// device, seeded by the caller (see [`crate::model::seeded`]).
    pub fn new(
        set: S,
        plan: Plan,
        device: &Device,
        build: impl FnOnce(&Device) -> S::Network,
    ) -> Result<Self, TrainError> {
        if set.is_empty() {
            return Err(TrainError::NoExamples);
        }
        let device = device.clone().autodiff();
        let model = build(&device);
        let optimizer = AdamConfig::new().init();
        // The first pass's order, drawn now as the first step would (nothing draws before it), so
        // that [`Trainer::upcoming`] knows the first batch.
        let mut rng = Rng::new(plan.seed);
        let order = pass_order(set.len(), &mut rng);
        Ok(Trainer {
            last_good: Checkpoint { model: model.clone(), optimizer: optimizer.clone(), step: 0 },
            total_steps: plan.total_steps(set.len()),
            rng,
            sums: None,
            summed_steps: 0,
            optimizer,
            model,
            device,
            set,
            order,
            cursor: 0,
            step: 0,
            round_start: 0,
            plan,
        })
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn total_steps(&self) -> usize {
        self.total_steps
    }

    pub fn steps_done(&self) -> usize {
        self.step
    }

    /// What the student learns from.
    pub fn set(&self) -> &S {
        &self.set
    }

    /// The same set with more of its examples' inputs in (a pack that arrives in parts): the
    /// examples, their order and everything learnt stay.
    pub fn set_mut(&mut self) -> &mut S {
        &mut self.set
    }

    /// The rows of the set the next step reads, while they lie within this pass's order; `None`
    /// when the next step starts a pass (its order is drawn then: any row may come).
    pub fn upcoming(&self) -> Option<&[usize]> {
        self.order.get(self.cursor..self.cursor + self.examples_per_step())
    }

    /// Examples in a step: the batch size, or the whole set when it is smaller.
    pub fn examples_per_step(&self) -> usize {
        self.plan.batch_size.min(self.set.len())
    }

    pub fn is_done(&self) -> bool {
        self.step >= self.total_steps
    }

    /// The device the network lives on (with autodiff).
    pub fn device(&self) -> &Device {
        &self.device
    }

    pub fn model(&self) -> &S::Network {
        &self.model
    }

    /// Replaces the network (imported weights); training goes on from it.
    pub fn set_model(&mut self, model: S::Network) {
        self.last_good.model = model.clone();
        self.model = model;
    }

    /// A new round of a copier's questions: `more` examples join the set and training goes on
    /// for `plan.epochs` passes over all of them, the learning rate's cosine starting again from
    /// the top; the weights and the optimiser's state carry over.
    pub fn learn_more(&mut self, more: S) {
        self.set.extend(more);
        self.round_start = self.step;
        self.total_steps = self.step + self.plan.total_steps(self.set.len());
        self.order.clear();
        self.cursor = 0;
    }

    fn learning_rate(&self) -> f64 {
        let (done, total) = (self.step.saturating_sub(self.round_start), self.total_steps - self.round_start);
        let progress = (done as f64 / total as f64).min(1.0);
        self.plan.learning_rate * 0.5 * (1.0 + (PI * progress).cos())
    }

    /// Rows of the next batch, always full (an epoch's last batch goes on into the next,
    /// reshuffled, one).
    fn next_batch(&mut self) -> Vec<usize> {
        let mut batch = Vec::with_capacity(self.examples_per_step());
        while batch.len() < self.examples_per_step() {
            if self.cursor == self.order.len() {
                self.order = pass_order(self.set.len(), &mut self.rng);
                self.cursor = 0;
            }
            batch.push(self.order[self.cursor]);
            self.cursor += 1;
        }
        batch
    }

    /// One optimiser step on the next batch. Nothing is read back: see [`Trainer::take_metrics`].
    pub fn step(&mut self) {
        let rows = self.next_batch();
        let (input, labels) = self.set.batch(&rows, &mut self.rng, &self.device);
        let teacher = self.set.targets(&rows, &self.device);
        let logits = self.model.forward(input);
        // A label per example: a row, or (a sequence task) each token learnt of a row.
        let labelled = labels.dims()[0];
        let correct = logits.clone().detach().argmax(1).equal(labels.clone().reshape([labelled, 1])).float().mean();
        let parts = distillation_loss(logits, labels, teacher, self.plan.temperature, self.plan.alpha);
        let metrics =
            Tensor::cat(vec![parts.soft.detach(), parts.hard.detach(), parts.total.clone().detach(), correct], 0);
        self.sums = Some(match self.sums.take() {
            Some(sums) => sums + metrics,
            None => metrics,
        });
        self.summed_steps += 1;
        let grads = GradientsParams::from_grads(parts.total.backward(), &self.model);
        let lr = self.learning_rate();
        self.model = self.optimizer.step(lr, self.model.clone(), grads);
        self.step += 1;
    }

    /// Waits until the device has done every step asked for so far (a read of four numbers). On
    /// WebGPU a step only queues work; this is what keeps a time slice honest.
    pub async fn settle(&self) -> Result<(), TrainError> {
        if let Some(sums) = &self.sums {
            sums.clone().into_data_async().await.map_err(|e| TrainError::read_back("the loss")(&e))?;
        }
        Ok(())
    }

    /// The mean losses and batch accuracy since the last call: one read-back. A loss that is not
    /// finite (a too-large learning rate) is an error, and the network, the optimiser and the
    /// step count go back to where they were at the last call that succeeded.
    pub async fn take_metrics(&mut self) -> Result<Metrics, TrainError> {
        let steps = std::mem::take(&mut self.summed_steps);
        let Some(sums) = self.sums.take() else {
            return Ok(Metrics { steps: 0, soft_loss: 0.0, hard_loss: 0.0, total_loss: 0.0, batch_accuracy: 0.0 });
        };
        let read = TrainError::read_back("the loss");
        let sums = sums.into_data_async().await.map_err(|e| read(&e))?.try_to_vec::<f32>().map_err(|e| read(&e))?;
        let mean: Vec<f32> = sums.into_iter().map(|v| v / steps as f32).collect();
        let metrics =
            Metrics { steps, soft_loss: mean[0], hard_loss: mean[1], total_loss: mean[2], batch_accuracy: mean[3] };
        if !metrics.total_loss.is_finite() {
            let diverged = TrainError::Diverged { step: self.step, loss: metrics.total_loss };
            let good = self.last_good.clone();
            (self.model, self.optimizer, self.step) = (good.model, good.optimizer, good.step);
            return Err(diverged);
        }
        self.last_good = Checkpoint { model: self.model.clone(), optimizer: self.optimizer.clone(), step: self.step };
        Ok(metrics)
    }

    /// One step on a copy of this student, then dropped: on a GPU the first step compiles the
    /// kernels a step runs for these shapes (seconds on a real GPU, ~8 s on a software adapter);
    /// rehearsed before the run, Start trains at full speed at once. The copy trains without
    /// dropout, so it draws nothing from the device's random generator (which every network
    /// shares) and the student's own run is the one it would have been; a student with dropout
    /// still compiles its dropout kernels on its first step.
    pub async fn rehearse_step(&self) -> Result<(), TrainError> {
        let mut copy = self.clone();
        copy.model = copy.model.without_dropout();
        copy.step();
        copy.settle().await
    }
}
