//! The words task's part of the run loop (issue 14): its students are character-level language
//! models that learn from a words pack (the teacher's cached answers, or the words it wrote), are
//! scored in bits per character on the test words, invent words at every report, and are looked
//! at through each model's next-letter distribution after a typed prefix ([`Event::NextLetters`]).
//!
//! The teacher lives on the CPU: its logits on the test words are computed when the pack loads,
//! on the training words only when a white-box run first needs them. A student is scored, and
//! writes its words, from a CPU copy of its weights: on WebGPU that is a few read-backs a report
//! instead of one per letter it writes.
//!
//! A teacher that watermarks the words it writes (`green=`, [`GreenList`]) writes a text student's
//! words afresh, with the mark, from the pack's seed (the pack's own words, drawn the same way
//! without it); each report then tests the words each student writes now for the mark.

use crate::runner::{Job, Student};
use crate::task::{not_this_tasks_look, training, Scores, TaskData};
use burn::prelude::*;
use distill_core::language::{
    self, logits, needs_teacher_logits, sample_words, score, teacher_text, training_set, Examples, WordModel, WordSet,
};
use distill_core::{Plan, TrainError};
use distill_data::catalog::WordsEntry;
use distill_data::weights::TASK_KEY;
use distill_data::words::{context_before, WordSource};
use distill_data::words_pack::{WordShape, WordWeights, WordsPack};
use distill_playground::protocol::{Command, Event, NextLetters, TaskScores, WordsTeacher, WorkerError};
use distill_playground::protocol::{GreenScores, SuspectTest, EARLIER_WORDS};
use distill_playground::settings::{Settings, Task, WORD_EMBEDDING};
use distill_spec::green::{GreenList, GREEN_CONTEXT};
use distill_spec::{argmax, Architecture, Mode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Words each model invents at every report, and the longest it may write.
const INVENTED: usize = 6;
const LONGEST: usize = 24;
/// How an exported student's `test_predictions` spell the boundary (the end of a word).
pub const BOUNDARY_LETTER: char = '.';
/// Words a student writes for the watermark test (at T = 1, from a fixed seed): measured on the
/// English teacher, a copy's z is highest on a few hundred, where the pairs it writes most often,
/// those it learnt from the teacher, weigh most (each distinct pair is scored once).
pub const GREEN_TEST_WORDS: usize = 300;
const GREEN_TEST_SEED: u64 = 99;

/// The teacher's watermarked words for one watermark and number of words.
type MarkedText = (GreenList, usize, Arc<Vec<Vec<u8>>>);

/// A loaded words pack, with the teacher's answers the runs are scored against.
#[derive(Clone)]
pub struct WordsData {
    pub entry: WordsEntry,
    pack: Arc<WordsPack>,
    source: WordSource,
    cpu: Device,
    teacher: WordModel,
    test: Arc<Examples>,
    /// The teacher's logits on every test position.
    teacher_test: Arc<Vec<f32>>,
    /// Its logits on every train position, made when a white-box run first asks.
    teacher_train: OnceLock<Arc<Vec<f32>>>,
    /// The words it last wrote with a watermark.
    marked: Arc<Mutex<Option<MarkedText>>>,
    summary: WordsTeacher,
}

impl WordsData {
    /// Reads the pack (the page checked its SHA-256) and scores its teacher.
    pub async fn from_bytes(entry: &WordsEntry, bytes: &[u8]) -> Result<WordsData, WorkerError> {
        let pack_error = |e: String| WorkerError::Pack(format!("{}: {e}", entry.file));
        let pack = WordsPack::from_safetensors(&entry.file, bytes).map_err(|e| WorkerError::Pack(e.to_string()))?;
        let source = pack.source();
        let cpu = Device::flex();
        let teacher = WordModel::from_weights(&pack.teacher, &cpu);
        let test = Examples::of_words(&pack.test, pack.teacher.shape.context);
        let teacher_test = logits(&teacher, &test, &cpu).await.map_err(|e| pack_error(e.to_string()))?;
        let scores = score(&teacher_test, &test, None);
        let spell = |w: &Vec<u8>| spell(&source, w);
        let summary = WordsTeacher {
            teacher: entry.teacher.clone(),
            letters: source.letters.to_string(),
            context: pack.teacher.shape.context,
            test_bits_per_char: scores.bits_per_char,
            test_accuracy: scores.accuracy,
            wrote: pack.samples.iter().take(INVENTED).map(spell).collect(),
            train_words: pack.train.len(),
        };
        Ok(WordsData {
            entry: entry.clone(),
            pack: Arc::new(pack),
            source,
            cpu,
            teacher,
            test: Arc::new(test),
            teacher_test: Arc::new(teacher_test),
            teacher_train: OnceLock::new(),
            marked: Arc::default(),
            summary,
        })
    }

    async fn teacher_train(&self) -> Result<&[f32], WorkerError> {
        if self.teacher_train.get().is_none() {
            let all = Examples::of_words(&self.pack.train, self.pack.teacher.shape.context);
            let computed = logits(&self.teacher, &all, &self.cpu).await.map_err(training)?;
            let _ = self.teacher_train.set(Arc::new(computed));
        }
        Ok(self.teacher_train.get().expect("just set"))
    }

    /// `words` words the teacher writes with the `green` watermark, drawn as the pack's were (its
    /// seed and temperature); the last such draw is kept.
    async fn marked_text(&self, green: &GreenList, words: usize) -> Result<Arc<Vec<Vec<u8>>>, TrainError> {
        if let Some((kept_green, kept_words, text)) = self.marked.lock().expect("not poisoned").as_ref() {
            if (kept_green, *kept_words) == (green, words) {
                return Ok(text.clone());
            }
        }
        let number =
            |key: &str, default: f64| self.pack.metadata.get(key).and_then(|v| v.parse().ok()).unwrap_or(default);
        let shape = &self.pack.teacher.shape;
        let text = teacher_text(
            &self.teacher,
            (shape.context, shape.vocabulary),
            (words, LONGEST),
            number("sample_temperature", 1.0) as f32,
            green,
            number("sample_seed", 1.0) as u64,
            &self.cpu,
        )
        .await?;
        let text = Arc::new(text);
        *self.marked.lock().expect("not poisoned") = Some((*green, words, text.clone()));
        Ok(text)
    }

    /// The watermark test of a student (`model`, of `settings`), with the teacher's own text's
    /// and its bits per letter on the test words with and without the mark.
    async fn green_scores(&self, model: &WordModel, settings: &Settings) -> Result<GreenScores, TrainError> {
        let green = settings.train.defence.green;
        let shape = &self.pack.teacher.shape;
        let (context, vocabulary) = (shape.context, shape.vocabulary);
        let wrote = sample_words(
            model,
            (context, vocabulary),
            (GREEN_TEST_WORDS, LONGEST),
            1.0,
            &GreenList::default(),
            GREEN_TEST_SEED,
            &self.cpu,
        )
        .await?;
        let available = self.pack.samples.len();
        let teacher = self.marked_text(&green, settings.budget().min(available)).await?;
        let mut marked = self.teacher_test.to_vec();
        for (row, before) in marked.chunks_exact_mut(vocabulary).zip(self.test.contexts.chunks_exact(context)) {
            green.boost([before[context - GREEN_CONTEXT], before[context - 1]], row);
        }
        let test = |words: &[Vec<u8>]| green.test(words, distill_data::words::BOUNDARY);
        Ok(GreenScores {
            words: GREEN_TEST_WORDS,
            student: test(&wrote),
            earlier: EARLIER_WORDS.map(|n| test(&wrote[..n.min(wrote.len())])),
            teacher: test(&teacher),
            plain_bits: self.summary.test_bits_per_char,
            marked_bits: score(&marked, &self.test, None).bits_per_char,
        })
    }

    /// The context of `prefix` (its last letters, the boundary before a shorter one), or which of
    /// its characters the alphabet does not have.
    fn context(&self, prefix: &str) -> Result<Vec<i64>, WorkerError> {
        let tokens = prefix
            .chars()
            .map(|c| {
                self.source.token(c).ok_or_else(|| WorkerError::Letter(c.to_string(), self.summary.letters.clone()))
            })
            .collect::<Result<Vec<u8>, _>>()?;
        let context = context_before(&tokens, tokens.len(), self.pack.teacher.shape.context);
        Ok(context.into_iter().map(i64::from).collect())
    }

    /// The network a student of `settings` is: the pack's letters and context, the settings'
    /// hidden layers (checked: the words task takes MLPs and modes a words pack can answer).
    fn model(&self, settings: &Settings) -> Result<WordShape, TrainError> {
        let config = settings.train_config()?;
        let Architecture::Mlp { hidden } = &config.architecture else { unreachable!("validate_words: an MLP") };
        let shape = &self.pack.teacher.shape;
        Ok(WordShape { embedding: WORD_EMBEDDING, hidden: hidden.clone(), ..shape.clone() })
    }

    /// `student` as it is now, copied to the CPU.
    async fn on_cpu(&self, student: &Student<WordSet>) -> Result<WordModel, TrainError> {
        let weights = student.trainer.model().weights(self.model(&student.settings)?).await?;
        Ok(WordModel::from_weights(&weights, &self.cpu))
    }

    /// The teacher's and the students' next-letter probabilities after `prefix`.
    async fn next_letters(&self, prefix: &str, job: Option<&Job<WordSet>>) -> Result<NextLetters, WorkerError> {
        let context = self.context(prefix)?;
        let probabilities = |model: &WordModel| {
            let contexts = Tensor::<2, Int>::from_data(TensorData::new(context.clone(), [1, context.len()]), &self.cpu);
            let logits = model.valid().forward(contexts);
            async move {
                let row = logits.into_data_async().await.map_err(|e| WorkerError::Training(e.to_string()))?;
                let row = row.try_to_vec::<f32>().map_err(|e| WorkerError::Training(e.to_string()))?;
                Ok::<_, WorkerError>(distill_spec::softmax(&row, 1.0))
            }
        };
        let mut found = NextLetters { prefix: prefix.to_string(), ..NextLetters::default() };
        found.teacher = probabilities(&self.teacher).await?;
        for student in job.iter().flat_map(|job| job.shown()) {
            let model = self.on_cpu(student).await.map_err(training)?;
            if let Some(role) = student.role {
                found.students.set(role, probabilities(&model).await?);
            }
        }
        Ok(found)
    }
}

fn spell(source: &WordSource, word: &[u8]) -> String {
    word.iter().filter_map(|&t| source.letter(t)).collect()
}

impl TaskData for WordsData {
    const TASK: Task = Task::Words;
    type Set = WordSet;

    fn loaded(&self) -> Event {
        Event::WordsLoaded(self.summary.clone())
    }

    /// A student reading `budget` words: the pack's (the teacher's answers about them, or their
    /// letters alone) or, in the text mode, words the teacher wrote. Every mode but labels asks.
    async fn student(
        &self,
        series: &str,
        settings: &Settings,
        _first_round: Option<&[usize]>,
        device: &Device,
    ) -> Result<Student<WordSet>, WorkerError> {
        let model = self.model(settings).map_err(training)?;
        let mode = settings.train.mode;
        let teacher = if needs_teacher_logits(mode) { Some(self.teacher_train().await?) } else { None };
        let available = if mode == Mode::Text { self.pack.samples.len() } else { self.pack.train.len() };
        let words = settings.budget().min(available);
        let green = settings.train.defence.green;
        let (examples, soft) = if mode == Mode::Text && green.is_on() {
            let marked = self.marked_text(&green, words).await.map_err(training)?;
            (Examples::of_words(&marked, self.pack.teacher.shape.context), None)
        } else {
            training_set(&self.pack, mode, words, settings.train.temperature, teacher)
        };
        let trainer = language::trainer(&model, examples, soft, Plan::of(&settings.train), device).map_err(training)?;
        let asked = if mode == Mode::LabelsOnly { 0 } else { words };
        Ok(Student::new(trainer, series, settings, asked, self.summary.test_accuracy))
    }

    fn teacher_accuracy(&self) -> f64 {
        self.summary.test_accuracy
    }

    /// Scored on the test words from a CPU copy, with the words the student invents now.
    async fn score(&self, student: &Student<WordSet>) -> Result<Scores, TrainError> {
        let model = self.on_cpu(student).await?;
        let logits = logits(&model, &self.test, &self.cpu).await?;
        let scores = score(&logits, &self.test, Some(&self.teacher_test));
        let shape = &self.pack.teacher.shape;
        let seed = student.trainer.steps_done() as u64;
        let invented = sample_words(
            &model,
            (shape.context, shape.vocabulary),
            (INVENTED, LONGEST),
            1.0,
            &GreenList::default(),
            seed,
            &self.cpu,
        )
        .await?;
        let green = if student.settings.train.defence.green.is_on() {
            Some(self.green_scores(&model, &student.settings).await?)
        } else {
            None
        };
        Ok(Scores {
            test_accuracy: scores.accuracy,
            agreement: scores.agreement,
            task: TaskScores::Words {
                bits_per_char: scores.bits_per_char,
                invented: invented.iter().map(|w| spell(&self.source, w)).collect(),
                green,
            },
        })
    }

    /// Scoring reads the weights back (the rest runs on the CPU).
    async fn rehearse_scoring(&self, student: &Student<WordSet>) -> Result<(), TrainError> {
        self.on_cpu(student).await.map(|_| ())
    }

    async fn look(&self, command: Command, job: Option<&Job<WordSet>>) -> Vec<Event> {
        match command {
            Command::NextLetters(prefix) => match self.next_letters(&prefix, job).await {
                Ok(found) => vec![Event::NextLetters(found)],
                Err(error) => vec![Event::Error(error)],
            },
            other => not_this_tasks_look(Task::Words, &other),
        }
    }

    /// The weights in full precision with the pack, its alphabet and the student's next letter
    /// at every test position in the metadata (`test_predictions`: a letter each, `.` for the
    /// end of a word), so a rebuild elsewhere (the book's NumPy lines) can check itself letter by letter.
    async fn export(&self, student: &Student<WordSet>) -> Result<Vec<u8>, TrainError> {
        let weights = student.trainer.model().weights(self.model(&student.settings)?).await?;
        let model = WordModel::from_weights(&weights, &self.cpu);
        let logits = logits(&model, &self.test, &self.cpu).await?;
        let vocabulary = weights.shape.vocabulary;
        let predictions: String = logits
            .chunks(vocabulary)
            .map(|row| self.source.letter(argmax(row) as u8).unwrap_or(BOUNDARY_LETTER))
            .collect();
        let metadata = HashMap::from([
            (TASK_KEY.to_string(), Task::Words.to_string()),
            ("pack".to_string(), self.entry.file.clone()),
            ("pack_sha256".to_string(), self.entry.sha256.clone()),
            ("letters".to_string(), self.summary.letters.clone()),
            ("architecture".to_string(), student.architecture().to_string()),
            ("test_predictions".to_string(), predictions),
        ]);
        Ok(weights.to_safetensors_f32(metadata))
    }

    /// The file's own network (its shape in its metadata), on the CPU, asked to write words as
    /// the run's students are. A run whose teacher marks nothing has no test to give.
    async fn test_suspect(
        &self,
        copier: &Student<WordSet>,
        file: &str,
        bytes: &[u8],
    ) -> Result<SuspectTest, WorkerError> {
        let refused = |detail: String| WorkerError::Training(format!("{file}: {detail}"));
        if !copier.settings.train.defence.green.is_on() {
            return Err(refused("this run's teacher writes no watermark (green=0)".into()));
        }
        let weights = WordWeights::from_safetensors(file, bytes).map_err(|e| WorkerError::Training(e.to_string()))?;
        let ours = &self.pack.teacher.shape;
        if (weights.shape.vocabulary, weights.shape.context) != (ours.vocabulary, ours.context) {
            return Err(refused(format!(
                "a student of {} tokens and a context of {}; this pack's alphabet has {} and its context {}",
                weights.shape.vocabulary, weights.shape.context, ours.vocabulary, ours.context
            )));
        }
        let model = WordModel::from_weights(&weights, &self.cpu);
        let scores = self.green_scores(&model, &copier.settings).await.map_err(training)?;
        Ok(SuspectTest::Words(scores))
    }

    fn import(&self, student: &Student<WordSet>, bytes: &[u8]) -> Result<WordModel, TrainError> {
        let shape = self.model(&student.settings)?;
        let weights =
            WordWeights::from_safetensors("the weights file", bytes).map_err(|e| TrainError::Weights(e.to_string()))?;
        student.trainer.model().clone().with_weights(&shape, &weights)
    }
}
