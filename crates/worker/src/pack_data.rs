//! A playground pack unpacked for training (the page downloaded it and checked it against the
//! catalog), and the sets of questions about other images it sends later, when a run asks about them.
//! A pack comes in parts ([`distill_data::pack::part_ranges`]): the first has the test split,
//! every training row's label and the logits of the rows the default run reads, each next one
//! more training images, in the order that run reads them, and the last the other rows' logits.
//! It is usable from the first part on: a run whose answers do not depend on the images
//! ([`PackData::trains_early`]) and whose questions' logits are in ([`PackData::has_logits_for`])
//! trains on each batch as soon as its images are in ([`PackData::has_rows`]); any other waits
//! for the last part.

use distill_core::metrics::{predictions, Evaluation};
use distill_core::targets::question_order;
use distill_core::EvalSet;
use distill_data::catalog::{PackEntry, QuestionsEntry};
use distill_data::pack::{Delivery, Pack};
use distill_data::questions::Questions;
use distill_data::teacher::TeacherCache;
use distill_playground::protocol::{questions_for, ImportedTeacher, WorkerError};
use distill_playground::settings::{AskAbout, Settings};
use distill_spec::{Mark, CLASSES, PIXELS};
use std::borrow::Cow;
use std::sync::Arc;

/// Images a copier can ask the teacher about, with the teacher's logits for them and the labels
/// the labels-only student learns: the true ones for the teacher's own images, the teacher's top
/// answers for any other.
#[derive(Clone)]
pub struct QuestionSet {
    pub images: Arc<Vec<u8>>,
    pub labels: Vec<u8>,
    pub logits: Vec<f32>,
}

impl QuestionSet {
    /// The labels and the teacher's logits as an API that marks its answers gives them: a marked
    /// image's logits trade the first two classes ([`Mark::apply`]), and where the labels are
    /// the teacher's top answers (not `true_labels`) they follow. Borrowed when the mark is off.
    pub fn through(&self, mark: &Mark, true_labels: bool) -> (Cow<'_, [u8]>, Cow<'_, [f32]>) {
        let logits = mark.apply(&self.logits, &self.images);
        let labels = match (&logits, true_labels) {
            (Cow::Owned(marked), false) => Cow::Owned(predictions(marked)),
            _ => Cow::Borrowed(&self.labels[..]),
        };
        (labels, logits)
    }
}

#[derive(Clone)]
pub struct PackData {
    pub entry: PackEntry,
    /// The teacher's training split.
    pub own: QuestionSet,
    /// Sets fetched since (`ask-<about>` files), by what they are about.
    elsewhere: Vec<(String, QuestionSet)>,
    /// Test split with the teacher's predictions, for accuracy and agreement.
    pub test: EvalSet,
    pub test_logits: Vec<f32>,
    /// The file a user's own teacher's answers came from, once imported ([`PackData::import_teacher`]).
    pub imported: Option<String>,
    /// Which training rows' images are in (the dataset's order), how many parts, and how many
    /// stored rows they held; which rows' logits are in.
    arrived: Vec<bool>,
    parts_in: usize,
    stored_in: usize,
    logits_in: Vec<bool>,
    /// The file's stored row → the dataset's row ([`Delivery`]).
    order: Vec<usize>,
}

impl PackData {
    /// Every tensor's shape (via [`Pack`]) and the rows the catalog gives (the page checked the
    /// bytes' SHA-256: [`distill_playground::protocol::checked_part`]).
    pub fn from_bytes(entry: &PackEntry, bytes: &[u8]) -> Result<PackData, WorkerError> {
        if bytes.len() as u64 != entry.bytes {
            let (file, size) = (&entry.file, entry.bytes);
            return Err(WorkerError::Pack(format!("packs/{file}: {} bytes, the catalog says {size}", bytes.len())));
        }
        let mut data = PackData::from_first_part(entry, bytes)?;
        data.arrived.fill(true);
        data.logits_in.fill(true);
        (data.parts_in, data.stored_in) = (entry.parts.len().max(1), entry.train_rows);
        Ok(data)
    }

