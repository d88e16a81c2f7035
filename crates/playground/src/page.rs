//! The page's state, in one plain struct, and every change to it: what a visitor does (a
//! setting, a lesson, a sweep) and what the worker reports ([`Page::apply`]). Each change returns
//! the [`Effect`]s the page must carry out (commands for the worker, files to drop), so the whole
//! behaviour is tested natively; the Leptos page only holds a [`Page`] in a signal and draws it.

use crate::crew::Crew;
use crate::dark_knowledge::Curated;
use crate::i18n::{fill, Lang, Msg};
use crate::parent::ToParent;
#[cfg(test)]
use crate::protocol::Students;
use crate::protocol::{
    Command, Event, ImportedTeacher, Inspection, NextLetters, Pick, Report, Scored, Student, WordsTeacher, WorkerError,
};
use crate::results::ResultRow;
use crate::settings::{word_student_parameters, Backend, Setting, SettingError, Settings, Task};
use crate::sweep::SweepError;
use crate::text::{bits, compression, count, words_verdict};
use crate::url::{Link, Notice};
use crate::workers::{self, BackendNote, Gpu, WorkerKind};
use distill_data::catalog::{Catalog, PackEntry, WordsEntry};
use distill_spec::CLASSES;
use std::sync::Arc;

/// Where the page is in its life; drives the status line and which buttons work.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Starting,
    Loading { loaded: u64, total: u64 },
    Ready,
    Training,
    Paused,
    Finished,
    Failed,
}

/// Something the page must do after a change.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// A command for the trainer; [`Crew::route`] says which workers get it.
    Send(Command),
    /// Start `count` workers of this build, ending any others (each says [`Event::Ready`] when
    /// it listens).
    SpawnWorkers { kind: WorkerKind, count: usize },
    /// A command for one worker only.
    Post { worker: usize, command: Command },
    /// The downloads on offer (weights, charts) showed students that are gone: withdraw them.
    DiscardFiles,
    /// Offer the distilled student's weights for download under this name.
    OfferWeights { name: String, bytes: Vec<u8> },
}

/// What stopped the page, in the visitor's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Worker(WorkerError),
    /// `packs/catalog.json` could not be had or read.
    Catalog(String),
    NoPack(String),
    /// The worker died (a panic, a lost GPU device); Reset starts a new one.
    WorkerStopped(String),
    Setting(SettingError),
    /// A file picked in the page could not be read.
    File(String),
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Problem::Worker(e) => e.text(lang),
            Problem::Catalog(detail) => fill(Msg::CannotLoadTheCatalog.text(lang), &[("detail", detail.clone())]),
            Problem::NoPack(teacher) => fill(Msg::NoPackForTeacher.text(lang), &[("teacher", teacher.clone())]),
            Problem::WorkerStopped(detail) => {
                fill(Msg::TheTrainingWorkerStopped.text(lang), &[("detail", detail.clone())])
            }
            Problem::Setting(e) => e.text(lang),
            Problem::File(detail) => fill(Msg::CannotReadTheFile.text(lang), &[("detail", detail.clone())]),
        }
    }
}

/// A sweep under way: run `index` of `total`, at `step` of `steps`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepProgress {
    pub index: usize,
    pub total: usize,
    pub step: usize,
    pub steps: usize,
}

/// Both students' logits on the whole test split after a run with a class left out.
#[derive(Debug, Clone, PartialEq)]
pub struct TestLogits {
    pub labels: Vec<u8>,
    pub distilled: Vec<f32>,
    pub baseline: Vec<f32>,
}

/// The words task's headline, as text ([`Page::words_headline`]).
#[derive(Debug, Clone, PartialEq)]
pub struct WordsHeadline {
    pub distilled: String,
    pub baseline: String,
    pub teacher: String,
    pub verdict: Option<String>,
    pub sizes: Option<String>,
}

/// A teacher-logits file picked in the page (shared, not copied, as the page state is cloned).
#[derive(Debug, Clone, PartialEq)]
pub struct TeacherFile {
    pub name: String,
    pub bytes: Arc<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Everything the address bar holds: the settings, lesson, sweep plan, layout.
    pub link: Link,
    /// What was wrong with the link (ignored or adjusted parameters).
    pub notices: Vec<Notice>,
    /// The browser's language, used when the link names none.
    pub browser_lang: Lang,
    pub catalog: Option<Catalog>,
    pub phase: Phase,
    pub problem: Option<Problem>,
    /// What the browser offered when asked for a WebGPU adapter (before any worker starts).
    pub gpu: Option<Gpu>,
    /// `navigator.hardwareConcurrency`: two or more, and the CPU trains one student per core.
    pub cores: usize,
    /// The workers training now, and what each does.
    pub crew: Crew,
    /// Where training runs, as the worker names it, and why WebGPU was not used if it was not.
    pub backend: String,
    pub backend_note: Option<BackendNote>,
    pub reports: Vec<Report>,
    /// The distilled half of the next report, waiting for the baseline's.
    half: Option<Scored>,
    pub total_steps: usize,
    pub transfer_examples: usize,
    /// Questions put to the teacher's API when the students were built (the whole budget, or the
    /// first round); reports say how many since.
    queries_at_start: usize,
    /// The teacher's test accuracy as an honest user of its API sees it through the defence, and
    /// without one.
    pub honest_accuracy: f64,
    pub teacher_accuracy: f64,
    pub curated: Vec<Curated>,
    pub inspected: Pick,
    pub inspection: Option<Inspection>,
    pub sweep_progress: Option<SweepProgress>,
    /// One row per finished student (single runs and sweep points).
    pub results: Vec<ResultRow>,
    pub test_logits: Option<TestLogits>,
    /// The drawn digit (28×28, MNIST-like) and both students' logits for it.
    pub drawing: Option<Vec<u8>>,
    pub prediction: Option<(Vec<f32>, Vec<f32>)>,
    /// The outcome of the last weights import.
    pub import: Option<Result<(), Problem>>,
    /// A teacher's logits file the visitor brought: the one the workers check now, and the one
    /// they took (with its bytes, for fresh workers), until another teacher is chosen.
    offered_teacher: Option<TeacherFile>,
    pub own_teacher: Option<(ImportedTeacher, TeacherFile)>,
    /// The outcome of the last teacher import (a refusal stays until the next try).
    pub teacher_import: Option<Result<ImportedTeacher, Problem>>,
    /// Sweeps started on this page, to name their result rows.
    pub sweeps_started: usize,
    /// The words task: the loaded pack's teacher, the prefix typed in the next-letter view and
    /// what each model says comes after it.
    pub words_teacher: Option<WordsTeacher>,
    pub prefix: String,
    pub next_letters: Option<NextLetters>,
    /// Why the typed prefix cannot be asked about (a character the alphabet lacks).
    pub prefix_problem: Option<WorkerError>,
    /// Events for an embedding page, not yet posted ([`Page::to_parent`]).
    outbox: Vec<ToParent>,
    worker_alive: bool,
    /// The build of the worker last started.
    worker_kind: Option<WorkerKind>,
    /// `autostart=1` and the first students not built yet.
    autostart_pending: bool,
}

