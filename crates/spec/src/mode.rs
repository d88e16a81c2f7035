//! What a student sees of its teacher: all the logits (white box) or only what an API would
//! return (black box: the top label or the top-k probabilities), and the target distribution
//! each gives. Plain arithmetic on one row of logits, so the page and the trainer share it.
//! The sequence tasks have more: [`Mode::Text`], what the teacher wrote, and (reasoning)
//! [`Mode::Verified`], only those of its solutions whose answer checks out.

use crate::CLASSES;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the student is supervised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Mode {
    /// White box: the teacher's full distribution softened at temperature T.
    Soft,
    /// Black box: only the teacher's predicted class.
    TopLabel,
    /// Black box: the teacher's k most probable classes with their probabilities.
    TopK(usize),
    /// No teacher: the true labels alone (the baseline).
    LabelsOnly,
    /// Black box, sequence level (words, reasoning): the student reads what the teacher wrote
    /// (words; solutions with their steps), each next token a hard label.
    Text,
    /// Black box, sequence level (reasoning only): the teacher's solutions whose final answer
    /// checks out, the others thrown away (rejection sampling).
    Verified,
}

impl Mode {
    /// Every mode, in the order of [`Mode::NAMES`].
    pub const ALL: [Mode; 13] = [
        Mode::Soft,
        Mode::TopLabel,
        Mode::TopK(2),
        Mode::TopK(3),
        Mode::TopK(4),
        Mode::TopK(5),
        Mode::TopK(6),
        Mode::TopK(7),
        Mode::TopK(8),
        Mode::TopK(9),
        Mode::LabelsOnly,
        Mode::Text,
        Mode::Verified,
    ];
    /// Each mode's one spelling (links, controls, CSV), in the order of [`Mode::ALL`].
    pub const NAMES: [&'static str; 13] =
        ["soft", "top1", "top2", "top3", "top4", "top5", "top6", "top7", "top8", "top9", "labels", "text", "verified"];

    pub fn name(self) -> &'static str {
        let index = Mode::ALL.iter().position(|&mode| mode == self);
        index.map_or("top?", |i| Mode::NAMES[i]) // a TopK(k) past the classes is never built
    }

