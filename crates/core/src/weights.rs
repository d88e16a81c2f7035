//! A student's weights as a safetensors file (`f32`, one tensor per parameter, named by its path
//! in the network, e.g. `Mlp.hidden.0.weight`), with the architecture in the metadata.
//! Reading goes through `into_data_async`, never a synchronous read, so it works on WebGPU in wasm.

use crate::error::TrainError;
use crate::model::Network;
use burn::module::{ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;
use distill_data::model_weights::{ModelShape, Weights};
use distill_data::weights::{self, Parameter, ARCHITECTURE_KEY};
use distill_spec::Architecture;
use safetensors::{tensor::TensorView, Dtype};
use std::collections::{BTreeMap, HashMap};

/// Tracks the dotted path of the parameter being visited or mapped.
#[derive(Default)]
struct Path(Vec<String>);

impl Path {
    fn enter(&mut self, name: &str) {
        self.0.push(name.to_string());
    }
    fn exit(&mut self) {
        self.0.pop();
    }
    fn name(&self) -> String {
        self.0.join(".")
    }
}

/// Every float parameter, by path, still on the device.
#[derive(Default)]
struct Collect {
    path: Path,
    tensors: Vec<(String, Vec<usize>, Tensor<1>)>,
}

impl ModuleVisitor for Collect {
    fn enter_module(&mut self, name: &str, _container: &str) {
        self.path.enter(name);
    }
    fn exit_module(&mut self, _name: &str, _container: &str) {
        self.path.exit();
    }
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let tensor = param.val();
        let shape = tensor.dims().to_vec();
        self.tensors.push((self.path.name(), shape.clone(), tensor.reshape([shape.iter().product::<usize>()])));
    }
}

/// The network's weights as safetensors bytes, with the architecture and `metadata` in the header.
pub async fn export(
    model: &Network,
    architecture: &Architecture,
    mut metadata: HashMap<String, String>,
) -> Result<Vec<u8>, TrainError> {
    let mut tensors = BTreeMap::new();
    for (name, shape, values) in float_tensors(model).await? {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        tensors.insert(name, (shape, bytes));
    }
    let views = tensors
        .iter()
        .map(|(name, (shape, bytes))| Ok((name.as_str(), TensorView::new(Dtype::F32, shape.clone(), bytes)?)))
        .collect::<Result<Vec<_>, safetensors::SafeTensorError>>()
        .map_err(|e| TrainError::Weights(e.to_string()))?;
    metadata.insert(ARCHITECTURE_KEY.to_string(), architecture.to_string());
    distill_data::tensors::serialize(views, &metadata).map_err(|e| TrainError::Weights(e.to_string()))
}

/// Every float parameter of `model`: its path, shape and values, read back in one piece (on
/// WebGPU each read-back waits for the device, so one read for the whole model, not one a tensor).
pub(crate) async fn float_tensors<M: Module>(model: &M) -> Result<Vec<(String, Vec<usize>, Vec<f32>)>, TrainError> {
    let mut collect = Collect::default();
    model.visit(&mut collect);
    let read = TrainError::read_back("weights");
    let flat: Vec<Tensor<1>> = collect.tensors.iter().map(|(_, _, tensor)| tensor.clone()).collect();
    if flat.is_empty() {
        return Ok(Vec::new());
    }
    let values = Tensor::cat(flat, 0).into_data_async().await.map_err(|e| read(&e))?;
    let mut values = values.try_to_vec::<f32>().map_err(|e| read(&e))?.into_iter();
    Ok(collect
        .tensors
        .into_iter()
        .map(|(name, shape, _)| {
            let size = shape.iter().product();
            (name, shape, values.by_ref().take(size).collect())
        })
        .collect())
}

/// `model` with the parameters named in `values` replaced (shapes as the model's own).
pub(crate) fn with_values<M: Module>(model: M, values: BTreeMap<String, Vec<f32>>) -> M {
    model.map(&mut Replace { path: Path::default(), values })
}

/// `model` (on its device, still learning if it was) with `weights`, which must be of its
/// `shape`; nothing changes when they are not.
pub(crate) fn with_weights<M: Module, S: ModelShape>(
    model: M,
    shape: &S,
    weights: &Weights<S>,
) -> Result<M, TrainError> {
    if weights.shape != *shape {
        return Err(TrainError::Weights(format!(
            "they are for a student of {}, this one is {}",
            weights.shape.describe(),
            shape.describe()
        )));
    }
    let values = weights.tensors.iter().map(|(name, (_, values))| (name.clone(), values.clone())).collect();
    Ok(with_values(model, values))
}

/// Every float parameter's path and shape, as a weights file names them.
fn parameters(model: &Network) -> Vec<Parameter> {
    let mut collect = Collect::default();
    model.visit(&mut collect);
    collect.tensors.into_iter().map(|(name, shape, _)| Parameter { name, shape }).collect()
}

/// Replaces every parameter with the values read for its path.
struct Replace {
    path: Path,
    values: BTreeMap<String, Vec<f32>>,
}

impl ModuleMapper for Replace {
    fn enter_module(&mut self, name: &str, _container: &str) {
        self.path.enter(name);
    }
    fn exit_module(&mut self, _name: &str, _container: &str) {
        self.path.exit();
    }
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let Some(values) = self.values.remove(&self.path.name()) else { return param };
        param.map(|tensor| {
            let loaded = Tensor::<D>::from_data(TensorData::new(values, tensor.dims()), &tensor.device());
            if tensor.is_require_grad() {
                loaded.require_grad()
            } else {
                loaded
            }
        })
    }
}

