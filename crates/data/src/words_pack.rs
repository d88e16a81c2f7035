//! The words pack: what the page downloads for the language-model task (`task=words`), in one
//! file, fetched only when that task is chosen. A distillation pipeline for a large model caches
//! the teacher's answers, not the teacher; this pack holds both kinds of answer such a pipeline
//! keeps, and the (small) teacher itself for what only a white box can give:
//!
//! - `train_words`, `test_words` U8 [tokens]: words as tokens, each followed by the boundary 0;
//! - `top_tokens` U8 [positions, k] and `top_probs` F16 [positions, k]: for every position of
//!   every train word in order (its letters and its end), the teacher's k most likely next tokens
//!   and their probabilities, not renormalised (`distill_core::language::targets`);
//! - `samples` U8 [tokens]: words the teacher wrote (sampled at `sample_temperature` from a fixed
//!   seed), what a black-box student learns from;
//! - `teacher.*` F16: the teacher's weights ([`WordWeights`]), so the page can give the white
//!   box's full distribution at any temperature, and the teacher's next letter after any prefix.
//!
//! Metadata: `language`, `context`, `top_k`, `sample_temperature`, `sample_seed`, and the
//! teacher's (`teacher`, `test_bits_per_char`, ...).

use crate::dataset::{safetensors_metadata, st_tensor};
use crate::model_weights::{floats, metadata_number, views, ModelShape, Weights};
use crate::teacher::f16_bytes;
use crate::words::{WordSource, BOUNDARY};
use crate::DataError;
use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use std::collections::HashMap;

/// Next tokens cached per position (k): the most `top1`..`top8` can ask for.
pub const TOP_K: usize = 8;

/// A word model's weights, stored in half precision in a teacher's file and a pack.
pub type WordWeights = Weights<WordShape>;

/// What a word model is: enough to build one (`distill_core::language::WordModel::init`).
#[derive(Debug, Clone, PartialEq)]
pub struct WordShape {
    pub vocabulary: usize,
    pub context: usize,
    pub embedding: usize,
    pub hidden: Vec<usize>,
}

impl WordShape {
    /// `context 8 · embedding 24 · 512-512`: how the page and the manifests describe it.
    pub fn describe(&self) -> String {
        let hidden: Vec<String> = self.hidden.iter().map(|h| h.to_string()).collect();
        format!("context {} · embedding {} · {}", self.context, self.embedding, hidden.join("-"))
    }

    /// The parameters (every tensor's path and shape) a model of this shape has.
    pub fn parameters(&self) -> Vec<(String, Vec<usize>)> {
        let mut all = vec![("embedding.weight".to_string(), vec![self.vocabulary, self.embedding])];
        let mut width = self.context * self.embedding;
        for (i, &h) in self.hidden.iter().enumerate() {
            all.push((format!("hidden.{i}.weight"), vec![width, h]));
            all.push((format!("hidden.{i}.bias"), vec![h]));
            width = h;
        }
        all.push(("output.weight".to_string(), vec![width, self.vocabulary]));
        all.push(("output.bias".to_string(), vec![self.vocabulary]));
        all
    }

    pub fn parameter_count(&self) -> usize {
        ModelShape::parameter_count(self)
    }
}

impl ModelShape for WordShape {
    fn parameters(&self) -> Vec<(String, Vec<usize>)> {
        WordShape::parameters(self)
    }

    fn describe(&self) -> String {
        WordShape::describe(self)
    }

    fn write_metadata(&self, into: &mut HashMap<String, String>) {
        into.insert("vocabulary".into(), self.vocabulary.to_string());
        into.insert("context".into(), self.context.to_string());
        into.insert("embedding".into(), self.embedding.to_string());
        let hidden: Vec<String> = self.hidden.iter().map(|h| h.to_string()).collect();
        into.insert("hidden".into(), hidden.join("-"));
    }

