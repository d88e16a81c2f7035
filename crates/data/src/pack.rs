//! A playground pack: what the browser downloads on a first visit, in one file and one request.
//! The first rows of a dataset's train and test splits with the teacher's logits for exactly
//! those rows, so the page never fetches the 47 MB full training set.
//!
//! Tensors: `train_images` U8 [n,28,28], `train_labels` U8 [n], `train_logits` F16 [n,10], and the
//! same three for `test_`; a pack laid out for a [`Delivery`] keeps the training logits of the rows
//! the default run does not read in `later_train_logits`, after the images (see below). Logits are
//! stored in half precision: it halves their share of the download (218 → 105 KB brotli for
//! 6,000 rows) and changes a soft target by under 0.1%; each row is shifted so its largest logit
//! is 0 (softmax and top-k do not change), 105 → 83 KB.
//! Pixels keep 6 of their 8 bits ([`six_bit`]): at most 2/255 off, and the images, most of the
//! download, shrink from 805 to 659 KB brotli for 6,000 rows. The teacher's logits are computed
//! on exactly these pixels, so a soft target is the teacher's answer to the image shipped.
//!
//! The file is laid out for a page that trains before its last byte arrives ([`part_ranges`]):
//! first the test split, every training row's label and the logits of the rows the default run
//! reads, then the training images, in the order that run reads them ([`Delivery`]; the metadata
//! says which), then the other rows' logits; so that run starts on the first rows while the rest
//! stream in. Readers here put the rows back in the dataset's order; a reader that takes the
//! tensors as they are sees the rows in that order, each image with its own label, and its logits
//! in `train_logits` followed by `later_train_logits`.

use crate::dataset::{read_split, safetensors_metadata};
use crate::teacher::{f16_bytes, half_logits, read_logits};
use crate::{DataError, Dataset, TeacherCache, CLASSES, PIXELS, SIDE};
use distill_spec::rng::Rng;
use safetensors::{tensor::TensorView, Dtype};
use std::collections::HashMap;
use std::ops::Range;

/// Rows a pack keeps by default: 5,000 train + 1,000 test images, about 4.8 MB uncompressed.
pub const DEFAULT_TRAIN_ROWS: usize = 5000;
pub const DEFAULT_TEST_ROWS: usize = 1000;

/// Training images in a pack's second part (the first holds everything else): the default run's
/// first batch, after which it reports, so its curves start before more arrive. Each next part
/// holds twice as many as the one before, up to [`MAX_PART_ROWS`]. The page checks each part
/// against its SHA-256 in the catalog and hands it to the workers.
pub const FIRST_PART_ROWS: usize = 64;
pub const MAX_PART_ROWS: usize = 512;

/// The order a pack stores its training rows in: first those the default run (`seed`, `budget`)
/// trains on, in the order its first pass reads them, then the others in the dataset's order.
/// The run's questions are the first `budget` of the rows shuffled by `seed ^ 0x0b0d_9e7b`
/// (`distill_core::targets::question_order`), and its first pass reads them shuffled by `seed`
/// (`distill_core::Trainer`); a test there checks that this is the order it reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delivery {
    pub seed: u64,
    pub budget: usize,
}

impl Delivery {
    const SEED_KEY: &str = "delivery_seed";
    const BUDGET_KEY: &str = "delivery_budget";

    /// Stored row → dataset row, for `rows` training rows.
    pub fn order(&self, rows: usize) -> Vec<usize> {
        let mut asked: Vec<usize> = (0..rows).collect();
        Rng::new(self.seed ^ 0x0b0d_9e7b).shuffle(&mut asked);
        asked.truncate(self.budget);
        let mut first_pass: Vec<usize> = (0..asked.len()).collect();
        Rng::new(self.seed).shuffle(&mut first_pass);
        let mut order: Vec<usize> = first_pass.iter().map(|&position| asked[position]).collect();
        let mut delivered = vec![false; rows];
        order.iter().for_each(|&row| delivered[row] = true);
        order.extend((0..rows).filter(|&row| !delivered[row]));
        order
    }

    /// What the metadata of a pack stored in this order says.
    pub fn metadata(&self) -> [(String, String); 2] {
        [(Self::SEED_KEY.into(), self.seed.to_string()), (Self::BUDGET_KEY.into(), self.budget.to_string())]
    }