    /// The pack from its first part (or the whole file): the training images not in it are
    /// black until [`PackData::add_part`] brings them.
    pub fn from_first_part(entry: &PackEntry, first: &[u8]) -> Result<PackData, WorkerError> {
        let file = format!("packs/{}", entry.file);
        let size = entry.bytes.min(distill_data::catalog::MAX_PACK_BYTES) as usize;
        if first.len() > size {
            return Err(WorkerError::Pack(format!("{file}: {} bytes, the catalog says {size}", first.len())));
        }
        let mut bytes = first.to_vec();
        bytes.resize(size, 0);
        let pack = Pack::from_safetensors(&file, &bytes).map_err(|e| WorkerError::Pack(e.to_string()))?;
        if (pack.train.len(), pack.test.len()) != (entry.train_rows, entry.test_rows) {
            return Err(WorkerError::Pack(format!(
                "{file}: {} train and {} test rows, the catalog says {} and {}",
                pack.train.len(),
                pack.test.len(),
                entry.train_rows,
                entry.test_rows
            )));
        }
        let delivery = Delivery::of(&pack.metadata);
        let order = delivery.map_or_else(|| (0..entry.train_rows).collect(), |d| d.order(entry.train_rows));
        // The first part holds the logits of the rows the delivered run reads (all, without one).
        let mut logits_in = vec![false; entry.train_rows];
        let early = delivery.map_or(entry.train_rows, |d| d.budget.min(entry.train_rows));
        order[..early].iter().for_each(|&row| logits_in[row] = true);
        let test = EvalSet {
            images: Arc::new(pack.test.images),
            labels: pack.test.labels,
            teacher_predictions: Some(predictions(&pack.teacher.test_logits)),
        };
        Ok(PackData {
            entry: entry.clone(),
            own: QuestionSet {
                images: Arc::new(pack.train.images),
                labels: pack.train.labels,
                logits: pack.teacher.train_logits,
            },
            elsewhere: Vec::new(),
            test,
            test_logits: pack.teacher.test_logits,
            imported: None,
            arrived: vec![false; entry.train_rows],
            parts_in: 1,
            stored_in: 0,
            logits_in,
            order,
        })
    }

    /// Part `index` of the file (the next stored training images, or the later rows' logits),
    /// checked by the page: it joins the pack. Parts come in order; one that does not come next
    /// (sent again, or for a pack since replaced) changes nothing and says so with `false`.
    pub fn add_part(&mut self, index: usize, bytes: &[u8]) -> Result<bool, WorkerError> {
        if index != self.parts_in || self.is_complete() {
            return Ok(false);
        }
        if self.stored_in == self.order.len() {
            return self.add_later_logits(bytes);
        }
        let (first, rows) = (self.stored_in, bytes.len() / PIXELS);
        if !bytes.len().is_multiple_of(PIXELS) || first + rows > self.order.len() {
            let (file, left) = (&self.entry.file, self.order.len() - first);
            return Err(WorkerError::Pack(format!("packs/{file}: part {index} is not whole images, {left} or fewer")));
        }
        let images = Arc::make_mut(&mut self.own.images);
        for (k, pixels) in bytes.chunks(PIXELS).enumerate() {
            let row = self.order[first + k];
            images[row * PIXELS..(row + 1) * PIXELS].copy_from_slice(pixels);
            self.arrived[row] = true;
        }
        (self.parts_in, self.stored_in) = (self.parts_in + 1, first + rows);
        Ok(true)
    }

    /// The logits of the rows the delivered run does not read (the last part), in place of the
    /// zeros they were; an imported teacher's answers stay.
    fn add_later_logits(&mut self, bytes: &[u8]) -> Result<bool, WorkerError> {
        let file = format!("packs/{}", self.entry.file);
        let logits = distill_data::pack::later_logits(&file, bytes).map_err(|e| WorkerError::Pack(e.to_string()))?;
        let later: Vec<usize> = self.order.iter().copied().filter(|&row| !self.logits_in[row]).collect();
        if logits.len() != later.len() * CLASSES {
            let rows = logits.len() / CLASSES;
            return Err(WorkerError::Pack(format!(
                "{file}: the last part has {rows} rows of logits, not {}",
                later.len()
            )));
        }
        for (values, &row) in logits.chunks(CLASSES).zip(&later) {
            if self.imported.is_none() {
                self.own.logits[row * CLASSES..(row + 1) * CLASSES].copy_from_slice(values);
            }
            self.logits_in[row] = true;
        }
        self.parts_in += 1;
        Ok(true)
    }

    /// Whether the teacher's logits for every image a run of `settings` asks about are in (the
    /// first part has those of the rows the default run reads; the last, the others).
    pub fn has_logits_for(&self, settings: &Settings) -> bool {
        let Ok(config) = settings.train_config() else { return true }; // the run says what is wrong
        let asked = question_order(&config, &self.own.labels);
        asked.iter().take(settings.budget()).all(|&row| self.logits_in[row])
    }

    /// Whether every part is in.
    pub fn is_complete(&self) -> bool {
        self.parts_in >= self.entry.parts.len().max(1)
    }

