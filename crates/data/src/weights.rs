//! The reading half of a student's weights file (written by `distill_core::weights::export`):
//! f32 tensors named by their path in the network (`Mlp.hidden.0.weight`), the architecture in the
//! metadata. Everything that can be checked without the network is checked here, out of the burn
//! crates, so the fuzzer builds in seconds; `distill_core::weights::import` only fills the
//! network with what this returns.

use crate::tensors::{self, SafetensorsError};
use distill_spec::Architecture;
use safetensors::Dtype;
use std::collections::BTreeMap;

/// The metadata key that names the network a file was written for.
pub const ARCHITECTURE_KEY: &str = "architecture";
/// The metadata key naming the task a student's file is of (`images`, `words`, `reasoning`), so
/// a file brought to another task's run is refused with the reason.
pub const TASK_KEY: &str = "task";

/// Room for a weights file's header beyond its tensors' bytes.
const HEADER_ALLOWANCE: usize = 64 << 10;

/// A parameter of the student: its path in the network and its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub shape: Vec<usize>,
}

/// Why a weights file does not fit a student.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    #[error("not a safetensors file ({0})")]
    NotSafetensors(#[from] SafetensorsError),
    #[error("they are for a {theirs} student, this one is {ours}")]
    OtherStudent { theirs: String, ours: Architecture },
    #[error("the file is {bytes} bytes; weights for {architecture} take at most {most}")]
    TooLarge { bytes: usize, architecture: Architecture, most: usize },
    /// Each tensor that is missing, of the wrong dtype or shape, not finite, or no parameter.
    #[error("{}", .0.join("; "))]
    Tensors(Vec<String>),
}

/// The file's values for each of `parameters` (of a student of `architecture`), by name.
/// Refused, with every reason at once: a file larger than those weights can be, one that is
/// not safetensors or was written for another network, a missing tensor or one of the wrong
/// dtype or shape, a value that is not finite, a tensor that is no parameter.
pub fn read(
    bytes: &[u8],
    architecture: &Architecture,
    parameters: &[Parameter],
) -> Result<BTreeMap<String, Vec<f32>>, WeightsError> {
    // The header first: "made for another student" says more than any size or tensor.
    let header = tensors::header(bytes)?;
    let theirs = header.metadata().as_ref().and_then(|m| m.get(ARCHITECTURE_KEY).cloned());
    if let Some(theirs) = theirs.filter(|a| *a != architecture.to_string()) {
        return Err(WeightsError::OtherStudent { theirs, ours: architecture.clone() });
    }
    let most = 4 * architecture.parameters() + HEADER_ALLOWANCE;
    if bytes.len() > most {
        return Err(WeightsError::TooLarge { bytes: bytes.len(), architecture: architecture.clone(), most });
    }
    let file = tensors::open(bytes)?;
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for Parameter { name, shape } in parameters {
        let Ok(view) = file.tensor(name) else {
            errors.push(format!("`{name}` is missing"));
            continue;
        };
        if view.dtype() != Dtype::F32 || view.shape() != shape.as_slice() {
            errors.push(format!("`{name}` is {:?} {:?}, expected F32 {shape:?}", view.dtype(), view.shape()));
            continue;
        }
        let floats: Vec<f32> =
            view.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        match floats.iter().find(|v| !v.is_finite()) {
            Some(bad) => errors.push(format!("`{name}` holds {bad}: weights must be finite numbers")),
            None => {
                values.insert(name.clone(), floats);
            }
        }
    }
    let mut extra: Vec<&str> = file.names().into_iter().filter(|n| !parameters.iter().any(|p| p.name == *n)).collect();
    extra.sort();
    errors.extend(extra.into_iter().map(|name| format!("`{name}` is not a parameter of {architecture}")));
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(WeightsError::Tensors(errors))
    }
}
