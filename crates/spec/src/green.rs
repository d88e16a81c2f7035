//! The teacher's watermark on the words it writes (Kirchenbauer et al. 2023, "A Watermark for
//! Large Language Models"): before each letter is drawn, the two tokens before it and a secret
//! key split the alphabet into a green share γ and the rest, and the green letters' logits get
//! δ more. The text still reads like the teacher's, but holds more green letters than chance.
//!
//! The test ([`GreenTest`]) counts, in a text, how many of its (two tokens, next token) pairs are
//! green, each distinct pair once (Sander et al. 2024, "Watermarking Makes Language Models
//! Radioactive": a model repeats its favourite pairs, and counting each repeat would make an
//! innocent model look marked), against the γ of them that chance makes green. A student taught
//! on the teacher's watermarked words writes more green pairs than chance: it is "radioactive".

use crate::stats::binomial_tail;
use crate::watermark::mix;
use serde::{Deserialize, Serialize};

/// Tokens before a letter that choose its green list: two (one leaves too few distinct pairs on a
/// 27-letter alphabet to test; three, too few repeats of each for a student to learn the mark).
pub const GREEN_CONTEXT: usize = 2;

/// The watermark on the teacher's sampled words: off at δ = 0 or share 0. By default γ = 0.25
/// (Kirchenbauer et al.'s).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GreenList {
    /// The owner's secret (the same `key=` as the images' watermark).
    pub key: u64,
    /// γ: the share of the alphabet that is green after any two tokens, 0 to 1.
    pub gamma: f64,
    /// δ: what a green letter's logit gains before drawing.
    pub delta: f32,
    /// The share of the teacher's words that are written with the watermark, 0 to 1.
    pub share: f64,
}

impl Default for GreenList {
    fn default() -> GreenList {
        GreenList { key: 0, gamma: 0.25, delta: 0.0, share: 1.0 }
    }
}

/// A keyed hash as a fraction in [0, 1).
fn fraction(hash: u64) -> f64 {
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

impl GreenList {
    pub fn is_on(&self) -> bool {
        self.delta > 0.0 && self.share > 0.0
    }

    /// γ strictly between 0 and 1, δ finite and not negative, the share a fraction.
    pub fn is_valid(&self) -> bool {
        self.gamma > 0.0
            && self.gamma < 1.0
            && self.delta >= 0.0
            && self.delta.is_finite()
            && (0.0..=1.0).contains(&self.share)
    }

    /// Whether `token` is green after `before` (the [`GREEN_CONTEXT`] tokens before it).
    pub fn is_green(&self, before: [u8; GREEN_CONTEXT], token: u8) -> bool {
        let pair = u64::from(before[0]) << 16 | u64::from(before[1]) << 8 | u64::from(token);
        fraction(mix(self.key ^ mix(pair))) < self.gamma
    }

    /// Whether the teacher's `index`-th word is written with the watermark: a keyed `share` of them.
    pub fn writes(&self, index: usize) -> bool {
        self.is_on() && fraction(mix(mix(self.key).wrapping_add(index as u64))) < self.share
    }

    /// `logits` (one per token) after `before` as the watermarked teacher draws from them.
    pub fn boost(&self, before: [u8; GREEN_CONTEXT], logits: &mut [f32]) {
        for (token, logit) in logits.iter_mut().enumerate() {
            if self.is_green(before, token as u8) {
                *logit += self.delta;
            }
        }
    }

    /// The test of a text (words as tokens, each ended by `boundary`): each distinct pair of
    /// (the two tokens before a position, the token there) once, the end of every word included.
    pub fn test(&self, words: &[Vec<u8>], boundary: u8) -> GreenTest {
        let mut seen = std::collections::HashSet::new();
        let mut green = 0;
        for word in words {
            let before = |at: usize, back: usize| at.checked_sub(back).map_or(boundary, |i| word[i]);
            for at in 0..=word.len() {
                let pair = ([before(at, 2), before(at, 1)], word.get(at).copied().unwrap_or(boundary));
                if seen.insert(pair) {
                    green += usize::from(self.is_green(pair.0, pair.1));
                }
            }
        }
        GreenTest { scored: seen.len(), green, gamma: self.gamma }
    }
}

/// How green a text is: of its `scored` distinct pairs, `green` are, where chance makes γ of them so.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GreenTest {
    pub scored: usize,
    pub green: usize,
    pub gamma: f64,
}

