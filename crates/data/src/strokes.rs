//! Random pen strokes: questions a copier can make up without owning a single real image. Each
//! image holds one to three curves (quadratic Béziers through random points, a pen about two
//! pixels wide, grey levels like MNIST's), drawn from a seed so the CLI and the page make exactly
//! the same images and only the teacher's answers need shipping.

use crate::{PIXELS, SIDE};

/// `count` images of random strokes, row-major like a dataset's pixels.
pub fn strokes(count: usize, seed: u64) -> Vec<u8> {
    let mut random = SplitMix(seed ^ 0x0577_00e5);
    let mut pixels = vec![0u8; count * PIXELS];
    for image in pixels.chunks_exact_mut(PIXELS) {
        for _ in 0..1 + random.below(3) {
            let mut point = || (4.0 + 20.0 * random.unit(), 4.0 + 20.0 * random.unit());
            let (a, b, c) = (point(), point(), point());
            for step in 0..=48 {
                let t = step as f32 / 48.0;
                let x = (1.0 - t) * (1.0 - t) * a.0 + 2.0 * (1.0 - t) * t * b.0 + t * t * c.0;
                let y = (1.0 - t) * (1.0 - t) * a.1 + 2.0 * (1.0 - t) * t * b.1 + t * t * c.1;
                ink(image, x, y);
            }
        }
    }
    pixels
}

/// A round pen of radius ~1.4 px at (x, y): full ink at the centre, fading over its last pixel.
fn ink(image: &mut [u8], x: f32, y: f32) {
    for row in (y - 2.0).floor().max(0.0) as usize..=((y + 2.0).ceil() as usize).min(SIDE - 1) {
        for col in (x - 2.0).floor().max(0.0) as usize..=((x + 2.0).ceil() as usize).min(SIDE - 1) {
            let distance = ((row as f32 - y).powi(2) + (col as f32 - x).powi(2)).sqrt();
            let level = ((2.4 - distance).clamp(0.0, 1.0) * 255.0) as u8;
            let pixel = &mut image[row * SIDE + col];
            *pixel = (*pixel).max(level);
        }
    }
}

/// SplitMix64, as in `distill_core::rng` (this crate does not depend on the core).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strokes_are_drawn_the_same_for_a_seed_and_look_like_pen_on_paper() {
        let images = strokes(200, 1);
        assert_eq!(images.len(), 200 * PIXELS);
        assert_eq!(images, strokes(200, 1));
        assert_ne!(images, strokes(200, 2));
        for image in images.chunks_exact(PIXELS) {
            let inked = image.iter().filter(|&&p| p > 128).count();
            // A stroke covers some of the picture, never all of it; MNIST digits ink 10–20%.
            assert!((20..400).contains(&inked), "{inked} inked pixels");
            // The 4-pixel border stays almost blank, as in MNIST.
            let border: u32 = (0..SIDE).map(|i| image[i] as u32 + image[(SIDE - 1) * SIDE + i] as u32).sum();
            assert_eq!(border, 0, "nothing on the top or bottom row");
        }
    }
}