/// `model` with the weights of a file written by [`export`] for the same architecture, or the
/// reasons it is refused ([`distill_data::weights::read`] checks the file); nothing changes then.
pub fn import(model: Network, architecture: &Architecture, bytes: &[u8]) -> Result<Network, TrainError> {
    let values =
        weights::read(bytes, architecture, &parameters(&model)).map_err(|e| TrainError::Weights(e.to_string()))?;
    Ok(with_values(model, values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_spec::PIXELS;
    use safetensors::SafeTensors;

    fn logits(model: &Network, device: &Device) -> Vec<f32> {
        let x: Vec<f32> = (0..2 * PIXELS).map(|i| (i % 7) as f32 / 7.0).collect();
        let x = Tensor::<2>::from_data(TensorData::new(x, [2, PIXELS]), device);
        model.forward(x).into_data().try_to_vec::<f32>().unwrap()
    }

    #[test]
    fn export_then_import_gives_the_same_network() {
        let device = Device::flex();
        for arch in ["mlp:30-30", "cnn:4-8-16"] {
            let arch: Architecture = arch.parse().unwrap();
            let original = Network::seeded(&arch, 0.0, 1, &device);
            let bytes = pollster::block_on(export(&original, &arch, HashMap::new())).unwrap();
            let other = Network::seeded(&arch, 0.0, 2, &device);
            assert_ne!(logits(&other, &device), logits(&original, &device));
            let loaded = import(other, &arch, &bytes).unwrap();
            assert_eq!(logits(&loaded, &device), logits(&original, &device), "{arch}");
        }
    }

    #[test]
    fn foreign_or_damaged_files_are_refused_with_the_reason() {
        let device = Device::flex();
        let small: Architecture = "mlp:30".parse().unwrap();
        let big: Architecture = "mlp:40".parse().unwrap();
        let bytes =
            pollster::block_on(export(&Network::seeded(&small, 0.0, 1, &device), &small, HashMap::new())).unwrap();
        let err = import(Network::seeded(&big, 0.0, 1, &device), &big, &bytes).err().unwrap();
        let err = err.to_string();
        assert!(err.contains("mlp:30") && err.contains("mlp:40"), "{err}");
        // A larger student's file into a smaller one: still told why, not only that it is too big.
        let larger = pollster::block_on(export(&Network::seeded(&big, 0.0, 1, &device), &big, HashMap::new())).unwrap();
        let err = import(Network::seeded(&small, 0.0, 1, &device), &small, &larger).err().unwrap().to_string();
        assert!(err.contains("they are for a mlp:40 student"), "{err}");
        let err = import(Network::seeded(&small, 0.0, 1, &device), &small, b"not weights").err().unwrap();
        assert!(err.to_string().contains("not a safetensors file"), "{err}");
        // Same architecture string, other shapes: caught per tensor.
        let mut lying = bytes.clone();
        let at = lying.windows(8).position(|w| w == b"\"mlp:30\"").unwrap();
        lying[at + 5] = b'4';
        let err = import(Network::seeded(&big, 0.0, 1, &device), &big, &lying).err().unwrap();
        assert!(err.to_string().contains("expected F32 [784, 40]"), "{err}");
    }

    /// A file with `extra` tensors added to the network's, and `poison` written into the first weight.
    fn tampered(arch: &Architecture, poison: Option<f32>, extra: &[(&str, Vec<usize>)]) -> Vec<u8> {
        let device = Device::flex();
        let bytes = pollster::block_on(export(&Network::seeded(arch, 0.0, 1, &device), arch, HashMap::new())).unwrap();
        let file = SafeTensors::deserialize(&bytes).unwrap();
        let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = file
            .tensors()
            .into_iter()
            .map(|(name, view)| (name, view.shape().to_vec(), view.data().to_vec()))
            .collect();
        tensors.sort();
        if let Some(value) = poison {
            tensors[0].2[..4].copy_from_slice(&value.to_le_bytes());
        }
        for (name, shape) in extra {
            tensors.push((name.to_string(), shape.clone(), vec![0; 4 * shape.iter().product::<usize>()]));
        }
        let views: Vec<_> = tensors
            .iter()
            .map(|(n, shape, data)| (n.as_str(), TensorView::new(Dtype::F32, shape.clone(), data).unwrap()))
            .collect();
        let metadata = HashMap::from([(ARCHITECTURE_KEY.to_string(), arch.to_string())]);
        safetensors::serialize(views, Some(metadata)).unwrap()
    }

    #[test]
    fn the_fuzzed_weights_file_names_this_networks_parameters() {
        let arch: Architecture = distill_fuzz_targets::WEIGHTS_ARCHITECTURE.parse().unwrap();
        let network = Network::seeded(&arch, 0.0, 1, &Device::flex());
        assert_eq!(parameters(&network), distill_fuzz_targets::weights_parameters());
    }

    #[test]
    fn oversized_non_finite_or_extra_weights_are_refused() {
        let device = Device::flex();
        let arch: Architecture = "mlp:30".parse().unwrap();
        let fresh = || Network::seeded(&arch, 0.0, 2, &device);
        assert!(import(fresh(), &arch, &tampered(&arch, None, &[])).is_ok());
        for poison in [f32::NAN, f32::INFINITY] {
            let err = import(fresh(), &arch, &tampered(&arch, Some(poison), &[])).err().unwrap().to_string();
            assert!(err.contains("must be finite"), "{err}");
        }
        let err = import(fresh(), &arch, &tampered(&arch, None, &[("Mlp.spy", vec![2])])).err().unwrap().to_string();
        assert!(err.contains("`Mlp.spy` is not a parameter of mlp:30"), "{err}");
        let huge = tampered(&arch, None, &[("Mlp.padding", vec![1 << 20])]);
        let err = import(fresh(), &arch, &huge).err().unwrap().to_string();
        assert!(err.contains("bytes; weights for mlp:30 take at most"), "{err}");
    }
}
