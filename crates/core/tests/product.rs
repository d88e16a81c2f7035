//! The WebGPU product kernel (`distill_core::product`) against burn's `Linear` on the CPU: the same
//! outputs and the same gradients for the weights, the bias and the input, on shapes that are and
//! are not multiples of the kernel's 8 × 4 blocks, with and without a bias, with the input tracked
//! (a hidden layer) or not (the first layer), and without autodiff (scoring). Needs a Vulkan
//! adapter: `scripts/test.sh` runs it on SwiftShader's (`VK_DRIVER_FILES`, from Debian's Chromium).
#![cfg(feature = "wgpu")]

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::TensorData;
use distill_core::product::{dense, uses_kernel};

/// Deterministic values in -1..1 that differ from element to element.
fn values(count: usize, salt: usize) -> Vec<f32> {
    (0..count).map(|i| (((i * 7919 + salt * 104_729) % 2001) as f32 / 1000.0) - 1.0).collect()
}

struct Case {
    batch: usize,
    inputs: usize,
    outputs: usize,
    bias: bool,
    track_input: bool,
}

fn layer(case: &Case, device: &Device) -> Linear {
    let weight = TensorData::new(values(case.inputs * case.outputs, 4), [case.inputs, case.outputs]);
    let bias = TensorData::new(values(case.outputs, 5), [case.outputs]);
    Linear {
        weight: Param::from_tensor(Tensor::from_data(weight, device)),
        bias: case.bias.then(|| Param::from_tensor(Tensor::from_data(bias, device))),
    }
}

fn input(case: &Case, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(values(case.batch * case.inputs, 1), [case.batch, case.inputs]), device)
}

fn read(tensor: Tensor<2>) -> Vec<f32> {
    tensor.into_data().try_to_vec::<f32>().unwrap()
}

/// The output, then the gradients of `sum(dense(x) · upstream)` that exist (weight, bias, input).
fn run(case: &Case, device: &Device, ours: bool) -> Vec<Vec<f32>> {
    let layer = layer(case, device);
    let x = if case.track_input { input(case, device).require_grad() } else { input(case, device) };
    let out = if ours { dense(&layer, x.clone()) } else { layer.forward(x.clone()) };
    let upstream = Tensor::<2>::from_data(TensorData::new(values(case.batch * case.outputs, 3), out.dims()), device);
    let grads = (out.clone() * upstream).sum().backward();
    let mut results = vec![read(out), read(layer.weight.val().grad(&grads).unwrap())];
    if let Some(bias) = &layer.bias {
        results.push(read(bias.val().grad(&grads).unwrap().unsqueeze()));
    }
    if case.track_input {
        results.push(read(x.grad(&grads).unwrap()));
    }
    results
}

fn assert_close(expected: &[f32], actual: &[f32], what: &str) {
    assert_eq!(expected.len(), actual.len(), "{what}");
    let scale = expected.iter().fold(1.0f32, |m, v| m.max(v.abs()));
    let worst = expected.iter().zip(actual).map(|(e, a)| (e - a).abs()).fold(0.0f32, f32::max);
    assert!(worst <= 1e-5 * scale, "{what}: off by {worst} (largest {scale})");
}

#[test]
fn the_kernel_matches_burns_linear_layer_forward_and_backward() {
    let cpu = Device::flex().autodiff();
    let gpu = Device::wgpu(Default::default()).autodiff();
    assert!(uses_kernel(&gpu) && !uses_kernel(&cpu), "the kernel on wgpu only");
    let cases = [
        Case { batch: 5, inputs: 7, outputs: 10, bias: true, track_input: true },
        Case { batch: 128, inputs: 784, outputs: 100, bias: true, track_input: false },
        Case { batch: 33, inputs: 800, outputs: 10, bias: false, track_input: true },
        Case { batch: 1, inputs: 3, outputs: 1, bias: true, track_input: true },
    ];
    for case in &cases {
        let shape = format!("{}×{}→{}", case.batch, case.inputs, case.outputs);
        let (expected, actual) = (run(case, &cpu, false), run(case, &gpu, true));
        assert_eq!(expected.len(), actual.len(), "{shape}");
        for (index, (e, a)) in expected.iter().zip(&actual).enumerate() {
            assert_close(e, a, &format!("result {index} (output, then gradients) of {shape}"));
        }
    }
}

#[test]
fn scoring_without_autodiff_takes_the_kernel_too() {
    let (cpu, gpu) = (Device::flex(), Device::wgpu(Default::default()));
    assert!(uses_kernel(&gpu));
    let case = Case { batch: 500, inputs: 800, outputs: 10, bias: true, track_input: false };
    let expected = read(layer(&case, &cpu).forward(input(&case, &cpu)));
    let actual = read(dense(&layer(&case, &gpu), input(&case, &gpu)));
    assert_close(&expected, &actual, "scores of 500×800→10");
}

#[test]
fn a_cpu_layer_is_left_to_burn() {
    // On the CPU `dense` is `Linear::forward` itself: bit for bit.
    let cpu = Device::flex();
    let case = Case { batch: 3, inputs: 6, outputs: 5, bias: true, track_input: false };
    let layer = layer(&case, &cpu);
    assert_eq!(read(dense(&layer, input(&case, &cpu))), read(layer.forward(input(&case, &cpu))));
}
