//! A small network's weights by parameter path (`embedding.weight`, `layers.layers.0.mha.query.weight`,
//! ...), with the shape that builds it in the metadata: a committed teacher's file and the packs
//! store them in half precision, a student's export in full precision. One format for every task's
//! network; each task says what its [`ModelShape`] is.

use crate::dataset::{safetensors_metadata, st_tensor};
use crate::teacher::f16_bytes;
use crate::DataError;
use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

/// What a network is: enough to build one, and the parameters one of it has.
pub trait ModelShape: Sized + Clone + PartialEq + Debug {
    /// Every tensor's path and shape.
    fn parameters(&self) -> Vec<(String, Vec<usize>)>;
    /// How the page and the manifests describe it.
    fn describe(&self) -> String;
    fn write_metadata(&self, into: &mut HashMap<String, String>);
    fn from_metadata(file: &str, metadata: &HashMap<String, String>) -> Result<Self, DataError>;

    fn parameter_count(&self) -> usize {
        self.parameters().iter().map(|(_, shape)| shape.iter().product::<usize>()).sum()
    }
}

/// The number the metadata holds at `key`, 1–4096, or why not.
pub(crate) fn metadata_number(file: &str, metadata: &HashMap<String, String>, key: &str) -> Result<usize, DataError> {
    let value = metadata.get(key).ok_or_else(|| DataError::mismatch(file, format!("no `{key}` in the metadata")))?;
    value
        .parse::<usize>()
        .ok()
        .filter(|&n| (1..=4096).contains(&n))
        .ok_or_else(|| DataError::mismatch(file, format!("`{key}` is {value:?}, expected a number 1–4096")))
}

/// A network's weights: its shape and each parameter's shape and values, by path.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights<S> {
    pub shape: S,
    pub tensors: BTreeMap<String, (Vec<usize>, Vec<f32>)>,
}

impl<S: ModelShape> Weights<S> {
    /// The tensors in half precision, by path.
    pub(crate) fn halves(&self) -> Vec<(String, Vec<usize>, Vec<u8>)> {
        self.tensors.iter().map(|(name, (shape, values))| (name.clone(), shape.clone(), f16_bytes(values))).collect()
    }

    /// The tensors in full precision, by path.
    fn fulls(&self) -> Vec<(String, Vec<usize>, Vec<u8>)> {
        let bytes = |values: &[f32]| values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.tensors.iter().map(|(name, (shape, values))| (name.clone(), shape.clone(), bytes(values))).collect()
    }

    /// A teacher's committed weights file (`web/teachers/<id>/weights.safetensors`), in half precision.
    pub fn to_safetensors(&self, metadata: HashMap<String, String>) -> Vec<u8> {
        self.write(metadata, &self.halves(), Dtype::F16)
    }

    /// A student's weights as the page exports them, in full precision: a rebuild elsewhere gives
    /// the page's answers.
    pub fn to_safetensors_f32(&self, metadata: HashMap<String, String>) -> Vec<u8> {
        self.write(metadata, &self.fulls(), Dtype::F32)
    }

    fn write(
        &self,
        mut metadata: HashMap<String, String>,
        tensors: &[(String, Vec<usize>, Vec<u8>)],
        dtype: Dtype,
    ) -> Vec<u8> {
        self.shape.write_metadata(&mut metadata);
        let views = views("", tensors, dtype);
        crate::tensors::serialize(views.iter().map(|(n, v)| (n.as_str(), v.clone())), &metadata).expect("weights")
    }

    pub fn from_safetensors(file: &str, bytes: &[u8]) -> Result<Weights<S>, DataError> {
        let st = crate::tensors::open(bytes).map_err(|e| DataError::corrupt(file, e.to_string()))?;
        Weights::read(file, &st, "", &safetensors_metadata(bytes))
    }

    /// Every parameter of the shape the metadata gives, under `prefix`, F16 or F32, finite.
    pub(crate) fn read(
        file: &str,
        st: &SafeTensors,
        prefix: &str,
        metadata: &HashMap<String, String>,
    ) -> Result<Weights<S>, DataError> {
        let shape = S::from_metadata(file, metadata)?;
        let mut tensors = BTreeMap::new();
        for (name, expected) in shape.parameters() {
            let full = format!("{prefix}{name}");
            let dtype = if st.tensor(&full).is_ok_and(|t| t.dtype() == Dtype::F32) { Dtype::F32 } else { Dtype::F16 };
            let t = st_tensor(file, st, &full, dtype)?;
            if t.shape() != expected.as_slice() {
                return Err(DataError::mismatch(file, format!("`{full}` is {:?}, expected {expected:?}", t.shape())));
            }
            let values = floats(t.data(), dtype);
            if values.iter().any(|v| !v.is_finite()) {
                return Err(DataError::corrupt(file, format!("`{full}` has a value that is not finite")));
            }
            tensors.insert(name, (expected, values));
        }
        Ok(Weights { shape, tensors })
    }
}

/// Tensors of `dtype` as views named `prefix` + path.
pub(crate) fn views<'a>(
    prefix: &str,
    tensors: &'a [(String, Vec<usize>, Vec<u8>)],
    dtype: Dtype,
) -> Vec<(String, TensorView<'a>)> {
    tensors
        .iter()
        .map(|(name, shape, bytes)| {
            (format!("{prefix}{name}"), TensorView::new(dtype, shape.clone(), bytes).expect("shape fits"))
        })
        .collect()
}

pub(crate) fn floats(data: &[u8], dtype: Dtype) -> Vec<f32> {
    match dtype {
        Dtype::F32 => data.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect(),
        _ => data.chunks_exact(2).map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32()).collect(),
    }
}
