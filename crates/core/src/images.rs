//! The image task's part of training: its students ([`Network`]) learn from a [`TransferSet`] of
//! 28×28 images ([`ImageSet`]) through the shared [`Trainer`], and are scored on a labelled set
//! ([`evaluate`]).

use crate::batch::pixels;
use crate::error::TrainError;
use crate::metrics::Evaluation;
use crate::model::Network;
use crate::rng::Rng;
use crate::targets::TransferSet;
use crate::trainer::{Plan, StudentNetwork, Trainer, TrainingSet};
use burn::prelude::*;
use distill_spec::{Architecture, TrainConfig, CLASSES, PIXELS};
use std::sync::Arc;

/// The images a student learns from: positions into the training split's pixels, with their
/// labels and the teacher's answers ([`TransferSet`]), shifted by up to `jitter` pixels.
#[derive(Debug, Clone)]
pub struct ImageSet {
    pub images: Arc<Vec<u8>>,
    pub transfer: TransferSet,
    pub jitter: usize,
}

impl ImageSet {
    /// Other examples of the same images (a copier's next round, for [`Trainer::learn_more`]).
    pub fn with(&self, transfer: TransferSet) -> ImageSet {
        ImageSet { images: self.images.clone(), transfer, jitter: self.jitter }
    }
}

impl StudentNetwork for Network {
    type Input = Tensor<2>;

    fn forward(&self, images: Tensor<2>) -> Tensor<2> {
        Network::forward(self, images)
    }

    fn without_dropout(self) -> Self {
        Network::without_dropout(self)
    }
}

impl TrainingSet for ImageSet {
    type Network = Network;

    fn len(&self) -> usize {
        self.transfer.len()
    }

    fn batch(&self, rows: &[usize], rng: &mut Rng, device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
        let n = rows.len();
        let indices: Vec<usize> = rows.iter().map(|&r| self.transfer.indices[r]).collect();
        let x = pixels(&self.images, &indices, self.jitter, rng);
        let labels: Vec<i64> = rows.iter().map(|&r| self.transfer.labels[r] as i64).collect();
        (
            Tensor::from_data(TensorData::new(x, [n, PIXELS]), device),
            Tensor::from_data(TensorData::new(labels, [n]), device),
        )
    }

    fn targets(&self, rows: &[usize], device: &Device) -> Option<Tensor<2>> {
        let targets = &self.transfer.targets;
        (!targets.is_empty()).then(|| {
            let picked: Vec<f32> =
                rows.iter().flat_map(|&r| &targets[r * CLASSES..(r + 1) * CLASSES]).copied().collect();
            Tensor::from_data(TensorData::new(picked, [rows.len(), CLASSES]), device)
        })
    }

    fn extend(&mut self, more: ImageSet) {
        self.transfer.extend(more.transfer);
    }
}

/// A student of `config` (a fresh network drawn from `config.seed`) that will learn `transfer`
/// (positions into `images`, the training split's pixels); refused when `config` cannot train.
pub fn trainer(
    config: &TrainConfig,
    images: Arc<Vec<u8>>,
    transfer: TransferSet,
    device: &Device,
) -> Result<Trainer<ImageSet>, TrainError> {
    config.validate()?;
    let set = ImageSet { images, transfer, jitter: config.jitter };
    Trainer::new(set, Plan::of(config), device, |device| {
        Network::seeded(&config.architecture, config.dropout, config.seed, device)
    })
}

/// A labelled set to evaluate on, with the teacher's predictions for the agreement metric.
#[derive(Debug, Clone)]
pub struct EvalSet {
    pub images: Arc<Vec<u8>>,
    pub labels: Vec<u8>,
    pub teacher_predictions: Option<Vec<u8>>,
}

