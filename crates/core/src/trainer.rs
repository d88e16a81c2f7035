//! A trainer that advances one batch per call. A step reads nothing back: its losses and batch
//! accuracy are summed on the device and read once per report ([`Trainer::take_metrics`]), since
//! on WebGPU every read-back waits for the GPU to drain. That read is also where divergence is
//! caught, and the weights roll back to the last good report. Reading and evaluating are `async`
//! because the only way to read a tensor back on WebGPU in wasm is to await it; natively any
//! executor (e.g. `pollster::block_on`) drives them.

use crate::batch::pixels;
use crate::error::TrainError;
use crate::loss::distillation_loss;
use crate::metrics::Evaluation;
use crate::model::Network;
use crate::rng::Rng;
use crate::targets::TransferSet;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use distill_spec::{Architecture, TrainConfig, CLASSES, PIXELS};
use std::collections::HashMap;
use std::f64::consts::PI;
use std::sync::Arc;

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

/// A model and its optimiser as they were at the last finite metrics (images' and words' trainers).
#[derive(Clone)]
pub(crate) struct Checkpoint<M> {
    pub model: M,
    pub optimizer: ModuleOptimizer,
    pub step: usize,
}

impl<M: Clone> Checkpoint<M> {
    /// The trainer's state is kept as the last good one when `total_loss` is finite; otherwise it
    /// goes back to the last good one, and the error says the run diverged.
    pub(crate) fn judge(
        &mut self,
        (model, optimizer, step): (&mut M, &mut ModuleOptimizer, &mut usize),
        total_loss: f32,
    ) -> Result<(), TrainError> {
        if !total_loss.is_finite() {
            let diverged = TrainError::Diverged { step: *step, loss: total_loss };
            let good = self.clone();
            (*model, *optimizer, *step) = (good.model, good.optimizer, good.step);
            return Err(diverged);
        }
        *self = Checkpoint { model: model.clone(), optimizer: optimizer.clone(), step: *step };
        Ok(())
    }
}

/// The means over `steps` of metrics summed on the device: one read-back.
pub(crate) async fn read_means(sums: Tensor<1>, steps: usize) -> Result<Vec<f32>, TrainError> {
    let read = TrainError::read_back("the loss");
    let values = sums.into_data_async().await.map_err(|e| read(&e))?.try_to_vec::<f32>().map_err(|e| read(&e))?;
    Ok(values.into_iter().map(|v| v / steps as f32).collect())
}

/// A labelled set to evaluate on, with the teacher's predictions for the agreement metric.
#[derive(Debug, Clone)]
pub struct EvalSet {
    pub images: Arc<Vec<u8>>,
    pub labels: Vec<u8>,
    pub teacher_predictions: Option<Vec<u8>>,
}

#[derive(Clone)]
pub struct Trainer {
    pub config: TrainConfig,
    model: Network,
    optimizer: ModuleOptimizer,
    device: Device,
    images: Arc<Vec<u8>>,
    transfer: TransferSet,
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
    last_good: Checkpoint<Network>,
}

impl Trainer {
    /// A fresh network, initialised from `config.seed`, that will learn from `transfer`
    /// (positions into `images`, the training split's pixels).
    pub fn new(
        config: TrainConfig,
        images: Arc<Vec<u8>>,
        transfer: TransferSet,
        device: &Device,
    ) -> Result<Self, TrainError> {
        config.validate()?;
        if transfer.is_empty() {
            return Err(TrainError::NoExamples);
        }
        let device = device.clone().autodiff();
        let model = Network::seeded(&config.architecture, config.dropout, config.seed, &device);
        let total_steps = config.total_steps(transfer.len());
        let optimizer = AdamConfig::new().init();
        Ok(Trainer {
            last_good: Checkpoint { model: model.clone(), optimizer: optimizer.clone(), step: 0 },
            sums: None,
            summed_steps: 0,
            optimizer,
            model,
            device,
            images,
            order: Vec::new(),
            cursor: 0,
            step: 0,
            round_start: 0,
            total_steps,
            rng: Rng::new(config.seed),
            transfer,
            config,
        })
    }

    pub fn total_steps(&self) -> usize {
        self.total_steps
    }

    pub fn steps_done(&self) -> usize {
        self.step
    }

    /// Size of the transfer set (the examples this student may learn from).
    pub fn transfer_examples(&self) -> usize {
        self.transfer.len()
    }

    pub fn is_done(&self) -> bool {
        self.step >= self.total_steps
    }

    /// The device the network lives on (with autodiff).
    pub fn device(&self) -> &Device {
        &self.device
    }

    pub fn model(&self) -> &Network {
        &self.model
    }

    /// The network's weights as a safetensors file ([`crate::weights`]).
    pub async fn export_weights(&self, metadata: HashMap<String, String>) -> Result<Vec<u8>, TrainError> {
        crate::weights::export(&self.model, &self.config.architecture, metadata).await
    }

