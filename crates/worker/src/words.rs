//! The words task's run loop (issue 14), beside the image [`crate::runner::Runner`]: a distilled
//! word student and the same student on the real words alone, trained in time slices from a
//! words pack, with the same events (`Configured`, `Scored`, `Running`, `Finished`, `Result`) so the
//! page's progress, charts and results table work unchanged, and one of its own: each model's
//! next-letter distribution after a typed prefix ([`Event::NextLetters`]).
//!
//! The teacher lives on the CPU: its logits on the test words are computed when the pack loads,
//! on the training words only when a white-box run first needs them. A student is scored, and
//! writes its words, from a CPU copy of its weights: on WebGPU that is a few read-backs a report
//! instead of one per letter it writes.

use crate::runner::{Clock, SLICE_MS};
use burn::prelude::*;
use distill_core::language::{
    self, logits, needs_teacher_logits, sample_words, score, training_set, Examples, WordModel, WordModelConfig,
    WordSet,
};
use distill_core::{Plan, Trainer};
use distill_data::catalog::WordsEntry;
use distill_data::checksum::sha256_hex;
use distill_data::words::{context_before, WordSource};
use distill_data::words_pack::WordsPack;
use distill_playground::protocol::{
    Command, Event, NextLetters, Scored, Student as Role, StudentReport, Students, TaskScores, WordsTeacher,
    WorkerError,
};
use distill_playground::results::ResultRow;
use distill_playground::settings::{Settings, WORD_EMBEDDING};
use distill_spec::{Architecture, Mode};
use std::cell::OnceCell;
use std::rc::Rc;

/// About this many reports per run, as for images.
const REPORTS_PER_RUN: usize = 50;
/// Words each model invents at every report, and the longest it may write.
const INVENTED: usize = 6;
const LONGEST: usize = 24;

/// A loaded words pack, with the teacher's answers the runs are scored against.
pub struct WordsData {
    pub entry: WordsEntry,
    pack: WordsPack,
    source: WordSource,
    cpu: Device,
    teacher: WordModel,
    test: Examples,
    /// The teacher's logits on every test position.
    teacher_test: Vec<f32>,
    /// Its logits on every train position, made when a white-box run first asks.
    teacher_train: OnceCell<Vec<f32>>,
    summary: WordsTeacher,
}

impl WordsData {
    /// Checks the bytes against the catalog's SHA-256, reads the pack and scores its teacher.
    pub async fn from_bytes(entry: &WordsEntry, bytes: &[u8]) -> Result<WordsData, WorkerError> {
        let pack_error = |e: String| WorkerError::Pack(format!("{}: {e}", entry.file));
        if sha256_hex(bytes) != entry.sha256 {
            return Err(pack_error("its SHA-256 is not the catalog's (a stale or damaged download)".into()));
        }
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
            pack,
            source,
            cpu,
            teacher,
            test,
            teacher_test,
            teacher_train: OnceCell::new(),
            summary,
        })
    }

    async fn teacher_train(&self) -> Result<&[f32], WorkerError> {
        if self.teacher_train.get().is_none() {
            let all = Examples::of_words(&self.pack.train, self.pack.teacher.shape.context);
            let computed = logits(&self.teacher, &all, &self.cpu).await.map_err(training)?;
            let _ = self.teacher_train.set(computed);
        }
        Ok(self.teacher_train.get().expect("just set"))
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
}

fn spell(source: &WordSource, word: &[u8]) -> String {
    word.iter().filter_map(|&t| source.letter(t)).collect()
}

fn training(error: distill_core::TrainError) -> WorkerError {
    WorkerError::Training(error.to_string())
}

/// One word student of a run.
struct WordStudent {
    trainer: Trainer<WordSet>,
    role: Role,
    settings: Settings,
    config: WordModelConfig,
    /// Words it read (asked of the teacher, for every mode but labels).
    words: usize,
    /// Next-letter examples it learns from.
    examples: usize,
}

impl WordStudent {
    /// The student as it is now, copied to the CPU.
    async fn on_cpu(&self, data: &WordsData) -> Result<WordModel, distill_core::TrainError> {
        let weights = self.trainer.model().weights(self.config.shape()).await?;
        Ok(WordModel::from_weights(&weights, &data.cpu))
    }