    /// The order a pack's metadata gives, if it gives one.
    pub fn of(metadata: &HashMap<String, String>) -> Option<Delivery> {
        Some(Delivery {
            seed: metadata.get(Self::SEED_KEY)?.parse().ok()?,
            budget: metadata.get(Self::BUDGET_KEY)?.parse().ok()?,
        })
    }
}

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

    /// The file, its training rows in the order its metadata's [`Delivery`] gives (as they are,
    /// without one), the data laid out as [`part_ranges`] reads it: the half-precision logits
    /// first (2-byte aligned whatever the row counts), the training images last but for the
    /// logits of the rows the delivered run does not read (aligned when the two splits' rows add
    /// up to an even number, as the default 5,000 + 1,000 do).
    pub fn to_safetensors(&self) -> Vec<u8> {
        let (n, m) = (self.train.len(), self.test.len());
        let delivery = Delivery::of(&self.metadata);
        let order = delivery.map_or_else(|| (0..n).collect(), |d| d.order(n));
        let early = delivery.map_or(n, |d| d.budget.min(n));
        let rows = |values: &[u8], width: usize| -> Vec<u8> {
            order.iter().flat_map(|&row| &values[row * width..(row + 1) * width]).copied().collect()
        };
        let train_logits: Vec<f32> = order
            .iter()
            .flat_map(|&row| &self.teacher.train_logits[row * CLASSES..(row + 1) * CLASSES])
            .copied()
            .collect();
        let (later_train_logits, train_logits) =
            (f16_bytes(&train_logits[early * CLASSES..]), f16_bytes(&train_logits[..early * CLASSES]));
        let test_logits = f16_bytes(&self.teacher.test_logits);
        let (train_images, train_labels) = (rows(&self.train.images, PIXELS), rows(&self.train.labels, 1));
        let side = SIDE;
        let tensors = [
            ("test_logits", TensorView::new(Dtype::F16, vec![m, CLASSES], &test_logits).unwrap()),
            ("train_logits", TensorView::new(Dtype::F16, vec![early, CLASSES], &train_logits).unwrap()),
            ("test_images", TensorView::new(Dtype::U8, vec![m, side, side], &self.test.images).unwrap()),
            ("test_labels", TensorView::new(Dtype::U8, vec![m], &self.test.labels).unwrap()),
            ("train_labels", TensorView::new(Dtype::U8, vec![n], &train_labels).unwrap()),
            ("train_images", TensorView::new(Dtype::U8, vec![n, side, side], &train_images).unwrap()),
            ("later_train_logits", TensorView::new(Dtype::F16, vec![n - early, CLASSES], &later_train_logits).unwrap()),
        ];
        let tensors =
            tensors.into_iter().filter(|(name, view)| *name != "later_train_logits" || !view.data().is_empty());
        crate::tensors::serialize_in_order(tensors, &self.metadata)
    }

    /// Parses and validates a pack: every tensor present with its dtype and shape, row counts
    /// that agree, labels 0–9, finite logits.
    pub fn from_safetensors(file: &str, bytes: &[u8]) -> Result<Pack, DataError> {
        let st = crate::tensors::open(bytes).map_err(|e| DataError::corrupt(file, e.to_string()))?;
        let split = |prefix: &str| -> Result<(Dataset, Vec<f32>), DataError> {
            let dataset = read_split(file, &st, &format!("{prefix}_images"), &format!("{prefix}_labels"))?;
            let mut logits = read_logits(file, &st, &format!("{prefix}_logits"))?;
            if prefix == "train" && st.tensor(LATER_LOGITS).is_ok() {
                logits.extend(read_logits(file, &st, LATER_LOGITS)?);
            }
            if logits.len() != dataset.len() * CLASSES {
                return Err(DataError::mismatch(
                    file,
                    format!("{prefix}: {} images but {} rows of logits", dataset.len(), logits.len() / CLASSES),
                ));
            }
            Ok((dataset, logits))
        };
        let (mut train, mut train_logits) = split("train")?;
        let (test, test_logits) = split("test")?;
        let metadata = safetensors_metadata(bytes);
        if let Some(delivery) = Delivery::of(&metadata) {
            // Back in the dataset's order.
            let mut images = vec![0; train.images.len()];
            let (mut labels, mut logits) = (vec![0; train.len()], vec![0.0; train_logits.len()]);
            for (stored, row) in delivery.order(train.len()).into_iter().enumerate() {
                images[row * PIXELS..(row + 1) * PIXELS]
                    .copy_from_slice(&train.images[stored * PIXELS..(stored + 1) * PIXELS]);
                labels[row] = train.labels[stored];
                logits[row * CLASSES..(row + 1) * CLASSES]
                    .copy_from_slice(&train_logits[stored * CLASSES..(stored + 1) * CLASSES]);
            }
            (train.images, train.labels, train_logits) = (images, labels, logits);
        }
        let teacher = TeacherCache { train_logits, test_logits, metadata: HashMap::new() };
        Ok(Pack { train, test, teacher, metadata })
    }
}

/// The tensor of the training logits that come after the images.
const LATER_LOGITS: &str = "later_train_logits";

