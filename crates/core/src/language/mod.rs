//! The network of the language-model task (issue 14): a character-level MLP language model in the
//! manner of Bengio et al. (2003). Each of the `context` tokens before a position is embedded, the
//! embeddings are laid side by side, then ReLU layers give logits over the vocabulary (the
//! letters and the boundary, `distill_data::words`). The losses are [`crate::loss`]'s: they do
//! not care whether the classes are digits or letters. Scored in bits per character: the mean
//! cross-entropy of the true next token, in bits (log₂ of the vocabulary for a uniform guess).
//!
//! [`targets`] turns a teacher's logits into what each distillation mode lets a student see,
//! [`trainer`] makes a student that learns it with the shared [`crate::Trainer`], [`sample_words`]
//! makes a model invent words.

mod lesson;
mod sample;
pub mod targets;
mod trainer;

pub use lesson::{needs_teacher_logits, training_set};
pub use sample::{sample_words, teacher_text};
pub use trainer::{trainer, WordSet};

use crate::error::TrainError;
use crate::loss::hard_label_loss;
use crate::model::{dense, seeded};
use crate::weights::{float_tensors, with_values};
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::relu;
use distill_data::words_pack::{WordShape, WordWeights};
use distill_spec::argmax;

#[derive(Module, Debug)]
pub struct WordModel {
    embedding: Embedding,
    hidden: Vec<Linear>,
    output: Linear,
}

impl WordModel {
    /// A network of `shape` with its weights drawn from `seed`.
    pub fn init(shape: &WordShape, seed: u64, device: &Device) -> WordModel {
        seeded(seed, device, || {
            let mut width = shape.context * shape.embedding;
            let mut hidden = Vec::new();
            for &w in &shape.hidden {
                hidden.push(LinearConfig::new(width, w).init(device));
                width = w;
            }
            WordModel {
                embedding: EmbeddingConfig::new(shape.vocabulary, shape.embedding).init(device),
                hidden,
                output: LinearConfig::new(width, shape.vocabulary).init(device),
            }
        })
    }

    /// A model with `weights` (checked against their shape when they were read), on `device`.
    pub fn from_weights(weights: &WordWeights, device: &Device) -> WordModel {
        let values = weights.tensors.iter().map(|(name, (_, values))| (name.clone(), values.clone())).collect();
        with_values(WordModel::init(&weights.shape, 0, device), values)
    }

    /// This network (on its device, still learning if it was) with `weights`, which must be of
    /// its `shape`; nothing changes when they are not.
    pub fn with_weights(self, shape: &WordShape, weights: &WordWeights) -> Result<WordModel, TrainError> {
        crate::weights::with_weights(self, shape, weights)
    }

    /// Its weights, read back, with `shape` (the config it was built from).
    pub async fn weights(&self, shape: WordShape) -> Result<WordWeights, TrainError> {
        let tensors = float_tensors(self).await?.into_iter().map(|(name, s, values)| (name, (s, values))).collect();
        Ok(WordWeights { shape, tensors })
    }

    /// Logits [batch, vocabulary] for `contexts` [batch, context] of tokens.
    pub fn forward(&self, contexts: Tensor<2, Int>) -> Tensor<2> {
        let mut x: Tensor<2> = self.embedding.forward(contexts).flatten(1, 2);
        for layer in &self.hidden {
            x = relu(dense(layer, x));
        }
        dense(&self.output, x)
    }
}

/// Next-token examples laid out for training: `context` tokens then the target, one row each.
#[derive(Debug, Clone, PartialEq)]
pub struct Examples {
    pub context: usize,
    pub contexts: Vec<u8>,
    pub targets: Vec<u8>,
}

