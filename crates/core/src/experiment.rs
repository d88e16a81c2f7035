//! The comparison at the heart of the playground: the same student, same seed, same examples,
//! trained once on labels alone and once from the teacher ([`compare`]); and the same for a
//! copier that asks in rounds, scored after each ([`campaign`]).

use crate::error::TrainError;
use crate::images::{self, evaluate, predict_logits, EvalSet, ImageSet};
use crate::metrics::Evaluation;
use crate::queries::Questioner;
use crate::targets::TransferSet;
use crate::trainer::{Trainer, TrainingSet};
use burn::prelude::*;
use distill_spec::{QueryRounds, TrainConfig, PIXELS};
#[cfg(not(target_arch = "wasm32"))]
use pollster::block_on;
use std::sync::Arc;

/// The training split as the student may see it.
pub struct TrainingData<'a> {
    pub images: Arc<Vec<u8>>,
    pub labels: &'a [u8],
    /// Teacher logits [N,10] for every training example.
    pub teacher_logits: &'a [f32],
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub baseline: Evaluation,
    pub distilled: Evaluation,
    pub transfer_examples: usize,
}

/// Trains `config.mode` and the labels-only baseline to the end of `config.epochs` and
/// evaluates both on `test`. The baseline differs only in its mode.
///
/// Natively the two students train side by side, each on half of the cores (a thread pool of its
/// own, which burn's CPU backend splits its matrix products over), and each comes out exactly as
/// it would alone. Why: that backend runs an element-wise op (activations, loss, every one of
/// Adam's updates) on one core below 4 M elements, so one 800-800 student alone keeps only ~1.4
/// of 2 cores busy; sharing one pool, two students kept ~1.75; on a core each, both (the book's
/// "Size and speed"). In the page each student has a worker of its own, for the same reason.
pub async fn compare(
    config: &TrainConfig,
    data: &TrainingData<'_>,
    test: &EvalSet,
    device: &Device,
) -> Result<Comparison, TrainError> {
    let baseline_config = config.labels_only();
    #[cfg(not(target_arch = "wasm32"))]
    let (baseline, distilled) = {
        let half = std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1));
        let on_half = |config: &TrainConfig| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(half)
                .build()
                .map_err(|e| TrainError::Threads(e.to_string()))?;
            pool.install(|| block_on(train_and_evaluate(config, data, test, device)))
        };
        std::thread::scope(|scope| {
            let baseline = scope.spawn(|| on_half(&baseline_config));
            let distilled = on_half(config);
            (baseline.join().expect("the baseline student's thread panicked"), distilled)
        })
    };
    #[cfg(target_arch = "wasm32")]
    let (baseline, distilled) = (
        train_and_evaluate(&baseline_config, data, test, device).await,
        train_and_evaluate(config, data, test, device).await,
    );
    let (baseline, distilled) = (baseline?, distilled?);
    Ok(Comparison { baseline: baseline.0, distilled: distilled.0, transfer_examples: distilled.1 })
}

async fn train_and_evaluate(
    config: &TrainConfig,
    data: &TrainingData<'_>,
    test: &EvalSet,
    device: &Device,
) -> Result<(Evaluation, usize), TrainError> {
    let transfer = TransferSet::build(config, data.labels, data.teacher_logits);
    let examples = transfer.len();
    let mut trainer = images::trainer(config, data.images.clone(), transfer, device)?;
    while !trainer.is_done() {
        trainer.step();
    }
    trainer.take_metrics().await?; // a run that diverged is an error, not a score
    Ok((evaluate(trainer.model(), &config.architecture, test, device).await?, examples))
}

/// A point of a campaign's curve: both students after a round.
#[derive(Debug, Clone)]
pub struct RoundScore {
    /// Queries spent so far.
    pub queries: usize,
    /// How many of them the API answered (fewer than `queries` past a refusing quota).
    pub answered: usize,
    pub distilled: Evaluation,
    /// The labels-only student trained on the same images, with their true labels.
    pub baseline: Evaluation,
}