/// Scores `model` (shaped `architecture`, dropout off) on `set`.
pub async fn evaluate(
    model: &Network,
    architecture: &Architecture,
    set: &EvalSet,
    device: &Device,
) -> Result<Evaluation, TrainError> {
    let logits = predict_logits(model, architecture, &set.images, device).await?;
    Ok(Evaluation::from_logits(&logits, &set.labels, set.teacher_predictions.as_deref()))
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

/// Scoring's part of a rehearsal (see [`Trainer::rehearse_step`]): the logits of the first chunk
/// of `images` (scoring runs in chunks of one size, [`Architecture::eval_chunk`]; a smaller last
/// chunk is not rehearsed).
pub async fn rehearse_scoring(
    model: &Network,
    architecture: &Architecture,
    images: &[u8],
    device: &Device,
) -> Result<(), TrainError> {
    let rows = architecture.eval_chunk().min(images.len() / PIXELS);
    predict_logits(model, architecture, &images[..rows * PIXELS], device).await.map(|_| ())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use distill_spec::{Mode, SIDE};
    use std::collections::HashMap;

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

    fn logits_of(trainer: &Trainer<ImageSet>, images: &[u8]) -> Vec<f32> {
        let architecture = config(1e-2).architecture;
        pollster::block_on(predict_logits(trainer.model(), &architecture, images, &Device::flex())).unwrap()
    }

    #[test]
    fn learns_and_is_reproducible() {
        let (images, labels) = striped(100);
        let run = || {
            let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
            let mut trainer = trainer(&config(1e-2), images.clone(), transfer, &Device::flex()).unwrap();
            let mut losses = Vec::new();
            while !trainer.is_done() {
                trainer.step();
                losses.push(pollster::block_on(trainer.take_metrics()).unwrap().total_loss);
            }
            let set = EvalSet { images: images.clone(), labels: labels.clone(), teacher_predictions: None };
            let architecture = config(1e-2).architecture;
            (losses, pollster::block_on(evaluate(trainer.model(), &architecture, &set, &Device::flex())).unwrap())
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
        let architecture = config(1e-2).architecture;
        let student = |seed| {
            let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
            trainer(&TrainConfig { seed, ..config(1e-2) }, images.clone(), transfer, &Device::flex()).unwrap()
        };
        let mut trained = student(3);
        for _ in 0..20 {
            trained.step();
        }
        let bytes = pollster::block_on(crate::weights::export(trained.model(), &architecture, HashMap::new())).unwrap();
        let mut fresh = student(4);
        assert_ne!(logits_of(&fresh, &images), logits_of(&trained, &images));
        fresh.set_model(crate::weights::import(fresh.model().clone(), &architecture, &bytes).unwrap());
        assert_eq!(logits_of(&fresh, &images), logits_of(&trained, &images));
        fresh.step();
        assert!(pollster::block_on(fresh.take_metrics()).is_ok(), "an imported network keeps training");
    }

    #[test]
    fn bad_settings_and_divergence_are_reported_not_hidden() {
        let (images, labels) = striped(100);
        let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
        let mut student = trainer(&config(1e30), images.clone(), transfer, &Device::flex()).unwrap();
        let first = logits_of(&student, &images);
        for _ in 0..50 {
            student.step();
        }
        let err = pollster::block_on(student.take_metrics()).expect_err("a learning rate of 1e30 diverges");
        assert!(matches!(err, TrainError::Diverged { step: 50, .. }), "{err}");
        assert!(err.to_string().contains("lower the learning rate"), "{err}");
        assert_eq!(student.steps_done(), 0, "back to the last good weights: the first ones");
        assert_eq!(logits_of(&student, &images), first);

        let cold = TrainConfig { temperature: 0.0, ..config(1e-2) };
        let transfer = TransferSet::build(&config(1e-2), &labels, &[]);
        let err = trainer(&cold, images.clone(), transfer, &Device::flex()).err().unwrap();
        assert_eq!(err, TrainError::Config(distill_spec::ConfigError::Temperature));

        let nothing = TransferSet::build(&TrainConfig { budget: Some(0), ..config(1e-2) }, &labels, &[]);
        let err = trainer(&config(1e-2), images, nothing, &Device::flex()).err().unwrap();
        assert!(err.to_string().contains("raise the query budget"), "{err}");
    }
}
