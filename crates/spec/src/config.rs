//! One training run's configuration: the student, how it learns from the teacher, for how long,
//! and on which examples. The CLI builds it from flags, the page from its settings.

use crate::{Architecture, Defence, Mode, QueryRounds, CLASSES};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub architecture: Architecture,
    pub mode: Mode,
    pub temperature: f32,
    /// Weight of the soft loss; 1 − α goes to the true labels.
    pub alpha: f32,
    pub learning_rate: f64,
    pub batch_size: usize,
    /// Length of the run in passes over the transfer set; the learning rate follows a cosine
    /// from `learning_rate` down to zero over it.
    pub epochs: f64,
    pub dropout: f64,
    /// Random translation of training images by up to this many pixels.
    pub jitter: usize,
    /// At most this many training examples (and teacher answers); all of them when `None`.
    pub budget: Option<usize>,
    /// Leave this class out of the transfer set ("the missing digit").
    pub excluded_class: Option<u8>,
    pub seed: u64,
    /// Ask in rounds, choosing what to ask; `None` asks the whole budget at once, at random.
    #[serde(default)]
    pub queries: Option<QueryRounds>,
    /// What the teacher's API does to its answers.
    #[serde(default)]
    pub defence: Defence,
}

/// A setting that cannot train; the message names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("temperature must be a positive number")]
    Temperature,
    #[error("α must be between 0 and 1")]
    Alpha,
    #[error("learning rate must be a positive number")]
    LearningRate,
    #[error("batch size must be at least 1")]
    BatchSize,
    #[error("training length must be positive")]
    Epochs,
    #[error("dropout must be in [0, 1)")]
    Dropout,
    #[error("query budget must be at least 1 example")]
    Budget,
    #[error("there is no class {0}: classes are 0 to 9")]
    Class(u8),
    #[error("asking in rounds needs a query budget, and rounds of at least 1 image")]
    Rounds,
    #[error(
        "a defence rounds to 0 to 6 decimals and adds noise of 0 to 1; a words watermark has a green share \
         (gamma) between 0 and 1, a strength (green) of 0 or more and a share of words from 0 to 1"
    )]
    Defence,
    #[error(
        "mode={0} learns from what the teacher wrote: text is for the words and reasoning tasks, verified for \
         reasoning (task=words, task=reasoning)"
    )]
    WrittenIsForSequences(Mode),
    #[error("the words task's students are MLPs over letter embeddings (student=mlp:64, say), not {0}")]
    WordsNeedAnMlp(String),
    #[error("the words pack caches the teacher's 8 most likely letters: top1 to top8, not {0}")]
    WordsTopK(String),
    #[error("the reasoning pack caches the teacher's {cached} most likely symbols: top1 to top{cached}, not {mode}")]
    ReasoningTopK { mode: String, cached: usize },
    #[error(transparent)]
    Cost(#[from] crate::CostError),
}

/// Optimiser steps of `epochs` passes over `examples` examples in batches of `batch_size` (at least
/// one): every task's trainer counts them so.
pub fn total_steps(epochs: f64, examples: usize, batch_size: usize) -> usize {
    ((epochs * examples as f64) / batch_size as f64).ceil().max(1.0) as usize
}

