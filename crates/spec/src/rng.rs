//! A small seeded generator (SplitMix64) for data order, jitter and budget sampling (and the
//! order a pack delivers its rows in: `distill_data::pack::delivery_order`), so a run
//! is reproducible from its seed on every platform without pulling in a RNG crate.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// An index drawn with probability `probs[index]` (the last one if rounding leaves the draw
    /// past their sum).
    pub fn pick(&mut self, probs: &[f32]) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut cumulative = 0.0;
        for (index, &p) in probs.iter().enumerate() {
            cumulative += p as f64;
            if u < cumulative {
                return index;
            }
        }
        probs.len() - 1
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_permutation() {
        let perm = |seed| {
            let mut v: Vec<usize> = (0..50).collect();
            Rng::new(seed).shuffle(&mut v);
            v
        };
        assert_eq!(perm(7), perm(7));
        assert_ne!(perm(7), perm(8));
        let mut sorted = perm(7);
        sorted.sort();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn picks_follow_the_probabilities() {
        let mut rng = Rng::new(3);
        let probs = [0.1f32, 0.0, 0.6, 0.3];
        let mut counts = [0usize; 4];
        for _ in 0..20_000 {
            counts[rng.pick(&probs)] += 1;
        }
        assert_eq!(counts[1], 0, "an index of probability 0 is never drawn");
        for (count, p) in counts.iter().zip(probs) {
            assert!((*count as f64 / 20_000.0 - p as f64).abs() < 0.015, "{counts:?}");
        }
    }
}
