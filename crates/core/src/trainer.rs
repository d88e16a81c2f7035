//! A trainer that advances one batch per call. `step` and `evaluate` are `async` because the
//! only way to read a tensor back on WebGPU in wasm is to await it; natively any executor
//! (e.g. `pollster::block_on`) drives them.

use crate::batch::pixels;
use crate::error::TrainError;
use crate::loss::distillation_loss;
use crate::metrics::Evaluation;
use crate::model::Network;
use crate::rng::Rng;
use crate::targets::TransferSet;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use distill_spec::{TrainConfig, CLASSES, PIXELS};
use std::f64::consts::PI;
use std::sync::Arc;

/// What one step did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepReport {
    pub step: usize,
    pub soft_loss: f32,
    pub hard_loss: f32,
    pub total_loss: f32,
    /// Accuracy on this batch's true labels, before the update.
    pub batch_accuracy: f32,
    pub examples_seen: usize,
}

/// A labelled set to evaluate on, with the teacher's predictions for the agreement metric.
#[derive(Debug, Clone)]
pub struct EvalSet {
    pub images: Arc<Vec<u8>>,
    pub labels: Vec<u8>,
    pub teacher_predictions: Option<Vec<u8>>,
}

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
    total_steps: usize,
    rng: Rng,
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
        Ok(Trainer {
            optimizer: AdamConfig::new().init(),
            model,
            device,
            images,
            order: Vec::new(),
            cursor: 0,
            step: 0,
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
    pub async fn export_weights(&self) -> Result<Vec<u8>, TrainError> {
        crate::weights::export(&self.model, &self.config.architecture).await
    }

    /// Replaces the network's weights with a file from [`Trainer::export_weights`]; on a refusal
    /// the network is left as it was.
    pub fn import_weights(&mut self, bytes: &[u8]) -> Result<(), TrainError> {
        self.model = crate::weights::import(self.model.clone(), &self.config.architecture, bytes)?;
        Ok(())
    }

    fn learning_rate(&self) -> f64 {
        let progress = (self.step as f64 / self.total_steps as f64).min(1.0);
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

    /// One optimiser step on the next batch. Fails (and leaves the model as it was) when the
    /// loss is not finite, which a too-large learning rate causes.
    pub async fn step(&mut self) -> Result<StepReport, TrainError> {
        let batch = self.next_batch();
        let n = batch.len();
        let image_indices: Vec<usize> = batch.iter().map(|&b| self.transfer.indices[b]).collect();
        let x = pixels(&self.images, &image_indices, self.config.jitter, &mut self.rng);
        let x = Tensor::<2>::from_data(TensorData::new(x, [n, PIXELS]), &self.device);
        let batch_labels: Vec<u8> = batch.iter().map(|&b| self.transfer.labels[b]).collect();
        let labels: Vec<i64> = batch_labels.iter().map(|&l| l as i64).collect();
        let labels = Tensor::<1, Int>::from_data(TensorData::new(labels, [n]), &self.device);
        let teacher = (!self.transfer.targets.is_empty()).then(|| {
            let rows: Vec<f32> =
                batch.iter().flat_map(|&b| &self.transfer.targets[b * CLASSES..(b + 1) * CLASSES]).copied().collect();
            Tensor::<2>::from_data(TensorData::new(rows, [n, CLASSES]), &self.device)
        });

        let logits = self.model.forward(x);
        let parts =
            distillation_loss(logits.clone(), labels, teacher, self.config.target_temperature(), self.config.alpha);
        // One read-back per step: the three loss parts and the batch's logits.
        let readout = Tensor::cat(
            vec![parts.soft.clone(), parts.hard.clone(), parts.total.clone(), logits.detach().reshape([n * CLASSES])],
            0,
        );
        let values = readout
            .into_data_async()
            .await
            .map_err(|e| TrainError::read_back("the loss")(&e))?
            .try_to_vec::<f32>()
            .map_err(|e| TrainError::read_back("the loss")(&e))?;
        let (soft_loss, hard_loss, total_loss) = (values[0], values[1], values[2]);
        if !total_loss.is_finite() {
            return Err(TrainError::Diverged { step: self.step + 1, loss: total_loss });
        }
        let grads = GradientsParams::from_grads(parts.total.backward(), &self.model);
        let lr = self.learning_rate();
        self.model = self.optimizer.step(lr, self.model.clone(), grads);
        self.step += 1;

        let batch_eval = Evaluation::from_logits(&values[3..], &batch_labels, None);
        Ok(StepReport {
            step: self.step,
            soft_loss,
            hard_loss,
            total_loss,
            batch_accuracy: batch_eval.accuracy() as f32,
            examples_seen: self.step * n,
        })
    }

    /// Scores the current network (dropout off) on `set`.
    pub async fn evaluate(&self, set: &EvalSet) -> Result<Evaluation, TrainError> {
        let logits = predict_logits(&self.model, &set.images, &self.device).await?;
        Ok(Evaluation::from_logits(&logits, &set.labels, set.teacher_predictions.as_deref()))
    }
}

/// Logits [N,10] of `model` (in inference mode) for all images, computed in chunks.
pub async fn predict_logits(model: &Network, images: &[u8], device: &Device) -> Result<Vec<f32>, TrainError> {
    const CHUNK: usize = 500;
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let count = images.len() / PIXELS;
    let mut out = Vec::with_capacity(count * CLASSES);
    for start in (0..count).step_by(CHUNK) {
        let indices: Vec<usize> = (start..(start + CHUNK).min(count)).collect();
        let x = pixels(images, &indices, 0, &mut Rng::new(0));
        let x = Tensor::<2>::from_data(TensorData::new(x, [indices.len(), PIXELS]), &device);
        let data = model.forward(x).into_data_async().await.map_err(|e| TrainError::read_back("logits")(&e))?;
        out.extend(data.try_to_vec::<f32>().map_err(|e| TrainError::read_back("logits")(&e))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_spec::{Mode, SIDE};

    /// Images whose class is the row that is lit: learnable in a few steps.
    fn striped(n: usize) -> (Arc<Vec<u8>>, Vec<u8>) {
        let mut images = vec![0u8; n * PIXELS];
        let labels: Vec<u8> = (0..n).map(|i| (i % CLASSES) as u8).collect();
        for (i, &l) in labels.iter().enumerate() {
            let row = 2 + 2 * l as usize;
            images[i * PIXELS + row * SIDE..i * PIXELS + (row + 1) * SIDE].fill(255);
        }
        (Arc::new(images), labels)
    }

    fn config(learning_rate: f64) -> TrainConfig {
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
                losses.push(pollster::block_on(trainer.step()).unwrap().total_loss);
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
            pollster::block_on(trained.step()).unwrap();
        }
        let bytes = pollster::block_on(trained.export_weights()).unwrap();
        let mut fresh = trainer(4);
        let logits = |t: &Trainer| pollster::block_on(predict_logits(t.model(), &images, &Device::flex())).unwrap();
        assert_ne!(logits(&fresh), logits(&trained));
        fresh.import_weights(&bytes).unwrap();
        assert_eq!(logits(&fresh), logits(&trained));
        let accuracy = |t: &Trainer| pollster::block_on(t.evaluate(&set)).unwrap().accuracy();
        assert_eq!(accuracy(&fresh), accuracy(&trained));
        pollster::block_on(fresh.step()).expect("an imported network keeps training");
    }

    #[test]
    fn bad_settings_and_divergence_are_reported_not_hidden() {
        let (images, labels) = striped(100);
        let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
        let mut trainer = Trainer::new(config(1e30), images.clone(), transfer, &Device::flex()).unwrap();
        let err =
            (0..50).find_map(|_| pollster::block_on(trainer.step()).err()).expect("a learning rate of 1e30 diverges");
        assert!(matches!(err, TrainError::Diverged { .. }), "{err}");
        assert!(err.to_string().contains("lower the learning rate"), "{err}");

        let cold = TrainConfig { temperature: 0.0, ..config(1e-2) };
        let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
        let err = Trainer::new(cold, images.clone(), transfer, &Device::flex()).err().unwrap();
        assert_eq!(err, TrainError::Config(distill_spec::ConfigError::Temperature));

        let nothing = TransferSet::build(&TrainConfig { budget: Some(0), ..config(1e-2) }, &labels, &[]);
        let err = Trainer::new(config(1e-2), images, nothing, &Device::flex()).err().unwrap();
        assert!(err.to_string().contains("raise the query budget"), "{err}");
    }
}
