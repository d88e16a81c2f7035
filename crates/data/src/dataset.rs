//! A split of an image-classification dataset (28×28 grey images, 10 classes) and its
//! safetensors file: `images` u8 [N,28,28] and `labels` u8 [N].

use crate::DataError;
use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use std::collections::HashMap;

pub use distill_spec::{CLASSES, PIXELS, SIDE};

/// Which part of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Train,
    Test,
}

impl Split {
    pub fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Test => "test",
        }
    }
}

/// Images and labels of one split, in the original order of the source files.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Row-major pixels, `len() * PIXELS` bytes, 0 = background.
    pub images: Vec<u8>,
    /// One class index (0..10) per image.
    pub labels: Vec<u8>,
    /// Free-form provenance (dataset name, source checksums), stored in the file's metadata.
    pub metadata: HashMap<String, String>,
}

impl Dataset {
    /// Checks that images and labels agree in count and that every label is a class index.
    pub fn new(
        file: &str,
        images: Vec<u8>,
        labels: Vec<u8>,
        metadata: HashMap<String, String>,
    ) -> Result<Self, DataError> {
        if images.len() != labels.len() * PIXELS {
            return Err(DataError::mismatch(
                file,
                format!(
                    "{} labels but {} bytes of images ({} images)",
                    labels.len(),
                    images.len(),
                    images.len() as f64 / PIXELS as f64
                ),
            ));
        }
        if let Some(pos) = labels.iter().position(|&l| l as usize >= CLASSES) {
            return Err(DataError::corrupt(file, format!("label {} at index {pos} is not a class 0-9", labels[pos])));
        }
        Ok(Dataset { images, labels, metadata })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The pixels of image `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.images[i * PIXELS..(i + 1) * PIXELS]
    }

    /// The first `n` examples (or all of them when there are fewer).
    pub fn head(&self, n: usize) -> Dataset {
        let n = n.min(self.len());
        Dataset {
            images: self.images[..n * PIXELS].to_vec(),
            labels: self.labels[..n].to_vec(),
            metadata: self.metadata.clone(),
        }
    }

    pub fn to_safetensors(&self) -> Vec<u8> {
        let n = self.len();
        let tensors = [
            ("images", TensorView::new(Dtype::U8, vec![n, SIDE, SIDE], &self.images).unwrap()),
            ("labels", TensorView::new(Dtype::U8, vec![n], &self.labels).unwrap()),
        ];
        crate::tensors::serialize(tensors, &self.metadata).expect("serialising u8 tensors")
    }

    /// Parses and validates a dataset file; `file` names it in errors.
    pub fn from_safetensors(file: &str, bytes: &[u8]) -> Result<Self, DataError> {
        let st = crate::tensors::open(bytes).map_err(|e| DataError::corrupt(file, e.to_string()))?;
        let mut dataset = read_split(file, &st, "images", "labels")?;
        dataset.metadata = safetensors_metadata(bytes);
        Ok(dataset)
    }
}

/// Images U8 [N,28,28] and labels U8 [N] stored under the given names, validated.
pub(crate) fn read_split(file: &str, st: &SafeTensors, images: &str, labels: &str) -> Result<Dataset, DataError> {
    let image_view = st_tensor(file, st, images, Dtype::U8)?;
    let label_view = st_tensor(file, st, labels, Dtype::U8)?;
    let n = label_view.shape().first().copied().unwrap_or(0);
    if label_view.shape() != [n] || image_view.shape() != [n, SIDE, SIDE] {
        return Err(DataError::mismatch(
            file,
            format!(
                "`{images}` {:?} and `{labels}` {:?}, expected [N,28,28] and [N]",
                image_view.shape(),
                label_view.shape()
            ),
        ));
    }
    Dataset::new(file, image_view.data().to_vec(), label_view.data().to_vec(), HashMap::new())
}

/// The named tensor with the given dtype, or an error that says what is there instead.
pub(crate) fn st_tensor<'a>(
    file: &str,
    st: &'a SafeTensors<'a>,
    name: &str,
    dtype: Dtype,
) -> Result<TensorView<'a>, DataError> {
    let t = st
        .tensor(name)
        .map_err(|_| DataError::mismatch(file, format!("no tensor named `{name}` (has: {})", st.names().join(", "))))?;
    if t.dtype() != dtype {
        return Err(DataError::mismatch(file, format!("`{name}` is {:?}, expected {dtype:?}", t.dtype())));
    }
    Ok(t)
}

/// The free-form `__metadata__` of a safetensors file (empty when absent or unreadable).
pub fn safetensors_metadata(bytes: &[u8]) -> HashMap<String, String> {
    crate::tensors::header(bytes).ok().and_then(|m| m.metadata().clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Dataset {
        let images = (0..3 * PIXELS).map(|i| (i % 251) as u8).collect();
        let meta = HashMap::from([("dataset".to_string(), "tiny".to_string())]);
        Dataset::new("tiny", images, vec![0, 9, 4], meta).unwrap()
    }

    #[test]
    fn round_trip() {
        let d = tiny();
        let back = Dataset::from_safetensors("tiny", &d.to_safetensors()).unwrap();
        assert_eq!(back, d);
        assert_eq!(back.image(1)[0], (PIXELS % 251) as u8);
    }

    #[test]
    fn truncated_file_is_corrupt() {
        let bytes = tiny().to_safetensors();
        let err = Dataset::from_safetensors("train.safetensors", &bytes[..bytes.len() - 10]).unwrap_err();
        assert!(matches!(err, DataError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("train.safetensors"));
    }

    #[test]
    fn bad_label_is_rejected() {
        let mut d = tiny();
        d.labels[2] = 10;
        let err = Dataset::from_safetensors("x", &d.to_safetensors()).unwrap_err();
        assert!(err.to_string().contains("label 10 at index 2"), "{err}");
    }

    #[test]
    fn wrong_shape_is_a_mismatch() {
        let d = tiny();
        let tensors = [
            ("images", TensorView::new(Dtype::U8, vec![3, PIXELS], &d.images).unwrap()),
            ("labels", TensorView::new(Dtype::U8, vec![3], &d.labels).unwrap()),
        ];
        let bytes = safetensors::serialize(tensors, None).unwrap();
        let err = Dataset::from_safetensors("x", &bytes).unwrap_err();
        assert!(matches!(err, DataError::Mismatch { .. }), "{err}");
    }

    #[test]
    fn teacher_file_is_not_a_dataset() {
        let logits = vec![0u8; 3 * 10 * 4];
        let t = [("train_logits", TensorView::new(Dtype::F32, vec![3, 10], &logits).unwrap())];
        let err = Dataset::from_safetensors("x", &safetensors::serialize(t, None).unwrap()).unwrap_err();
        assert!(err.to_string().contains("no tensor named `images`"), "{err}");
    }
}
