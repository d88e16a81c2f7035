//! Metrics computed on the CPU from logits that were read back once per evaluation.

use distill_spec::{argmax, CLASSES};

/// How a network does on a labelled set.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub examples: usize,
    pub errors: usize,
    /// Fraction of predictions equal to the teacher's (when teacher predictions were given).
    pub agreement: Option<f64>,
    /// `confusion[true][predicted]` counts.
    pub confusion: [[u32; CLASSES]; CLASSES],
}

impl Evaluation {
    /// Scores logits [N,10] against labels, and against the teacher's predicted classes if given.
    pub fn from_logits(logits: &[f32], labels: &[u8], teacher_predictions: Option<&[u8]>) -> Self {
        let predictions: Vec<usize> = logits.chunks_exact(CLASSES).map(argmax).collect();
        let mut confusion = [[0u32; CLASSES]; CLASSES];
        for (&p, &l) in predictions.iter().zip(labels) {
            confusion[l as usize][p] += 1;
        }
        let errors = predictions.iter().zip(labels).filter(|(&p, &l)| p != l as usize).count();
        let agreement = teacher_predictions.map(|t| {
            predictions.iter().zip(t).filter(|(&p, &t)| p == t as usize).count() as f64 / labels.len().max(1) as f64
        });
        Evaluation { examples: labels.len(), errors, agreement, confusion }
    }

    pub fn accuracy(&self) -> f64 {
        1.0 - self.errors as f64 / self.examples.max(1) as f64
    }

    /// Accuracy on each class (NaN for a class absent from the set).
    pub fn per_class_accuracy(&self) -> [f64; CLASSES] {
        std::array::from_fn(|c| {
            let total: u32 = self.confusion[c].iter().sum();
            self.confusion[c][c] as f64 / total as f64
        })
    }
}

/// Predicted class of each row of logits [N,10].
pub fn predictions(logits: &[f32]) -> Vec<u8> {
    logits.chunks_exact(CLASSES).map(|row| argmax(row) as u8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        let mut logits = vec![0.0f32; 30];
        logits[2] = 1.0; // row 0 predicts 2
        logits[10 + 5] = 1.0; // row 1 predicts 5
        logits[20 + 2] = 1.0; // row 2 predicts 2
        let e = Evaluation::from_logits(&logits, &[2, 4, 2], Some(&[2, 5, 7]));
        assert_eq!(e.errors, 1);
        assert!((e.accuracy() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(e.agreement, Some(2.0 / 3.0));
        assert_eq!(e.confusion[4][5], 1);
        let per_class = e.per_class_accuracy();
        assert_eq!((per_class[2], per_class[4]), (1.0, 0.0));
        assert!(per_class[0].is_nan());
        assert_eq!(predictions(&logits), vec![2, 5, 2]);
    }
}