impl GreenTest {
    /// Standard deviations above chance: (green − γn) / √(nγ(1−γ)); Kirchenbauer et al. call
    /// z > 4 watermarked.
    pub fn z(&self) -> f64 {
        let n = self.scored as f64;
        let spread = (n * self.gamma * (1.0 - self.gamma)).sqrt();
        if spread == 0.0 {
            return 0.0;
        }
        (self.green as f64 - self.gamma * n) / spread
    }

    /// The chance that a text whose pairs are green by chance alone has this many green or more:
    /// P(Binomial(scored, γ) ≥ green), exact.
    pub fn p_value(&self) -> f64 {
        binomial_tail(self.scored, self.green, self.gamma)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(key: u64) -> GreenList {
        GreenList { key, gamma: 0.5, delta: 2.0, share: 1.0 }
    }

    #[test]
    fn a_keyed_gamma_of_the_alphabet_is_green_after_each_pair() {
        let list = GreenList { gamma: 0.25, ..on(3) };
        let greens: usize = (0..27u8)
            .flat_map(|a| (0..27u8).map(move |b| [a, b]))
            .map(|c| (0..27u8).filter(|&t| list.is_green(c, t)).count())
            .sum();
        // 19,683 pairs at γ = 0.25: mean 4,921, sd 61; 5 sd either side.
        assert!((4_615..=5_227).contains(&greens), "{greens}");
        let other = GreenList { gamma: 0.25, ..on(4) };
        let same = (0..27u8).filter(|&t| list.is_green([1, 2], t) == other.is_green([1, 2], t)).count();
        assert!(same < 27, "another key, another split");
    }

    #[test]
    fn a_boost_raises_the_green_letters_only_and_the_share_picks_words() {
        let list = on(9);
        let mut logits = vec![0.0; 27];
        list.boost([0, 5], &mut logits);
        for (t, &l) in logits.iter().enumerate() {
            assert_eq!(l, if list.is_green([0, 5], t as u8) { 2.0 } else { 0.0 });
        }
        let written = |share| (0..10_000).filter(|&i| GreenList { share, ..on(9) }.writes(i)).count();
        assert_eq!((written(0.0), written(1.0)), (0, 10_000));
        assert!((4_750..=5_250).contains(&written(0.5)), "{}", written(0.5));
        assert!(!GreenList { delta: 0.0, ..on(9) }.writes(1), "δ = 0 writes nothing marked");
    }

    #[test]
    fn each_distinct_pair_is_scored_once() {
        let list = on(1);
        let once = list.test(&[vec![3, 4]], 0);
        assert_eq!(once.scored, 3, "c, d and the end");
        let repeated = list.test(&vec![vec![3, 4]; 50], 0);
        assert_eq!(repeated, once, "a word written 50 times counts once");
        let green = (0..3).filter(|&at| {
            let word = [3u8, 4];
            let before = |b: usize| if at >= b { word[at - b] } else { 0 };
            list.is_green([before(2), before(1)], word.get(at).copied().unwrap_or(0))
        });
        assert_eq!(once.green, green.count());
    }

    #[test]
    fn chance_is_z_zero_and_a_green_text_is_far_above_it() {
        let even = GreenTest { scored: 1_000, green: 500, gamma: 0.5 };
        assert_eq!(even.z(), 0.0);
        assert!((even.p_value() - 0.5126).abs() < 1e-3, "{}", even.p_value());
        let marked = GreenTest { scored: 1_000, green: 600, gamma: 0.5 };
        assert!((marked.z() - 6.3246).abs() < 1e-3, "{}", marked.z());
        assert!(marked.p_value() < 1e-9, "{}", marked.p_value());
        assert_eq!(GreenTest { scored: 0, green: 0, gamma: 0.5 }.z(), 0.0, "nothing scored: no evidence");
    }
}
