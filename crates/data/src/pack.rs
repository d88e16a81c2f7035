//! A playground pack: what the browser downloads on a first visit, in one file and one request.
//! The first rows of a dataset's train and test splits with the teacher's logits for exactly
//! those rows, so the page never fetches the 47 MB full training set.
//!
//! Tensors: `train_images` U8 [n,28,28], `train_labels` U8 [n], `train_logits` F16 [n,10], and the
//! same three for `test_`. Logits are stored in half precision: it halves their share of the
//! download (218 → 105 KB brotli for 6,000 rows) and changes a soft target by under 0.1%; each
//! row is shifted so its largest logit is 0 (softmax and top-k do not change), 105 → 83 KB.
//! Pixels keep 6 of their 8 bits ([`six_bit`]): at most 2/255 off, and the images, most of the
//! download, shrink from 805 to 659 KB brotli for 6,000 rows. The teacher's logits are computed
//! on exactly these pixels, so a soft target is the teacher's answer to the image shipped.

use crate::dataset::{read_split, safetensors_metadata};
use crate::teacher::{f16_bytes, read_logits};
use crate::{DataError, Dataset, TeacherCache, CLASSES, SIDE};
use safetensors::{tensor::TensorView, Dtype};
use std::collections::HashMap;

/// Rows a pack keeps by default: 5,000 train + 1,000 test images, about 4.8 MB uncompressed.
pub const DEFAULT_TRAIN_ROWS: usize = 5000;
pub const DEFAULT_TEST_ROWS: usize = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub train: Dataset,
    pub test: Dataset,
    /// Logits for exactly the rows of `train` and `test`.
    pub teacher: TeacherCache,
    pub metadata: HashMap<String, String>,
}

impl Pack {
    /// The first `train_rows` / `test_rows` examples, their pixels kept to 6 bits, with the
    /// logits `teacher` gives for those pixels (10 per image, in order).
    pub fn cut<E>(
        (train, test): (&Dataset, &Dataset),
        (train_rows, test_rows): (usize, usize),
        mut teacher: impl FnMut(&[u8]) -> Result<Vec<f32>, E>,
        metadata: HashMap<String, String>,
    ) -> Result<Pack, E> {
        let (train, test) = (shipped(train, train_rows), shipped(test, test_rows));
        let teacher = TeacherCache {
            train_logits: largest_at_zero(teacher(&train.images)?),
            test_logits: largest_at_zero(teacher(&test.images)?),
            metadata: HashMap::new(),
        };
        assert_eq!(teacher.train_logits.len(), train.len() * CLASSES, "the teacher gives 10 logits an image");
        assert_eq!(teacher.test_logits.len(), test.len() * CLASSES, "the teacher gives 10 logits an image");
        Ok(Pack { train, test, teacher, metadata })
    }

    /// The same cut with a teacher's answers computed elsewhere (`cache`, see
    /// [`TeacherCache::for_pack`]): logits for the original pixels, since the network that gave
    /// them is not here to look at the 6-bit ones.
    pub fn of_cached(
        (train, test): (&Dataset, &Dataset),
        cache: TeacherCache,
        metadata: HashMap<String, String>,
    ) -> Pack {
        let (train, test) = (shipped(train, cache.train_len()), shipped(test, cache.test_len()));
        let teacher = TeacherCache {
            train_logits: largest_at_zero(cache.train_logits),
            test_logits: largest_at_zero(cache.test_logits),
            metadata: HashMap::new(),
        };
        Pack { train, test, teacher, metadata }
    }

    pub fn to_safetensors(&self) -> Vec<u8> {
        let (train_logits, test_logits) = (f16_bytes(&self.teacher.train_logits), f16_bytes(&self.teacher.test_logits));
        let (n, m) = (self.train.len(), self.test.len());
        let side = SIDE;
        let tensors = [
            ("train_images", TensorView::new(Dtype::U8, vec![n, side, side], &self.train.images).unwrap()),
            ("train_labels", TensorView::new(Dtype::U8, vec![n], &self.train.labels).unwrap()),
            ("train_logits", TensorView::new(Dtype::F16, vec![n, CLASSES], &train_logits).unwrap()),
            ("test_images", TensorView::new(Dtype::U8, vec![m, side, side], &self.test.images).unwrap()),
            ("test_labels", TensorView::new(Dtype::U8, vec![m], &self.test.labels).unwrap()),
            ("test_logits", TensorView::new(Dtype::F16, vec![m, CLASSES], &test_logits).unwrap()),
        ];
        crate::tensors::serialize(tensors, &self.metadata).expect("serialising a pack")
    }

    /// Parses and validates a pack: every tensor present with its dtype and shape, row counts
    /// that agree, labels 0–9, finite logits.
    pub fn from_safetensors(file: &str, bytes: &[u8]) -> Result<Pack, DataError> {
        let st = crate::tensors::open(bytes).map_err(|e| DataError::corrupt(file, e.to_string()))?;
        let split = |prefix: &str| -> Result<(Dataset, Vec<f32>), DataError> {
            let dataset = read_split(file, &st, &format!("{prefix}_images"), &format!("{prefix}_labels"))?;
            let logits = read_logits(file, &st, &format!("{prefix}_logits"))?;
            if logits.len() != dataset.len() * CLASSES {
                return Err(DataError::mismatch(
                    file,
                    format!("{prefix}: {} images but {} rows of logits", dataset.len(), logits.len() / CLASSES),
                ));
            }
            Ok((dataset, logits))
        };
        let (train, train_logits) = split("train")?;
        let (test, test_logits) = split("test")?;
        let teacher = TeacherCache { train_logits, test_logits, metadata: HashMap::new() };
        Ok(Pack { train, test, teacher, metadata: safetensors_metadata(bytes) })
    }
}

