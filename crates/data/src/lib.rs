//! Dataset and teacher-cache formats of Distill Playground.
//!
//! Every file the playground reads is a safetensors file (see `docs/src/reference/formats.md` for the exact
//! tensor names, dtypes and shapes). This crate writes and validates them, and knows where the
//! raw data comes from ([`sources`]) and how to check it ([`checksum`]). [`words`]: the word
//! lists of the language-model task.

pub mod assets;
pub mod catalog;
pub mod checksum;
pub mod dataset;
mod error;
pub mod idx;
pub mod manifest;
pub mod model_weights;
pub mod pack;
pub mod problems;
pub mod questions;
pub mod reasoning_pack;
pub mod sources;
pub mod strokes;
pub mod teacher;
pub mod tensors;
pub mod weights;
pub mod words;
pub mod words_pack;

pub use dataset::{Dataset, Split, CLASSES, PIXELS, SIDE};
pub use error::DataError;
pub use manifest::TeacherManifest;
pub use teacher::TeacherCache;
