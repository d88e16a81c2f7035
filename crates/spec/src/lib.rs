//! The vocabulary every crate shares, with no backend and no web code: the size of an image and
//! the number of classes ([`SIDE`], [`PIXELS`], [`CLASSES`]), a network's shape
//! ([`Architecture`]), what a student sees of its teacher ([`Mode`], [`teacher_target`]) and the
//! configuration of one training run ([`TrainConfig`]), what it may cost ([`cost`]), and how a
//! black-box copier asks and a teacher defends itself ([`queries`]).
//!
//! It exists so that the page, which must not link burn, and the trainer, which is built on burn,
//! agree on these by construction: both depend on this crate, neither on the other.

pub mod architecture;
pub mod config;
pub mod cost;
pub mod green;
pub mod mode;
pub mod queries;
pub mod rng;
pub mod stats;
pub mod watermark;

pub use architecture::{Architecture, ArchitectureError};
pub use config::{ConfigError, TrainConfig};
pub use cost::{CostError, MAX_STEP_FLOPS, MAX_STUDENT_BYTES};
pub use green::{GreenList, GreenTest};
pub use mode::{argmax, normalise, one_hot, shown_target, softmax, teacher_target, Mode, ModeError};
pub use queries::{BeyondQuota, Defence, QueryRounds, QueryStrategy, QueryStrategyError};
pub use watermark::{Mark, MarkTest};

/// Images are `SIDE × SIDE` grey pixels (MNIST and Fashion-MNIST).
pub const SIDE: usize = 28;
pub const PIXELS: usize = SIDE * SIDE;
/// Every dataset here has ten classes.
pub const CLASSES: usize = 10;
