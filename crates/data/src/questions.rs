//! A teacher's answers about images that are not its own: what a copier who owns none of the
//! teacher's data could ask instead ("Do you even need the data?", Knockoff Nets). One file per
//! set of questions, fetched only when a run asks about it:
//! - `<teacher>.ask-<dataset>.safetensors`: the first rows of another dataset's training split
//!   (pixels kept to 6 bits, as in a pack) with the teacher's logits for them;
//! - `<teacher>.ask-strokes.safetensors`: the teacher's logits for as many pictures of random pen
//!   strokes ([`crate::strokes`]). The strokes are drawn again from their seed where they are used,
//!   so only the answers travel (70 KB, where 5,000 pictures of clothes take 1.5 MB); the SHA-256 of
//!   the pixels the teacher answered is in the file and checked against the pixels drawn here.
//!
//! Tensors: `images` U8 [n,28,28] (not for strokes) and `logits` F16 [n,10]; metadata `about` (a
//! dataset id or `strokes`), and for strokes `strokes_seed` and `strokes_sha256`.

use crate::checksum::sha256_hex;
use crate::dataset::{safetensors_metadata, st_tensor};
use crate::pack::{largest_at_zero, shipped};
use crate::teacher::{f16_bytes, read_logits};
use crate::{DataError, Dataset, CLASSES, PIXELS, SIDE};
use safetensors::{tensor::TensorView, Dtype};
use std::collections::HashMap;

/// What [`Questions::about`] says of pictures of random strokes.
pub const STROKES: &str = "strokes";
/// The seed of the strokes every questions file is made with.
pub const STROKES_SEED: u64 = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct Questions {
    /// A dataset id (`fashion` for an MNIST teacher) or [`STROKES`].
    pub about: String,
    pub images: Vec<u8>,
    /// The teacher's, 10 per image, each row's largest at 0 (as in a pack).
    pub logits: Vec<f32>,
}

impl Questions {
    /// The first `rows` training images of dataset `about` (6-bit pixels), with the logits
    /// `teacher` gives for them.
    pub fn of_dataset<E>(
        about: &str,
        train: &Dataset,
        rows: usize,
        teacher: impl FnOnce(&[u8]) -> Result<Vec<f32>, E>,
    ) -> Result<Questions, E> {
        Questions::answered(about, shipped(train, rows).images, teacher)
    }

    /// `rows` pictures of random strokes, with the logits `teacher` gives for them.
    pub fn of_strokes<E>(rows: usize, teacher: impl FnOnce(&[u8]) -> Result<Vec<f32>, E>) -> Result<Questions, E> {
        Questions::answered(STROKES, crate::strokes::strokes(rows, STROKES_SEED), teacher)
    }

    fn answered<E>(
        about: &str,
        images: Vec<u8>,
        teacher: impl FnOnce(&[u8]) -> Result<Vec<f32>, E>,
    ) -> Result<Questions, E> {
        let logits = largest_at_zero(teacher(&images)?);
        assert_eq!(logits.len() * PIXELS, images.len() * CLASSES, "the teacher gives 10 logits an image");
        Ok(Questions { about: about.to_string(), images, logits })
    }

    pub fn rows(&self) -> usize {
        self.images.len() / PIXELS
    }

    pub fn to_safetensors(&self) -> Vec<u8> {
        let (n, logits) = (self.rows(), f16_bytes(&self.logits));
        let mut tensors = vec![("logits", TensorView::new(Dtype::F16, vec![n, CLASSES], &logits).unwrap())];
        let mut metadata = HashMap::from([("about".to_string(), self.about.clone())]);
        if self.about == STROKES {
            metadata.insert("strokes_seed".to_string(), STROKES_SEED.to_string());
            metadata.insert("strokes_sha256".to_string(), sha256_hex(&self.images));
        } else {
            tensors.push(("images", TensorView::new(Dtype::U8, vec![n, SIDE, SIDE], &self.images).unwrap()));
        }
        crate::tensors::serialize(tensors, &metadata).expect("serialising questions")
    }