impl Page {
    /// The page a link opens.
    pub fn new(query: &str, browser_lang: Lang) -> Page {
        let (link, notices) = Link::from_query(query);
        Page {
            autostart_pending: link.autostart,
            link,
            notices,
            browser_lang,
            catalog: None,
            phase: Phase::Starting,
            problem: None,
            gpu: None,
            cores: 1,
            crew: Crew::for_machine(WorkerKind::Cpu, 1),
            backend: String::new(),
            backend_note: None,
            reports: Vec::new(),
            half: None,
            total_steps: 0,
            transfer_examples: 0,
            queries_at_start: 0,
            honest_accuracy: f64::NAN,
            teacher_accuracy: f64::NAN,
            curated: Vec::new(),
            inspected: Pick::Test(0),
            inspection: None,
            sweep_progress: None,
            results: Vec::new(),
            test_logits: None,
            drawing: None,
            prediction: None,
            import: None,
            offered_teacher: None,
            own_teacher: None,
            teacher_import: None,
            sweeps_started: 0,
            words_teacher: None,
            prefix: String::new(),
            next_letters: None,
            prefix_problem: None,
            outbox: Vec::new(),
            worker_alive: false,
            worker_kind: None,
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.link.settings
    }

    pub fn language(&self) -> Lang {
        self.link.lang.unwrap_or(self.browser_lang)
    }

    /// The query string that reopens this experiment.
    pub fn query(&self) -> String {
        self.link.to_query()
    }

    /// The command that runs this experiment with the project's CLI (`distill run`, which reads
    /// the query with the same settings table), from a clone of the repository.
    pub fn command(&self) -> String {
        format!("cargo run -p distill-cli -- run --query '{}'", self.query())
    }

    /// The events for an embedding page since the last call, oldest first.
    pub fn to_parent(&mut self) -> Vec<ToParent> {
        std::mem::take(&mut self.outbox)
    }

    /// Questions put to the teacher's API so far, and how many it answered (the distilled
    /// student's answers; fewer past a refusing quota).
    pub fn queries(&self) -> (usize, usize) {
        match self.reports.last() {
            Some(report) => (report.queries, report.answered),
            None => (self.queries_at_start, self.transfer_examples),
        }
    }

    /// The catalog entry of the chosen teacher.
    pub fn pack(&self) -> Option<&PackEntry> {
        self.catalog.as_ref()?.get(&self.link.settings.teacher)
    }

    /// Names of the chosen dataset's classes ("0".."9" until the catalog is in).
    pub fn class_names(&self) -> Vec<String> {
        match self.pack() {
            Some(entry) if entry.class_names.len() == CLASSES => entry.class_names.clone(),
            _ => (0..CLASSES).map(|c| c.to_string()).collect(),
        }
    }

    /// The catalog entry of the chosen words teacher (the words task).
    pub fn words_pack(&self) -> Option<&WordsEntry> {
        self.catalog.as_ref()?.words_pack(&self.link.settings.teacher)
    }

    pub fn task(&self) -> Task {
        self.link.settings.task()
    }

    /// The words task's headline, as text: both students' and the teacher's bits per character
    /// (`–` before any), which is ahead, and the sizes line.
    pub fn words_headline(&self) -> WordsHeadline {
        let lang = self.language();
        let last = self
            .reports
            .last()
            .map(|r| (r.distilled.bits_per_char.unwrap_or(f64::NAN), r.baseline.bits_per_char.unwrap_or(f64::NAN)));
        let (distilled, baseline) = last.unwrap_or((f64::NAN, f64::NAN));
        let teacher = self.words_teacher.as_ref();
        let sizes = self.words_pack().zip(teacher).map(|(entry, teacher)| {
            let hidden = match &self.settings().train.architecture {
                distill_spec::Architecture::Mlp { hidden } => hidden.clone(),
                distill_spec::Architecture::Cnn { .. } => Vec::new(),
            };
            let tokens = teacher.vocabulary();
            let parameters = word_student_parameters(&hidden, teacher.context, tokens);
            let speed = self.reports.last().map_or(0.0, |r| r.examples_per_second);
            fill(
                Msg::WordsSizes.text(lang),
                &[
                    ("parameters", count(parameters)),
                    ("ratio", compression(entry.parameters, parameters)),
                    ("teacher", entry.teacher.clone()),
                    ("teacher_parameters", count(entry.parameters)),
                    ("test_words", entry.test_words.to_string()),
                    ("tokens", tokens.to_string()),
                    ("uniform", format!("{:.2}", (tokens as f64).log2())),
                    ("speed", format!("{speed:.0}")),
                ],
            )
        });
        WordsHeadline {
            distilled: bits(distilled),
            baseline: bits(baseline),
            teacher: teacher.map(|t| bits(t.test_bits_per_char)).unwrap_or_default(),
            verdict: (distilled.is_finite() && baseline.is_finite()).then(|| words_verdict(lang, distilled, baseline)),
            sizes,
        }
    }

    /// Training rows of the chosen pack (what the budget is held to): images, or words.
    pub fn train_rows(&self) -> Option<usize> {
        match self.task() {
            Task::Images => self.pack().map(|e| e.train_rows),
            Task::Words => self.words_pack().map(|e| e.train_words),
        }
    }

    /// Where training runs, as the status line says it ("" until a worker says).
    pub fn backend_label(&self, lang: Lang) -> String {
        if self.backend.is_empty() || self.crew.size() == 1 {
            return self.backend.clone();
        }
        fill(Msg::OneWorkerPerStudent.text(lang), &[("backend", self.backend.clone())])
    }

    pub fn can_train(&self) -> bool {
        matches!(self.phase, Phase::Ready | Phase::Paused)
    }

    fn fail(&mut self, problem: Problem) {
        self.outbox.push(ToParent::Error { message: problem.text(Lang::En) });
        self.problem = Some(problem);
        self.phase = Phase::Failed;
    }

    /// The catalog arrived: falls back to the default teacher (or the first one) when the link
    /// names one the catalog lacks, holds the budget to the pack, and starts the worker.
    pub fn set_catalog(&mut self, catalog: Catalog) -> Vec<Effect> {
        let teacher = self.link.settings.teacher.clone();
        if !catalog.offers(&teacher) {
            let default = Settings::default().teacher;
            let used = if catalog.get(&default).is_some() { default } else { catalog.packs[0].teacher.clone() };
            self.notices.push(Notice::NoTeacher { given: teacher, used: used.clone() });
            self.link.settings.teacher = used;
        }
        self.catalog = Some(catalog);
        self.fit_budget();
        match (self.worker_kind, self.worker_alive) {
            (None, _) => self.spawn_when_known(),
            (Some(_), true) => self.load(),
            (Some(_), false) => Vec::new(), // they load it when they are ready
        }
    }

    /// Starts the workers before anything else (the page's first drawing takes the main thread
    /// for a while): they compile their wasm while the page draws and the catalog arrives.
    pub fn start(&mut self) -> Vec<Effect> {
        self.spawn_when_known()
    }

    /// What the browser offered for WebGPU. The page does not wait for it to start the CPU
    /// workers (SwiftShader takes longer to answer than the catalog does); when the answer calls
    /// for the other build, that one replaces them (at once, or at their `Ready`).
    pub fn set_gpu(&mut self, gpu: Gpu) -> Vec<Effect> {
        self.gpu = Some(gpu);
        let (kind, note) = self.wanted_worker();
        match self.worker_kind {
            None => self.spawn_when_known(),
            Some(running) if running != kind && self.worker_alive => vec![self.spawn_worker()],
            Some(_) => {
                self.backend_note = note;
                Vec::new()
            }
        }
    }

    /// Starts the workers, unless WebGPU was asked for by name and the adapter's answer is still
    /// to come (a CPU worker started then would be thrown away).
    fn spawn_when_known(&mut self) -> Vec<Effect> {
        if self.gpu.is_none() && self.link.settings.backend == Backend::WebGpu {
            return Vec::new();
        }
        vec![self.spawn_worker()]
    }

    pub fn catalog_failed(&mut self, detail: String) {
        self.fail(Problem::Catalog(detail));
    }

    /// The build of the worker the backend setting calls for, and the note that goes with it.
    fn wanted_worker(&self) -> (WorkerKind, Option<BackendNote>) {
        let (kind, note) = workers::choose(self.link.settings.backend, self.gpu.as_ref());
        (kind.for_task(self.task()), note)
    }

    /// Starts the build of the worker the backend setting calls for: one per student on a CPU
    /// with the cores for it.
    fn spawn_worker(&mut self) -> Effect {
        let (kind, note) = self.wanted_worker();
        self.worker_alive = false;
        self.worker_kind = Some(kind);
        self.crew = Crew::for_machine(kind, self.cores);
        self.phase = Phase::Starting;
        self.backend.clear();
        self.backend_note = note;
        Effect::SpawnWorkers { kind, count: self.crew.size() }
    }

    fn fit_budget(&mut self) {
        if let Some(rows) = self.train_rows() {
            if let Some(adjusted) = self.link.settings.fit_to_pack(rows) {
                self.notices.push(Notice::Adjusted(adjusted));
            }
        }
    }

    /// Loads the chosen teacher's pack, then builds fresh students from the settings.
    fn load(&mut self) -> Vec<Effect> {
        if self.task() == Task::Words {
            return match self.words_pack().cloned() {
                Some(entry) => {
                    self.problem = None;
                    (self.words_teacher, self.next_letters) = (None, None);
                    self.phase = Phase::Loading { loaded: 0, total: entry.bytes };
                    vec![Effect::Send(Command::LoadWords(entry)), self.configure()]
                }
                None => {
                    self.fail(Problem::NoPack(self.link.settings.teacher.clone()));
                    Vec::new()
                }
            };
        }
        match self.pack().cloned() {
            Some(entry) => {
                self.problem = None;
                self.phase = Phase::Loading { loaded: 0, total: entry.bytes };
                let mut effects = vec![Effect::Send(Command::Load(entry))];
                // Fresh workers (another backend, after a fault) get the visitor's teacher again.
                if let Some((_, file)) = &self.own_teacher {
                    let (file, bytes) = (file.name.clone(), file.bytes.to_vec());
                    effects.push(Effect::Send(Command::ImportTeacher { file, bytes }));
                }
                effects.push(self.configure());
                effects
            }
            None => {
                self.fail(Problem::NoPack(self.link.settings.teacher.clone()));
                Vec::new()
            }
        }
    }

    /// Fresh students with the current settings: a reset.
    fn configure(&mut self) -> Effect {
        self.problem = None;
        Effect::Send(Command::Configure(self.link.settings.clone()))
    }

    /// Sets one setting from a control (the same parser as a link's) and resets the run; a value
    /// the control cannot hold is refused with a message and nothing changes.
    pub fn set(&mut self, setting: &Setting, raw: &str) -> Vec<Effect> {
        let mut settings = self.link.settings.clone();
        match setting.write(&mut settings, raw) {
            Ok(_) => self.change(settings),
            Err(e) => {
                self.problem = Some(Problem::Setting(e));
                Vec::new()
            }
        }
    }

    /// Replaces the settings and resets the run (a new teacher also means a new pack).
    pub fn change(&mut self, settings: Settings) -> Vec<Effect> {
        let new_teacher = settings.teacher != self.link.settings.teacher;
        let new_backend = settings.backend != self.link.settings.backend;
        self.link.settings = settings;
        self.fit_budget();
        if !self.worker_alive {
            return Vec::new();
        }
        let (kind, note) = self.wanted_worker();
        if self.worker_kind != Some(kind) {
            return vec![self.spawn_worker()];
        }
        if new_backend {
            // The same worker, for another reason (Automatic skipped a fallback; now CPU by hand).
            self.backend_note = note;
        }
        if new_teacher {
            (self.own_teacher, self.offered_teacher, self.teacher_import) = (None, None, None);
            self.load()
        } else {
            vec![self.configure()]
        }
    }

    /// Loads a lesson's preset (keeping the chosen backend) and builds fresh students.
    pub fn start_lesson(&mut self, id: &str) -> Vec<Effect> {
        let (preset, _) = Link::from_query(&format!("lesson={id}"));
        self.link.lesson = preset.lesson;
        self.link.sweep = preset.sweep;
        let settings = Settings { backend: self.link.settings.backend, ..preset.settings };
        self.change(settings)
    }

    /// Queues the Sweep panel's runs in the worker, or says why it cannot.
    pub fn run_sweep(&mut self) -> Result<Vec<Effect>, SweepError> {
        let sweep = self.link.sweep.as_ref().ok_or(SweepError::Nothing)?;
        let points = sweep.points(&self.link.settings, self.train_rows().unwrap_or(usize::MAX))?;
        self.sweep_progress = Some(SweepProgress { index: 0, total: points.len(), step: 0, steps: 0 });
        self.sweeps_started += 1;
        let (name, total) = (format!("sweep {}", self.sweeps_started), points.len());
        Ok(vec![Effect::Send(Command::Sweep { name, total, points: points.into_iter().enumerate().collect() })])
    }

    /// Both students' predictions for a drawn digit (again after every report while it is shown).
    pub fn predict(&mut self, pixels: Option<Vec<u8>>) -> Vec<Effect> {
        self.drawing = pixels.clone();
        match pixels {
            Some(pixels) => vec![Effect::Send(Command::Predict(pixels))],
            None => {
                self.prediction = None;
                Vec::new()
            }
        }
    }

    /// The words task: what the teacher and the students say comes after `prefix` (asked again
    /// after every report while it is shown).
    /// A character the alphabet lacks is named under the box, and nothing is asked (the
    /// worker checks again).
    pub fn ask_next_letters(&mut self, prefix: String) -> Vec<Effect> {
        self.prefix = prefix.clone();
        let letters = self.words_teacher.as_ref().map(|t| t.letters.clone()).unwrap_or_default();
        self.prefix_problem = prefix
            .chars()
            .find(|c| !letters.contains(*c))
            .filter(|_| !letters.is_empty())
            .map(|c| WorkerError::Letter(c.to_string(), letters));
        if self.prefix_problem.is_some() {
            return Vec::new();
        }
        vec![Effect::Send(Command::NextLetters(prefix))]
    }

    /// What the page asks the workers about the students after they change: the inspected image
    /// and the drawing's prediction, or (words) the next letters after the typed prefix.
    fn look_again(&self) -> Vec<Effect> {
        let mut effects = vec![Effect::DiscardFiles];
        if self.task() == Task::Words {
            effects.push(Effect::Send(Command::NextLetters(self.prefix.clone())));
        } else {
            effects.push(Effect::Send(Command::Inspect(self.inspected)));
            effects.extend(self.drawing.clone().map(|pixels| Effect::Send(Command::Predict(pixels))));
        }
        effects
    }

    pub fn inspect(&mut self, pick: Pick) -> Vec<Effect> {
        self.inspected = pick;
        vec![Effect::Send(Command::Inspect(pick))]
    }

    /// Start pressed: the status says Training at once, before the workers answer (a WebGPU
    /// worker still compiling a part of its rehearsal answers seconds later on a software adapter).
    pub fn press_start(&mut self) -> Vec<Effect> {
        self.phase = Phase::Training;
        vec![Effect::Send(Command::Start)]
    }

    /// Fresh students; after any fault (an error in a worker, a worker that died), fresh workers:
    /// nothing of the failed state (a lost GPU device, a half-read pack) is used again.
    pub fn reset(&mut self) -> Vec<Effect> {
        if self.worker_alive && self.phase != Phase::Failed {
            vec![self.configure()]
        } else {
            self.problem = None;
            vec![self.spawn_worker()]
        }
    }

    /// The worker died or could not start: the settings are kept, Reset starts a new one.
    pub fn worker_stopped(&mut self, detail: String) {
        self.worker_alive = false;
        self.fail(Problem::WorkerStopped(detail));
    }

    pub fn file_unreadable(&mut self, detail: String) {
        self.import = Some(Err(Problem::File(detail)));
    }

    pub fn teacher_file_unreadable(&mut self, detail: String) {
        self.teacher_import = Some(Err(Problem::File(detail)));
    }

    /// The workers check a teacher's logits file the visitor picked; fresh students follow if
    /// they take it.
    pub fn import_teacher(&mut self, name: String, bytes: Vec<u8>) -> Vec<Effect> {
        let file = TeacherFile { name, bytes: Arc::new(bytes) };
        self.offered_teacher = Some(file.clone());
        vec![Effect::Send(Command::ImportTeacher { file: file.name, bytes: file.bytes.to_vec() })]
    }

    /// What an event from worker `from` changes, and what the page does next.
    pub fn apply(&mut self, from: usize, event: Event) -> Vec<Effect> {
        if event == Event::Ready {
            // The backend setting may have changed while this worker started.
            if self.worker_kind != Some(self.wanted_worker().0) {
                return vec![self.spawn_worker()];
            }
            let mut effects = vec![Effect::Post { worker: from, command: Command::Assign(self.crew.students(from)) }];
            if self.crew.ready(from) {
                self.worker_alive = true;
                if self.catalog.is_some() {
                    effects.extend(self.load());
                }
            }
            return effects;
        }
        let events = self.crew.receive(from, event);
        events.into_iter().flat_map(|event| self.take(event)).collect()
    }

    /// What the trainer (all workers together) said.
    fn take(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Ready => {} // each worker's, in `apply`
            // A sweep that asks about other images downloads them first: its own progress shows it,
            // and no Configured would end a Loading phase.
            Event::Loading { .. } if self.sweep_progress.is_some() => {}
            Event::Loading { loaded, total } => self.phase = Phase::Loading { loaded, total },
            // A pack of the task just left (the visitor switched while it loaded): the next Load
            // replaces it, and asking it about an image (or a prefix) would be asking the wrong runner.
            Event::Loaded { .. } if self.task() == Task::Words => {}
            Event::WordsLoaded(_) if self.task() == Task::Images => {}
            Event::Loaded { curated } => {
                let first = curated.first().map(|c| c.index).unwrap_or(0);
                self.curated = curated;
                return self.inspect(Pick::Test(first));
            }
            Event::Backend { name, fallback } => {
                self.backend = name;
                if let Some(why) = fallback {
                    self.backend_note = Some(BackendNote::Unavailable(why));
                }
            }
            Event::Configured { total_steps, transfer_examples, queries, honest_accuracy, teacher_accuracy } => {
                self.reports.clear();
                self.half = None;
                self.test_logits = None;
                self.import = None;
                self.total_steps = total_steps;
                self.transfer_examples = transfer_examples;
                self.queries_at_start = queries;
                self.honest_accuracy = honest_accuracy;
                self.teacher_accuracy = teacher_accuracy;
                self.phase = Phase::Ready;
                let (teacher, student) =
                    (self.link.settings.teacher.clone(), self.link.settings.train.architecture.to_string());
                self.outbox.push(ToParent::Ready { teacher, student, total_steps });
                // The new students read the drawing (or the prefix).
                let mut effects = self.look_again();
                if std::mem::take(&mut self.autostart_pending) {
                    effects.push(Effect::Send(Command::Start));
                }
                return effects;
            }
            Event::Scored(scored) => {
                let report = match (scored.student, self.half.take()) {
                    (Student::Distilled, _) => {
                        self.half = Some(*scored);
                        return Vec::new();
                    }
                    (Student::Baseline, Some(distilled)) => Report::pair(distilled, *scored),
                    (Student::Baseline, None) => return Vec::new(),
                };
                self.outbox.push(ToParent::Progress {
                    step: report.step,
                    total_steps: report.total_steps,
                    distilled: report.distilled.test_accuracy,
                    baseline: report.baseline.test_accuracy,
                });
                self.reports.push(report);
                if self.phase == Phase::Ready {
                    self.phase = Phase::Paused; // after "One step"
                }
                // The files on offer showed the students before this report.
                return self.look_again();
            }
            Event::Running(true) => self.phase = Phase::Training,
            Event::Running(false) => {
                if self.phase == Phase::Training {
                    self.phase = Phase::Paused;
                }
            }
            Event::Finished => {
                self.phase = Phase::Finished;
                if let Some(last) = self.reports.last() {
                    let (distilled, baseline) = (last.distilled.test_accuracy, last.baseline.test_accuracy);
                    self.outbox.push(ToParent::Finished { distilled, baseline, teacher: self.teacher_accuracy });
                }
            }
            Event::Inspection(inspection) => self.inspection = Some(inspection),
            Event::WordsLoaded(teacher) => {
                self.words_teacher = Some(teacher);
                return vec![Effect::Send(Command::NextLetters(self.prefix.clone()))];
            }
            Event::NextLetters(found) => {
                self.prefix_problem = None;
                self.next_letters = Some(found);
            }
            Event::Prediction { distilled, baseline } => self.prediction = Some((distilled, baseline)),
            Event::TestLogits { labels, distilled, baseline } => {
                self.test_logits = Some(TestLogits { labels, distilled, baseline })
            }
            Event::SweepProgress { index, total, step, total_steps } => {
                self.sweep_progress = Some(SweepProgress { index, total, step, steps: total_steps })
            }
            Event::Result(row) => self.results.push(*row),
            Event::SweepDone => self.sweep_progress = None,
            Event::Weights(bytes) => {
                let s = &self.link.settings;
                let name = format!("student-{}-{}.safetensors", s.train.architecture, s.teacher).replace(':', "_");
                return vec![Effect::OfferWeights { name, bytes }];
            }
            Event::Imported(result) => {
                let imported = result.is_ok();
                self.import = Some(result.map_err(Problem::Worker));
                if imported {
                    self.test_logits = None; // they were the replaced student's
                    return vec![Effect::Send(Command::Score)];
                }
            }
            Event::TeacherImported(Ok(teacher)) => {
                // A file the visitor just picked needs fresh students. Nothing else is news: a file
                // sent again to fresh workers comes before their Configure, and one picked before
                // the visitor chose another teacher went with the old pack.
                if let Some(file) = self.offered_teacher.take() {
                    self.teacher_import = Some(Ok(teacher.clone()));
                    self.own_teacher = Some((teacher, file));
                    return vec![self.configure()];
                }
            }
            Event::TeacherImported(Err(error)) => {
                self.offered_teacher = None;
                self.teacher_import = Some(Err(Problem::Worker(error)));
            }
            // A prefix the worker could not read spoils nothing else.
            Event::Error(error @ WorkerError::Letter(..)) => self.prefix_problem = Some(error),
            Event::Error(error) => {
                // A lost device explains the errors that follow it (reads that fail), so it stays.
                if !matches!(self.problem, Some(Problem::Worker(WorkerError::DeviceLost(_)))) {
                    self.fail(Problem::Worker(error));
                }
                // With a worker per student, the other one would train on alone.
                return vec![Effect::Send(Command::Pause)];
            }
        }
        Vec::new()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::crew::tests::configured;
    use crate::settings::find;

    pub(crate) fn catalog(train_rows: usize) -> Catalog {
        let entry = PackEntry {
            teacher: "mnist-mlp".into(),
            dataset: "mnist".into(),
            dataset_title: "MNIST".into(),
            class_names: (0..10).map(|c| c.to_string()).collect(),
            architecture: "mlp:1200-1200".into(),
            parameters: 2_395_210,
            test_accuracy: 0.991,
            file: "mnist-mlp.safetensors".into(),
            bytes: 1000,
            sha256: String::new(),
            train_rows,
            test_rows: 1000,
            questions: Vec::new(),
        };
        Catalog { packs: vec![entry], words: Vec::new() }
    }

    fn sent(effects: &[Effect]) -> Vec<String> {
        effects
            .iter()
            .map(|e| match e {
                Effect::Send(c) | Effect::Post { command: c, .. } => {
                    format!("{c:?}").split(['(', ' ']).next().unwrap().to_string()
                }
                other => format!("{other:?}").split(['(', ' ', '{']).next().unwrap().to_string(),
            })
            .collect()
    }

    /// One student's half of a report at `step` of 10 (64 examples a step).
    fn half_report(student: Student, step: usize, accuracy: f64) -> Event {
        Event::Scored(Box::new(Scored {
            student,
            step,
            total_steps: 10,
            examples_seen: 64 * step,
            examples_per_second: 100.0,
            queries: 500,
            answered: 500,
            round_done: false,
            report: crate::chart::tests::student(accuracy),
        }))
    }

    fn ready_page(query: &str) -> Page {
        let mut page = Page::new(query, Lang::En);
        assert_eq!(sent(&page.set_catalog(catalog(5000))), ["SpawnWorkers"]);
        assert_eq!(sent(&page.apply(0, Event::Ready)), ["Assign", "Load", "Configure"]);
        assert!(matches!(page.phase, Phase::Loading { .. }));
        page
    }

    fn with_words(mut catalog: Catalog) -> Catalog {
        catalog.words.push(WordsEntry {
            teacher: "words-en".into(),
            language: "en".into(),
            architecture: "context 8".into(),
            parameters: 122_787,
            test_bits_per_char: 2.47,
            file: "words-en.safetensors".into(),
            bytes: 700_000,
            sha256: String::new(),
            train_words: 2000,
            test_words: 500,
        });
        catalog
    }

    #[test]
    fn the_words_task_loads_its_pack_and_asks_about_the_typed_prefix() {
        let mut page = Page::new("task=words&budget=5000", Lang::En);
        let spawned = page.set_catalog(with_words(catalog(5000)));
        assert_eq!(
            spawned,
            [Effect::SpawnWorkers { kind: WorkerKind::WordsCpu, count: 1 }],
            "the CPU build with words"
        );
        assert_eq!(page.settings().budget(), 2000, "held to the pack's words");
        assert_eq!(sent(&page.apply(0, Event::Ready)), ["Assign", "LoadWords", "Configure"]);
        let teacher = WordsTeacher { letters: "abc".into(), context: 8, ..WordsTeacher::default() };
        assert_eq!(page.apply(0, Event::WordsLoaded(teacher)), [Effect::Send(Command::NextLetters(String::new()))]);
        assert_eq!(sent(&page.apply(0, configured())), ["DiscardFiles", "NextLetters"], "no image to inspect");
        assert_eq!(page.ask_next_letters("cab".into()), [Effect::Send(Command::NextLetters("cab".into()))]);
        assert_eq!(page.ask_next_letters("cad".into()), [], "d is not a letter of this alphabet");
        assert_eq!(page.prefix_problem, Some(WorkerError::Letter("d".into(), "abc".into())));
        // The worker's own refusal spoils nothing either.
        page.apply(0, Event::Error(WorkerError::Letter("é".into(), "abc".into())));
        assert_eq!((page.phase.clone(), page.problem.clone()), (Phase::Ready, None));
        page.apply(0, Event::NextLetters(NextLetters { prefix: "ca".into(), ..NextLetters::default() }));
        assert_eq!(page.prefix_problem, None);
        let headline = page.words_headline();
        assert_eq!((headline.distilled.as_str(), headline.verdict), ("–", None), "no report yet");
        // 4 tokens, context 8: 4·8 + (64·100 + 100) + (100·4 + 4) parameters for mlp:100.
        let sizes = headline.sizes.unwrap();
        assert!(sizes.starts_with("Student: 6936 parameters, 18× smaller than words-en (122.8k)"), "{sizes}");
        // Back to images: the CPU build without words, then the image pack; the words pack's late
        // news asks nothing.
        let effects = page.set(find("task").unwrap(), "images");
        assert_eq!(effects, [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 1 }]);
        assert_eq!(sent(&page.apply(0, Event::Ready)), ["Assign", "Load", "Configure"]);
        assert_eq!(page.settings().teacher, "mnist-mlp");
        assert_eq!(page.apply(0, Event::WordsLoaded(WordsTeacher::default())), []);
        page.set(find("task").unwrap(), "words");
        page.apply(0, Event::Ready);
        assert_eq!(page.apply(0, Event::Loaded { curated: Vec::new() }), [], "nor does the image pack's");
    }