    /// Replaces the network's weights with a file from [`Trainer::export_weights`]; on a refusal
    /// the network is left as it was.
    pub fn import_weights(&mut self, bytes: &[u8]) -> Result<(), TrainError> {
        self.model = crate::weights::import(self.model.clone(), &self.config.architecture, bytes)?;
        self.last_good.model = self.model.clone();
        Ok(())
    }

    /// A new round of a copier's questions: `more` examples join the transfer set and training
    /// goes on for `config.epochs` passes over all of them, the learning rate's cosine starting
    /// again from the top; the weights and the optimiser's state carry over.
    pub fn learn_more(&mut self, more: TransferSet) {
        self.transfer.extend(more);
        self.round_start = self.step;
        self.total_steps = self.step + self.config.total_steps(self.transfer.len());
        self.order.clear();
        self.cursor = 0;
    }

    fn learning_rate(&self) -> f64 {
        let (done, total) = (self.step.saturating_sub(self.round_start), self.total_steps - self.round_start);
        let progress = (done as f64 / total as f64).min(1.0);
        self.config.learning_rate * 0.5 * (1.0 + (PI * progress).cos())
    }

    /// Positions (into the transfer set) of the next batch; reshuffled every epoch.
    fn next_batch(&mut self) -> Vec<usize> {
        let mut batch = Vec::with_capacity(self.config.batch_size);
        while batch.len() < self.config.batch_size.min(self.transfer.len()) {
            if self.cursor == self.order.len() {
                self.order = (0..self.transfer.len()).collect();
                self.rng.shuffle(&mut self.order);
                self.cursor = 0;
            }
            batch.push(self.order[self.cursor]);
            self.cursor += 1;
        }
        batch
    }

