//! A model writing solutions: after each problem's prompt, one token at a time, each the model's
//! most likely next token (greedy, how a student is scored) or one drawn from its distribution at
//! a temperature (how a teacher's traces are sampled, mistakes and all). Then the checking rule
//! ([`distill_data::problems::check`]) marks them, by problem size.

use super::Reasoner;
use crate::error::TrainError;
use crate::rng::Rng;
use burn::prelude::*;
use distill_data::problems::{check, Problem, END, VOCABULARY};
use distill_spec::softmax;

/// What a model wrote after one prompt: its tokens up to and including the first `.` (or as many
/// as a solution of that size can have), and its next-token distribution (at T = 1) at each.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub tokens: Vec<u8>,
    pub distributions: Vec<Vec<f32>>,
}

impl Written {
    /// The probability the model gave each token it wrote.
    pub fn probabilities(&self) -> Vec<f32> {
        self.tokens.iter().zip(&self.distributions).map(|(&t, p)| p[t as usize]).collect()
    }
}

/// How each next token is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decoding {
    /// The most likely (ties to the lower token).
    Greedy,
    /// Drawn from softmax(z/T), from a generator seeded by `seed`.
    Sample { temperature: f32, seed: u64 },
}

/// The solutions `model` writes for `problems`, in their order. Problems of a size are written
/// together, a batch at a time; each step reads back only the last position's logits.
pub async fn write(
    model: &Reasoner,
    problems: &[Problem],
    decoding: Decoding,
    device: &Device,
) -> Result<Vec<Written>, TrainError> {
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let mut rng = match decoding {
        Decoding::Sample { seed, .. } => Rng::new(seed),
        Decoding::Greedy => Rng::new(0),
    };
    let mut out: Vec<Option<Written>> = vec![None; problems.len()];
    let mut sizes: Vec<usize> = problems.iter().map(Problem::size).collect();
    sizes.sort_unstable();
    sizes.dedup();
    for size in sizes {
        let of_size: Vec<usize> = (0..problems.len()).filter(|&i| problems[i].size() == size).collect();
        for chunk in of_size.chunks(512) {
            let mut rows: Vec<Vec<u8>> = chunk.iter().map(|&i| problems[i].prompt()).collect();
            let mut written: Vec<Written> =
                chunk.iter().map(|_| Written { tokens: Vec::new(), distributions: Vec::new() }).collect();
            // The longest solution: `>`, a step per bit, `=`, the answer, `.`.
            for _ in 0..size + 4 {
                let length = rows[0].len();
                let flat: Vec<i64> = rows.iter().flatten().map(|&t| t as i64).collect();
                let tokens = Tensor::<2, Int>::from_data(TensorData::new(flat, [rows.len(), length]), &device);
                let last = model.logits(tokens).slice(s![.., length - 1..length, ..]).reshape([rows.len(), VOCABULARY]);
                let read = TrainError::read_back("the next token");
                let data = last.into_data_async().await.map_err(|e| read(&e))?;
                let logits = data.try_to_vec::<f32>().map_err(|e| read(&e))?;
                let vocabulary = logits.len() / rows.len();
                for ((row, w), z) in rows.iter_mut().zip(&mut written).zip(logits.chunks(vocabulary)) {
                    let p = softmax(z, 1.0);
                    let token = match decoding {
                        Decoding::Greedy => distill_spec::argmax(z),
                        Decoding::Sample { temperature, .. } => rng.pick(&softmax(z, temperature)),
                    };
                    row.push(token as u8);
                    if w.tokens.last() != Some(&END) {
                        w.tokens.push(token as u8);
                        w.distributions.push(p);
                    }
                }
            }
            for (&i, w) in chunk.iter().zip(written) {
                out[i] = Some(w);
            }
        }
    }
    Ok(out.into_iter().map(|w| w.expect("every problem written")).collect())
}

/// A model's marks on the problems of one size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marks {
    pub size: usize,
    pub problems: usize,
    /// Solutions whose answer checks out.
    pub answers_right: usize,
    /// Solutions whose every step is right.
    pub traces_right: usize,
}

impl Marks {
    pub fn accuracy(&self) -> f64 {
        self.answers_right as f64 / self.problems.max(1) as f64
    }
}

/// The marks of `written` (in the order of `problems`), by problem size, smallest first.
pub fn score(problems: &[Problem], written: &[Written]) -> Vec<Marks> {
    let mut marks: Vec<Marks> = Vec::new();
    for (problem, w) in problems.iter().zip(written) {
        let verdict = check(problem, &w.tokens);
        let at = match marks.iter().position(|m| m.size == problem.size()) {
            Some(at) => at,
            None => {
                marks.push(Marks { size: problem.size(), problems: 0, answers_right: 0, traces_right: 0 });
                marks.len() - 1
            }
        };
        let m = &mut marks[at];
        m.problems += 1;
        m.answers_right += usize::from(verdict.answer_right);
        m.traces_right += usize::from(verdict.trace_right);
    }
    marks.sort_by_key(|m| m.size);
    marks
}