    fn asked(&self) -> usize {
        if self.settings.train.mode == Mode::LabelsOnly {
            0
        } else {
            self.words
        }
    }
}

/// A run: its students, trained step for step.
struct WordsJob {
    number: usize,
    students: Vec<WordStudent>,
    backend: String,
    ms: f64,
    window_ms: f64,
    report_every: usize,
}

impl WordsJob {
    fn steps_done(&self) -> usize {
        self.students[0].trainer.steps_done()
    }

    fn is_done(&self) -> bool {
        self.students.iter().all(|s| s.trainer.is_done())
    }
}

/// The words task's state: the pack, the run, whether it plays.
pub struct WordsRunner<C: Clock> {
    clock: C,
    students: Students,
    data: Option<Rc<WordsData>>,
    job: Option<WordsJob>,
    playing: bool,
    runs: usize,
}

impl<C: Clock> WordsRunner<C> {
    pub fn new(clock: C) -> Self {
        WordsRunner { clock, students: Students::Both, data: None, job: None, playing: false, runs: 0 }
    }

    pub fn is_busy(&self) -> bool {
        self.playing
    }

    pub fn assign(&mut self, students: Students) {
        self.students = students;
    }

    /// A words pack replaces the previous one and its run.
    pub fn load(&mut self, data: WordsData) -> Vec<Event> {
        let mut events = self.pause();
        self.job = None;
        events.push(Event::WordsLoaded(data.summary.clone()));
        self.data = Some(Rc::new(data));
        events
    }

    /// Forgets the pack (the image task was chosen, or the download failed).
    pub fn unload(&mut self) {
        (self.data, self.job, self.playing) = (None, None, false);
    }

    pub fn is_loaded(&self) -> bool {
        self.data.is_some()
    }

    /// The run's students afresh from `settings` on `device` (named `backend` on the page).
    pub async fn configure(&mut self, settings: &Settings, device: &Device, backend: &str) -> Vec<Event> {
        let mut events = self.pause();
        self.job = None;
        let Some(data) = self.data.clone() else { return vec![Event::Error(WorkerError::NoPack)] };
        match self.students_of(settings, &data, device).await {
            Ok(students) => {
                let total_steps = students[0].trainer.total_steps();
                let first = &students[0];
                let teacher = data.summary.test_accuracy;
                events.push(Event::Configured {
                    total_steps,
                    transfer_examples: first.examples,
                    queries: first.asked(),
                    honest_accuracy: teacher,
                    teacher_accuracy: teacher,
                });
                self.job = Some(WordsJob {
                    number: self.runs + 1,
                    students,
                    backend: backend.to_string(),
                    ms: 0.0,
                    window_ms: 0.0,
                    report_every: total_steps.div_ceil(REPORTS_PER_RUN).max(1),
                });
            }
            Err(error) => events.push(Event::Error(error)),
        }
        events
    }

    async fn students_of(
        &self,
        settings: &Settings,
        data: &WordsData,
        device: &Device,
    ) -> Result<Vec<WordStudent>, WorkerError> {
        let config = &settings.train;
        config.validate_words(data.pack.top_k).map_err(|e| WorkerError::Training(e.to_string()))?;
        let Architecture::Mlp { hidden } = &config.architecture else { unreachable!("validate_words: an MLP") };
        let shape = &data.pack.teacher.shape;
        let model = WordModelConfig::new(shape.vocabulary, shape.context, WORD_EMBEDDING, hidden.clone());
        let mut students = Vec::new();
        for role in [Role::Distilled, Role::Baseline] {
            if !self.students.includes(role) {
                continue;
            }
            let settings = if role == Role::Distilled { settings.clone() } else { settings.labels_only() };
            let mode = settings.train.mode;
            let teacher = if needs_teacher_logits(mode) { Some(data.teacher_train().await?) } else { None };
            let words =
                settings.budget().min(if mode == Mode::Text { data.pack.samples.len() } else { data.pack.train.len() });
            let (examples, soft) = training_set(&data.pack, mode, words, settings.train.temperature, teacher);
            let count = examples.len();
            let plan = Plan::of(&settings.train);
            let trainer = language::trainer(&model, examples, soft, plan, device).map_err(training)?;
            students.push(WordStudent { trainer, role, settings, config: model.clone(), words, examples: count });
        }
        Ok(students)
    }

