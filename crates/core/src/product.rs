//! The matrix product of the dense layers on WebGPU, as one hand-written WGSL kernel.
//!
//! Why: burn's WebGPU matrix product (cubecl's `SimpleUnit` routine) ran at 0.36 GFLOP/s on
//! SwiftShader, the CPU-backed adapter many visitors without a GPU get, and TF.js's tiled kernel at
//! ~0.4; a kernel that keeps an 8×4 block of the output in registers and reads its operands
//! straight from storage ran at 2.2–2.3 GFLOP/s there (`product.wgsl`; the book's "Size and speed").
//! The dense layers' products are nearly all of a step of the 784-800-800-10 MLP.
//!
//! [`dense`] is a [`Linear`] layer's forward pass that takes this kernel on a wgpu device
//! and burn's own product everywhere else, so the CPU's results are untouched. The backward pass
//! (the [`Autodiff`] implementation) is two more products with this kernel, of transposed views:
//! the kernel reads any strides, so nothing is copied.

use burn::backend::autodiff::checkpoint::{base::Checkpointer, strategy::CheckpointStrategy};
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::{Autodiff, NodeId};
use burn::backend::tensor::FloatTensor;
use burn::backend::wgpu::{CubeBackend, CubeTensor, KernelSource, SourceKernel, SourceTemplate};
use burn::backend::DispatchDevice;
use burn::backend::{backend_extension, Dispatch};
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::{DType, Shape};
use cubecl::ir::attributes::BufferIOAttr;
use cubecl::server::KernelArguments;
use cubecl::{prelude::KernelId, CubeCount, CubeDim};

/// A [`Linear`] layer's forward pass on `[batch, in]` inputs: the kernel below on a wgpu device
/// (WebGPU in the page, Vulkan/Metal/DX12 natively), burn's `Linear::forward` on any other.
pub fn dense(layer: &Linear, input: Tensor<2>) -> Tensor<2> {
    if !uses_kernel(&input.device()) {
        return layer.forward(input);
    }
    let (inputs, weight) = (input.dims()[1], layer.weight.dims());
    // Checked here, not in the kernel's launch, which fusion defers.
    assert_eq!(inputs, weight[0], "a dense layer of {weight:?} given {inputs} inputs");
    let output =
        Tensor::from_dispatch(Dispatch::dense_product(input.into_dispatch(), layer.weight.val().into_dispatch()));
    match &layer.bias {
        Some(bias) => output + bias.val().unsqueeze(),
        None => output,
    }
}

/// Whether [`dense`] takes the WGSL kernel on `device`: a wgpu device (with or without autodiff).
/// `cubecl::Device::Wgpu` is wgpu on its default compiler, WGSL, as long as burn's `vulkan` and
/// `metal` features (SPIR-V, MSL) stay off, as they are in this workspace.
pub fn uses_kernel(device: &Device) -> bool {
    matches!(device.clone().without_autodiff().as_dispatch(), DispatchDevice::Cube(cubecl::Device::Wgpu(_)))
}

/// The product as a backend operation, so that fusion records it and autodiff differentiates it.
#[backend_extension(Cube, Fusion, Autodiff)]
pub trait DenseProduct: burn::backend::Backend {
    /// `lhs [M, K] · rhs [K, N]`, any strides.
    #[fusion(dtype = lhs, shape = product_shape(lhs, rhs))]
    fn dense_product(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self>;
}

fn product_shape(lhs: &Shape, rhs: &Shape) -> Shape {
    Shape::from([lhs[0], rhs[1]])
}

/// Invocations a workgroup (x: columns, y: rows), 8 × 8, each computing a block of 8 rows × 4
/// columns of the output (`product.wgsl`): a 64 × 32 block a workgroup.
const WORKGROUP: (u32, u32) = (8, 8);
const BLOCK_ROWS: u32 = 8;
const BLOCK_COLUMNS: u32 = 4;

struct ProductKernel;

impl KernelSource for ProductKernel {
    fn source(&self) -> SourceTemplate {
        SourceTemplate::new(include_str!("product.wgsl"))
            .register("workgroup_size_x", WORKGROUP.0.to_string())
            .register("workgroup_size_y", WORKGROUP.1.to_string())
    }