/// A copier that asks in `rounds` until `config.budget` is spent. After each round the distilled
/// student trains `config.epochs` passes over every answer so far (going on from the previous
/// round's weights), the labels-only student the same on the same images, and both are scored.
pub async fn campaign(
    config: &TrainConfig,
    rounds: QueryRounds,
    data: &TrainingData<'_>,
    test: &EvalSet,
    device: &Device,
) -> Result<Vec<RoundScore>, TrainError> {
    let baseline_config = config.labels_only();
    let mut questioner = Questioner::new(config, rounds, data.labels, &data.images);
    let mut students: Option<(Trainer<ImageSet>, Trainer<ImageSet>)> = None;
    let mut curve = Vec::new();
    while !questioner.is_done() {
        let student_logits = match (&students, questioner.needs_student()) {
            (Some((distilled, _)), true) => {
                let unasked: Vec<u8> = questioner
                    .unasked()
                    .iter()
                    .flat_map(|&i| &data.images[i * PIXELS..(i + 1) * PIXELS])
                    .copied()
                    .collect();
                Some(predict_logits(distilled.model(), &config.architecture, &unasked, device).await?)
            }
            _ => None,
        };
        let first_query = questioner.spent();
        let images = questioner.next_round(student_logits.as_deref());
        let answers = TransferSet::asked(config, &images, first_query, data.labels, data.teacher_logits);
        let labelled = TransferSet::asked(&baseline_config, &images, first_query, data.labels, &[]);
        let (distilled, baseline) = match &mut students {
            Some((distilled, baseline)) => {
                distilled.learn_more(distilled.set().with(answers));
                baseline.learn_more(baseline.set().with(labelled));
                (distilled, baseline)
            }
            None => {
                let distilled = images::trainer(config, data.images.clone(), answers, device)?;
                let baseline = images::trainer(&baseline_config, data.images.clone(), labelled, device)?;
                let (d, b) = students.insert((distilled, baseline));
                (d, b)
            }
        };
        for trainer in [&mut *distilled, &mut *baseline] {
            while !trainer.is_done() {
                trainer.step();
            }
            trainer.take_metrics().await?;
        }
        curve.push(RoundScore {
            queries: questioner.spent(),
            answered: distilled.set().len(),
            distilled: evaluate(distilled.model(), &config.architecture, test, device).await?,
            baseline: evaluate(baseline.model(), &config.architecture, test, device).await?,
        });
    }
    Ok(curve)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::tests::{config, striped};
    use distill_spec::{Mode, CLASSES};

    /// Side by side (natively, a thread pool each) the two students come out as each does alone
    /// on this thread, and in their places: the teacher here calls every 3 a 4, so they differ.
    #[test]
    fn the_pair_side_by_side_is_each_student_alone() {
        let (images, labels) = striped(100);
        let says = |label: u8| if label == 3 { 4 } else { label as usize };
        let logits: Vec<f32> =
            labels.iter().flat_map(|&l| (0..CLASSES).map(move |c| if c == says(l) { 4.0 } else { 0.0 })).collect();
        let config = TrainConfig { mode: Mode::Soft, temperature: 2.0, alpha: 1.0, seed: 5, ..config(1e-2) };
        let data = TrainingData { images: images.clone(), labels: &labels, teacher_logits: &logits };
        let test = EvalSet { images, labels: labels.clone(), teacher_predictions: None };
        let device = Device::flex();
        let pair = block_on(compare(&config, &data, &test, &device)).unwrap();
        let alone = |config: &TrainConfig| block_on(train_and_evaluate(config, &data, &test, &device)).unwrap();
        assert_eq!(pair.baseline, alone(&config.labels_only()).0);
        assert_eq!((pair.distilled.clone(), pair.transfer_examples), alone(&config));
        assert_ne!(pair.baseline.confusion[3], pair.distilled.confusion[3], "the teacher's 4s for 3s are learnt");
    }
}
