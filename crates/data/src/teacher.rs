//! A teacher's cached outputs: `train_logits` and `test_logits`, f32 [N,10], one row per example
//! of the dataset's train and test files, in the same order.

use crate::dataset::{safetensors_metadata, st_tensor};
use crate::{DataError, Dataset, CLASSES};
use half::f16;
use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct TeacherCache {
    /// Row-major [N_train, 10] logits.
    pub train_logits: Vec<f32>,
    /// Row-major [N_test, 10] logits.
    pub test_logits: Vec<f32>,
    pub metadata: HashMap<String, String>,
}

impl TeacherCache {
    pub fn train_len(&self) -> usize {
        self.train_logits.len() / CLASSES
    }

    pub fn test_len(&self) -> usize {
        self.test_logits.len() / CLASSES
    }

    pub fn to_safetensors(&self) -> Vec<u8> {
        let train = f32_bytes(&self.train_logits);
        let test = f32_bytes(&self.test_logits);
        let tensors = [
            ("train_logits", TensorView::new(Dtype::F32, vec![self.train_len(), CLASSES], &train).unwrap()),
            ("test_logits", TensorView::new(Dtype::F32, vec![self.test_len(), CLASSES], &test).unwrap()),
        ];
        crate::tensors::serialize(tensors, &self.metadata).expect("serialising f32 tensors")
    }

    /// Parses and validates a teacher cache: names, dtypes, shapes and finite values.
    pub fn from_safetensors(file: &str, bytes: &[u8]) -> Result<Self, DataError> {
        let st = crate::tensors::open(bytes).map_err(|e| DataError::corrupt(file, e.to_string()))?;
        Ok(TeacherCache {
            train_logits: read_logits(file, &st, "train_logits")?,
            test_logits: read_logits(file, &st, "test_logits")?,
            metadata: safetensors_metadata(bytes),
        })
    }

    /// A teacher's outputs made elsewhere (a user's own model), for a pack that holds the first
    /// `train_rows` / `test_rows` examples of each split: `train_logits` and `test_logits`, F32
    /// (or F16) [N,10], finite, over exactly those rows or over more of them in the original IDX
    /// order (the whole splits), whose first rows are the pack's. Cut to the pack's rows.
    pub fn for_pack(file: &str, bytes: &[u8], (train_rows, test_rows): (usize, usize)) -> Result<Self, DataError> {
        let mut cache = TeacherCache::from_safetensors(file, bytes)?;
        for (split, len, rows) in [("train", cache.train_len(), train_rows), ("test", cache.test_len(), test_rows)] {
            if len < rows {
                return Err(DataError::mismatch(
                    file,
                    format!(
                        "`{split}_logits` has {len} rows, the pack {rows}: give one row per image of the pack, or of the \
                         whole {split} split in its original order"
                    ),
                ));
            }
        }
        cache.train_logits.truncate(train_rows * CLASSES);
        cache.test_logits.truncate(test_rows * CLASSES);
        Ok(cache)
    }

    /// Refuses a cache whose row counts differ from the dataset splits it is used with.
    pub fn check_matches(&self, file: &str, train: &Dataset, test: &Dataset) -> Result<(), DataError> {
        if self.train_len() != train.len() || self.test_len() != test.len() {
            return Err(DataError::mismatch(
                file,
                format!(
                    "teacher outputs cover {} train / {} test examples, the dataset has {} / {}",
                    self.train_len(),
                    self.test_len(),
                    train.len(),
                    test.len()
                ),
            ));
        }
        Ok(())
    }
}

/// Logits [N,10] stored under `name` as F32 (a teacher's cache) or F16 (a pack), all finite.
pub(crate) fn read_logits(file: &str, st: &SafeTensors, name: &str) -> Result<Vec<f32>, DataError> {
    let is_f16 = st.tensor(name).is_ok_and(|t| t.dtype() == Dtype::F16);
    let t = st_tensor(file, st, name, if is_f16 { Dtype::F16 } else { Dtype::F32 })?;
    if t.shape().len() != 2 || t.shape()[1] != CLASSES {
        return Err(DataError::mismatch(file, format!("`{name}` is {:?}, expected [N,10]", t.shape())));
    }
    if is_f16 {
        half_logits(file, name, t.data())
    } else {
        finite(file, name, t.data().chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect())
    }
}

