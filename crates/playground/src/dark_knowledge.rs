//! The "dark knowledge" view: test images the teacher finds ambiguous, where its soft
//! probabilities say more than the label (a 7 that looks like a 1).

use distill_spec::CLASSES;
use distill_spec::{argmax, softmax};
use serde::{Deserialize, Serialize};

/// A test image the teacher classifies correctly while giving a runner-up class real weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curated {
    pub index: usize,
    pub label: u8,
    /// The teacher's second most probable class.
    pub looks_like: u8,
    /// Probability the teacher gives `looks_like` at T = 1.
    pub runner_up: f32,
}

/// For each class, the correctly classified test image whose runner-up class is most probable:
/// the examples where soft targets carry the most information.
pub fn curated(labels: &[u8], logits: &[f32]) -> Vec<Curated> {
    let mut best: Vec<Option<Curated>> = vec![None; CLASSES];
    for (index, (row, &label)) in logits.chunks_exact(CLASSES).zip(labels).enumerate() {
        if argmax(row) != label as usize {
            continue;
        }
        let p = softmax(row, 1.0);
        let looks_like = (0..CLASSES).filter(|&c| c != label as usize).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
        let candidate = Curated { index, label, looks_like: looks_like as u8, runner_up: p[looks_like] };
        let slot = &mut best[label as usize];
        if slot.as_ref().is_none_or(|b| candidate.runner_up > b.runner_up) {
            *slot = Some(candidate);
        }
    }
    best.into_iter().flatten().collect()
}

/// Probabilities of one row of logits at temperature `t`, as the view shows them.
pub fn probabilities(logits: &[f32], t: f32) -> Vec<f32> {
    softmax(logits, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_most_ambiguous_correct_example_per_class() {
        let row = |label: usize, runner: usize, margin: f32| {
            let mut r = vec![0.0f32; CLASSES];
            r[label] = 5.0;
            r[runner] = 5.0 - margin;
            r
        };
        // Three 7s: a confident one, an ambiguous one (runner-up 1) and a misclassified one.
        let logits: Vec<f32> = [row(7, 2, 4.0), row(7, 1, 0.5), row(1, 7, 1.0)].concat();
        let picked = curated(&[7, 7, 7], &logits);
        assert_eq!(picked.len(), 1);
        assert_eq!((picked[0].index, picked[0].label, picked[0].looks_like), (1, 7, 1));
        assert!(picked[0].runner_up > 0.3 && picked[0].runner_up < 0.5);
    }

    #[test]
    fn temperature_softens() {
        let logits = [4.0, 1.0, 0.0];
        let cold = probabilities(&logits, 1.0);
        let hot = probabilities(&logits, 20.0);
        assert!(cold[0] > 0.9 && hot[0] < 0.4, "{cold:?} {hot:?}");
    }
}