    #[test]
    fn a_link_with_autostart_starts_once_the_students_exist() {
        let mut page = ready_page("autostart=1&budget=500");
        let effects = page.apply(0, configured());
        assert_eq!(sent(&effects), ["DiscardFiles", "Inspect", "Start"]);
        assert_eq!(page.phase, Phase::Ready);
        assert_eq!(sent(&page.apply(0, configured())), ["DiscardFiles", "Inspect"], "only the first time");
    }

    #[test]
    fn the_phase_follows_the_worker() {
        let mut page = ready_page("");
        page.apply(0, configured());
        assert!(page.can_train());
        assert_eq!(page.press_start(), [Effect::Send(Command::Start)]);
        assert_eq!(page.phase, Phase::Training, "at once, before the worker's answer");
        page.apply(0, Event::Running(true));
        assert_eq!(page.phase, Phase::Training);
        page.apply(0, Event::Running(false));
        assert_eq!(page.phase, Phase::Paused);
        page.apply(0, Event::Finished);
        assert_eq!(page.phase, Phase::Finished);
        let effects = page.apply(0, Event::Error(WorkerError::Training("diverged".into())));
        assert_eq!(effects, [Effect::Send(Command::Pause)], "every worker stops");
        assert_eq!(page.phase, Phase::Failed);
        assert!(page.problem.as_ref().unwrap().text(Lang::En).contains("diverged"));
        assert_eq!(sent(&page.reset()), ["SpawnWorkers"], "after an error, fresh workers");
        assert_eq!(page.problem, None);
        page.apply(0, Event::Ready);
        page.apply(0, configured());
        assert_eq!(sent(&page.reset()), ["Configure"], "a healthy worker gets fresh students");
        page.worker_stopped("panic".into());
        assert_eq!(sent(&page.reset()), ["SpawnWorkers"], "a dead one is replaced");
        page.apply(0, Event::Ready);
        page.apply(0, Event::Error(WorkerError::DeviceLost("Destroyed".into())));
        page.apply(0, Event::Error(WorkerError::Training("a read failed".into())));
        assert!(page.problem.as_ref().unwrap().text(Lang::En).starts_with("The GPU device was lost (Destroyed)"));
    }