    fn pause(&mut self) -> Vec<Event> {
        if std::mem::take(&mut self.playing) {
            vec![Event::Running(false)]
        } else {
            Vec::new()
        }
    }

    /// The commands of a single run, and the next-letter view.
    pub async fn handle(&mut self, command: Command) -> Vec<Event> {
        match command {
            Command::Start if self.job.as_ref().is_some_and(|j| !j.is_done()) && !self.playing => {
                self.playing = true;
                vec![Event::Running(true)]
            }
            Command::Start => Vec::new(),
            Command::Pause => self.pause(),
            Command::Step => {
                let mut events = self.pause();
                if self.job.as_ref().is_some_and(|j| !j.is_done()) {
                    self.timed_step();
                    events.extend(self.report().await);
                    events.extend(self.finish_if_done().await);
                }
                events
            }
            Command::Score => self.report().await,
            Command::NextLetters(prefix) => self.next_letters(&prefix).await,
            Command::Assign(students) => {
                self.assign(students);
                Vec::new()
            }
            Command::StopSweep => Vec::new(),
            _ => vec![Event::Error(WorkerError::Protocol("the words task has no such command".into()))],
        }
    }

    fn timed_step(&mut self) {
        let start = self.clock.now();
        let Some(job) = self.job.as_mut() else { return };
        for student in job.students.iter_mut().filter(|s| !s.trainer.is_done()) {
            student.trainer.step();
        }
        let ms = self.clock.now() - start;
        job.ms += ms;
        job.window_ms += ms;
    }

    /// Trains for about [`SLICE_MS`], reporting on the way; at the end, the result rows.
    pub async fn slice(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        if !self.playing {
            return events;
        }
        let start = self.clock.now();
        while self.clock.now() - start < SLICE_MS && self.job.as_ref().is_some_and(|j| !j.is_done()) {
            self.timed_step();
            let job = self.job.as_ref().expect("a job trains");
            if job.steps_done().is_multiple_of(job.report_every) || job.is_done() {
                let report = self.report().await;
                let failed = report.iter().any(|e| matches!(e, Event::Error(_)));
                events.extend(report);
                if failed {
                    events.extend(self.pause());
                    return events;
                }
            }
        }
        if let Err(error) = self.settle().await {
            events.push(Event::Error(error));
            events.extend(self.pause());
            return events;
        }
        events.extend(self.finish_if_done().await);
        events
    }

    /// Waits for the device to finish the steps queued, so a slice's time is theirs.
    async fn settle(&mut self) -> Result<(), WorkerError> {
        let start = self.clock.now();
        let Some(job) = self.job.as_mut() else { return Ok(()) };
        for student in &job.students {
            student.trainer.settle().await.map_err(training)?;
        }
        let ms = self.clock.now() - start;
        job.ms += ms;
        job.window_ms += ms;
        Ok(())
    }

    async fn finish_if_done(&mut self) -> Vec<Event> {
        if !self.job.as_ref().is_some_and(|j| j.is_done()) {
            return Vec::new();
        }
        let mut events = self.pause();
        events.push(Event::Finished);
        self.runs += 1;
        let Some(data) = self.data.clone() else { return events };
        let Some(job) = self.job.as_ref() else { return events };
        for student in &job.students {
            let mut row =
                ResultRow::new(&format!("run {}", job.number), student.role.series(), None, &student.settings);
            row.examples = student.examples;
            row.queries = student.asked();
            row.honest_accuracy = data.summary.test_accuracy;
            row.steps = student.trainer.steps_done();
            row.seconds = job.ms / 1000.0;
            row.backend = job.backend.clone();
            let scored = async { logits(&student.on_cpu(&data).await?, &data.test, &data.cpu).await };
            match scored.await {
                Ok(logits) => {
                    let scores = score(&logits, &data.test, Some(&data.teacher_test));
                    (row.test_accuracy, row.agreement, row.bits_per_char) =
                        (scores.accuracy, scores.agreement, scores.bits_per_char);
                }
                Err(e) => row.note = e.to_string(),
            }
            events.push(Event::Result(Box::new(row)));
        }
        events
    }

