//! The WebGPU product kernel (`distill_core::product`) against burn's `Linear` on the CPU: the same
//! outputs and the same gradients for the weights, the bias and the input, on shapes that are and
//! are not multiples of the kernel's 4 × 4 blocks. Needs a Vulkan adapter: `scripts/test.sh` runs it
//! on SwiftShader's (`VK_DRIVER_FILES`, from Debian's Chromium).
#![cfg(feature = "wgpu")]

use burn::module::Param;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::TensorData;
use distill_core::product::dense;

/// Deterministic values in -1..1 that differ from element to element.
fn values(count: usize, salt: usize) -> Vec<f32> {
    (0..count).map(|i| (((i * 7919 + salt * 104_729) % 2001) as f32 / 1000.0) - 1.0).collect()
}

/// Output, and the gradients of weight, bias and input of `sum(dense(x) · upstream)`.
fn run(inputs: usize, outputs: usize, input: &[f32], shape: [usize; 2], device: &Device, ours: bool) -> [Vec<f32>; 4] {
    let weight = TensorData::new(values(inputs * outputs, 4), [inputs, outputs]);
    let bias = TensorData::new(values(outputs, 5), [outputs]);
    let layer = Linear {
        weight: Param::from_tensor(Tensor::from_data(weight, device)),
        bias: Some(Param::from_tensor(Tensor::from_data(bias, device))),
    };
    let x = Tensor::<2>::from_data(TensorData::new(input.to_vec(), shape), device).require_grad();
    let out = if ours { dense(&layer, x.clone()) } else { layer.forward(x.clone()) };
    let [rows, cols] = out.dims();
    let upstream = Tensor::<2>::from_data(TensorData::new(values(rows * cols, 3), [rows, cols]), device);
    let grads = (out.clone() * upstream).sum().backward();
    let read = |t: Tensor<2>| t.into_data().try_to_vec::<f32>().unwrap();
    [
        read(out),
        read(layer.weight.val().grad(&grads).unwrap()),
        read(layer.bias.as_ref().unwrap().val().grad(&grads).unwrap().unsqueeze()),
        read(x.grad(&grads).unwrap()),
    ]
}

#[test]
fn the_kernel_matches_burns_linear_layer_forward_and_backward() {
    let cpu = Device::flex().autodiff();
    let gpu = Device::wgpu(Default::default()).autodiff();
    for (batch, inputs, outputs) in [(5, 7, 10), (128, 784, 100), (33, 800, 10), (1, 3, 1)] {
        let input = values(batch * inputs, 1);
        let expected = run(inputs, outputs, &input, [batch, inputs], &cpu, false);
        let actual = run(inputs, outputs, &input, [batch, inputs], &gpu, true);
        for (what, (e, a)) in
            ["output", "weight gradient", "bias gradient", "input gradient"].iter().zip(expected.iter().zip(&actual))
        {
            assert_eq!(e.len(), a.len(), "{what} of {batch}×{inputs}→{outputs}");
            let scale = e.iter().fold(1.0f32, |m, v| m.max(v.abs()));
            let worst = e.iter().zip(a).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
            assert!(worst <= 1e-5 * scale, "{what} of {batch}×{inputs}→{outputs}: off by {worst} (largest {scale})");
        }
    }
}

#[test]
fn a_cpu_layer_is_left_to_burn() {
    // On the CPU `dense` is `Linear::forward` itself: bit for bit.
    let cpu = Device::flex();
    let layer = LinearConfig::new(6, 5).init(&cpu);
    let x = Tensor::<2>::from_data(TensorData::new(values(18, 2), [3, 6]), &cpu);
    let ours = dense(&layer, x.clone()).into_data().try_to_vec::<f32>().unwrap();
    let burns = layer.forward(x).into_data().try_to_vec::<f32>().unwrap();
    assert_eq!(ours, burns);
}