    fn from_metadata(file: &str, metadata: &HashMap<String, String>) -> Result<WordShape, DataError> {
        let number = |key: &str| metadata_number(file, metadata, key);
        let hidden_text = metadata.get("hidden").map(String::as_str).unwrap_or("");
        let hidden: Option<Vec<usize>> =
            hidden_text.split('-').map(|h| h.parse().ok().filter(|&n| (1..=4096).contains(&n))).collect();
        let hidden = hidden.filter(|h| (1..=4).contains(&h.len())).ok_or_else(|| {
            DataError::mismatch(file, format!("`hidden` is {hidden_text:?}, expected widths like 512-512"))
        })?;
        Ok(WordShape {
            vocabulary: number("vocabulary")?,
            context: number("context")?,
            embedding: number("embedding")?,
            hidden,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WordsPack {
    pub train: Vec<Vec<u8>>,
    pub test: Vec<Vec<u8>>,
    /// k: cached next tokens per position.
    pub top_k: usize,
    /// [positions, k] over every position of `train` in order.
    pub top_tokens: Vec<u8>,
    pub top_probs: Vec<f32>,
    pub samples: Vec<Vec<u8>>,
    pub teacher: WordWeights,
    /// `language` and `context` are required; the rest is for people.
    pub metadata: HashMap<String, String>,
}

/// The number of next-token positions of `words`: each letter and each end.
pub fn positions(words: &[Vec<u8>]) -> usize {
    words.iter().map(|w| w.len() + 1).sum()
}

fn joined(words: &[Vec<u8>]) -> Vec<u8> {
    words.iter().flat_map(|w| w.iter().copied().chain([BOUNDARY])).collect()
}

impl WordsPack {
    pub fn to_safetensors(&self) -> Vec<u8> {
        let (train, test, samples) = (joined(&self.train), joined(&self.test), joined(&self.samples));
        let probs = f16_bytes(&self.top_probs);
        let rows = self.top_tokens.len() / self.top_k; // written as held; reading checks it
        let halves = self.teacher.halves();
        let mut views = vec![
            ("train_words".to_string(), TensorView::new(Dtype::U8, vec![train.len()], &train).unwrap()),
            ("test_words".to_string(), TensorView::new(Dtype::U8, vec![test.len()], &test).unwrap()),
            ("samples".to_string(), TensorView::new(Dtype::U8, vec![samples.len()], &samples).unwrap()),
            ("top_tokens".to_string(), TensorView::new(Dtype::U8, vec![rows, self.top_k], &self.top_tokens).unwrap()),
            ("top_probs".to_string(), TensorView::new(Dtype::F16, vec![rows, self.top_k], &probs).unwrap()),
        ];
        views.extend(self::views("teacher.", &halves, Dtype::F16));
        let mut metadata = self.metadata.clone();
        metadata.insert("top_k".into(), self.top_k.to_string());
        self.teacher.shape.write_metadata(&mut metadata);
        crate::tensors::serialize(views.iter().map(|(n, v)| (n.as_str(), v.clone())), &metadata).expect("a words pack")
    }

    /// Parses and validates a pack (`file` names it in messages): a language the project has, every
    /// tensor with its dtype and shape, tokens of that alphabet, one row of top-k per train
    /// position, probabilities in [0, 1], a teacher of the pack's vocabulary and context.
    pub fn from_safetensors(file: &str, bytes: &[u8]) -> Result<WordsPack, DataError> {
        let st = crate::tensors::open(bytes).map_err(|e| DataError::corrupt(file, e.to_string()))?;
        let metadata = safetensors_metadata(bytes);
        let language = metadata.get("language").map(String::as_str).unwrap_or("");
        let source = crate::words::ALL
            .into_iter()
            .find(|s| s.language == language)
            .ok_or_else(|| DataError::mismatch(file, format!("`language` is {language:?}, expected en or es")))?;
        let teacher = WordWeights::read(file, &st, "teacher.", &metadata)?;
        if teacher.shape.vocabulary != source.vocabulary() {
            return Err(DataError::mismatch(
                file,
                format!(
                    "its teacher has {} tokens, the {language} alphabet {}",
                    teacher.shape.vocabulary,
                    source.vocabulary()
                ),
            ));
        }
        let words = |name: &str| read_words(file, &st, name, &source);
        let (train, test, samples) = (words("train_words")?, words("test_words")?, words("samples")?);
        let rows = positions(&train);
        let tokens = st_tensor(file, &st, "top_tokens", Dtype::U8)?;
        let top_k = tokens.shape().get(1).copied().unwrap_or(0);
        if tokens.shape() != [rows, top_k] || !(1..=source.vocabulary()).contains(&top_k) {
            return Err(DataError::mismatch(
                file,
                format!(
                    "`top_tokens` is {:?}, expected [{rows}, k] (one row per train position, k ≤ {})",
                    tokens.shape(),
                    source.vocabulary()
                ),
            ));
        }
        let probs = st_tensor(file, &st, "top_probs", Dtype::F16)?;
        if probs.shape() != [rows, top_k] {
            return Err(DataError::mismatch(
                file,
                format!("`top_probs` is {:?}, expected [{rows}, {top_k}]", probs.shape()),
            ));
        }
        if let Some(bad) = tokens.data().iter().position(|&t| t as usize >= source.vocabulary()) {
            return Err(DataError::mismatch(
                file,
                format!("`top_tokens` row {} names token {}", bad / top_k, tokens.data()[bad]),
            ));
        }
        let top_probs = floats(probs.data(), Dtype::F16);
        if let Some(bad) = top_probs.iter().position(|p| !(0.0..=1.0).contains(p)) {
            return Err(DataError::corrupt(file, format!("`top_probs` row {} holds {}", bad / top_k, top_probs[bad])));
        }
        Ok(WordsPack { train, test, top_k, top_tokens: tokens.data().to_vec(), top_probs, samples, teacher, metadata })
    }

    /// The word list this pack's words come from.
    pub fn source(&self) -> WordSource {
        let language = self.metadata.get("language").map(String::as_str);
        crate::words::ALL.into_iter().find(|s| Some(s.language) == language).expect("checked when read")
    }
}

/// Words stored as tokens each followed by the boundary: every token of the alphabet, no empty
/// word, the last one ended.
fn read_words(file: &str, st: &SafeTensors, name: &str, source: &WordSource) -> Result<Vec<Vec<u8>>, DataError> {
    let t = st_tensor(file, st, name, Dtype::U8)?;
    let data = t.data();
    if t.shape().len() != 1 || data.last().is_some_and(|&t| t != BOUNDARY) {
        return Err(DataError::mismatch(file, format!("`{name}` must be one row of words, each ended by 0")));
    }
    if let Some(&bad) = data.iter().find(|&&t| t as usize >= source.vocabulary()) {
        return Err(DataError::mismatch(
            file,
            format!("`{name}` holds token {bad}, past the alphabet's {}", source.vocabulary() - 1),
        ));
    }
    let words: Vec<Vec<u8>> = data.split(|&t| t == BOUNDARY).map(<[u8]>::to_vec).collect();
    let words = &words[..words.len().saturating_sub(1)]; // after the last boundary: nothing
    if words.iter().any(Vec::is_empty) {
        return Err(DataError::mismatch(file, format!("`{name}` holds an empty word")));
    }
    Ok(words.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::ENGLISH;

    fn shape() -> WordShape {
        WordShape { vocabulary: 27, context: 3, embedding: 2, hidden: vec![4] }
    }

    fn weights() -> WordWeights {
        let tensors = shape()
            .parameters()
            .into_iter()
            .map(|(name, s)| {
                let n = s.iter().product::<usize>();
                (name, (s, (0..n).map(|i| (i % 9) as f32 * 0.25 - 1.0).collect()))
            })
            .collect();
        WordWeights { shape: shape(), tensors }
    }

    fn pack() -> WordsPack {
        let train = vec![vec![3, 1, 20], vec![4, 15, 7]]; // cat, dog: 8 positions
        let top_tokens: Vec<u8> = (0..8 * 2).map(|i| (i % 27) as u8).collect();
        let top_probs: Vec<f32> = (0..8 * 2).map(|i| if i % 2 == 0 { 0.5 } else { 0.25 }).collect();
        WordsPack {
            train,
            test: vec![vec![2, 9, 18, 4]],
            top_k: 2,
            top_tokens,
            top_probs,
            samples: vec![vec![1], vec![26, 26]],
            teacher: weights(),
            metadata: HashMap::from([("language".into(), "en".into())]),
        }
    }

    #[test]
    fn a_pack_round_trips_and_knows_its_alphabet() {
        let p = pack();
        let read = WordsPack::from_safetensors("p", &p.to_safetensors()).unwrap();
        assert_eq!(
            (read.train.clone(), read.test.clone(), read.samples.clone()),
            (p.train.clone(), p.test.clone(), p.samples.clone())
        );
        assert_eq!((read.top_k, &read.top_tokens, &read.top_probs), (2, &p.top_tokens, &p.top_probs));
        assert_eq!(read.teacher, p.teacher, "weights chosen exact in half precision");
        assert_eq!(read.source().language, ENGLISH.language);
        assert_eq!(positions(&read.train), 8);
        assert_eq!(shape().describe(), "context 3 · embedding 2 · 4");
        assert_eq!(shape().parameter_count(), 27 * 2 + 6 * 4 + 4 + 4 * 27 + 27);
    }

    #[test]
    fn a_damaged_pack_is_refused_with_the_reason() {
        let refused = |p: WordsPack| {
            WordsPack::from_safetensors("words-en.safetensors", &p.to_safetensors()).unwrap_err().to_string()
        };
        let mut p = pack();
        p.metadata.insert("language".into(), "fr".into());
        assert!(refused(p).contains("`language` is \"fr\", expected en or es"));
        let mut p = pack();
        p.top_tokens.truncate(12);
        p.top_probs.truncate(12);
        assert!(refused(p).contains("`top_tokens` is [6, 2], expected [8, k]"));
        let mut p = pack();
        p.top_tokens[5] = 27;
        assert!(refused(p).contains("`top_tokens` row 2 names token 27"));
        let mut p = pack();
        p.top_probs[3] = 1.5;
        assert!(refused(p).contains("`top_probs` row 1 holds 1.5"));
        let mut p = pack();
        p.samples[0] = vec![40];
        assert!(refused(p).contains("`samples` holds token 40, past the alphabet's 26"));
        let mut p = pack();
        p.teacher.tensors.get_mut("output.bias").unwrap().1[0] = f32::NAN; // an infinity is written at the edge
        assert!(refused(p).contains("`teacher.output.bias` has a value that is not finite"));
        let mut p = pack();
        p.teacher.tensors.remove("hidden.0.bias");
        assert!(refused(p).contains("no tensor named `teacher.hidden.0.bias`"));
        let err = WordsPack::from_safetensors("words-en.safetensors", b"nonsense").unwrap_err().to_string();
        assert!(err.starts_with("words-en.safetensors is corrupt"), "{err}");
    }

    #[test]
    fn committed_weights_round_trip_with_their_shape() {
        let w = weights();
        let bytes = w.to_safetensors(HashMap::from([("teacher".into(), "words-en".into())]));
        assert_eq!(WordWeights::from_safetensors("w", &bytes).unwrap(), w);
        assert_eq!(safetensors_metadata(&bytes)["hidden"], "4");
    }
}