    /// Both students scored on the pack's test words, with the words each invents now.
    async fn report(&mut self) -> Vec<Event> {
        let Some(data) = self.data.clone() else { return Vec::new() };
        let start = self.clock.now();
        let Some(job) = self.job.as_mut() else { return Vec::new() };
        let seconds = job.window_ms / 1000.0;
        job.window_ms = 0.0;
        let mut events = Vec::new();
        for student in &mut job.students {
            let scored = async {
                let metrics = student.trainer.take_metrics().await?;
                let model = student.on_cpu(&data).await?;
                let logits = logits(&model, &data.test, &data.cpu).await?;
                let scores = score(&logits, &data.test, Some(&data.teacher_test));
                let shape = &data.pack.teacher.shape;
                let seed = student.trainer.steps_done() as u64;
                let words = (INVENTED, LONGEST);
                let invented =
                    sample_words(&model, (shape.context, shape.vocabulary), words, 1.0, seed, &data.cpu).await?;
                Ok::<_, distill_core::TrainError>((metrics, scores, invented))
            };
            match scored.await {
                Ok((metrics, scores, invented)) => {
                    let batch = student.settings.train.batch_size;
                    let steps = student.trainer.steps_done();
                    events.push(Event::Scored(Box::new(Scored {
                        student: student.role,
                        step: steps,
                        total_steps: student.trainer.total_steps(),
                        examples_seen: steps * batch,
                        examples_per_second: if seconds > 0.0 { (metrics.steps * batch) as f64 / seconds } else { 0.0 },
                        queries: student.asked(),
                        answered: student.examples,
                        round_done: false,
                        report: StudentReport {
                            soft_loss: metrics.soft_loss,
                            hard_loss: metrics.hard_loss,
                            total_loss: metrics.total_loss,
                            train_accuracy: metrics.batch_accuracy,
                            test_accuracy: scores.accuracy,
                            agreement: scores.agreement,
                            task: TaskScores::Words {
                                bits_per_char: scores.bits_per_char,
                                invented: invented.iter().map(|w| spell(&data.source, w)).collect(),
                            },
                        },
                    })));
                }
                Err(error) => events.push(Event::Error(training(error))),
            }
        }
        job.ms += self.clock.now() - start;
        events
    }

    /// The teacher's and the students' next-letter probabilities after `prefix`.
    async fn next_letters(&self, prefix: &str) -> Vec<Event> {
        let Some(data) = &self.data else { return vec![Event::Error(WorkerError::NoPack)] };
        let context = match data.context(prefix) {
            Ok(context) => context,
            Err(error) => return vec![Event::Error(error)],
        };
        let probabilities = |model: &WordModel, device: &Device| {
            let contexts = Tensor::<2, Int>::from_data(TensorData::new(context.clone(), [1, context.len()]), device);
            let logits = model.valid().forward(contexts);
            async move {
                let row = logits.into_data_async().await.map_err(|e| WorkerError::Training(e.to_string()))?;
                let row = row.try_to_vec::<f32>().map_err(|e| WorkerError::Training(e.to_string()))?;
                Ok::<_, WorkerError>(distill_spec::softmax(&row, 1.0))
            }
        };
        let mut found = NextLetters { prefix: prefix.to_string(), ..NextLetters::default() };
        match probabilities(&data.teacher, &data.cpu).await {
            Ok(p) => found.teacher = p,
            Err(error) => return vec![Event::Error(error)],
        }
        if let Some(job) = &self.job {
            for student in &job.students {
                let model = match student.on_cpu(data).await {
                    Ok(model) => model,
                    Err(error) => return vec![Event::Error(training(error))],
                };
                match probabilities(&model, &data.cpu).await {
                    Ok(p) => found.students.set(student.role, p),
                    Err(error) => return vec![Event::Error(error)],
                }
            }
        }
        vec![Event::NextLetters(found)]
    }
}
