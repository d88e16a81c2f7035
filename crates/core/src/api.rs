//! The teacher as a public API: one query, one answer, shaped by the API's [`Defence`] and by what
//! it returns ([`distill_spec::Mode`]). Without a defence an answer is exactly [`teacher_target`]; with one, the
//! API computes its probabilities, adds noise, rounds, keeps what the mode shows, and the copier
//! softens what it got at its temperature (p^(1/T), renormalised over what is not 0).

use crate::rng::Rng;
use distill_spec::{
    argmax, normalise, one_hot, shown_target, softmax, teacher_target, BeyondQuota, Defence, TrainConfig, CLASSES,
};

/// The target the copier trains towards after its `query`-th question (0-based, counted over the
/// whole run), asked about an image whose teacher logits are `logits`; `None` when the API refused.
/// Never called in labels-only mode.
pub fn answer(config: &TrainConfig, logits: &[f32], query: usize) -> Option<Vec<f32>> {
    let defence = &config.defence;
    let temperature = config.target_temperature();
    if defence.answers_exactly() {
        return teacher_target(config.mode, logits, temperature);
    }
    if refuses(defence, query) {
        return None;
    }
    // Noise and random answers are fresh for each query, the same for the same seed.
    let mut rng = Rng::new(config.seed ^ 0xa91_0000_0000 ^ (query as u64).wrapping_mul(0x9e37_79b9));
    let probabilities = match defence.quota {
        Some((quota, _)) if query >= quota => random_probabilities(&mut rng),
        _ => defended_probabilities(defence, logits, &mut rng),
    };
    Some(shown_target(config.mode, &probabilities, temperature))
}

/// The API gives no answer to the `query`-th question (0-based): it is past a refusing quota.
pub fn refuses(defence: &Defence, query: usize) -> bool {
    matches!(defence.quota, Some((quota, BeyondQuota::Refuse)) if query >= quota)
}

/// The probabilities the API returns to an honest user (within the quota): the teacher's at T = 1,
/// with noise, then rounded.
pub fn defended_probabilities(defence: &Defence, logits: &[f32], rng: &mut Rng) -> Vec<f32> {
    let mut p = softmax(logits, 1.0);
    if defence.noise > 0.0 {
        p.iter_mut().for_each(|v| *v = (*v + defence.noise * gaussian(rng)).max(0.0));
        normalise(&mut p);
    }
    if let Some(decimals) = defence.decimals {
        let scale = 10f32.powi(decimals as i32);
        let rounded: Vec<f32> = p.iter().map(|v| (v * scale).round() / scale).collect();
        // Everything rounded to 0 (e.g. 0 decimals and no class above one half): the API still
        // names its best guess.
        p = if rounded.iter().all(|&v| v == 0.0) { one_hot(argmax(&p)) } else { rounded };
    }
    p
}

/// The teacher's accuracy on `labels` as the honest user sees it through the defence: the class
/// its answer ranks first. Rounding and noise cost a little; a top-1 answer or top-k cost nothing.
pub fn honest_accuracy(defence: &Defence, logits: &[f32], labels: &[u8], seed: u64) -> f64 {
    let mut rng = Rng::new(seed);
    let right = logits
        .chunks_exact(CLASSES)
        .zip(labels)
        .filter(|(row, &label)| argmax(&defended_probabilities(defence, row, &mut rng)) == label as usize)
        .count();
    right as f64 / labels.len().max(1) as f64
}

/// A random but plausible-looking answer: a softmax of random logits.
fn random_probabilities(rng: &mut Rng) -> Vec<f32> {
    let logits: Vec<f32> = (0..CLASSES).map(|_| 3.0 * gaussian(rng)).collect();
    softmax(&logits, 1.0)
}

