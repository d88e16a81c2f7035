//! What a word student may see of its teacher at each position, as a dense target distribution
//! over the vocabulary at temperature T:
//! - **white box**: the teacher's whole next-token distribution, softmax(z/T) of its logits;
//! - **top-k**: only the k most likely next tokens and their probabilities, as LLM distillation
//!   pipelines cache them. Renormalised on use, and softened at T by raising each probability to
//!   1/T before renormalising: pᵢ^(1/T) ∝ exp(zᵢ/T), so on the kept tokens it is exactly the
//!   white box's softmax(z/T) restricted to them, and 0 elsewhere.
//!
//! The third mode, the teacher's sampled words, has no soft target: its words are examples
//! with hard labels ([`super::Examples::of_words`]).

use distill_spec::softmax;

/// softmax(z/T) of each row of `logits` ([n, vocabulary], flat).
pub fn full(logits: &[f32], vocabulary: usize, temperature: f32) -> Vec<f32> {
    logits.chunks(vocabulary).flat_map(|row| softmax(row, temperature)).collect()
}

/// The `k` most likely tokens of each row of `logits` and their probabilities (at T = 1, not
/// renormalised), most likely first, ties to the lower token: what a cache of top-k stores.
pub fn top_k(logits: &[f32], vocabulary: usize, k: usize) -> (Vec<u8>, Vec<f32>) {
    let (mut tokens, mut probs) = (Vec::new(), Vec::new());
    for row in logits.chunks(vocabulary) {
        let p = softmax(row, 1.0);
        let mut order: Vec<usize> = (0..vocabulary).collect();
        order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
        for &t in &order[..k.min(vocabulary)] {
            tokens.push(t as u8);
            probs.push(p[t]);
        }
    }
    (tokens, probs)
}

/// Dense targets at `temperature` from a top-k cache (`tokens` and `probs`, k per row): the kept
/// probabilities raised to 1/T and renormalised to sum to 1, zero for every other token.
pub fn from_top_k(tokens: &[u8], probs: &[f32], k: usize, vocabulary: usize, temperature: f32) -> Vec<f32> {
    let rows = tokens.len() / k;
    let mut dense = vec![0.0; rows * vocabulary];
    for (row, (tokens, probs)) in tokens.chunks(k).zip(probs.chunks(k)).enumerate() {
        let softened: Vec<f32> = probs.iter().map(|&p| p.max(0.0).powf(1.0 / temperature)).collect();
        let sum: f32 = softened.iter().sum();
        for (&t, &s) in tokens.iter().zip(&softened) {
            // A row of zeros (probabilities too small for the cache's precision) stays uniform
            // over its kept tokens rather than dividing by zero.
            dense[row * vocabulary + t as usize] += if sum > 0.0 { s / sum } else { 1.0 / k as f32 };
        }
    }
    dense
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_k_keeps_the_most_likely_tokens_in_order() {
        // Probabilities 1/10, 4/10, 2/10, 3/10 (logits are their logs).
        let logits: Vec<f32> = [1.0f32, 4.0, 2.0, 3.0].iter().map(|p| p.ln()).collect();
        let (tokens, probs) = top_k(&logits, 4, 2);
        assert_eq!(tokens, [1, 3]);
        assert!((probs[0] - 0.4).abs() < 1e-6 && (probs[1] - 0.3).abs() < 1e-6, "{probs:?}");
    }

    #[test]
    fn top_k_targets_are_renormalised_and_softened_like_the_full_softmax() {
        let logits: Vec<f32> = [1.0f32, 4.0, 2.0, 3.0].iter().map(|p| p.ln()).collect();
        let (tokens, probs) = top_k(&logits, 4, 2);
        // At T = 1: 0.4 and 0.3 renormalised are 4/7 and 3/7.
        let dense = from_top_k(&tokens, &probs, 2, 4, 1.0);
        let expected = [0.0, 4.0 / 7.0, 0.0, 3.0 / 7.0];
        assert!(dense.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-6), "{dense:?}");
        // At T = 2: √0.4 : √0.3, the same as the full softmax at T = 2 renormalised over {1, 3}.
        let dense = from_top_k(&tokens, &probs, 2, 4, 2.0);
        let full = full(&logits, 4, 2.0);
        let kept = full[1] + full[3];
        assert!((dense[1] - full[1] / kept).abs() < 1e-6 && (dense[3] - full[3] / kept).abs() < 1e-6);
        assert!((dense[1] - 0.4f32.sqrt() / (0.4f32.sqrt() + 0.3f32.sqrt())).abs() < 1e-6);
        // Keeping every token at T = 1 gives back the whole distribution.
        let (tokens, probs) = top_k(&logits, 4, 4);
        let all = from_top_k(&tokens, &probs, 4, 4, 1.0);
        assert!(all.iter().zip([0.1, 0.4, 0.2, 0.3]).all(|(a, b)| (a - b).abs() < 1e-6), "{all:?}");
    }

    #[test]
    fn full_targets_are_each_rows_softmax_at_t() {
        let logits = [0.0, 2f32.ln(), 0.0, 0.0];
        let at_one = full(&logits, 2, 1.0);
        assert!((at_one[0] - 1.0 / 3.0).abs() < 1e-6 && (at_one[2] - 0.5).abs() < 1e-6, "{at_one:?}");
        let at_two = full(&logits, 2, 2.0);
        let s2 = 2f32.sqrt();
        assert!((at_two[1] - s2 / (1.0 + s2)).abs() < 1e-6, "{at_two:?}");
    }
}
