//! What a reasoning student learns from, for the shared [`Trainer`]: one worked problem a row
//! (its prompt and a solution, with or without the trace), learnt as next-token examples on the
//! tokens after the prompt only, and, when the student sees the teacher's probabilities, a target
//! distribution for each of those tokens. A batch is padded to its longest row; the padding is
//! never a label, and under the causal mask it changes nothing before it.

use super::{Reasoner, ReasonerShape};
use crate::error::TrainError;
use crate::rng::Rng;
use crate::trainer::{Plan, StudentNetwork, Trainer, TrainingSet};
use burn::prelude::*;
use distill_data::problems::{END, VOCABULARY};

/// A batch of rows for the network: tokens [n, length] and which of the n·length positions are
/// learnt from (flat indices, row-major).
pub struct Sequences {
    pub tokens: Tensor<2, Int>,
    pub learnt: Tensor<1, Int>,
}

/// Worked problems: `rows[i]` is a prompt of `prompt_lengths[i]` tokens and its solution.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lesson {
    pub rows: Vec<Vec<u8>>,
    pub prompt_lengths: Vec<usize>,
    /// For each row, a distribution over the vocabulary for each token of its solution
    /// ([solution length, vocabulary], flat), when the student sees them.
    pub soft: Option<Vec<Vec<f32>>>,
}

impl Lesson {
    /// One row: `prompt` then `solution`, with a target distribution per solution token or none.
    pub fn push(&mut self, prompt: &[u8], solution: &[u8], soft: Option<Vec<f32>>) {
        if let Some(soft) = &soft {
            assert_eq!(soft.len(), solution.len() * VOCABULARY, "one distribution per solution token");
        }
        if self.rows.is_empty() {
            self.soft = soft.as_ref().map(|_| Vec::new());
        }
        assert_eq!(self.soft.is_some(), soft.is_some(), "one kind of target in a lesson");
        if let (Some(all), Some(soft)) = (&mut self.soft, soft) {
            all.push(soft);
        }
        self.rows.push([prompt, solution].concat());
        self.prompt_lengths.push(prompt.len());
    }

    /// Tokens learnt from: those after each row's prompt.
    pub fn tokens_learnt(&self) -> usize {
        self.rows.iter().zip(&self.prompt_lengths).map(|(r, p)| r.len() - p).sum()
    }
}

impl StudentNetwork for Reasoner {
    type Input = Sequences;

    /// Logits [learnt positions, vocabulary].
    fn forward(&self, input: Sequences) -> Tensor<2> {
        let logits = self.logits(input.tokens);
        let [n, length, v] = logits.dims();
        logits.reshape([n * length, v]).select(0, input.learnt)
    }

    /// A reasoner has no dropout.
    fn without_dropout(self) -> Self {
        self
    }
}

impl TrainingSet for Lesson {
    type Network = Reasoner;

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn batch(&self, rows: &[usize], _: &mut Rng, device: &Device) -> (Sequences, Tensor<1, Int>) {
        // Row r's input is its tokens but the last; position i of it predicts token i + 1.
        let length = rows.iter().map(|&r| self.rows[r].len() - 1).max().unwrap_or(0);
        let (mut tokens, mut learnt, mut labels) = (Vec::new(), Vec::new(), Vec::new());
        for (b, &r) in rows.iter().enumerate() {
            let row = &self.rows[r];
            tokens.extend((0..length).map(|i| row.get(i).copied().unwrap_or(END) as i64));
            for i in self.prompt_lengths[r] - 1..row.len() - 1 {
                learnt.push((b * length + i) as i64);
                labels.push(row[i + 1] as i64);
            }
        }
        let count = labels.len();
        let sequences = Sequences {
            tokens: Tensor::from_data(TensorData::new(tokens, [rows.len(), length]), device),
            learnt: Tensor::from_data(TensorData::new(learnt, [count]), device),
        };
        (sequences, Tensor::from_data(TensorData::new(labels, [count]), device))
    }

    fn targets(&self, rows: &[usize], device: &Device) -> Option<Tensor<2>> {
        self.soft.as_ref().map(|soft| {
            let picked: Vec<f32> = rows.iter().flat_map(|&r| soft[r].iter().copied()).collect();
            let count = picked.len() / VOCABULARY;
            Tensor::from_data(TensorData::new(picked, [count, VOCABULARY]), device)
        })
    }

    fn extend(&mut self, more: Lesson) {
        assert_eq!(self.soft.is_some(), more.soft.is_some(), "one kind of target in a set");
        self.rows.extend(more.rows);
        self.prompt_lengths.extend(more.prompt_lengths);
        if let (Some(soft), Some(more)) = (self.soft.as_mut(), more.soft) {
            soft.extend(more);
        }
    }
}

/// A fresh network of `shape` (weights drawn from `plan.seed`) that will learn `lesson`.
pub fn trainer(
    shape: &ReasonerShape,
    lesson: Lesson,
    plan: Plan,
    device: &Device,
) -> Result<Trainer<Lesson>, TrainError> {
    let seed = plan.seed;
    Trainer::new(lesson, plan, device, |device| Reasoner::init(shape, seed, device))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_learns_each_rows_solution_tokens_and_pads_after_them() {
        let mut lesson = Lesson::default();
        lesson.push(&[3, 2, 1], &[5, 2, 0], None);
        lesson.push(&[3, 1], &[4, 1, 5, 1, 0], None);
        let device = Device::flex();
        let (input, labels) = lesson.batch(&[1, 0], &mut Rng::new(0), &device);
        // Inputs drop each row's last token; the shorter row is padded with `.` (0).
        let tokens = input.tokens.into_data().convert::<i64>().try_to_vec::<i64>().unwrap();
        assert_eq!(tokens, [3, 1, 4, 1, 5, 1, 3, 2, 1, 5, 2, 0]);
        // Row 0 (of length 6) learns from position 1 on; row 1 from position 2 on.
        assert_eq!(input.learnt.into_data().convert::<i64>().try_to_vec::<i64>().unwrap(), [1, 2, 3, 4, 5, 8, 9, 10]);
        assert_eq!(labels.into_data().convert::<i64>().try_to_vec::<i64>().unwrap(), [4, 1, 5, 1, 0, 5, 2, 0]);
        assert_eq!(lesson.tokens_learnt(), 8);
    }
}