/// A standard normal draw (Box–Muller).
fn gaussian(rng: &mut Rng) -> f32 {
    let uniform = |rng: &mut Rng| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let (u, v) = (1.0 - uniform(rng), uniform(rng));
    ((-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_spec::Mode;

    fn config(mode: Mode, defence: Defence) -> TrainConfig {
        TrainConfig {
            architecture: "mlp:".parse().unwrap(),
            mode,
            temperature: 2.0,
            alpha: 1.0,
            learning_rate: 1e-3,
            batch_size: 8,
            epochs: 1.0,
            dropout: 0.0,
            jitter: 0,
            budget: Some(10),
            excluded_class: None,
            seed: 5,
            queries: None,
            defence,
        }
    }

    const LOGITS: [f32; 10] = [0.0, 3.0, 1.0, 2.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0];

    fn close(a: &[f32], b: &[f32]) {
        assert!(a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5), "{a:?} vs {b:?}");
    }

    #[test]
    fn without_a_defence_an_answer_is_the_teacher_target() {
        for mode in [Mode::Soft, Mode::TopLabel, Mode::TopK(3)] {
            let c = config(mode, Defence::default());
            assert_eq!(answer(&c, &LOGITS, 0), teacher_target(mode, &LOGITS, c.target_temperature()));
        }
    }

    #[test]
    fn rounded_probabilities_soften_like_the_teachers_own() {
        // Six decimals change the soft target by less than the rounding.
        let c = config(Mode::Soft, Defence { decimals: Some(6), ..Defence::default() });
        close(&answer(&c, &LOGITS, 0).unwrap(), &softmax(&LOGITS, 2.0));
        // One decimal: p = [.03,.55,.07,.20,.01,.03,...] → [0,.5,.1,.2,0,0,...]; classes that
        // round to 0 drop out, the rest are softened at T = 2.
        let c = config(Mode::Soft, Defence { decimals: Some(1), ..Defence::default() });
        let got = answer(&c, &LOGITS, 0).unwrap();
        let (a, b, d) = (0.5f32.sqrt(), 0.1f32.sqrt(), 0.2f32.sqrt());
        let mut expected = [0.0; 10];
        (expected[1], expected[2], expected[3]) = (a / (a + b + d), b / (a + b + d), d / (a + b + d));
        close(&got, &expected);
        // Zero decimals: only a class above one half survives; here class 1 (0.55).
        let c = config(Mode::Soft, Defence { decimals: Some(0), ..Defence::default() });
        close(&answer(&c, &LOGITS, 0).unwrap(), &one_hot(1));
    }

    #[test]
    fn noise_is_fresh_per_query_and_the_same_for_a_seed() {
        let c = config(Mode::Soft, Defence { noise: 0.05, ..Defence::default() });
        let (first, second) = (answer(&c, &LOGITS, 0).unwrap(), answer(&c, &LOGITS, 1).unwrap());
        assert_ne!(first, second);
        assert_eq!(first, answer(&c, &LOGITS, 0).unwrap());
        assert!((first.iter().sum::<f32>() - 1.0).abs() < 1e-5 && first.iter().all(|&p| p >= 0.0));
        assert_ne!(first, answer(&config(Mode::Soft, Defence::default()), &LOGITS, 0).unwrap());
    }

    #[test]
    fn beyond_the_quota_the_api_refuses_or_answers_at_random() {
        let refuse = config(Mode::TopLabel, Defence { quota: Some((2, BeyondQuota::Refuse)), ..Defence::default() });
        assert_eq!(answer(&refuse, &LOGITS, 1), Some(one_hot(1)));
        assert_eq!(answer(&refuse, &LOGITS, 2), None);
        let random = config(Mode::TopLabel, Defence { quota: Some((2, BeyondQuota::Random)), ..Defence::default() });
        let labels: Vec<usize> = (2..200).map(|q| argmax(&answer(&random, &LOGITS, q).unwrap())).collect();
        for class in 0..CLASSES {
            assert!(labels.contains(&class), "random answers name every class, not the teacher's 1: {labels:?}");
        }
    }

    #[test]
    fn the_honest_user_pays_for_noise_not_for_rounding_to_two_decimals() {
        // Rows whose best class is clear, and rows where the two best are close.
        let mut logits = Vec::new();
        let mut labels = Vec::new();
        for i in 0..200 {
            let mut row = [0.0f32; 10];
            row[i % 10] = if i % 2 == 0 { 5.0 } else { 0.3 };
            logits.extend(row);
            labels.push((i % 10) as u8);
        }
        let none = honest_accuracy(&Defence::default(), &logits, &labels, 1);
        assert_eq!(none, 1.0);
        let rounded = Defence { decimals: Some(2), ..Defence::default() };
        assert_eq!(honest_accuracy(&rounded, &logits, &labels, 1), 1.0);
        let noisy = Defence { noise: 0.2, ..Defence::default() };
        let with_noise = honest_accuracy(&noisy, &logits, &labels, 1);
        assert!(with_noise < 0.9, "noise as large as the gap flips answers: {with_noise}");
    }
}