    #[test]
    fn the_backend_setting_starts_the_worker_build_it_needs() {
        let mut page = Page::new("", Lang::En);
        page.gpu = Some(Gpu::Adapter { name: "SwiftShader".into(), fallback: true });
        assert_eq!(
            page.set_catalog(catalog(5000)),
            [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 1 }],
            "Automatic skips a fallback"
        );
        assert!(page.backend_note.as_ref().unwrap().text(Lang::En).contains("SwiftShader"));
        page.apply(0, Event::Ready);
        page.apply(0, configured());
        assert_eq!(
            page.set(find("backend").unwrap(), "webgpu"),
            [Effect::SpawnWorkers { kind: WorkerKind::WebGpu, count: 1 }]
        );
        assert_eq!((page.phase.clone(), page.backend_note.clone()), (Phase::Starting, None));
        assert_eq!(page.set(find("backend").unwrap(), "cpu"), Vec::new(), "nothing until the new worker listens");
        assert_eq!(
            page.apply(0, Event::Ready),
            [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 1 }],
            "it started as the wrong build"
        );
        assert_eq!(sent(&page.apply(0, Event::Ready)), ["Assign", "Load", "Configure"]);
        assert_eq!(sent(&page.set(find("t").unwrap(), "8")), ["Configure"], "the same build keeps its worker");
        page.set(find("backend").unwrap(), "auto");
        assert!(
            matches!(page.backend_note, Some(BackendNote::FallbackSkipped(_))),
            "Automatic says why it is on the CPU"
        );
        assert_eq!(sent(&page.set(find("backend").unwrap(), "cpu")), ["Configure"]);
        assert_eq!(page.backend_note, None, "the CPU chosen by hand needs no excuse");
    }

    #[test]
    fn the_cpu_workers_start_before_the_adapter_answers() {
        let hardware = Gpu::Adapter { name: "RTX".into(), fallback: false };
        let cpu_pair = [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 2 }];
        let mut page = Page::new("", Lang::En);
        page.cores = 2;
        assert_eq!(page.set_catalog(catalog(5000)), cpu_pair, "Automatic does not wait for the adapter");
        assert_eq!(page.backend_note, None, "nothing to excuse yet");
        page.apply(0, Event::Ready);
        page.apply(1, Event::Ready);
        let fallback = Gpu::Adapter { name: "SwiftShader".into(), fallback: true };
        assert_eq!(page.set_gpu(fallback), [], "a fallback adapter keeps the CPU workers");
        assert!(matches!(page.backend_note, Some(BackendNote::FallbackSkipped(_))), "and says why");

        let mut page = Page::new("", Lang::En);
        page.cores = 2;
        page.set_catalog(catalog(5000));
        page.apply(0, Event::Ready);
        page.apply(1, Event::Ready);
        let webgpu = [Effect::SpawnWorkers { kind: WorkerKind::WebGpu, count: 1 }];
        assert_eq!(page.set_gpu(hardware.clone()), webgpu, "a hardware adapter replaces them");

        let mut page = Page::new("", Lang::En);
        page.set_catalog(catalog(5000));
        assert_eq!(page.set_gpu(hardware.clone()), [], "workers still starting are replaced when they listen");
        assert_eq!(page.apply(0, Event::Ready), webgpu);

        let mut page = Page::new("backend=webgpu", Lang::En);
        assert_eq!(page.set_catalog(catalog(5000)), [], "WebGPU asked for by name waits for the answer");
        assert_eq!(page.set_gpu(hardware), webgpu);
    }

    #[test]
    fn the_workers_start_before_the_catalog_and_load_it_when_both_are_there() {
        let mut page = Page::new("", Lang::En);
        page.cores = 2;
        assert_eq!(page.start(), [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 2 }]);
        page.apply(1, Event::Ready);
        let effects = page.apply(0, Event::Ready);
        assert_eq!(sent(&effects), ["Assign"], "no pack to load before the catalog");
        assert_eq!(sent(&page.set_catalog(catalog(5000))), ["Load", "Configure"], "the catalog to ready workers");

        let mut page = Page::new("", Lang::En);
        page.start();
        assert_eq!(page.set_catalog(catalog(5000)), [], "a catalog before the workers listen waits for them");
        assert_eq!(sent(&page.apply(0, Event::Ready)), ["Assign", "Load", "Configure"]);

        let mut page = Page::new("backend=webgpu", Lang::En);
        assert_eq!(page.start(), [], "WebGPU by name waits for the adapter");
        assert_eq!(
            page.set_gpu(Gpu::Missing("none".into())),
            [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 1 }]
        );
    }

    #[test]
    fn two_cores_train_a_student_each_and_the_page_waits_for_both_workers() {
        let mut page = Page::new("", Lang::En);
        page.cores = 2;
        page.gpu = Some(Gpu::Adapter { name: "SwiftShader".into(), fallback: true });
        assert_eq!(page.set_catalog(catalog(5000)), [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 2 }]);
        let assign = |worker, student| Effect::Post { worker, command: Command::Assign(Students::Only(student)) };
        assert_eq!(page.apply(1, Event::Ready), [assign(1, Student::Baseline)], "one worker is not enough");
        let effects = page.apply(0, Event::Ready);
        assert_eq!(effects[0], assign(0, Student::Distilled));
        assert_eq!(sent(&effects[1..]), ["Load", "Configure"]);
        assert!(page.apply(1, configured()).is_empty());
        assert_eq!(sent(&page.apply(0, configured())), ["DiscardFiles", "Inspect"]);
        page.apply(0, Event::Backend { name: "CPU".into(), fallback: None });
        assert_eq!(page.backend_label(Lang::En), "CPU × 2: one worker per student");
        assert_eq!(page.apply(0, Event::Imported(Ok(()))), [Effect::Send(Command::Score)], "a fresh score follows");
        let effects = page.set(find("backend").unwrap(), "webgpu");
        assert_eq!(effects, [Effect::SpawnWorkers { kind: WorkerKind::WebGpu, count: 1 }], "WebGPU trains both in one");
    }

    #[test]
    fn a_control_change_resets_and_a_bad_value_changes_nothing() {
        let mut page = ready_page("");
        page.apply(0, configured());
        let effects = page.set(find("t").unwrap(), "8");
        assert_eq!(sent(&effects), ["Configure"]);
        assert_eq!(page.settings().train.temperature, 8.0);
        assert!(page.query().contains("t=8"));
        let before = page.clone();
        assert!(page.set(find("batch").unwrap(), "lots").is_empty());
        assert_eq!(page.settings(), before.settings());
        assert!(page.problem.as_ref().unwrap().text(Lang::En).contains("batch=lots"));
        page.set(find("budget").unwrap(), "60000");
        assert_eq!(page.settings().budget(), 5000, "held to the pack");
    }

    #[test]
    fn a_budget_beyond_the_pack_is_cut_with_a_notice() {
        let page = ready_page("budget=20000");
        assert_eq!(page.settings().budget(), 5000);
        assert!(page.notices.iter().any(|n| n.text(Lang::En) == "budget=20000 is out of range; using 5000"));
    }

    #[test]
    fn reports_pause_a_single_step_and_ask_for_fresh_views() {
        let mut page = ready_page("");
        page.apply(0, configured());
        page.predict(Some(vec![0; 784]));
        let half = |student, accuracy| half_report(student, 1, accuracy);
        assert!(page.apply(0, half(Student::Distilled, 0.5)).is_empty(), "half a report waits for the other");
        assert!(page.reports.is_empty());
        let effects = page.apply(0, half(Student::Baseline, 0.4));
        let report = &page.reports[0];
        assert_eq!((report.distilled.test_accuracy, report.baseline.test_accuracy), (0.5, 0.4));
        assert_eq!(report.examples_per_second, 200.0, "the two students' throughputs add up");
        assert_eq!(sent(&effects), ["DiscardFiles", "Inspect", "Predict"]);
        assert_eq!(page.phase, Phase::Paused);
        assert_eq!(page.reports.len(), 1);
        page.apply(0, configured());
        assert!(page.reports.is_empty(), "fresh students, fresh charts");
    }

    #[test]
    fn an_unknown_teacher_falls_back_and_a_sweep_is_numbered() {
        let mut page = Page::new("teacher=nope&sweep=t:1,2", Lang::En);
        page.set_catalog(catalog(5000));
        assert_eq!(page.settings().teacher, "mnist-mlp");
        assert!(page.notices.iter().any(|n| n.text(Lang::En).contains("there is no teacher `nope`")));
        let effects = page.run_sweep().unwrap();
        match &effects[..] {
            [Effect::Send(Command::Sweep { name, total, points })] => {
                assert_eq!((name.as_str(), *total, points.len(), points[1].0), ("sweep 1", 2, 2, 1))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(page.sweep_progress.unwrap().total, 2);
        page.link.sweep = None;
        assert_eq!(page.run_sweep().unwrap_err(), SweepError::Nothing);
    }

    #[test]
    fn questions_downloaded_for_a_sweep_leave_the_phase_alone() {
        let mut page = ready_page("sweep=ask:own,strokes");
        page.apply(0, configured());
        page.run_sweep().unwrap();
        page.apply(0, Event::Loading { loaded: 10, total: 100 });
        assert_eq!(page.phase, Phase::Ready, "the sweep's progress shows it; no Configured would end a Loading");
        page.apply(0, Event::SweepDone);
        page.apply(0, Event::Loading { loaded: 10, total: 100 });
        assert_eq!(page.phase, Phase::Loading { loaded: 10, total: 100 }, "for a single run it shows");
    }

    #[test]
    fn weights_are_offered_under_the_students_name() {
        let mut page = ready_page("student=mlp:30-30");
        let effects = page.apply(0, Event::Weights(vec![1, 2]));
        assert_eq!(
            effects,
            [Effect::OfferWeights { name: "student-mlp_30-30-mnist-mlp.safetensors".into(), bytes: vec![1, 2] }]
        );
        page.apply(0, Event::Imported(Err(WorkerError::Training("shape".into()))));
        assert!(matches!(page.import, Some(Err(_))));
    }

    #[test]
    fn a_teacher_of_ones_own_resets_the_students_survives_fresh_workers_and_goes_with_another_teacher() {
        let mut page = ready_page("");
        page.apply(0, configured());
        let effects = page.import_teacher("mine.safetensors".into(), vec![7; 3]);
        assert_eq!(
            effects,
            [Effect::Send(Command::ImportTeacher { file: "mine.safetensors".into(), bytes: vec![7; 3] })]
        );
        let refused = Event::TeacherImported(Err(WorkerError::Teacher("mine.safetensors: too few rows".into())));
        assert_eq!(page.apply(0, refused), [], "a refused file changes nothing");
        assert!(page.own_teacher.is_none() && matches!(page.teacher_import, Some(Err(_))));

        page.import_teacher("mine.safetensors".into(), vec![7; 3]);
        let teacher = ImportedTeacher { file: "mine.safetensors".into(), test_accuracy: 0.915 };
        assert_eq!(sent(&page.apply(0, Event::TeacherImported(Ok(teacher.clone())))), ["Configure"], "fresh students");
        assert_eq!(page.own_teacher.as_ref().map(|(t, f)| (t, f.bytes.len())), Some((&teacher, 3)));

        page.worker_stopped("a crash".into());
        assert_eq!(sent(&page.reset()), ["SpawnWorkers"]);
        assert_eq!(sent(&page.apply(0, Event::Ready)), ["Assign", "Load", "ImportTeacher", "Configure"], "sent again");
        assert_eq!(page.apply(0, Event::TeacherImported(Ok(teacher))), [], "its Configure is on its way already");
        assert!(page.own_teacher.is_some());

        let mut catalog = catalog(5000);
        catalog.packs.push(PackEntry { teacher: "mnist-cnn".into(), ..catalog.packs[0].clone() });
        page.catalog = Some(catalog);
        assert_eq!(sent(&page.set(find("teacher").unwrap(), "mnist-cnn")), ["Load", "Configure"]);
        assert!(page.own_teacher.is_none() && page.teacher_import.is_none(), "the pack's teacher is back");

        page.import_teacher("late.safetensors".into(), vec![1]);
        page.set(find("teacher").unwrap(), "mnist-mlp");
        let late = ImportedTeacher { file: "late.safetensors".into(), test_accuracy: 0.9 };
        assert_eq!(page.apply(0, Event::TeacherImported(Ok(late))), [], "it went with the old pack");
        assert!(page.own_teacher.is_none() && page.teacher_import.is_none());
    }

    #[test]
    fn an_embedding_page_hears_ready_progress_finished_and_errors_once_each() {
        let mut page = ready_page("student=mlp:30");
        page.apply(0, configured());
        let half = |student, accuracy| half_report(student, 10, accuracy);
        page.apply(0, half(Student::Distilled, 0.9));
        page.apply(0, half(Student::Baseline, 0.8));
        page.apply(0, Event::Finished);
        page.apply(0, Event::Error(WorkerError::Training("a NaN".into())));
        assert_eq!(
            page.to_parent(),
            [
                ToParent::Ready { teacher: "mnist-mlp".into(), student: "mlp:30".into(), total_steps: 10 },
                ToParent::Progress { step: 10, total_steps: 10, distilled: 0.9, baseline: 0.8 },
                ToParent::Finished { distilled: 0.9, baseline: 0.8, teacher: 0.99 },
                ToParent::Error { message: "Training stopped: a NaN".into() },
            ]
        );
        assert_eq!(page.to_parent(), [], "each event is posted once");
    }

    #[test]
    fn the_command_line_runs_the_link_the_page_shows() {
        let page = ready_page("mode=top1&budget=1000&t=2&sweep=t:1,4");
        let command = page.command();
        let query =
            command.strip_prefix("cargo run -p distill-cli -- run --query '").unwrap().strip_suffix('\'').unwrap();
        assert_eq!(Link::from_query(query), (page.link.clone(), Vec::new()), "{command}");
    }
}
