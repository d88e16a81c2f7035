//! The reasoning pack: what the page downloads for the reasoning task, in one file, fetched only
//! when that task is chosen. Like a pipeline that distils a reasoning model, it caches the
//! teacher's work, not the teacher; and it carries the (small) teacher for the trace view:
//!
//! - `problems` U8 [n, 1 + MAX_BITS]: the problems asked, in order (a budget of N asks the first
//!   N), each its prompt (`$` and its bits) padded with `.`;
//! - `solutions` U8 [n, MAX_BITS + 4] and `solution_lengths` U8 [n]: what the teacher wrote after
//!   each prompt, sampled at `sample_temperature` from `sample_seed` (mistakes and all);
//! - `right` U8 [n]: whether each answer checks out (a reader checks it again);
//! - `top_tokens` U8 [tokens, k] and `top_probs` F16 [tokens, k]: at every token of every
//!   solution in order, the teacher's k most likely next tokens and their probabilities;
//! - `teacher.*` F16: the teacher's weights ([`ReasonerWeights`]).
//!
//! Metadata: `top_k`, `sample_temperature`, `sample_seed`, `sizes` (the problem sizes taught, e.g.
//! `5-8`: every problem asked is of one), the teacher's shape, and, for people, the teacher's id.

use crate::dataset::{safetensors_metadata, st_tensor};
use crate::model_weights::{floats, metadata_number, views, ModelShape, Weights};
use crate::problems::{check, text, Problem, END, MAX_BITS, START, VOCABULARY};
use crate::teacher::f16_bytes;
use crate::DataError;
use safetensors::{tensor::TensorView, Dtype};
use std::collections::HashMap;
use std::ops::RangeInclusive;

/// A reasoning network's weights (`distill_core::reasoning::Reasoner`).
pub type ReasonerWeights = Weights<ReasonerShape>;

/// Next tokens a pack caches at each step of a solution: all six symbols.
pub const TOP_K: usize = VOCABULARY;

/// The longest solution stored: `>`, a step per bit, `=`, the answer, `.`.
const LONGEST_SOLUTION: usize = MAX_BITS + 4;

/// The size of a reasoning network: a causal transformer over the problems' symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonerShape {
    /// Width of every token's vector.
    pub width: usize,
    pub heads: usize,
    pub layers: usize,
    /// Width of each layer's feed-forward part.
    pub feed_forward: usize,
}

impl ModelShape for ReasonerShape {
    /// burn's paths for its embeddings, its pre-norm transformer layers, the final norm and head.
    fn parameters(&self) -> Vec<(String, Vec<usize>)> {
        let (d, ff, v) = (self.width, self.feed_forward, VOCABULARY);
        let mut all = vec![
            ("tokens.weight".to_string(), vec![v, d]),
            ("positions.weight".to_string(), vec![crate::problems::MAX_TOKENS, d]),
        ];
        for layer in 0..self.layers {
            let at = |name: &str| format!("layers.layers.{layer}.{name}");
            for part in ["query", "key", "value", "output"] {
                all.push((at(&format!("mha.{part}.weight")), vec![d, d]));
                all.push((at(&format!("mha.{part}.bias")), vec![d]));
            }
            all.push((at("pwff.linear_inner.weight"), vec![d, ff]));
            all.push((at("pwff.linear_inner.bias"), vec![ff]));
            all.push((at("pwff.linear_outer.weight"), vec![ff, d]));
            all.push((at("pwff.linear_outer.bias"), vec![d]));
            for norm in ["norm_1", "norm_2"] {
                all.push((at(&format!("{norm}.gamma")), vec![d]));
                all.push((at(&format!("{norm}.beta")), vec![d]));
            }
        }
        all.extend([
            ("norm.gamma".to_string(), vec![d]),
            ("norm.beta".to_string(), vec![d]),
            ("head.weight".to_string(), vec![d, v]),
            ("head.bias".to_string(), vec![v]),
        ]);
        all
    }

    /// `width 64 · 4 heads · 2 layers · feed-forward 256`.
    fn describe(&self) -> String {
        format!(
            "width {} · {} heads · {} layers · feed-forward {}",
            self.width, self.heads, self.layers, self.feed_forward
        )
    }

    fn write_metadata(&self, into: &mut HashMap<String, String>) {
        into.insert("width".into(), self.width.to_string());
        into.insert("heads".into(), self.heads.to_string());
        into.insert("layers".into(), self.layers.to_string());
        into.insert("feed_forward".into(), self.feed_forward.to_string());
    }

