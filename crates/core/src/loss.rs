//! The losses of "Distilling the Knowledge in a Neural Network" (Hinton, Vinyals & Dean, 2015).

use burn::prelude::*;
use burn::tensor::activation::log_softmax;

/// Mean over the batch of KL(p ‖ softmax(z)) = Σ p (log p − log softmax(z)).
/// Same gradient as the cross-entropy with soft targets, but 0 when the student matches.
pub fn kl_divergence(logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    let log_q = log_softmax(logits, 1);
    let log_p = targets.clone().clamp_min(1e-12).log();
    (targets * (log_p - log_q)).sum_dim(1).mean()
}

/// The soft loss: T² · KL(teacher_T ‖ softmax(z/T)). Gradients of the softened loss shrink as
/// 1/T², so the T² factor keeps its weight against the hard loss unchanged when T changes.
pub fn soft_target_loss(student_logits: Tensor<2>, teacher_probs: Tensor<2>, temperature: f32) -> Tensor<1> {
    kl_divergence(student_logits.div_scalar(temperature), teacher_probs).mul_scalar(temperature * temperature)
}

/// Ordinary cross-entropy with the true labels. A gather, not `one_hot`: burn's `one_hot`
/// range-checks the labels with a synchronous read, which panics on WebGPU in wasm.
pub fn hard_label_loss(logits: Tensor<2>, labels: Tensor<1, Int>) -> Tensor<1> {
    let n = labels.dims()[0];
    -log_softmax(logits, 1).gather(1, labels.reshape([n, 1])).mean()
}

/// The parts of one batch's loss.
pub struct LossParts {
    pub soft: Tensor<1>,
    pub hard: Tensor<1>,
    /// What is minimised: α·soft + (1−α)·hard, or hard alone without a teacher.
    pub total: Tensor<1>,
}

/// Hinton's objective, a weighted average of the soft and hard losses. Without teacher targets
/// (the labels-only baseline) it is the hard loss alone and `soft` is zero.
pub fn distillation_loss(
    logits: Tensor<2>,
    labels: Tensor<1, Int>,
    teacher_probs: Option<Tensor<2>>,
    temperature: f32,
    alpha: f32,
) -> LossParts {
    let hard = hard_label_loss(logits.clone(), labels);
    match teacher_probs {
        Some(p) => {
            let soft = soft_target_loss(logits, p, temperature);
            let total = soft.clone().mul_scalar(alpha) + hard.clone().mul_scalar(1.0 - alpha);
            LossParts { soft, hard, total }
        }
        None => LossParts { soft: hard.zeros_like(), total: hard.clone(), hard },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(t: Tensor<1>) -> f32 {
        t.into_data().try_to_vec::<f32>().unwrap()[0]
    }

    fn logits(rows: &[[f32; 10]], device: &Device) -> Tensor<2> {
        let flat: Vec<f32> = rows.iter().flatten().copied().collect();
        Tensor::from_data(TensorData::new(flat, [rows.len(), 10]), device)
    }

    /// Two classes carry all logit mass differences: z = (ln 3, 0, 0, ...).
    fn z() -> [f32; 10] {
        let mut z = [0.0; 10];
        z[0] = 3f32.ln();
        z
    }

    #[test]
    fn hard_loss_by_hand() {
        let device = Device::flex();
        // softmax(z)[0] = 3 / (3 + 9) = 1/4, so −log(1/4) = ln 4; class 1 has 1/12 → ln 12.
        let labels = Tensor::<1, Int>::from_data(TensorData::new(vec![0i64, 1], [2]), &device);
        let loss = value(hard_label_loss(logits(&[z(), z()], &device), labels));
        let expected = (4f32.ln() + 12f32.ln()) / 2.0;
        assert!((loss - expected).abs() < 1e-5, "{loss} vs {expected}");
    }

    #[test]
    fn soft_loss_by_hand_with_t_squared() {
        let device = Device::flex();
        // Student logits z at T=2 give q = (√3, 1, ..., 1) / (√3 + 9).
        // Teacher target p = (1/2, 1/18, ..., 1/18).
        let s3 = 3f32.sqrt();
        let q: Vec<f32> = (0..10).map(|i| if i == 0 { s3 } else { 1.0 } / (s3 + 9.0)).collect();
        let p: Vec<f32> = (0..10).map(|i| if i == 0 { 0.5 } else { 1.0 / 18.0 }).collect();
        let kl: f32 = p.iter().zip(&q).map(|(p, q)| p * (p / q).ln()).sum();
        let probs = Tensor::from_data(TensorData::new(p, [1, 10]), &device);
        let loss = value(soft_target_loss(logits(&[z()], &device), probs, 2.0));
        assert!((loss - 4.0 * kl).abs() < 1e-5, "{loss} vs {}", 4.0 * kl);
    }

    #[test]
    fn soft_loss_is_zero_when_student_matches() {
        let device = Device::flex();
        let p = distill_spec::softmax(&z(), 5.0);
        let probs = Tensor::from_data(TensorData::new(p, [1, 10]), &device);
        let loss = value(soft_target_loss(logits(&[z()], &device), probs, 5.0));
        assert!(loss.abs() < 1e-5, "{loss}");
    }

    #[test]
    fn alpha_mixes_the_parts() {
        let device = Device::flex();
        let labels = Tensor::<1, Int>::from_data(TensorData::new(vec![3i64], [1]), &device);
        let probs = Tensor::from_data(TensorData::new(vec![0.1f32; 10], [1, 10]), &device);
        let parts = distillation_loss(logits(&[z()], &device), labels.clone(), Some(probs), 4.0, 0.25);
        let (soft, hard, total) = (value(parts.soft), value(parts.hard), value(parts.total));
        assert!((total - (0.25 * soft + 0.75 * hard)).abs() < 1e-5);
        assert!(soft > 0.0 && hard > 0.0);
        let baseline = distillation_loss(logits(&[z()], &device), labels, None, 4.0, 0.25);
        assert_eq!(value(baseline.soft), 0.0);
        assert!((value(baseline.total) - hard).abs() < 1e-6);
    }
}
