//! A playground pack: what the browser downloads on a first visit, in one file and one request.
//! The first rows of a dataset's train and test splits with the teacher's logits for exactly
//! those rows, so the page never fetches the 47 MB full training set.
//!
//! Tensors: `train_images` U8 [n,28,28], `train_labels` U8 [n], `train_logits` F16 [n,10], and the
//! same three for `test_`. Logits are stored in half precision: it halves their share of the
//! download (218 → 105 KB brotli for 6,000 rows) and changes a soft target by under 0.1%.

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
    /// The first `train_rows` / `test_rows` examples with their teacher outputs.
    pub fn cut(
        train: &Dataset,
        test: &Dataset,
        teacher: &TeacherCache,
        train_rows: usize,
        test_rows: usize,
        metadata: HashMap<String, String>,
    ) -> Pack {
        let train = train.head(train_rows);
        let test = test.head(test_rows);
        let teacher = TeacherCache {
            train_logits: teacher.train_logits[..train.len() * CLASSES].to_vec(),
            test_logits: teacher.test_logits[..test.len() * CLASSES].to_vec(),
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
        safetensors::serialize(tensors, Some(self.metadata.clone())).expect("serialising a pack")
    }

    /// Parses and validates a pack: every tensor present with its dtype and shape, row counts
    /// that agree, labels 0–9, finite logits.
    pub fn from_safetensors(file: &str, bytes: &[u8]) -> Result<Pack, DataError> {
        let st = crate::tensors::open(bytes).map_err(|e| DataError::corrupt(file, e))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PIXELS;

    fn parts() -> (Dataset, Dataset, TeacherCache) {
        let d = |n: usize| {
            let images = (0..n * PIXELS).map(|i| (i % 7) as u8).collect();
            Dataset::new("d", images, (0..n).map(|i| (i % 10) as u8).collect(), HashMap::new()).unwrap()
        };
        let cache = TeacherCache {
            train_logits: (0..50).map(|i| i as f32).collect(),
            test_logits: (0..30).map(|i| -(i as f32)).collect(),
            metadata: HashMap::new(),
        };
        (d(5), d(3), cache)
    }

    #[test]
    fn cut_keeps_rows_and_their_logits_together() {
        let (train, test, cache) = parts();
        let meta = HashMap::from([("teacher".to_string(), "t".to_string())]);
        let pack = Pack::cut(&train, &test, &cache, 2, 10, meta);
        assert_eq!((pack.train.len(), pack.test.len()), (2, 3));
        assert_eq!(pack.teacher.train_logits, (0..20).map(|i| i as f32).collect::<Vec<_>>());
        assert_eq!(Pack::from_safetensors("p", &pack.to_safetensors()).unwrap(), pack);
    }

    #[test]
    fn logits_travel_in_half_precision() {
        let (train, test, mut cache) = parts();
        cache.train_logits[7] = std::f32::consts::PI;
        let bytes = Pack::cut(&train, &test, &cache, 5, 3, HashMap::new()).to_safetensors();
        let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        assert_eq!(st.tensor("train_logits").unwrap().dtype(), Dtype::F16);
        let back = Pack::from_safetensors("p", &bytes).unwrap().teacher.train_logits[7];
        assert!(back != std::f32::consts::PI && (back - std::f32::consts::PI).abs() < 2e-3, "{back}");
    }

    #[test]
    fn truncated_pack_is_rejected() {
        let (train, test, cache) = parts();
        let bytes = Pack::cut(&train, &test, &cache, 5, 3, HashMap::new()).to_safetensors();
        let err = Pack::from_safetensors("mnist-cnn.safetensors", &bytes[..bytes.len() / 2]).unwrap_err();
        assert!(err.to_string().contains("mnist-cnn.safetensors"), "{err}");
    }

    #[test]
    fn dataset_file_is_not_a_pack() {
        let (train, _, _) = parts();
        let err = Pack::from_safetensors("p", &train.to_safetensors()).unwrap_err();
        assert!(err.to_string().contains("no tensor named `train_images`"), "{err}");
    }
}