impl Examples {
    /// Every next-token example of `words` (token sequences, `distill_data::words`), `context`
    /// tokens of context each, word after word.
    pub fn of_words(words: &[Vec<u8>], context: usize) -> Examples {
        let mut all = Examples { context, contexts: Vec::new(), targets: Vec::new() };
        for (context, target) in words.iter().flat_map(|w| distill_data::words::examples(w, context)) {
            all.contexts.extend(context);
            all.targets.push(target);
        }
        all
    }

    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Rows `rows` as tensors on `device`: contexts [n, context] and targets [n].
    pub(crate) fn batch(&self, rows: &[usize], device: &Device) -> (Tensor<2, Int>, Tensor<1, Int>) {
        let c = self.context;
        let contexts: Vec<i64> =
            rows.iter().flat_map(|&r| self.contexts[r * c..(r + 1) * c].iter().map(|&t| t as i64)).collect();
        let targets: Vec<i64> = rows.iter().map(|&r| self.targets[r] as i64).collect();
        (
            Tensor::from_data(TensorData::new(contexts, [rows.len(), c]), device),
            Tensor::from_data(TensorData::new(targets, [rows.len()]), device),
        )
    }
}

/// The model's bits per character on `examples`: mean −log₂ p(true next token). Read back with
/// `into_data_async`, so it also runs on WebGPU in wasm.
pub async fn bits_per_char(model: &WordModel, examples: &Examples, device: &Device) -> Result<f64, TrainError> {
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let rows: Vec<usize> = (0..examples.len()).collect();
    let mut nats = 0.0;
    for chunk in rows.chunks(4096) {
        let (contexts, targets) = examples.batch(chunk, &device);
        let read = TrainError::read_back("bits per character");
        let data = hard_label_loss(model.forward(contexts), targets).into_data_async().await.map_err(|e| read(&e))?;
        let loss = data.try_to_vec::<f32>().map_err(|e| read(&e))?;
        nats += loss[0] as f64 * chunk.len() as f64;
    }
    Ok(nats / examples.len().max(1) as f64 / std::f64::consts::LN_2)
}

/// The model's logits [examples, vocabulary] for every example (in inference mode), in chunks.
pub async fn logits(model: &WordModel, examples: &Examples, device: &Device) -> Result<Vec<f32>, TrainError> {
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let rows: Vec<usize> = (0..examples.len()).collect();
    let mut out = Vec::new();
    for chunk in rows.chunks(4096) {
        let (contexts, _) = examples.batch(chunk, &device);
        let read = TrainError::read_back("logits");
        let data = model.forward(contexts).into_data_async().await.map_err(|e| read(&e))?;
        out.extend(data.try_to_vec::<f32>().map_err(|e| read(&e))?);
    }
    Ok(out)
}

/// A model's figures on a set of examples, from its logits there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Mean −log₂ p(true next token).
    pub bits_per_char: f64,
    /// Share of examples whose next token is the model's most likely.
    pub accuracy: f64,
    /// Share where its most likely is the teacher's (NaN without the teacher's logits).
    pub agreement: f64,
}

/// Scores `logits` ([examples, vocabulary], flat) on `examples`, and against `teacher` logits.
pub fn score(logits: &[f32], examples: &Examples, teacher: Option<&[f32]>) -> Scores {
    let vocabulary = logits.len() / examples.len().max(1);
    let (mut nats, mut right) = (0.0, 0usize);
    for (row, &target) in logits.chunks(vocabulary).zip(&examples.targets) {
        let p = distill_spec::softmax(row, 1.0)[target as usize].max(f32::MIN_POSITIVE);
        nats -= (p as f64).ln();
        right += usize::from(argmax(row) == target as usize);
    }
    let n = examples.len().max(1) as f64;
    Scores {
        bits_per_char: nats / n / std::f64::consts::LN_2,
        accuracy: right as f64 / n,
        agreement: teacher.map_or(f64::NAN, |t| top1_agreement(logits, t, vocabulary)),
    }
}