/// The first `rows` examples of `split` with their pixels kept to 6 bits, as a pack ships them.
pub(crate) fn shipped(split: &Dataset, rows: usize) -> Dataset {
    let mut head = split.head(rows);
    head.images.iter_mut().for_each(|p| *p = six_bit(*p));
    head
}

/// Each row of logits shifted so its largest is 0. Softmax at any temperature, top-k and the
/// predicted class are unchanged by a shift; in F16 the values near the top gain precision, and
/// brotli packs them a fifth smaller (87 → 69 KB for 5,000 rows).
pub(crate) fn largest_at_zero(mut logits: Vec<f32>) -> Vec<f32> {
    for row in logits.chunks_mut(CLASSES) {
        let largest = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        row.iter_mut().for_each(|z| *z -= largest);
    }
    logits
}

/// A pixel at the nearest of the 64 levels 6 bits keep (0, 4, 8, …, 251, 255), as a byte.
pub fn six_bit(pixel: u8) -> u8 {
    let level = (pixel as u32 * 63 + 127) / 255;
    ((level * 255 + 31) / 63) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PIXELS;

    fn parts() -> (Dataset, Dataset) {
        let d = |n: usize| {
            let images = (0..n * PIXELS).map(|i| (i * 37 % 256) as u8).collect();
            Dataset::new("d", images, (0..n).map(|i| (i % 10) as u8).collect(), HashMap::new()).unwrap()
        };
        (d(5), d(3))
    }

    /// A stand-in teacher whose logits are each image's first ten pixels.
    fn teacher(images: &[u8]) -> Result<Vec<f32>, std::convert::Infallible> {
        Ok(images.chunks(PIXELS).flat_map(|image| image[..CLASSES].iter().map(|&p| p as f32)).collect())
    }

    fn cut(train_rows: usize, test_rows: usize) -> Pack {
        let (train, test) = parts();
        Pack::cut((&train, &test), (train_rows, test_rows), teacher, HashMap::new()).unwrap()
    }

    #[test]
    fn cut_keeps_rows_and_the_teachers_logits_for_the_pixels_it_ships() {
        let (train, test) = parts();
        let meta = HashMap::from([("teacher".to_string(), "t".to_string())]);
        let pack = Pack::cut((&train, &test), (2, 10), teacher, meta).unwrap();
        assert_eq!((pack.train.len(), pack.test.len()), (2, 3));
        assert_eq!(pack.train.labels, train.labels[..2]);
        assert_ne!(pack.train.images, train.images[..2 * PIXELS], "pixels are kept to 6 bits");
        assert_eq!(pack.teacher.train_logits, largest_at_zero(teacher(&pack.train.images).unwrap()));
        assert_eq!(pack.teacher.test_logits, largest_at_zero(teacher(&pack.test.images).unwrap()));
        assert_eq!(Pack::from_safetensors("p", &pack.to_safetensors()).unwrap(), pack);
    }

    #[test]
    fn logits_are_shifted_so_each_rows_largest_is_zero() {
        let logits = vec![
            1.0, 5.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -3.0, -1.0, -7.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0,
            -1.0,
        ];
        let shifted = largest_at_zero(logits.clone());
        assert_eq!(&shifted[..3], [-4.0, 0.0, -7.0]);
        assert_eq!(&shifted[10..13], [-2.0, 0.0, -6.0]);
        for (before, after) in logits.chunks(CLASSES).zip(shifted.chunks(CLASSES)) {
            let softmax = |row: &[f32]| {
                let sum: f32 = row.iter().map(|z| z.exp()).sum();
                row.iter().map(|z| z.exp() / sum).collect::<Vec<_>>()
            };
            for (p, q) in softmax(before).iter().zip(softmax(after)) {
                assert!((p - q).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn six_bits_keep_64_levels_within_2_of_every_byte() {
        let levels: std::collections::BTreeSet<u8> = (0..=255).map(six_bit).collect();
        assert_eq!(levels.len(), 64);
        assert!(levels.contains(&0) && levels.contains(&255), "black and white stay exact");
        for pixel in 0..=255u8 {
            assert!(six_bit(pixel).abs_diff(pixel) <= 2, "{pixel} → {}", six_bit(pixel));
            assert_eq!(six_bit(six_bit(pixel)), six_bit(pixel), "a shipped pixel is its own level");
        }
    }

    #[test]
    fn logits_travel_in_half_precision() {
        let mut pack = cut(5, 3);
        pack.teacher.train_logits[7] = std::f32::consts::PI;
        let bytes = pack.to_safetensors();
        let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        assert_eq!(st.tensor("train_logits").unwrap().dtype(), Dtype::F16);
        let back = Pack::from_safetensors("p", &bytes).unwrap().teacher.train_logits[7];
        assert!(back != std::f32::consts::PI && (back - std::f32::consts::PI).abs() < 2e-3, "{back}");
    }

    #[test]
    fn truncated_pack_is_rejected() {
        let bytes = cut(5, 3).to_safetensors();
        let err = Pack::from_safetensors("mnist-cnn.safetensors", &bytes[..bytes.len() / 2]).unwrap_err();
        assert!(err.to_string().contains("mnist-cnn.safetensors"), "{err}");
    }

    #[test]
    fn dataset_file_is_not_a_pack() {
        let (train, _) = parts();
        let err = Pack::from_safetensors("p", &train.to_safetensors()).unwrap_err();
        assert!(err.to_string().contains("no tensor named `train_images`"), "{err}");
    }
}
