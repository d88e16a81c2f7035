//! Turning stored u8 images into the f32 inputs of a batch, with optional random translation
//! ("jitter"), the only augmentation Hinton et al. used for their MNIST teacher.

use crate::rng::Rng;
use distill_spec::{PIXELS, SIDE};

/// Pixels of the images at `indices`, scaled to 0..1, each shifted by up to `jitter` pixels in
/// x and y (vacated pixels are background) when `jitter > 0`.
pub fn pixels(images: &[u8], indices: &[usize], jitter: usize, rng: &mut Rng) -> Vec<f32> {
    let mut out = vec![0.0f32; indices.len() * PIXELS];
    for (row, &i) in indices.iter().enumerate() {
        let src = &images[i * PIXELS..(i + 1) * PIXELS];
        let dst = &mut out[row * PIXELS..(row + 1) * PIXELS];
        let (dx, dy) = if jitter == 0 {
            (0, 0)
        } else {
            let span = 2 * jitter + 1;
            (rng.below(span) as isize - jitter as isize, rng.below(span) as isize - jitter as isize)
        };
        for y in 0..SIDE as isize {
            let sy = y - dy;
            if !(0..SIDE as isize).contains(&sy) {
                continue;
            }
            for x in 0..SIDE as isize {
                let sx = x - dx;
                if (0..SIDE as isize).contains(&sx) {
                    dst[(y * SIDE as isize + x) as usize] = src[(sy * SIDE as isize + sx) as usize] as f32 / 255.0;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_and_shifts() {
        let mut img = vec![0u8; PIXELS];
        img[SIDE * 10 + 10] = 255;
        let plain = pixels(&img, &[0], 0, &mut Rng::new(0));
        assert_eq!(plain[SIDE * 10 + 10], 1.0);
        assert_eq!(plain.iter().sum::<f32>(), 1.0);
        // With jitter the single lit pixel moves by at most 2 in each direction and stays lit.
        for seed in 0..20 {
            let shifted = pixels(&img, &[0], 2, &mut Rng::new(seed));
            let pos = shifted.iter().position(|&v| v == 1.0).unwrap();
            let (y, x) = ((pos / SIDE) as isize, (pos % SIDE) as isize);
            assert!((y - 10).abs() <= 2 && (x - 10).abs() <= 2);
        }
    }
}