impl TrainConfig {
    /// Refuses settings that cannot train on images, saying which one and why.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if matches!(self.mode, Mode::Text | Mode::Verified) {
            return Err(ConfigError::WrittenIsForSequences(self.mode));
        }
        self.validate_common()?;
        Ok(self.check_cost()?)
    }

    /// Refuses settings a word student cannot train with: the common checks, an MLP student, and
    /// what the words pack can give (top-8 at most). Its cost is far below an image student's.
    pub fn validate_words(&self, cached_top_k: usize) -> Result<(), ConfigError> {
        self.validate_common()?;
        if !matches!(self.architecture, crate::Architecture::Mlp { .. }) {
            return Err(ConfigError::WordsNeedAnMlp(self.architecture.to_string()));
        }
        match self.mode {
            Mode::TopK(k) if k > cached_top_k => Err(ConfigError::WordsTopK(self.mode.to_string())),
            Mode::Verified => Err(ConfigError::WrittenIsForSequences(self.mode)),
            _ => Ok(()),
        }
    }

    /// Refuses settings a reasoning student cannot train with: the common checks, and a top-k
    /// beyond what the reasoning pack caches. Its student is the task's own (the architecture is
    /// not used).
    pub fn validate_reasoning(&self, cached_top_k: usize) -> Result<(), ConfigError> {
        self.validate_common()?;
        match self.mode {
            Mode::TopK(k) if k > cached_top_k => {
                Err(ConfigError::ReasoningTopK { mode: self.mode.to_string(), cached: cached_top_k })
            }
            _ => Ok(()),
        }
    }

    fn validate_common(&self) -> Result<(), ConfigError> {
        let checks = [
            (self.temperature > 0.0 && self.temperature.is_finite(), ConfigError::Temperature),
            ((0.0..=1.0).contains(&self.alpha), ConfigError::Alpha),
            (self.learning_rate > 0.0 && self.learning_rate.is_finite(), ConfigError::LearningRate),
            (self.batch_size > 0, ConfigError::BatchSize),
            (self.epochs > 0.0 && self.epochs.is_finite(), ConfigError::Epochs),
            ((0.0..1.0).contains(&self.dropout), ConfigError::Dropout),
            (self.budget != Some(0), ConfigError::Budget),
            (
                self.excluded_class.is_none_or(|c| (c as usize) < CLASSES),
                ConfigError::Class(self.excluded_class.unwrap_or(0)),
            ),
            (
                self.queries.is_none_or(|q| self.budget.is_some() && q.seed_size > 0 && q.round_size > 0),
                ConfigError::Rounds,
            ),
            (
                self.defence.decimals.is_none_or(|d| d <= 6)
                    && (0.0..=1.0).contains(&self.defence.noise)
                    && self.defence.green.is_valid(),
                ConfigError::Defence,
            ),
        ];
        match checks.into_iter().find(|(ok, _)| !ok) {
            Some((_, error)) => Err(error),
            None => Ok(()),
        }
    }

    /// Number of optimiser steps a run over `examples` training examples takes.
    pub fn total_steps(&self, examples: usize) -> usize {
        total_steps(self.epochs, examples, self.batch_size)
    }

    /// The temperature the teacher's targets are softened with ([`Mode::target_temperature`]).
    pub fn target_temperature(&self) -> f32 {
        self.mode.target_temperature(self.temperature)
    }

    /// The same run for the student that learns from labels alone (the baseline).
    pub fn labels_only(&self) -> TrainConfig {
        TrainConfig { mode: Mode::LabelsOnly, alpha: 0.0, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> TrainConfig {
        TrainConfig {
            architecture: "mlp:16".parse().unwrap(),
            mode: Mode::TopLabel,
            temperature: 4.0,
            alpha: 0.5,
            learning_rate: 1e-3,
            batch_size: 64,
            epochs: 2.5,
            dropout: 0.0,
            jitter: 0,
            budget: Some(100),
            excluded_class: None,
            seed: 1,
            queries: None,
            defence: Defence::default(),
        }
    }

    #[test]
    fn impossible_settings_are_named() {
        assert_eq!(config().validate(), Ok(()));
        assert_eq!(TrainConfig { alpha: 1.5, ..config() }.validate(), Err(ConfigError::Alpha));
        assert_eq!(TrainConfig { budget: Some(0), ..config() }.validate(), Err(ConfigError::Budget));
        assert_eq!(TrainConfig { excluded_class: Some(10), ..config() }.validate(), Err(ConfigError::Class(10)));
        assert!(ConfigError::LearningRate.to_string().contains("learning rate"));
        let rounds = QueryRounds { strategy: crate::QueryStrategy::Uncertainty, seed_size: 10, round_size: 10 };
        assert_eq!(TrainConfig { queries: Some(rounds), ..config() }.validate(), Ok(()));
        let unbounded = TrainConfig { queries: Some(rounds), budget: None, ..config() };
        assert_eq!(unbounded.validate(), Err(ConfigError::Rounds));
        let empty_rounds = QueryRounds { round_size: 0, ..rounds };
        assert_eq!(TrainConfig { queries: Some(empty_rounds), ..config() }.validate(), Err(ConfigError::Rounds));
        let written = |mode| TrainConfig { mode, ..config() };
        assert_eq!(written(Mode::Text).validate(), Err(ConfigError::WrittenIsForSequences(Mode::Text)));
        assert_eq!(written(Mode::Verified).validate(), Err(ConfigError::WrittenIsForSequences(Mode::Verified)));
        assert_eq!(written(Mode::Text).validate_words(8), Ok(()));
        assert_eq!(written(Mode::Verified).validate_words(8), Err(ConfigError::WrittenIsForSequences(Mode::Verified)));
        assert_eq!(
            (written(Mode::Text).validate_reasoning(6), written(Mode::Verified).validate_reasoning(6)),
            (Ok(()), Ok(()))
        );
        let top7 = written(Mode::TopK(7)).validate_reasoning(6).unwrap_err().to_string();
        assert_eq!(top7, "the reasoning pack caches the teacher's 6 most likely symbols: top1 to top6, not top7");
        assert_eq!(
            TrainConfig { mode: Mode::TopK(9), ..config() }.validate_words(8),
            Err(ConfigError::WordsTopK("top9".into()))
        );
        let cnn = TrainConfig { architecture: "cnn:4-8-16".parse().unwrap(), ..config() };
        assert_eq!(cnn.validate_words(8), Err(ConfigError::WordsNeedAnMlp("cnn:4-8-16".into())));
        assert_eq!(TrainConfig { alpha: -1.0, ..config() }.validate_words(8), Err(ConfigError::Alpha));
        let noisy = Defence { noise: f32::NAN, ..Defence::default() };
        assert_eq!(TrainConfig { defence: noisy, ..config() }.validate(), Err(ConfigError::Defence));
        let all_green = Defence { green: crate::GreenList { gamma: 1.0, ..Default::default() }, ..Defence::default() };
        assert_eq!(TrainConfig { defence: all_green, ..config() }.validate(), Err(ConfigError::Defence));
    }

    #[test]
    fn steps_temperature_and_baseline() {
        assert_eq!(config().total_steps(100), 4, "2.5 passes over 100 examples in batches of 64");
        assert_eq!(config().target_temperature(), 1.0, "a label has no temperature");
        let baseline = config().labels_only();
        assert_eq!((baseline.mode, baseline.alpha, baseline.seed), (Mode::LabelsOnly, 0.0, 1));
    }
}
