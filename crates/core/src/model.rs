//! The networks: an MLP and a small CNN, both mapping flat 28×28 images to 10 logits.

use burn::module::{ModuleVisitor, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::relu;
use distill_spec::{Architecture, CLASSES, PIXELS, SIDE};
use std::sync::Mutex;

/// Fully connected layers with ReLU, dropout after each hidden layer.
#[derive(Module, Debug)]
pub struct Mlp {
    hidden: Vec<Linear>,
    output: Linear,
    dropout: Dropout,
}

/// conv3×3 → ReLU → maxpool2 → conv3×3 → ReLU → maxpool2 → dense → ReLU → dropout → dense.
#[derive(Module, Debug)]
pub struct Cnn {
    conv1: Conv2d,
    conv2: Conv2d,
    pool: MaxPool2d,
    dense: Linear,
    output: Linear,
    dropout: Dropout,
}

#[derive(Module, Debug)]
pub enum Network {
    Mlp(Mlp),
    Cnn(Cnn),
}

impl Network {
    /// A freshly initialised network drawn from `seed`; `dropout` is the drop probability used
    /// while training.
    ///
    /// burn's random generator is global to the process and parameters are initialised lazily, on
    /// first use. So every network is made here, seeding and drawing all its initial weights under
    /// one lock: each starts from its own seed even when several are created at once (parallel
    /// tests, the two students of a comparison) or stepped in turns.
    pub fn seeded(arch: &Architecture, dropout: f64, seed: u64, device: &Device) -> Self {
        seeded(seed, device, || Network::new(arch, dropout, device))
    }

    fn new(arch: &Architecture, dropout: f64, device: &Device) -> Self {
        let dropout = DropoutConfig::new(dropout).init();
        match arch {
            Architecture::Mlp { hidden } => {
                let mut layers = Vec::new();
                let mut width = PIXELS;
                for &h in hidden {
                    layers.push(LinearConfig::new(width, h).init(device));
                    width = h;
                }
                Network::Mlp(Mlp { hidden: layers, output: LinearConfig::new(width, CLASSES).init(device), dropout })
            }
            Architecture::Cnn { conv1, conv2, dense } => {
                let conv = |i, o| Conv2dConfig::new([i, o], [3, 3]).with_padding(PaddingConfig2d::Same).init(device);
                Network::Cnn(Cnn {
                    conv1: conv(1, *conv1),
                    conv2: conv(*conv1, *conv2),
                    pool: MaxPool2dConfig::new([2, 2]).init(),
                    dense: LinearConfig::new(7 * 7 * conv2, *dense).init(device),
                    output: LinearConfig::new(*dense, CLASSES).init(device),
                    dropout,
                })
            }
        }
    }

    /// The same network with its dropout off: its forward pass draws nothing from the device's
    /// random generator.
    pub fn without_dropout(self) -> Self {
        let off = DropoutConfig::new(0.0).init();
        match self {
            Network::Mlp(m) => Network::Mlp(Mlp { dropout: off, ..m }),
            Network::Cnn(c) => Network::Cnn(Cnn { dropout: off, ..c }),
        }
    }

    /// Logits [B,10] for images [B,784] with pixels scaled to 0..1.
    pub fn forward(&self, images: Tensor<2>) -> Tensor<2> {
        match self {
            Network::Mlp(m) => {
                let mut x = images;
                for layer in &m.hidden {
                    x = m.dropout.forward(relu(dense(layer, x)));
                }
                dense(&m.output, x)
            }
            Network::Cnn(c) => {
                let [batch, _] = images.dims();
                let x = images.reshape([batch, 1, SIDE, SIDE]);
                let x = c.pool.forward(relu(c.conv1.forward(x)));
                let x = c.pool.forward(relu(c.conv2.forward(x)));
                let x: Tensor<2> = x.flatten(1, 3);
                let x = c.dropout.forward(relu(dense(&c.dense, x)));
                dense(&c.output, x)
            }
        }
    }
}

/// A dense layer's forward pass: with the `wgpu` feature, WebGPU's goes through the hand-written
/// product kernel (`crate::product`); everywhere else it is burn's `Linear::forward`.
pub(crate) fn dense(layer: &Linear, input: Tensor<2>) -> Tensor<2> {
    #[cfg(feature = "wgpu")]
    return crate::product::dense(layer, input);
    #[cfg(not(feature = "wgpu"))]
    layer.forward(input)
}

/// A module `build` makes with `device` seeded by `seed`: the same weights for the same seed,
/// whichever thread builds another module at the same time (the device's generator is shared,
/// so building holds a lock, and every parameter is drawn before it is released).
pub fn seeded<M: Module>(seed: u64, device: &Device, build: impl FnOnce() -> M) -> M {
    static INIT: Mutex<()> = Mutex::new(());
    struct Materialise;
    impl ModuleVisitor for Materialise {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            param.val();
        }
    }
    let _guard = INIT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    device.seed(seed);
    let model = build();
    model.visit(&mut Materialise);
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_parameter_counts_agree() {
        let device = Device::flex();
        for s in ["mlp:30-30", "mlp:", "cnn:4-8-16"] {
            let arch: Architecture = s.parse().unwrap();
            let net = Network::seeded(&arch, 0.0, 1, &device);
            assert_eq!(net.num_params(), arch.parameters(), "{s}");
            let logits = net.forward(Tensor::zeros([3, PIXELS], &device));
            assert_eq!(logits.dims(), [3, CLASSES], "{s}");
        }
    }
}
