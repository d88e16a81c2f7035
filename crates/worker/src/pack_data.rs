//! A downloaded playground pack, checked against the catalog and unpacked for training, and the
//! sets of questions about other images fetched later, when a run asks about them.

use distill_core::metrics::{predictions, Evaluation};
use distill_core::EvalSet;
use distill_data::catalog::{PackEntry, QuestionsEntry};
use distill_data::checksum;
use distill_data::pack::Pack;
use distill_data::questions::{Questions, STROKES};
use distill_data::teacher::TeacherCache;
use distill_playground::protocol::{ImportedTeacher, WorkerError};
use distill_playground::settings::AskAbout;
use distill_spec::Mark;
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
}

/// A download checked against the SHA-256 the catalog promised.
fn verified(file: &str, bytes: &[u8], sha256: &str) -> Result<(), WorkerError> {
    checksum::verify(file, bytes, sha256).map_err(|e| WorkerError::Pack(format!("{e}: the download is damaged or the pack was rebuilt without its catalog; reload, or run `cargo run -p distill-cli -- pack`")))
}

impl PackData {
    /// Verifies the SHA-256 the catalog promised, then every tensor's shape (via [`Pack`]).
    pub fn from_bytes(entry: &PackEntry, bytes: &[u8]) -> Result<PackData, WorkerError> {
        let file = format!("packs/{}", entry.file);
        verified(&file, bytes, &entry.sha256)?;
        let pack = Pack::from_safetensors(&file, bytes).map_err(|e| WorkerError::Pack(e.to_string()))?;
        if (pack.train.len(), pack.test.len()) != (entry.train_rows, entry.test_rows) {
            return Err(WorkerError::Pack(format!(
                "{file}: {} train and {} test rows, the catalog says {} and {}",
                pack.train.len(),
                pack.test.len(),
                entry.train_rows,
                entry.test_rows
            )));
        }
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
        })
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
            if right < 2.0 / distill_spec::CLASSES as f64 {
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

    /// The catalog's file of questions about what `ask` names.
    fn entry_for(&self, ask: AskAbout) -> Option<&QuestionsEntry> {
        let dataset = &self.entry.dataset;
        self.entry.questions.iter().find(|q| match ask {
            AskAbout::Own => false,
            AskAbout::Other => q.about != STROKES && q.about != *dataset,
            AskAbout::Strokes => q.about == STROKES,
        })
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
        let entry = self.entry_for(ask).ok_or_else(|| {
            WorkerError::Pack(format!(
                "packs/catalog.json lists no questions about {ask} images for `{}`: run `cargo run -p distill-cli -- pack`",
                self.entry.teacher
            ))
        })?;
        let fetched = self.elsewhere.iter().find(|(about, _)| *about == entry.about);
        fetched.map(|(_, set)| set).ok_or_else(|| WorkerError::Pack(format!("packs/{} is not downloaded", entry.file)))
    }

    /// The file to fetch before a run that asks about `ask` can train, if it is not here yet.
    pub fn to_fetch(&self, ask: AskAbout) -> Option<&QuestionsEntry> {
        self.entry_for(ask)
            .filter(|_| self.imported.is_none())
            .filter(|entry| self.elsewhere.iter().all(|(about, _)| *about != entry.about))
    }

    /// Adds a downloaded questions file, checked against its catalog entry and the pack: as many
    /// images as the training split, so a budget that fits one fits the other.
    pub fn add_questions(&mut self, entry: &QuestionsEntry, bytes: &[u8]) -> Result<(), WorkerError> {
        let file = format!("packs/{}", entry.file);
        verified(&file, bytes, &entry.sha256)?;
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
