//! The network of the reasoning task (issue 35): a small causal transformer that reads a problem
//! (`distill_data::problems`) and writes its solution one token at a time, with or without the
//! step-by-step work. Learned token and position embeddings, burn's pre-norm transformer layers
//! under a causal mask (dropout 0), a final layer norm (pre-norm layers have none), and a linear
//! head over the six symbols.
//!
//! [`set`] lays out what a student learns from for the shared [`crate::Trainer`] (the losses are
//! [`crate::loss`]'s, on the tokens after the prompt only); [`write`] makes a model write
//! solutions greedily, [`score`] checks them.

mod lesson;
pub mod set;
mod write;

pub use lesson::{ask, asked, lesson, writes_steps};
pub use set::{trainer, Lesson, Sequences};
pub use write::{score, write, Decoding, Marks, Written};

use crate::error::TrainError;
use crate::model::seeded;
use crate::weights::{float_tensors, with_values};
use burn::nn::attention::generate_autoregressive_mask;
use burn::nn::transformer::{TransformerEncoder, TransformerEncoderConfig, TransformerEncoderInput};
use burn::nn::{Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::prelude::*;
use distill_data::problems::{MAX_TOKENS, VOCABULARY};
pub use distill_data::reasoning_pack::{Asked, ReasonerShape, ReasonerWeights};

#[derive(Module, Debug)]
pub struct Reasoner {
    tokens: Embedding,
    positions: Embedding,
    layers: TransformerEncoder,
    norm: LayerNorm,
    head: Linear,
}

impl Reasoner {
    /// A network of `shape` with its weights drawn from `seed`.
    pub fn init(shape: &ReasonerShape, seed: u64, device: &Device) -> Reasoner {
        seeded(seed, device, || Reasoner {
            tokens: EmbeddingConfig::new(VOCABULARY, shape.width).init(device),
            positions: EmbeddingConfig::new(MAX_TOKENS, shape.width).init(device),
            layers: TransformerEncoderConfig::new(shape.width, shape.feed_forward, shape.heads, shape.layers)
                .with_dropout(0.0)
                .with_norm_first(true)
                .init(device),
            norm: LayerNormConfig::new(shape.width).init(device),
            head: LinearConfig::new(shape.width, VOCABULARY).init(device),
        })
    }

    /// A model with `weights` (checked against their shape when they were read), on `device`.
    pub fn from_weights(weights: &ReasonerWeights, device: &Device) -> Reasoner {
        let values = weights.tensors.iter().map(|(name, (_, values))| (name.clone(), values.clone())).collect();
        with_values(Reasoner::init(&weights.shape, 0, device), values)
    }

    /// This network (on its device, still learning if it was) with `weights`, which must be of
    /// its `shape`; nothing changes when they are not.
    pub fn with_weights(self, shape: &ReasonerShape, weights: &ReasonerWeights) -> Result<Reasoner, TrainError> {
        crate::weights::with_weights(self, shape, weights)
    }

    /// Its weights, read back, with `shape` (the one it was built with).
    pub async fn weights(&self, shape: ReasonerShape) -> Result<ReasonerWeights, TrainError> {
        let tensors = float_tensors(self).await?.into_iter().map(|(name, s, values)| (name, (s, values))).collect();
        Ok(ReasonerWeights { shape, tensors })
    }

    /// Next-token logits [n, length, vocabulary] at every position of `tokens` [n, length], each
    /// position reading only itself and those before it.
    pub fn logits(&self, tokens: Tensor<2, Int>) -> Tensor<3> {
        let [n, length] = tokens.dims();
        let device = tokens.device();
        let at = Tensor::<1, Int>::arange(0..length as i64, &device).reshape([1, length]).expand([n, length]);
        let x = self.tokens.forward(tokens) + self.positions.forward(at);
        let mask = generate_autoregressive_mask(n, length, &device);
        let x = self.layers.forward(TransformerEncoderInput::new(x).mask_attn(mask));
        self.head.forward(self.norm.forward(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_data::model_weights::ModelShape;

    #[test]
    fn a_position_reads_nothing_after_it() {
        let device = Device::flex();
        let shape = ReasonerShape { width: 16, heads: 2, layers: 2, feed_forward: 32 };
        let model = Reasoner::init(&shape, 1, &device);
        let tokens = |t: Vec<i64>| Tensor::<2, Int>::from_data(TensorData::new(t, [1, 5]), &device);
        let a = model.logits(tokens(vec![3, 1, 2, 4, 1])).into_data().try_to_vec::<f32>().unwrap();
        let b = model.logits(tokens(vec![3, 1, 2, 5, 0])).into_data().try_to_vec::<f32>().unwrap();
        let v = VOCABULARY;
        assert_eq!(a[..3 * v], b[..3 * v], "the first three positions see the same tokens");
        assert_ne!(a[3 * v..], b[3 * v..]);
    }

    #[test]
    fn weights_name_the_parameters_of_their_shape_and_load_back() {
        let device = Device::flex();
        let shape = ReasonerShape { width: 8, heads: 2, layers: 2, feed_forward: 16 };
        let model = Reasoner::init(&shape, 3, &device);
        let weights = pollster::block_on(model.weights(shape)).unwrap();
        let names: Vec<(String, Vec<usize>)> =
            weights.tensors.iter().map(|(n, (s, _))| (n.clone(), s.clone())).collect();
        let mut expected = shape.parameters();
        expected.sort();
        assert_eq!(names, expected);
        assert_eq!(model.num_params(), shape.parameter_count());
        let tokens = || Tensor::<2, Int>::from_data(TensorData::new(vec![3i64, 1, 2, 4], [1, 4]), &device);
        let out = |m: &Reasoner| m.logits(tokens()).into_data().try_to_vec::<f32>().unwrap();
        assert_eq!(out(&Reasoner::from_weights(&weights, &device)), out(&model));
        assert_ne!(out(&Reasoner::init(&shape, 4, &device)), out(&model));
    }
}