    fn id(&self) -> KernelId {
        KernelId::new::<Self>()
    }

    fn lang(&self) -> &'static str {
        "wgsl"
    }
}

impl DenseProduct for CubeBackend {
    fn dense_product(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        assert_eq!(lhs.dtype, DType::F32, "the WGSL product reads f32");
        let (lhs_shape, rhs_shape) = (lhs.meta.shape(), rhs.meta.shape());
        let (m, k, n) = (lhs_shape[0], lhs_shape[1], rhs_shape[1]);
        assert_eq!(k, rhs_shape[0], "product of [{m}, {k}] and [{}, {n}]", rhs_shape[0]);
        let (lhs_strides, rhs_strides) = (lhs.meta.strides(), rhs.meta.strides());
        let info: Vec<u32> = [m, k, n, lhs_strides[0], lhs_strides[1], rhs_strides[0], rhs_strides[1]]
            .iter()
            .map(|&value| u32::try_from(value).expect("a dense layer's sizes fit in u32"))
            .collect();
        let client = lhs.client.clone();
        let info = client.create_from_slice(bytemuck::cast_slice(&info));
        let out_shape = Shape::from([m, n]);
        let buffer = client.empty(out_shape.num_elements() * DType::F32.size());
        let output = CubeTensor::new_contiguous(client.clone(), lhs.device.clone(), out_shape, buffer, DType::F32);
        let count = CubeCount::Static(
            (n as u32).div_ceil(BLOCK_COLUMNS * WORKGROUP.0),
            (m as u32).div_ceil(BLOCK_ROWS * WORKGROUP.1),
            1,
        );
        let cube_dim = CubeDim::new_3d(WORKGROUP.0, WORKGROUP.1, 1);
        client.launch(
            Box::new(SourceKernel::new(ProductKernel, cube_dim)),
            count,
            // Declared, so that a failed launch marks only the output as failed, not the layer's weights.
            KernelArguments::new()
                .with_buffer_io(lhs.handle.binding(), BufferIOAttr::ReadOnly)
                .with_buffer_io(rhs.handle.binding(), BufferIOAttr::ReadOnly)
                .with_buffer_io(output.handle.clone().binding(), BufferIOAttr::WriteOnly)
                .with_buffer_io(info.binding(), BufferIOAttr::ReadOnly),
        );
        output
    }
}

impl<B: DenseProduct, C: CheckpointStrategy> DenseProduct for Autodiff<B, C> {
    fn dense_product(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        /// d(lhs·rhs) = grad·rhsᵀ for lhs and lhsᵀ·grad for rhs.
        #[derive(Debug)]
        struct ProductBackward;

        impl<B: DenseProduct> Backward<B, 2> for ProductBackward {
            type State = (NodeId, NodeId);

            fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, checkpointer: &mut Checkpointer) {
                let [lhs_node, rhs_node] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                let (lhs_state, rhs_state) = ops.state;
                let lhs: FloatTensor<B> = checkpointer.retrieve_node_output(lhs_state);
                let rhs: FloatTensor<B> = checkpointer.retrieve_node_output(rhs_state);
                if let Some(node) = lhs_node {
                    grads.register::<B>(node.id, B::dense_product(grad.clone(), B::float_transpose(rhs)));
                }
                if let Some(node) = rhs_node {
                    grads.register::<B>(node.id, B::dense_product(B::float_transpose(lhs), grad));
                }
            }
        }

        match ProductBackward.prepare::<C>([lhs.node(), rhs.node()]).compute_bound().stateful() {
            OpsKind::Tracked(mut prep) => {
                let state = (prep.checkpoint(&lhs), prep.checkpoint(&rhs));
                let output = B::dense_product(lhs.into_primitive(), rhs.into_primitive());
                prep.finish(state, output)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::dense_product(lhs.into_primitive(), rhs.into_primitive())),
        }
    }
}