/// The share of rows where two sets of logits ([n, vocabulary]) rank the same token first.
pub fn top1_agreement(a: &[f32], b: &[f32], vocabulary: usize) -> f64 {
    let rows = a.len() / vocabulary;
    let same = a.chunks(vocabulary).zip(b.chunks(vocabulary)).filter(|(x, y)| argmax(x) == argmax(y)).count();
    same as f64 / rows.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trainer::Plan;

    /// Words over a 4-letter alphabet where each letter is followed by the next (a→b→c→d→end):
    /// a model with context learns it; nothing does better than log₂ 5 without.
    fn chain() -> Examples {
        let mut e = Examples { context: 2, contexts: Vec::new(), targets: Vec::new() };
        for start in 1..=4u8 {
            let word: Vec<u8> = (start..=4).collect();
            for at in 0..=word.len() {
                let before = |back: usize| at.checked_sub(back).map_or(0, |i| word[i]);
                e.contexts.extend([before(2), before(1)]);
                e.targets.push(word.get(at).copied().unwrap_or(0));
            }
        }
        e
    }

    #[test]
    fn weights_name_the_parameters_of_their_shape_and_load_back() {
        let device = Device::flex();
        let shape = WordShape { vocabulary: 5, context: 2, embedding: 3, hidden: vec![4, 6] };
        let model = WordModel::init(&shape, 3, &device);
        let weights = pollster::block_on(model.weights(shape.clone())).unwrap();
        let names: Vec<(String, Vec<usize>)> =
            weights.tensors.iter().map(|(n, (s, _))| (n.clone(), s.clone())).collect();
        let mut expected = shape.parameters();
        expected.sort();
        assert_eq!(names, expected);
        let contexts = || Tensor::<2, Int>::from_data(TensorData::new(vec![1i64, 2, 0, 4], [2, 2]), &device);
        let loaded = WordModel::from_weights(&weights, &device);
        let out = |m: &WordModel| m.forward(contexts()).into_data().try_to_vec::<f32>().unwrap();
        assert_eq!(out(&loaded), out(&model));
        assert_ne!(out(&WordModel::init(&shape, 4, &device)), out(&model));
    }

    #[test]
    fn every_position_of_every_word_is_a_row() {
        let e = Examples::of_words(&[vec![3, 1], vec![7]], 2);
        assert_eq!(e.contexts, [0, 0, 0, 3, 3, 1, 0, 0, 0, 7]);
        assert_eq!(e.targets, [3, 1, 0, 7, 0]);
    }

    #[test]
    fn a_model_learns_a_letter_chain_far_below_the_uniform_guess_the_same_way_for_a_seed() {
        let device = Device::flex().autodiff();
        let shape = WordShape { vocabulary: 5, context: 2, embedding: 8, hidden: vec![32] };
        let examples = chain();
        let bits = |model: &WordModel| pollster::block_on(bits_per_char(model, &examples, &device)).unwrap();
        let fresh = WordModel::init(&shape, 7, &device);
        let before = bits(&fresh);
        assert!((before - 5f64.log2()).abs() < 0.5, "untrained: {before} bits, about log2 5 = 2.32");
        let train = || {
            let plan =
                Plan { epochs: 200.0, batch_size: 4, learning_rate: 0.01, temperature: 1.0, alpha: 0.0, seed: 7 };
            let mut trainer = trainer(&shape, examples.clone(), None, plan, &device).unwrap();
            while !trainer.is_done() {
                trainer.step();
            }
            assert!(pollster::block_on(trainer.take_metrics()).unwrap().total_loss.is_finite());
            trainer.model().clone()
        };
        let trained = train();
        let after = bits(&trained);
        let logits = pollster::block_on(logits(&trained, &examples, &device)).unwrap();
        let scores = score(&logits, &examples, Some(&logits));
        assert!((scores.bits_per_char - after).abs() < 1e-4, "{scores:?} against {after}");
        // Every position but a word's first letter is certain: 10 of 14 right at least.
        assert!(scores.accuracy >= 10.0 / 14.0 && scores.agreement == 1.0, "{scores:?}");
        // Only the first letter of a word is uncertain (4 choices in 14 positions): 4/14·2 = 0.57 bits.
        assert!(after < 0.75, "trained: {after} bits");
        assert_eq!(bits(&train()), after, "the same seed, the same model");
    }
}