/// Logits stored as little-endian F16 (`name`'s bytes), all finite.
pub(crate) fn half_logits(file: &str, name: &str, bytes: &[u8]) -> Result<Vec<f32>, DataError> {
    finite(file, name, bytes.chunks_exact(2).map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32()).collect())
}

/// `values`, unless one is not finite (the error names its row).
fn finite(file: &str, name: &str, values: Vec<f32>) -> Result<Vec<f32>, DataError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(at) => Err(DataError::corrupt(file, format!("`{name}` has a non-finite value in row {}", at / CLASSES))),
        None => Ok(values),
    }
}

pub(crate) fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Rounded to half precision (about three significant digits, ample for soft targets). A value
/// beyond its range (±65,504) is held at its edge rather than made infinite, which every reader
/// refuses: a logit that far below a row's largest is a probability of 0 at any temperature either way.
pub(crate) fn f16_bytes(values: &[f32]) -> Vec<u8> {
    let edge = f16::MAX.to_f32();
    values.iter().flat_map(|&v| f16::from_f32(v.clamp(-edge, edge)).to_le_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PIXELS;

    #[test]
    fn logits_beyond_half_precision_are_held_at_its_edge_not_made_infinite() {
        let bytes = f16_bytes(&[-1e6, 1e6, -0.5]);
        let back: Vec<f32> = bytes.chunks_exact(2).map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32()).collect();
        assert_eq!(back, [-65504.0, 65504.0, -0.5]);
    }

    fn cache() -> TeacherCache {
        TeacherCache {
            train_logits: (0..20).map(|i| i as f32 * 0.5 - 3.0).collect(),
            test_logits: (0..10).map(|i| -(i as f32)).collect(),
            metadata: HashMap::from([("teacher".into(), "t".into())]),
        }
    }

    #[test]
    fn round_trip() {
        let c = cache();
        assert_eq!(TeacherCache::from_safetensors("c", &c.to_safetensors()).unwrap(), c);
    }

    #[test]
    fn nan_is_rejected() {
        let mut c = cache();
        c.train_logits[13] = f32::NAN;
        let err = TeacherCache::from_safetensors("c", &c.to_safetensors()).unwrap_err();
        assert!(err.to_string().contains("non-finite value in row 1"), "{err}");
    }

    #[test]
    fn flipped_bytes_in_header_are_corrupt() {
        let mut bytes = cache().to_safetensors();
        bytes[10] ^= 0xff;
        assert!(TeacherCache::from_safetensors("c", &bytes).is_err());
    }

    #[test]
    fn an_imported_teacher_is_cut_to_the_packs_rows_and_too_few_rows_are_named() {
        let bytes = cache().to_safetensors(); // 2 train rows, 1 test row
        let cut = TeacherCache::for_pack("mine.safetensors", &bytes, (1, 1)).unwrap();
        assert_eq!(cut.train_logits, cache().train_logits[..10]);
        assert_eq!(cut.test_logits, cache().test_logits);
        let err = TeacherCache::for_pack("mine.safetensors", &bytes, (2, 2)).unwrap_err().to_string();
        assert!(err.starts_with("mine.safetensors does not match: `test_logits` has 1 rows, the pack 2"), "{err}");
        let mut c = cache();
        c.test_logits[3] = f32::INFINITY;
        let err = TeacherCache::for_pack("mine.safetensors", &c.to_safetensors(), (1, 1)).unwrap_err().to_string();
        assert!(err.contains("`test_logits` has a non-finite value in row 0"), "{err}");
    }

    #[test]
    fn count_mismatch_with_dataset() {
        let d = |n: usize| Dataset::new("d", vec![0; n * PIXELS], vec![0; n], HashMap::new()).unwrap();
        let c = cache();
        c.check_matches("c", &d(2), &d(1)).unwrap();
        let err = c.check_matches("c", &d(3), &d(1)).unwrap_err();
        assert!(err.to_string().contains("cover 2 train / 1 test examples, the dataset has 3 / 1"), "{err}");
    }
}