    /// The temperature the teacher's targets are softened with at `temperature`: a top-1 label
    /// has none (1).
    pub fn target_temperature(self, temperature: f32) -> f32 {
        if self == Mode::TopLabel {
            1.0
        } else {
            temperature
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A mode name that is not one of the modes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mode `{0}`: expected soft, top1, top2..top9, labels, text or verified")]
pub struct ModeError(pub String);

impl FromStr for Mode {
    type Err = ModeError;
    fn from_str(s: &str) -> Result<Self, ModeError> {
        let index = Mode::NAMES.iter().position(|&name| name == s);
        index.map(|i| Mode::ALL[i]).ok_or_else(|| ModeError(s.to_string()))
    }
}

impl From<Mode> for String {
    fn from(m: Mode) -> String {
        m.to_string()
    }
}

impl TryFrom<String> for Mode {
    type Error = ModeError;
    fn try_from(s: String) -> Result<Self, ModeError> {
        s.parse()
    }
}

/// softmax(logits / t) of one row.
pub fn softmax(logits: &[f32], t: f32) -> Vec<f32> {
    let max = logits.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let exps: Vec<f32> = logits.iter().map(|&z| ((z - max) / t).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}

/// Index of the largest value (the first one on ties).
pub fn argmax(row: &[f32]) -> usize {
    row.iter().enumerate().fold(0, |best, (i, &v)| if v > row[best] { i } else { best })
}

/// The target distribution the student is trained towards for one example, from the teacher's
/// logits; `None` in labels-only mode (and for text, which has no per-example target).
///
/// Top-k: an API returns the k largest probabilities (at T = 1). Since p_i ∝ exp(z_i), raising
/// them to 1/T and renormalising gives exactly softmax(z/T) restricted to those k classes, so
/// temperature still applies to what a black box reveals.
pub fn teacher_target(mode: Mode, logits: &[f32], t: f32) -> Option<Vec<f32>> {
    match mode {
        Mode::LabelsOnly | Mode::Text | Mode::Verified => None,
        Mode::Soft => Some(softmax(logits, t)),
        Mode::TopLabel => Some(one_hot(argmax(logits))),
        Mode::TopK(_) => Some(shown_target(mode, &softmax(logits, 1.0), t)),
    }
}

/// What a student keeps of an API's answer, given as probabilities at T = 1 (classes the API
/// hides are 0), in `mode`: the top class as a label, or the top k / all of them raised to 1/T
/// and renormalised over those that are not 0.
pub fn shown_target(mode: Mode, probabilities: &[f32], t: f32) -> Vec<f32> {
    let mut kept = match mode {
        Mode::TopLabel | Mode::LabelsOnly | Mode::Text | Mode::Verified => return one_hot(argmax(probabilities)),
        Mode::Soft => probabilities.to_vec(),
        Mode::TopK(k) => {
            let mut order: Vec<usize> = (0..probabilities.len()).collect();
            order.sort_by(|&a, &b| probabilities[b].total_cmp(&probabilities[a]));
            let mut top = vec![0.0; probabilities.len()];
            order[..k].iter().for_each(|&c| top[c] = probabilities[c]);
            top
        }
    };
    kept.iter_mut().for_each(|p| *p = p.powf(1.0 / t));
    normalise(&mut kept);
    kept
}

/// Scales `p` to sum to 1 (uniform if it is all 0).
pub fn normalise(p: &mut [f32]) {
    let sum: f32 = p.iter().sum();
    if sum > 0.0 {
        p.iter_mut().for_each(|v| *v /= sum);
    } else {
        p.fill(1.0 / p.len() as f32);
    }
}

/// A label as a distribution over the classes.
pub fn one_hot(class: usize) -> Vec<f32> {
    let mut v = vec![0.0; CLASSES];
    v[class] = 1.0;
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f32], b: &[f32]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-6, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn temperature_softens() {
        // ln 2 apart: probabilities 2:1 at T=1, sqrt(2):1 at T=2.
        let z = [2f32.ln(), 0.0];
        close(&softmax(&z, 1.0), &[2.0 / 3.0, 1.0 / 3.0]);
        let s = 2f32.sqrt();
        close(&softmax(&z, 2.0), &[s / (s + 1.0), 1.0 / (s + 1.0)]);
    }

    #[test]
    fn black_box_targets() {
        let z = [0.0, 3.0, 1.0, 2.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let top1 = teacher_target(Mode::TopLabel, &z, 5.0).unwrap();
        assert_eq!(argmax(&top1), 1);
        assert_eq!(top1.iter().sum::<f32>(), 1.0);
        // Top-2 keeps classes 1 and 3, renormalised at T: e^{3/T} : e^{2/T}.
        let top2 = teacher_target(Mode::TopK(2), &z, 2.0).unwrap();
        let (a, b) = (1.5f32.exp(), 1f32.exp());
        let mut expected = [0.0f32; 10];
        expected[1] = a / (a + b);
        expected[3] = b / (a + b);
        close(&top2, &expected);
        assert!(teacher_target(Mode::LabelsOnly, &z, 2.0).is_none());
    }

    #[test]
    fn modes_parse() {
        for (mode, name) in Mode::ALL.into_iter().zip(Mode::NAMES) {
            assert_eq!((name.parse::<Mode>(), mode.to_string()), (Ok(mode), name.to_string()));
        }
        assert_eq!("top3".parse::<Mode>(), Ok(Mode::TopK(3)));
        assert!("top10".parse::<Mode>().is_err() && "top0".parse::<Mode>().is_err());
        assert!("hard".parse::<Mode>().is_err());
    }
}
