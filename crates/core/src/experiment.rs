//! The comparison at the heart of the playground: the same student, same seed, same examples,
//! trained once on labels alone and once from the teacher.

use crate::error::TrainError;
use crate::metrics::Evaluation;
use crate::targets::TransferSet;
use crate::trainer::{EvalSet, Trainer};
use burn::prelude::*;
use distill_spec::TrainConfig;
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
pub async fn compare(
    config: &TrainConfig,
    data: &TrainingData<'_>,
    test: &EvalSet,
    device: &Device,
) -> Result<Comparison, TrainError> {
    let baseline_config = config.labels_only();
    let baseline = train_and_evaluate(&baseline_config, data, test, device).await?;
    let distilled = train_and_evaluate(config, data, test, device).await?;
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
    let mut trainer = Trainer::new(config.clone(), data.images.clone(), transfer, device)?;
    while !trainer.is_done() {
        trainer.step();
    }
    trainer.take_metrics().await?; // a run that diverged is an error, not a score
    Ok((trainer.evaluate(test).await?, examples))
}