    fn from_metadata(file: &str, metadata: &HashMap<String, String>) -> Result<ReasonerShape, DataError> {
        let number = |key: &str| metadata_number(file, metadata, key);
        let shape = ReasonerShape {
            width: number("width")?,
            heads: number("heads")?,
            layers: number("layers")?,
            feed_forward: number("feed_forward")?,
        };
        if shape.width % shape.heads != 0 || shape.layers > 16 {
            return Err(DataError::mismatch(
                file,
                format!("{} heads of a width of {} in {} layers", shape.heads, shape.width, shape.layers),
            ));
        }
        Ok(shape)
    }
}

/// One problem asked of the teacher, as its cache keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub problem: Problem,
    /// The solution it sampled after the prompt (`>` trace `=` answer `.`).
    pub solution: Vec<u8>,
    /// Its `k` most likely next tokens at each token of `solution`, most likely first, and their
    /// probabilities (at T = 1).
    pub top_tokens: Vec<u8>,
    pub top_probabilities: Vec<f32>,
}

impl Asked {
    /// How many next tokens are kept at each step.
    pub fn k(&self) -> usize {
        self.top_tokens.len() / self.solution.len().max(1)
    }

    /// Whether the teacher's answer checks out.
    pub fn is_right(&self) -> bool {
        check(&self.problem, &self.solution).answer_right
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReasoningPack {
    pub teacher: ReasonerWeights,
    pub asked: Vec<Asked>,
    /// `top_k`, `sample_temperature`, `sample_seed` and `sizes` are required; the rest is for people.
    pub metadata: HashMap<String, String>,
}

/// The sizes `a-b` of a pack's metadata, 1 ≤ a ≤ b < [`MAX_BITS`] (a test has one size more).
fn read_sizes(text: &str) -> Option<RangeInclusive<usize>> {
    let (a, b) = text.split_once('-')?;
    let (a, b) = (a.parse().ok()?, b.parse().ok()?);
    (1 <= a && a <= b && b < MAX_BITS).then_some(a..=b)
}

impl ReasoningPack {
    /// The problem sizes the teacher was taught and asked about.
    pub fn sizes(&self) -> RangeInclusive<usize> {
        self.metadata.get("sizes").and_then(|s| read_sizes(s)).expect("checked when read")
    }

    pub fn top_k(&self) -> usize {
        self.asked.first().map_or(0, Asked::k)
    }

    pub fn to_safetensors(&self) -> Vec<u8> {
        let n = self.asked.len();
        let k = self.top_k();
        let width = 1 + MAX_BITS;
        let mut problems = vec![END; n * width];
        let mut solutions = vec![END; n * LONGEST_SOLUTION];
        for (i, a) in self.asked.iter().enumerate() {
            let prompt = a.problem.prompt();
            problems[i * width..i * width + prompt.len()].copy_from_slice(&prompt);
            solutions[i * LONGEST_SOLUTION..i * LONGEST_SOLUTION + a.solution.len()].copy_from_slice(&a.solution);
        }
        let lengths: Vec<u8> = self.asked.iter().map(|a| a.solution.len() as u8).collect();
        let right: Vec<u8> = self.asked.iter().map(|a| u8::from(a.is_right())).collect();
        let top_tokens: Vec<u8> = self.asked.iter().flat_map(|a| a.top_tokens.iter().copied()).collect();
        let probs: Vec<f32> = self.asked.iter().flat_map(|a| a.top_probabilities.iter().copied()).collect();
        let probs = f16_bytes(&probs);
        let rows = top_tokens.len() / k.max(1);
        let halves = self.teacher.halves();
        let mut tensors = vec![
            u8s("problems", vec![n, width], &problems),
            u8s("solutions", vec![n, LONGEST_SOLUTION], &solutions),
            u8s("solution_lengths", vec![n], &lengths),
            u8s("right", vec![n], &right),
            u8s("top_tokens", vec![rows, k], &top_tokens),
            ("top_probs".to_string(), TensorView::new(Dtype::F16, vec![rows, k], &probs).expect("top_probs")),
        ];
        tensors.extend(views("teacher.", &halves, Dtype::F16));
        let mut metadata = self.metadata.clone();
        metadata.insert("top_k".into(), k.to_string());
        self.teacher.shape.write_metadata(&mut metadata);
        crate::tensors::serialize(tensors.iter().map(|(n, v)| (n.as_str(), v.clone())), &metadata)
            .expect("a reasoning pack")
    }

    /// Parses and validates a pack (`file` names it in messages): every tensor with its dtype and
    /// shape, problems that are problems, solutions of the vocabulary no longer than a solution of
    /// their size can be, `right` as the checking rule reads them, one row of top-k per solution
    /// token with probabilities in [0, 1], a sampling temperature, and a teacher of its shape.
    pub fn from_safetensors(file: &str, bytes: &[u8]) -> Result<ReasoningPack, DataError> {
        let st = crate::tensors::open(bytes).map_err(|e| DataError::corrupt(file, e.to_string()))?;
        let metadata = safetensors_metadata(bytes);
        let teacher = ReasonerWeights::read(file, &st, "teacher.", &metadata)?;
        let mismatch = |reason: String| DataError::mismatch(file, reason);
        let k = metadata_number(file, &metadata, "top_k")?;
        if k > VOCABULARY {
            return Err(mismatch(format!("`top_k` is {k}, more than the {VOCABULARY} symbols")));
        }
        for key in ["sample_temperature", "sample_seed"] {
            if metadata.get(key).and_then(|v| v.parse::<f64>().ok()).is_none_or(|v| !v.is_finite() || v < 0.0) {
                return Err(mismatch(format!("`{key}` is {:?}, expected a number", metadata.get(key))));
            }
        }
        let sizes_text = metadata.get("sizes").map_or("", String::as_str);
        let sizes = read_sizes(sizes_text)
            .ok_or_else(|| mismatch(format!("`sizes` is {sizes_text:?}, expected the sizes taught, e.g. 5-8")))?;
        let problems = st_tensor(file, &st, "problems", Dtype::U8)?;
        let n = problems.shape().first().copied().unwrap_or(0);
        let shaped = |name: &str, shape: &[usize]| -> Result<Vec<u8>, DataError> {
            let t = st_tensor(file, &st, name, Dtype::U8)?;
            if t.shape() != shape {
                return Err(DataError::mismatch(file, format!("`{name}` is {:?}, expected {shape:?}", t.shape())));
            }
            Ok(t.data().to_vec())
        };
        let width = 1 + MAX_BITS;
        let problems = shaped("problems", &[n, width])?;
        let solutions = shaped("solutions", &[n, LONGEST_SOLUTION])?;
        let lengths = shaped("solution_lengths", &[n])?;
        let right = shaped("right", &[n])?;
        let total: usize = lengths.iter().map(|&l| l as usize).sum();
        let top_tokens = shaped("top_tokens", &[total, k])?;
        let probs = st_tensor(file, &st, "top_probs", Dtype::F16)?;
        if probs.shape() != [total, k] {
            return Err(mismatch(format!("`top_probs` is {:?}, expected [{total}, {k}]", probs.shape())));
        }
        let top_probs = floats(probs.data(), Dtype::F16);
        if let Some(bad) = top_probs.iter().position(|p| !(0.0..=1.0).contains(p)) {
            return Err(DataError::corrupt(file, format!("`top_probs` row {} holds {}", bad / k, top_probs[bad])));
        }
        if let Some(bad) = top_tokens.iter().position(|&t| t as usize >= VOCABULARY) {
            return Err(mismatch(format!("`top_tokens` row {} names token {}", bad / k, top_tokens[bad])));
        }
        let mut asked = Vec::with_capacity(n);
        let mut at = 0;
        for i in 0..n {
            let row = &problems[i * width..(i + 1) * width];
            let problem = read_problem(row).ok_or_else(|| mismatch(format!("problem {i} is “{}”", text(row))))?;
            if !sizes.contains(&problem.size()) {
                return Err(mismatch(format!("problem {i} ({problem}) is not of the sizes {sizes_text}")));
            }
            let length = lengths[i] as usize;
            let solution = &solutions[i * LONGEST_SOLUTION..(i + 1) * LONGEST_SOLUTION];
            if length == 0
                || length > problem.size() + 4
                || solution[..length].iter().any(|&t| t as usize >= VOCABULARY)
            {
                return Err(mismatch(format!(
                    "the solution of problem {i} ({problem}) is not one the teacher can write"
                )));
            }
            let a = Asked {
                problem,
                solution: solution[..length].to_vec(),
                top_tokens: top_tokens[at * k..(at + length) * k].to_vec(),
                top_probabilities: top_probs[at * k..(at + length) * k].to_vec(),
            };
            at += length;
            if right[i] != u8::from(a.is_right()) {
                return Err(mismatch(format!(
                    "problem {i} ({}) says its answer is {}, and “{}” is not",
                    a.problem,
                    if right[i] == 1 { "right" } else { "wrong" },
                    text(&a.solution)
                )));
            }
            asked.push(a);
        }
        Ok(ReasoningPack { teacher, asked, metadata })
    }
}

fn u8s<'a>(name: &str, shape: Vec<usize>, data: &'a [u8]) -> (String, TensorView<'a>) {
    (name.to_string(), TensorView::new(Dtype::U8, shape, data).expect("a reasoning pack's tensor"))
}

/// A stored prompt: `$`, 1 to [`MAX_BITS`] bits, `.` after.
fn read_problem(row: &[u8]) -> Option<Problem> {
    let (&start, rest) = row.split_first()?;
    let bits = rest.iter().position(|&t| t == END).unwrap_or(rest.len());
    if start != START || rest[bits..].iter().any(|&t| t != END) {
        return None;
    }
    Problem::parse(&text(&rest[..bits])).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn shape() -> ReasonerShape {
        ReasonerShape { width: 4, heads: 2, layers: 1, feed_forward: 8 }
    }

    fn pack() -> ReasoningPack {
        let tensors: BTreeMap<String, (Vec<usize>, Vec<f32>)> = shape()
            .parameters()
            .into_iter()
            .map(|(name, s)| {
                let n = s.iter().product::<usize>();
                (name, (s, (0..n).map(|i| i as f32 / 8.0).collect()))
            })
            .collect();
        let asked = |bits: &str, solution: &[u8]| Asked {
            problem: Problem::parse(bits).unwrap(),
            solution: solution.to_vec(),
            top_tokens: solution.iter().flat_map(|&t| [t, 0]).collect(),
            top_probabilities: solution.iter().flat_map(|_| [0.75, 0.25]).collect(),
        };
        let metadata = [("sample_temperature", "2.5"), ("sample_seed", "1"), ("sizes", "2-4")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        ReasoningPack {
            teacher: Weights { shape: shape(), tensors },
            // 101: a right solution (>110=0.); 11: a wrong one; 1001: one cut off before its end.
            asked: vec![asked("101", &[4, 2, 2, 1, 5, 1, 0]), asked("11", &[5, 2, 0]), asked("1001", &[4, 2, 2, 2])],
            metadata: metadata.into_iter().collect(),
        }
    }

    #[test]
    fn a_pack_reads_back_as_written() {
        let p = pack();
        assert_eq!(p.asked.iter().map(Asked::is_right).collect::<Vec<_>>(), [true, false, false]);
        let read = ReasoningPack::from_safetensors("p", &p.to_safetensors()).unwrap();
        assert_eq!(read.asked, p.asked);
        assert_eq!(read.teacher, p.teacher);
        assert_eq!((read.top_k(), read.sizes()), (2, 2..=4));
        assert_eq!(shape().parameter_count(), 6 * 4 + 36 * 4 + 4 * 20 + 4 * 8 + 8 + 8 * 4 + 4 + 4 * 4 + 8 + 4 * 6 + 6);
    }

    #[test]
    fn a_damaged_pack_is_refused_with_what_is_wrong() {
        let refused = |p: &ReasoningPack| {
            ReasoningPack::from_safetensors("p.safetensors", &p.to_safetensors()).unwrap_err().to_string()
        };
        let mut p = pack();
        p.asked[0].solution = vec![4, 2, 7, 0];
        p.asked[0].top_tokens = vec![0; 8];
        p.asked[0].top_probabilities = vec![0.5; 8];
        assert!(refused(&p).contains("the solution of problem 0 (101) is not one"), "{}", refused(&p));
        let mut p = pack();
        p.asked[1].solution = vec![4, 2, 1, 5, 1, 0, 0];
        p.asked[1].top_tokens = vec![0; 14];
        p.asked[1].top_probabilities = vec![0.5; 14];
        assert!(refused(&p).contains("the solution of problem 1 (11) is not one"), "{}", refused(&p));
        let mut p = pack();
        p.metadata.remove("sample_temperature");
        assert!(refused(&p).contains("`sample_temperature`"), "{}", refused(&p));
        let mut p = pack();
        p.metadata.insert("sizes".into(), "3-4".into());
        assert!(refused(&p).contains("problem 1 (11) is not of the sizes 3-4"), "{}", refused(&p));
        p.metadata.insert("sizes".into(), "4-16".into());
        assert!(refused(&p).contains("`sizes` is \"4-16\", expected"), "{}", refused(&p));
        let mut p = pack();
        p.asked[2].top_probabilities[0] = 1.5;
        assert!(refused(&p).contains("`top_probs` row"), "{}", refused(&p));
        // A pack whose `right` lies about an answer.
        let mut bytes = pack().to_safetensors();
        let header = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        let json: serde_json::Value = serde_json::from_slice(&bytes[8..8 + header]).unwrap();
        let at = 8 + header + json["right"]["data_offsets"][0].as_u64().unwrap() as usize;
        bytes[at + 1] = 1;
        let error = ReasoningPack::from_safetensors("p", &bytes).unwrap_err().to_string();
        assert!(error.contains("problem 1 (11) says its answer is right, and “=1.” is not"), "{error}");
    }
}
