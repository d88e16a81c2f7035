//! Why training, scoring or a weights file failed. The messages say what to do where there is
//! something to do (raise the budget, lower the learning rate).

use distill_spec::ConfigError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("no training examples to learn from: raise the query budget")]
    NoExamples,
    #[error("training diverged by step {step} (loss is {loss}); lower the learning rate and reset")]
    Diverged { step: usize, loss: f32 },
    /// Reading a tensor back from the device failed (a lost GPU device, an exhausted buffer).
    #[error("reading {what} back from the device failed: {detail}")]
    ReadBack { what: &'static str, detail: String },
    /// A weights file that does not fit this student; nothing was changed.
    #[error("cannot use these weights: {0}")]
    Weights(String),
    /// The operating system would not start a student's threads (natively only).
    #[error("could not start the threads to train on: {0}")]
    Threads(String),
}

impl TrainError {
    pub(crate) fn read_back(what: &'static str) -> impl Fn(&dyn std::fmt::Display) -> TrainError {
        move |e| TrainError::ReadBack { what, detail: e.to_string() }
    }
}
