//! Distillation core: students and teachers ([`model`]), the losses of Hinton, Vinyals & Dean
//! (2015) ([`loss`]), what the student is allowed to see of the teacher ([`targets`]), and one
//! trainer for every task that advances one batch per call ([`trainer`]); each task gives it a
//! network and a training set ([`images`], [`language`]). For black-box copying, the teacher's
//! API and its defences ([`api`]) and the choice of what to ask it ([`queries`]).
//!
//! Everything here is backend-agnostic: the same code trains on burn's CPU backend in tests, on
//! WebGPU in the browser and on CUDA natively. Nothing in a training step reads a tensor back
//! synchronously, so the browser can `await` between steps.

pub mod api;
pub mod batch;
mod error;
pub mod experiment;
pub mod images;
pub mod language;
pub mod loss;
pub mod metrics;
pub mod model;
#[cfg(feature = "wgpu")]
pub mod product;
pub mod queries;
pub mod reasoning;
pub use distill_spec::rng;
pub mod targets;
pub mod trainer;
pub mod weights;

pub use distill_spec::{Architecture, Mode, TrainConfig};
pub use error::TrainError;
pub use images::{EvalSet, ImageSet};
pub use model::Network;
pub use targets::TransferSet;
pub use trainer::{Metrics, Plan, StudentNetwork, Trainer, TrainingSet};