    /// One optimiser step on the next batch. Nothing is read back: see [`Trainer::take_metrics`].
    pub fn step(&mut self) {
        let batch = self.next_batch();
        let n = batch.len();
        let image_indices: Vec<usize> = batch.iter().map(|&b| self.transfer.indices[b]).collect();
        let x = pixels(&self.images, &image_indices, self.config.jitter, &mut self.rng);
        let x = Tensor::<2>::from_data(TensorData::new(x, [n, PIXELS]), &self.device);
        let labels: Vec<i64> = batch.iter().map(|&b| self.transfer.labels[b] as i64).collect();
        let labels = Tensor::<1, Int>::from_data(TensorData::new(labels, [n]), &self.device);
        let teacher = (!self.transfer.targets.is_empty()).then(|| {
            let rows: Vec<f32> =
                batch.iter().flat_map(|&b| &self.transfer.targets[b * CLASSES..(b + 1) * CLASSES]).copied().collect();
            Tensor::<2>::from_data(TensorData::new(rows, [n, CLASSES]), &self.device)
        });

        let logits = self.model.forward(x);
        let correct = logits.clone().detach().argmax(1).equal(labels.clone().reshape([n, 1])).float().mean();
        let parts = distillation_loss(logits, labels, teacher, self.config.target_temperature(), self.config.alpha);
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
        let mean = read_means(sums, steps).await?;
        let metrics =
            Metrics { steps, soft_loss: mean[0], hard_loss: mean[1], total_loss: mean[2], batch_accuracy: mean[3] };
        self.last_good.judge((&mut self.model, &mut self.optimizer, &mut self.step), metrics.total_loss)?;
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

    /// Scoring's part of a rehearsal: the logits of the first chunk of `images` (scoring runs in
    /// chunks of one size, [`Architecture::eval_chunk`]; a smaller last chunk is not rehearsed).
    pub async fn rehearse_scoring(&self, images: &[u8]) -> Result<(), TrainError> {
        let rows = self.config.architecture.eval_chunk().min(images.len() / PIXELS);
        predict_logits(&self.model, &self.config.architecture, &images[..rows * PIXELS], &self.device).await.map(|_| ())
    }

    /// Scores the current network (dropout off) on `set`.
    pub async fn evaluate(&self, set: &EvalSet) -> Result<Evaluation, TrainError> {
        let logits = predict_logits(&self.model, &self.config.architecture, &set.images, &self.device).await?;
        Ok(Evaluation::from_logits(&logits, &set.labels, set.teacher_predictions.as_deref()))
    }
}

/// Logits [N,10] of `model` (in inference mode, shaped `architecture`) for all images, computed
/// in chunks that fit the memory bound ([`Architecture::eval_chunk`]).
pub async fn predict_logits(
    model: &Network,
    architecture: &Architecture,
    images: &[u8],
    device: &Device,
) -> Result<Vec<f32>, TrainError> {
    let chunk = architecture.eval_chunk();
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let count = images.len() / PIXELS;
    let mut out = Vec::with_capacity(count * CLASSES);
    for start in (0..count).step_by(chunk) {
        let indices: Vec<usize> = (start..(start + chunk).min(count)).collect();
        let x = pixels(images, &indices, 0, &mut Rng::new(0));
        let x = Tensor::<2>::from_data(TensorData::new(x, [indices.len(), PIXELS]), &device);
        let data = model.forward(x).into_data_async().await.map_err(|e| TrainError::read_back("logits")(&e))?;
        out.extend(data.try_to_vec::<f32>().map_err(|e| TrainError::read_back("logits")(&e))?);
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use distill_spec::{Mode, SIDE};

    /// Images whose class is the row that is lit: learnable in a few steps.
    pub(crate) fn striped(n: usize) -> (Arc<Vec<u8>>, Vec<u8>) {
        let mut images = vec![0u8; n * PIXELS];
        let labels: Vec<u8> = (0..n).map(|i| (i % CLASSES) as u8).collect();
        for (i, &l) in labels.iter().enumerate() {
            let row = 2 + 2 * l as usize;
            images[i * PIXELS + row * SIDE..i * PIXELS + (row + 1) * SIDE].fill(255);
        }
        (Arc::new(images), labels)
    }

    pub(crate) fn config(learning_rate: f64) -> TrainConfig {
        TrainConfig {
            architecture: "mlp:16".parse().unwrap(),
            mode: Mode::LabelsOnly,
            temperature: 1.0,
            alpha: 0.0,
            learning_rate,
            batch_size: 20,
            epochs: 10.0,
            dropout: 0.0,
            jitter: 0,
            budget: None,
            excluded_class: None,
            seed: 3,
            queries: None,
            defence: Default::default(),
        }
    }

    #[test]
    fn learns_and_is_reproducible() {
        let (images, labels) = striped(100);
        let run = || {
            let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
            let mut trainer = Trainer::new(config(1e-2), images.clone(), transfer, &Device::flex()).unwrap();
            let mut losses = Vec::new();
            while !trainer.is_done() {
                trainer.step();
                losses.push(pollster::block_on(trainer.take_metrics()).unwrap().total_loss);
            }
            let set = EvalSet { images: images.clone(), labels: labels.clone(), teacher_predictions: None };
            (losses, pollster::block_on(trainer.evaluate(&set)).unwrap())
        };
        let (losses, eval) = run();
        assert_eq!(losses.len(), 50);
        assert!(losses[49] < losses[0] / 4.0, "{losses:?}");
        assert_eq!(eval.errors, 0);
        assert_eq!(run().0, losses, "same seed, same curve");
    }

    #[test]
    fn trained_weights_survive_export_and_import_into_a_fresh_trainer() {
        let (images, labels) = striped(100);
        let set = EvalSet { images: images.clone(), labels: labels.clone(), teacher_predictions: None };
        let trainer = |seed| {
            let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
            Trainer::new(TrainConfig { seed, ..config(1e-2) }, images.clone(), transfer, &Device::flex()).unwrap()
        };
        let mut trained = trainer(3);
        for _ in 0..20 {
            trained.step();
        }
        let bytes = pollster::block_on(trained.export_weights(HashMap::new())).unwrap();
        let mut fresh = trainer(4);
        let logits = |t: &Trainer| {
            pollster::block_on(predict_logits(t.model(), &t.config.architecture, &images, &Device::flex())).unwrap()
        };
        assert_ne!(logits(&fresh), logits(&trained));
        fresh.import_weights(&bytes).unwrap();
        assert_eq!(logits(&fresh), logits(&trained));
        let accuracy = |t: &Trainer| pollster::block_on(t.evaluate(&set)).unwrap().accuracy();
        assert_eq!(accuracy(&fresh), accuracy(&trained));
        fresh.step();
        assert!(pollster::block_on(fresh.take_metrics()).is_ok(), "an imported network keeps training");
    }

    #[test]
    fn bad_settings_and_divergence_are_reported_not_hidden() {
        let (images, labels) = striped(100);
        let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
        let mut trainer = Trainer::new(config(1e30), images.clone(), transfer, &Device::flex()).unwrap();
        let first =
            pollster::block_on(predict_logits(trainer.model(), &trainer.config.architecture, &images, &Device::flex()))
                .unwrap();
        for _ in 0..50 {
            trainer.step();
        }
        let err = pollster::block_on(trainer.take_metrics()).expect_err("a learning rate of 1e30 diverges");
        assert!(matches!(err, TrainError::Diverged { step: 50, .. }), "{err}");
        assert!(err.to_string().contains("lower the learning rate"), "{err}");
        assert_eq!(trainer.steps_done(), 0, "back to the last good weights: the first ones");
        let logits =
            pollster::block_on(predict_logits(trainer.model(), &trainer.config.architecture, &images, &Device::flex()))
                .unwrap();
        assert_eq!(logits, first);

        let cold = TrainConfig { temperature: 0.0, ..config(1e-2) };
        let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
        let err = Trainer::new(cold, images.clone(), transfer, &Device::flex()).err().unwrap();
        assert_eq!(err, TrainError::Config(distill_spec::ConfigError::Temperature));

        let nothing = TransferSet::build(&TrainConfig { budget: Some(0), ..config(1e-2) }, &labels, &[]);
        let err = Trainer::new(config(1e-2), images, nothing, &Device::flex()).err().unwrap();
        assert!(err.to_string().contains("raise the query budget"), "{err}");
    }
}
