//! The teacher's keyed watermark on its answers (DAWN, Szyller et al. 2021): for a secret key, a
//! small share of the images anyone may ask about get a plausible wrong answer — the teacher's
//! runner-up class, with the probabilities of a teacher that ranked it first. The share is chosen
//! by a keyed hash of the image's pixels, so the same image always gets the same answer, and the
//! owner can list which answers it marked. A copy trained on those answers repeats the lie; a
//! model that never saw them gives the runner-up only as often as it errs that way by itself.

use crate::mode::argmax;
use crate::stats::binomial_tail;
use crate::CLASSES;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The API's watermark: off at rate 0, whatever the key.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Mark {
    /// The owner's secret (a link carries it: keep it out of one you share, as a real owner would).
    pub key: u64,
    /// The share of images whose answer is marked, 0 to 1 (DAWN used under 0.5%).
    pub rate: f64,
}

/// SplitMix64's finaliser: a well-mixed 64-bit value from any 64-bit input.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Mark {
    pub fn is_on(&self) -> bool {
        self.rate > 0.0
    }

    /// Whether the answer about an image of these `pixels` is marked: its keyed hash, as a
    /// fraction of 2⁶⁴, is under the rate.
    pub fn marks(&self, pixels: &[u8]) -> bool {
        if !self.is_on() {
            return false;
        }
        let hash = pixels.chunks(8).fold(mix(self.key), |h, chunk| {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            mix(h ^ u64::from_le_bytes(word))
        });
        ((hash >> 11) as f64 / (1u64 << 53) as f64) < self.rate
    }

    /// The teacher's logits (`CLASSES` a row) as the marking API answers from them: on each
    /// marked image (`images`: the rows' pixels, one after the other) the first and second
    /// classes trade places. Borrowed as they are when the mark is off.
    pub fn apply<'a>(&self, logits: &'a [f32], images: &[u8]) -> Cow<'a, [f32]> {
        if !self.is_on() {
            return Cow::Borrowed(logits);
        }
        let pixels = images.len() / (logits.len() / CLASSES).max(1);
        let mut marked = logits.to_vec();
        for (row, image) in marked.chunks_exact_mut(CLASSES).zip(images.chunks_exact(pixels)) {
            if self.marks(image) {
                let first = argmax(row);
                let second = runner_up(row);
                row.swap(first, second);
            }
        }
        Cow::Owned(marked)
    }
}

/// The owner's test of a suspect model: asked about the images whose answers were marked, how
/// often does it give the lie? A model that never saw those answers gives the teacher's runner-up
/// only as often as it does on images nobody trained on (`null_rate`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MarkTest {
    /// Marked answers given to the copier: the images the suspect is asked about.
    pub marked: usize,
    /// Of those, the ones it answers with the lie.
    pub repeated: usize,
    /// The share of the test split (images no one trained on) where it gives the teacher's
    /// runner-up, one added to each side of the count so it is never 0.
    pub null_rate: f64,
}

impl MarkTest {
    /// The chance that a model that never saw the marked answers repeats this many of them or
    /// more: P(Binomial(marked, null_rate) ≥ repeated). Small: the suspect learnt from this API.
    pub fn p_value(&self) -> f64 {
        binomial_tail(self.marked, self.repeated, self.null_rate)
    }

    /// The repeats' standard deviations above what chance gives: (k − n·q) / √(n·q·(1 − q)).
    pub fn z(&self) -> f64 {
        let n = self.marked as f64;
        let spread = (n * self.null_rate * (1.0 - self.null_rate)).sqrt();
        if spread == 0.0 {
            return 0.0;
        }
        (self.repeated as f64 - n * self.null_rate) / spread
    }
}

/// The class a row of logits ranks second.
pub fn runner_up(row: &[f32]) -> usize {
    let first = argmax(row);
    (0..row.len()).filter(|&c| c != first).max_by(|&a, &b| row[a].total_cmp(&row[b])).unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` made-up images of 16 pixels each.
    fn images(n: usize) -> Vec<u8> {
        (0..n * 16).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn a_keyed_share_of_images_is_marked_the_same_every_time() {
        let images = images(20_000);
        let count = |mark: Mark| images.chunks(16).filter(|image| mark.marks(image)).count();
        assert_eq!(count(Mark { key: 7, rate: 0.0 }), 0, "rate 0 marks nothing");
        assert_eq!(count(Mark { key: 7, rate: 1.0 }), 20_000);
        // Binomial(20,000, 0.01): mean 200, sd 14; 5 sd either side.
        let one = count(Mark { key: 7, rate: 0.01 });
        assert!((130..=270).contains(&one), "{one}");
        assert_eq!(count(Mark { key: 7, rate: 0.01 }), one, "the same images every time");
        let marked = |key| images.chunks(16).map(|image| Mark { key, rate: 0.01 }.marks(image)).collect::<Vec<_>>();
        let (a, b) = (marked(7), marked(8));
        let both = a.iter().zip(&b).filter(|(x, y)| **x && **y).count();
        assert!(both < 20, "another key marks other images: {both} in common");
    }

    #[test]
    fn a_marked_answer_swaps_the_first_two_classes() {
        let images = images(2);
        let logits: Vec<f32> = [[5.0, 1.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]; 2].concat();
        assert!(matches!(Mark { key: 1, rate: 0.0 }.apply(&logits, &images), Cow::Borrowed(_)));
        let marked = Mark { key: 1, rate: 1.0 }.apply(&logits, &images);
        assert_eq!(&marked[..3], &[3.0, 1.0, 5.0], "class 2 first, with class 0's logit");
        assert_eq!(runner_up(&marked[..CLASSES]), 0);
    }

    #[test]
    fn a_suspect_that_repeats_the_lies_is_unlikely_to_be_innocent() {
        let copy = MarkTest { marked: 20, repeated: 20, null_rate: 0.05 };
        assert!(copy.p_value() < 1e-25, "{}", copy.p_value());
        let innocent = MarkTest { marked: 20, repeated: 1, null_rate: 0.05 };
        assert!(innocent.p_value() > 0.5, "{}", innocent.p_value());
        assert_eq!(MarkTest { marked: 0, repeated: 0, null_rate: 0.05 }.p_value(), 1.0, "nothing marked: no evidence");
        assert!((copy.z() - 19.49).abs() < 0.01 && innocent.z().abs() < 1e-9, "{} {}", copy.z(), innocent.z());
    }
}
