//! One experiment: the distilled student and the same student on labels alone, stepped in turns
//! on the same examples, and scored together on the test split at fixed steps.
//! Backend-generic: the worker runs it on WebGPU or the CPU, the tests on burn's CPU backend.

use crate::pack_data::PackData;
use crate::settings::Settings;
use burn::prelude::*;
use distill_core::metrics::Evaluation;
use distill_core::trainer::predict_logits;
use distill_core::{StepReport, Trainer, TransferSet};
use serde::{Deserialize, Serialize};

/// About this many test evaluations per run: enough points for smooth curves, few enough that
/// scoring costs little next to training.
const REPORTS_PER_RUN: usize = 50;

/// How one student is doing, averaged over the steps since the previous report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentReport {
    pub soft_loss: f32,
    pub hard_loss: f32,
    pub total_loss: f32,
    /// Mean batch accuracy on the transfer set's true labels since the previous report.
    pub train_accuracy: f32,
    pub test_accuracy: f64,
    /// Fraction of test images on which the student predicts what the teacher predicts.
    pub agreement: f64,
    pub per_class_accuracy: Vec<f64>,
    /// `confusion[true][predicted]`.
    pub confusion: Vec<Vec<u32>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub step: usize,
    pub total_steps: usize,
    /// Training examples each student has processed so far.
    pub examples_seen: usize,
    pub distilled: StudentReport,
    pub baseline: StudentReport,
    /// Training examples per second of both students together since the previous report,
    /// evaluation included; measured by whoever owns a clock (the worker), 0 otherwise.
    pub examples_per_second: f64,
}

/// Sums of step reports since the last evaluation.
#[derive(Default)]
struct Sums {
    steps: usize,
    soft: f32,
    hard: f32,
    total: f32,
    accuracy: f32,
}

impl Sums {
    fn add(&mut self, r: &StepReport) {
        self.steps += 1;
        self.soft += r.soft_loss;
        self.hard += r.hard_loss;
        self.total += r.total_loss;
        self.accuracy += r.batch_accuracy;
    }

    fn report(&mut self, eval: &Evaluation) -> StudentReport {
        let n = self.steps.max(1) as f32;
        let report = StudentReport {
            soft_loss: self.soft / n,
            hard_loss: self.hard / n,
            total_loss: self.total / n,
            train_accuracy: self.accuracy / n,
            test_accuracy: eval.accuracy(),
            agreement: eval.agreement.unwrap_or(f64::NAN),
            per_class_accuracy: eval.per_class_accuracy().to_vec(),
            confusion: eval.confusion.iter().map(|row| row.to_vec()).collect(),
        };
        *self = Sums::default();
        report
    }
}

pub struct Session {
    distilled: Trainer,
    baseline: Trainer,
    distilled_sums: Sums,
    baseline_sums: Sums,
    report_every: usize,
    examples_seen: usize,
    device: Device,
    pub transfer_examples: usize,
}

impl Session {
    /// Both students from the same seed, on the same `settings.budget` examples of the pack.
    pub fn new(settings: &Settings, data: &PackData, device: &Device) -> Result<Session, String> {
        let baseline = student(&settings.labels_only(), data, device)?;
        let distilled = student(settings, data, device)?;
        let transfer_examples = distilled.transfer_examples();
        let report_every = distilled.total_steps().div_ceil(REPORTS_PER_RUN).max(1);
        Ok(Session {
            distilled,
            baseline,
            distilled_sums: Sums::default(),
            baseline_sums: Sums::default(),
            report_every,
            examples_seen: 0,
            device: device.clone(),
            transfer_examples,
        })
    }

    pub fn total_steps(&self) -> usize {
        self.distilled.total_steps()
    }

    pub fn steps_done(&self) -> usize {
        self.distilled.steps_done()
    }

    pub fn batch_size(&self) -> usize {
        self.distilled.config.batch_size
    }

    pub fn is_done(&self) -> bool {
        self.distilled.is_done()
    }

    /// One step of each student; a [`Report`] (with a test evaluation) every few steps and
    /// after the last one.
    pub async fn step(&mut self, test: &distill_core::EvalSet) -> Result<Option<Report>, String> {
        if self.is_done() {
            return Ok(None);
        }
        let b = self.baseline.step().await?;
        let d = self.distilled.step().await?;
        self.baseline_sums.add(&b);
        self.distilled_sums.add(&d);
        self.examples_seen = d.examples_seen;
        if d.step % self.report_every == 0 || self.is_done() {
            return Ok(Some(self.report(test).await?));
        }
        Ok(None)
    }

    /// Scores both students now; the losses are averaged over the steps since the last report.
    pub async fn report(&mut self, test: &distill_core::EvalSet) -> Result<Report, String> {
        let distilled = self.distilled.evaluate(test).await?;
        let baseline = self.baseline.evaluate(test).await?;
        Ok(Report {
            step: self.steps_done(),
            total_steps: self.total_steps(),
            examples_seen: self.examples_seen,
            distilled: self.distilled_sums.report(&distilled),
            baseline: self.baseline_sums.report(&baseline),
            examples_per_second: 0.0,
        })
    }

    /// The distilled student's weights as a safetensors file.
    pub async fn export_weights(&self) -> Result<Vec<u8>, String> {
        self.distilled.export_weights().await
    }

    /// Loads weights (from [`Session::export_weights`]) into the distilled student.
    pub fn import_weights(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.distilled.import_weights(bytes)
    }

    /// Both students' logits for `images` (flat 28×28 rows: one image or the whole test split).
    pub async fn logits(&self, images: &[u8]) -> Result<(Vec<f32>, Vec<f32>), String> {
        let distilled = predict_logits(self.distilled.model(), images, &self.device).await?;
        let baseline = predict_logits(self.baseline.model(), images, &self.device).await?;
        Ok((distilled, baseline))
    }
}

/// One student learning from `settings.budget` examples of the pack (minus the excluded class),
/// with the targets `settings.mode` allows.
pub fn student(settings: &Settings, data: &PackData, device: &Device) -> Result<Trainer, String> {
    let config = settings.train_config()?;
    let transfer = TransferSet::build(
        &data.train_labels,
        &data.train_logits,
        config.mode,
        config.temperature,
        Some(settings.budget),
        settings.excluded_class,
        config.seed,
    );
    Trainer::new(config, data.train_images.clone(), transfer, device)
}