/// Where a pack file's parts lie: the first holds the header and everything before the training
/// images (a page can test and configure with it), each next one stored training images:
/// [`FIRST_PART_ROWS`], then twice as many a part up to [`MAX_PART_ROWS`] (the last what is
/// left), then, if the file has them, the later rows' logits. `None` for a file not laid out so
/// (nothing but those logits after the training images).
pub fn part_ranges(bytes: &[u8]) -> Option<Vec<Range<usize>>> {
    let header = crate::tensors::header(bytes).ok()?;
    let data_start = 8 + u64::from_le_bytes(bytes[..8].try_into().ok()?) as usize;
    let images = header.info("train_images")?;
    let (start, end) = (data_start + images.data_offsets.0, data_start + images.data_offsets.1);
    let later = header.info(LATER_LOGITS).map(|l| data_start + l.data_offsets.0..data_start + l.data_offsets.1);
    if later.clone().map_or(end, |l| l.end) != bytes.len() || later.as_ref().is_some_and(|l| l.start != end) {
        return None;
    }
    let mut ranges = Vec::new();
    ranges.push(0..start); // the first part
    let (mut from, mut rows) = (start, FIRST_PART_ROWS);
    while from < end {
        let to = (from + rows * PIXELS).min(end);
        ranges.push(from..to);
        (from, rows) = (to, (rows * 2).min(MAX_PART_ROWS));
    }
    ranges.extend(later);
    Some(ranges)
}

/// The logits of a pack's last part (its `later_train_logits`, half precision), or why they
/// cannot be read.
pub fn later_logits(file: &str, bytes: &[u8]) -> Result<Vec<f32>, DataError> {
    if !bytes.len().is_multiple_of(2 * CLASSES) {
        return Err(DataError::mismatch(file, format!("{} bytes of logits are not whole rows", bytes.len())));
    }
    half_logits(file, LATER_LOGITS, bytes)
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

    fn dataset(n: usize) -> Dataset {
        let images = (0..n * PIXELS).map(|i| (i * 37 % 256) as u8).collect();
        Dataset::new("d", images, (0..n).map(|i| (i * 7 % 10) as u8).collect(), HashMap::new()).unwrap()
    }

    fn parts() -> (Dataset, Dataset) {
        (dataset(5), dataset(3))
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
    fn a_pack_stores_the_default_runs_rows_first_and_reads_back_in_the_datasets_order() {
        let delivery = Delivery { seed: 7, budget: 300 };
        let order = delivery.order(600);
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, (0..600).collect::<Vec<_>>(), "every row once");
        let rest = &order[300..];
        assert!(rest.windows(2).all(|w| w[0] < w[1]), "the rows the run does not read come last, in order");

        let (train, test) = (dataset(600), dataset(40));
        let pack = Pack::cut((&train, &test), (600, 40), teacher, delivery.metadata().into_iter().collect()).unwrap();
        let bytes = pack.to_safetensors();
        assert_eq!(Pack::from_safetensors("p", &bytes).unwrap(), pack, "back in the dataset's order");
        let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        let stored: Vec<u8> = order.iter().map(|&row| pack.train.labels[row]).collect();
        assert_eq!(
            st.tensor("train_labels").unwrap().data(),
            &stored[..],
            "as the file has them: delivered first, first"
        );

        // The first part holds all but the training images and the logits of the rows the run
        // does not read; then 64, 128, 256, 512, 512… images a part; then those logits.
        let ranges = part_ranges(&bytes).unwrap();
        let (last, images) = ranges[1..].split_last().unwrap();
        let rows: Vec<usize> = images.iter().map(|r| r.len() / PIXELS).collect();
        assert_eq!(rows, [64, 128, 256, 152], "600 images");
        assert_eq!(last.len(), 300 * CLASSES * 2, "the logits of the 300 rows the run does not read");
        assert_eq!((ranges[0].start, last.end), (0, bytes.len()));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        let first = &bytes[ranges[0].clone()];
        assert_eq!(st.tensor("train_logits").unwrap().shape(), [300, CLASSES], "the run's rows' logits");
        let stored = &st.tensor("train_images").unwrap();
        assert_eq!(bytes[ranges[1].clone()], stored.data()[..64 * PIXELS], "the images the run reads first");
        assert!(first.len() < bytes.len() / 5, "the test split, labels and logits are a small part");
        let later = later_logits("p", &bytes[last.clone()]).unwrap();
        let row = order[300];
        assert_eq!(later[..CLASSES], pack.teacher.train_logits[row * CLASSES..(row + 1) * CLASSES], "row 300's");
        assert!(later_logits("p", &bytes[last.start..last.end - 1]).is_err(), "not whole rows");
        assert_eq!(part_ranges(&Dataset::to_safetensors(&train)), None, "not a pack");
        // Without a delivery, every row's logits come first and the images last.
        let plain = Pack { metadata: HashMap::new(), ..pack.clone() }.to_safetensors();
        assert_eq!(part_ranges(&plain).unwrap().len(), 5, "the first part, then images");
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