    /// Parses and validates a questions file: its tensors with their dtypes and shapes, as many
    /// rows of logits as images, finite logits, and strokes drawn here that are the ones the
    /// teacher answered.
    pub fn from_safetensors(file: &str, bytes: &[u8]) -> Result<Questions, DataError> {
        let st = crate::tensors::open(bytes).map_err(|e| DataError::corrupt(file, e.to_string()))?;
        let logits = read_logits(file, &st, "logits")?;
        let n = logits.len() / CLASSES;
        let metadata = safetensors_metadata(bytes);
        let field = |key: &str| {
            metadata.get(key).cloned().ok_or_else(|| DataError::mismatch(file, format!("no `{key}` in its metadata")))
        };
        let about = field("about")?;
        let images = if about == STROKES {
            let seed = field("strokes_seed")?;
            if seed != STROKES_SEED.to_string() {
                return Err(DataError::mismatch(
                    file,
                    format!("strokes of seed {seed}; these are drawn with seed {STROKES_SEED}"),
                ));
            }
            let images = crate::strokes::strokes(n, STROKES_SEED);
            if sha256_hex(&images) != field("strokes_sha256")? {
                return Err(DataError::mismatch(
                    file,
                    "the strokes drawn here are not the ones the teacher answered (`strokes_sha256` differs)",
                ));
            }
            images
        } else {
            let images = st_tensor(file, &st, "images", Dtype::U8)?;
            if images.shape() != [n, SIDE, SIDE] {
                return Err(DataError::mismatch(
                    file,
                    format!("`images` is {:?} for {n} rows of logits, expected [{n},28,28]", images.shape()),
                ));
            }
            images.data().to_vec()
        };
        Ok(Questions { about, images, logits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clothes(n: usize) -> Dataset {
        let images = (0..n * PIXELS).map(|i| (i * 37 % 256) as u8).collect();
        Dataset::new("c", images, vec![3; n], HashMap::new()).unwrap()
    }

    /// A stand-in teacher whose logits are each image's ink in ten bands of rows.
    fn teacher(images: &[u8]) -> Result<Vec<f32>, std::convert::Infallible> {
        Ok(images
            .chunks(PIXELS)
            .flat_map(|image| (0..CLASSES).map(move |c| image[c * 78..(c + 1) * 78].iter().map(|&p| p as f32).sum()))
            .collect())
    }

    #[test]
    fn questions_hold_the_teachers_answers_about_the_pixels_asked_and_read_back() {
        let clothes = Questions::of_dataset("fashion", &clothes(6), 4, teacher).unwrap();
        assert_eq!(clothes.rows(), 4);
        assert_eq!(clothes.images, shipped(&self::clothes(6), 4).images, "6-bit pixels, as a pack ships");
        let strokes = Questions::of_strokes(4, teacher).unwrap();
        assert_eq!(strokes.images, crate::strokes::strokes(4, STROKES_SEED));
        for questions in [clothes, strokes] {
            assert_eq!(questions.logits, largest_at_zero(teacher(&questions.images).unwrap()));
            let back = Questions::from_safetensors("q", &questions.to_safetensors()).unwrap();
            assert_eq!((&back.about, &back.images), (&questions.about, &questions.images));
            for (a, b) in back.logits.iter().zip(&questions.logits) {
                assert!((a - b).abs() <= 1e-3 * b.abs().max(1.0), "half precision: {a} vs {b}");
            }
        }
    }

    #[test]
    fn only_the_answers_about_strokes_travel() {
        let (strokes, clothes) = (
            Questions::of_strokes(3, teacher).unwrap(),
            Questions::of_dataset("fashion", &clothes(3), 3, teacher).unwrap(),
        );
        let (strokes, clothes) = (strokes.to_safetensors(), clothes.to_safetensors());
        assert!(
            strokes.len() < 3 * PIXELS && clothes.len() > 3 * PIXELS,
            "{} and {} bytes",
            strokes.len(),
            clothes.len()
        );
    }

    #[test]
    fn strokes_other_than_those_answered_are_refused_naming_the_file() {
        let bytes = Questions::of_strokes(3, teacher).unwrap().to_safetensors();
        let header = String::from_utf8_lossy(&bytes[8..]).into_owned();
        let seed = 8 + header.find("\"strokes_seed\":\"1\"").unwrap() + "\"strokes_seed\":\"".len();
        let mut other_seed = bytes.clone();
        other_seed[seed] = b'2';
        let error = Questions::from_safetensors("mnist-cnn.ask-strokes.safetensors", &other_seed).unwrap_err();
        assert!(
            error.to_string().contains("mnist-cnn.ask-strokes.safetensors does not match: strokes of seed 2"),
            "{error}"
        );
        let hash = 8 + header.find("\"strokes_sha256\":\"").unwrap() + "\"strokes_sha256\":\"".len();
        let mut other_strokes = bytes.clone();
        other_strokes[hash] = if bytes[hash] == b'0' { b'1' } else { b'0' };
        let error = Questions::from_safetensors("q", &other_strokes).unwrap_err();
        assert!(error.to_string().contains("`strokes_sha256` differs"), "{error}");
        let error = Questions::from_safetensors("q", &bytes[..bytes.len() / 2]).unwrap_err();
        assert!(error.to_string().contains("q is corrupt"), "{error}");
    }

    #[test]
    fn the_fuzz_seed_of_strokes_names_the_strokes_drawn_here() {
        // `fuzz/seeds.py` (standard library only) writes a one-stroke questions file with this hash.
        assert_eq!(
            sha256_hex(&crate::strokes::strokes(1, STROKES_SEED)),
            "2c2824711990834eb9818af77a3c830657b27c53f2412b3ea4de7cb1e5cc38d1"
        );
    }
}