    /// Training images in, of all.
    pub fn rows_in(&self) -> (usize, usize) {
        (self.arrived.iter().filter(|&&a| a).count(), self.arrived.len())
    }

    /// Whether the images of these training rows are in.
    pub fn has_rows(&self, mut rows: impl Iterator<Item = usize>) -> bool {
        self.is_complete() || rows.all(|row| self.arrived[row])
    }

    /// Whether a run of `settings` may train before the last part: what it learns from depends on
    /// the images only through the batches it reads (its own images, asked all at once, with no
    /// watermark, which marks an answer by its image). Any other run waits for the whole pack.
    pub fn trains_early(settings: &Settings) -> bool {
        settings.api.ask == AskAbout::Own && settings.api.strategy.is_none() && !settings.train.defence.mark.is_on()
    }

    /// Puts a user's own teacher in the pack's place: its answers (`file`, see
    /// [`TeacherCache::for_pack`]) are what the students learn from and are measured against. A
    /// file whose answers match the true labels no better than twice chance, on the training
    /// images or the test images, is refused: its rows are in another order than the pack's. The
    /// questions about other images were the pack teacher's answers, so they go: an imported
    /// teacher is asked about its own images only.
    pub fn import_teacher(&mut self, file: &str, bytes: &[u8]) -> Result<ImportedTeacher, WorkerError> {
        let rows = (self.entry.train_rows, self.entry.test_rows);
        let cache = TeacherCache::for_pack(file, bytes, rows).map_err(|e| WorkerError::Teacher(e.to_string()))?;
        let accuracy = |logits: &[f32], labels: &[u8]| Evaluation::from_logits(logits, labels, None).accuracy();
        let test_accuracy = accuracy(&cache.test_logits, &self.test.labels);
        let splits = [("training", accuracy(&cache.train_logits, &self.own.labels), self.own.labels.len())];
        for (split, right, images) in splits.into_iter().chain([("test", test_accuracy, self.test.labels.len())]) {
            if right < 2.0 / CLASSES as f64 {
                return Err(WorkerError::Teacher(format!(
                    "{file}: its answers match the true class of only {:.1}% of the pack's {images} {split} images; are \
                     its rows in the original order of the {} files?",
                    100.0 * right,
                    self.entry.dataset_title
                )));
            }
        }
        let answers = predictions(&cache.test_logits);
        self.own.logits = cache.train_logits;
        self.test_logits = cache.test_logits;
        self.test.teacher_predictions = Some(answers);
        self.elsewhere.clear();
        self.imported = Some(file.to_string());
        Ok(ImportedTeacher { file: file.to_string(), test_accuracy })
    }

    /// The images a run that asks about `ask` learns from.
    pub fn questions(&self, ask: AskAbout) -> Result<&QuestionSet, WorkerError> {
        if ask == AskAbout::Own {
            return Ok(&self.own);
        }
        if let Some(file) = &self.imported {
            return Err(WorkerError::Teacher(format!(
                "{file} answers about the pack's own images only: ask about those (\"Images asked about\")"
            )));
        }
        let entry = questions_for(&self.entry, ask).ok_or_else(|| {
            WorkerError::Pack(format!(
                "packs/catalog.json lists no questions about {ask} images for `{}`: run `cargo run -p distill-cli -- pack`",
                self.entry.teacher
            ))
        })?;
        let fetched = self.elsewhere.iter().find(|(about, _)| *about == entry.about);
        fetched.map(|(_, set)| set).ok_or_else(|| WorkerError::Pack(format!("packs/{} is not downloaded", entry.file)))
    }

    /// Adds a downloaded questions file, checked against its catalog entry and the pack: as many
    /// images as the training split, so a budget that fits one fits the other. A file it has is
    /// not read again.
    pub fn add_questions(&mut self, entry: &QuestionsEntry, bytes: &[u8]) -> Result<(), WorkerError> {
        if self.elsewhere.iter().any(|(about, _)| *about == entry.about) {
            return Ok(());
        }
        let file = format!("packs/{}", entry.file);
        let questions = Questions::from_safetensors(&file, bytes).map_err(|e| WorkerError::Pack(e.to_string()))?;
        if questions.about != entry.about || questions.rows() != self.entry.train_rows {
            return Err(WorkerError::Pack(format!(
                "{file}: {} images of {}, the catalog says {} of {}",
                questions.rows(),
                questions.about,
                self.entry.train_rows,
                entry.about
            )));
        }
        let set = QuestionSet {
            images: Arc::new(questions.images),
            labels: predictions(&questions.logits),
            logits: questions.logits,
        };
        self.elsewhere.push((questions.about, set));
        Ok(())
    }
}
