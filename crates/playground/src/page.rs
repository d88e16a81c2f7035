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
    Command, Event, ImportedTeacher, Inspection, NeededFile, NextLetters, PerStudent, Pick, ReasoningTeacher, Report,
    Scored, SizeScore, Solved, Student, StudentReport, Suspect, WordsTeacher, WorkerError, PROTOCOL,
};
use crate::results::{KeepError, ResultRow};
use crate::settings::{word_student_parameters, Backend, Setting, Settings, Task, REASONING_STUDENT_PARAMETERS};
use crate::sweep::{Sweep, SweepError};
use crate::task::TeacherPack;
use crate::text::{bits, compression, count, percent, verdict, words_verdict};
use crate::url::{Link, Notice};
use crate::workers::{self, BackendNote, Gpu, WorkerKind};
use distill_data::catalog::{Catalog, CatalogError, PackEntry, WordsEntry};
use distill_spec::CLASSES;
use std::sync::Arc;

mod events;
mod getters;
mod reasoning;
mod results_table;
mod status;
mod task_view;
mod watermark;
mod words;

pub use reasoning::{refusal_text, ScoresHeadline};
pub use results_table::SHOWN_ROWS;
pub use status::{Phase, Problem};
pub use task_view::{ImagesView, ReasoningView, TaskView, WordsView};
pub use watermark::{green_test_text, mark_test_text, suspect_text};

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
    /// The results table changed: keep it in the browser (its CSV, [`crate::results::from_csv`]).
    KeepResults,
    /// Start downloading the file the workers will load while they are still starting (the
    /// download is shared: their `Load` waits for the same bytes).
    Fetch(NeededFile),
}

/// A sweep under way: run `index` of `total`, at `step` of `steps`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepProgress {
    pub index: usize,
    pub total: usize,
    pub step: usize,
    pub steps: usize,
}

/// The students' logits on the whole test split after a run with a class left out.
#[derive(Debug, Clone, PartialEq)]
pub struct TestLogits {
    pub labels: Vec<u8>,
    pub students: PerStudent<Vec<f32>>,
}

/// A teacher-logits file picked in the page (shared, not copied, as the page state is cloned).
#[derive(Debug, Clone, PartialEq)]
pub struct TeacherFile {
    pub name: String,
    pub bytes: Arc<Vec<u8>>,
}

/// The page's state. Its fields are private: the views read it through the methods below and
/// change it only through the reducer's methods, each of which returns what follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Everything the address bar holds: the settings, lesson, sweep plan, layout.
    link: Link,
    /// What was wrong with the link (ignored or adjusted parameters).
    notices: Vec<Notice>,
    /// The browser's language, used when the link names none.
    browser_lang: Lang,
    catalog: Option<Catalog>,
    phase: Phase,
    /// The pack's training examples in so far and of all, while its parts arrive.
    arriving: Option<(usize, usize)>,
    problem: Option<Problem>,
    /// What the browser offered when asked for a WebGPU adapter (before any worker starts).
    gpu: Option<Gpu>,
    /// `navigator.hardwareConcurrency`: two or more, and the CPU trains one student per core.
    cores: usize,
    /// The workers training now, and what each does.
    crew: Crew,
    /// Where training runs, as the worker names it, and why WebGPU was not used if it was not.
    backend: String,
    backend_note: Option<BackendNote>,
    reports: Vec<Report>,
    /// The distilled half of the next report, waiting for the baseline's.
    half: Option<Scored>,
    total_steps: usize,
    transfer_examples: usize,
    /// Questions put to the teacher's API when the students were built (the whole budget, or the
    /// first round); reports say how many since.
    queries_at_start: usize,
    /// The teacher's test accuracy as an honest user of its API sees it through the defence, and
    /// without one.
    honest_accuracy: f64,
    teacher_accuracy: f64,
    sweep_progress: Option<SweepProgress>,
    /// What the page shows of the chosen task's students besides the reports.
    view: TaskView,
    /// One row per finished student (single runs and sweep points), those of earlier visits first.
    results: Vec<ResultRow>,
    /// Runs named in the rows of earlier visits (this visit's workers count from 1 again).
    runs_before: usize,
    /// Why the results table is not kept in the browser, if it is not.
    keep_problem: Option<KeepError>,
    /// The outcome of the last weights import.
    import: Option<Result<(), Problem>>,
    /// The last suspect's watermark test, until the next run.
    suspect: Option<Result<Suspect, Problem>>,
    /// A teacher's logits file the visitor brought: the one the workers check now, and the one
    /// they took (with its bytes, for fresh workers), until another teacher is chosen.
    offered_teacher: Option<TeacherFile>,
    own_teacher: Option<(ImportedTeacher, TeacherFile)>,
    /// The outcome of the last teacher import (a refusal stays until the next try).
    teacher_import: Option<Result<ImportedTeacher, Problem>>,
    /// Sweeps started on this page, to name their result rows.
    sweeps_started: usize,
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
        let view = TaskView::for_task(link.settings.task());
        Page {
            autostart_pending: link.autostart,
            link,
            notices,
            browser_lang,
            catalog: None,
            phase: Phase::Starting,
            arriving: None,
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
            sweep_progress: None,
            view,
            results: Vec::new(),
            runs_before: 0,
            keep_problem: None,
            import: None,
            suspect: None,
            offered_teacher: None,
            own_teacher: None,
            teacher_import: None,
            sweeps_started: 0,
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

    /// What both tasks' catalog entries say of the chosen teacher's pack.
    pub fn teacher_pack(&self) -> Option<TeacherPack> {
        (self.task().spec().pack)(self.catalog.as_ref()?, &self.link.settings.teacher)
    }

    /// Training rows of the chosen pack (what the budget is held to): images, or words.
    pub fn train_rows(&self) -> Option<usize> {
        self.teacher_pack().map(|pack| pack.train_rows)
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

    /// Stops the page with `problem`; a sweep under way ends with it (its finished points keep
    /// their rows), so the Sweep panel offers Run again after Reset.
    fn fail(&mut self, problem: Problem) {
        // The embedding page may be of any origin: it hears what stopped this one, but not the
        // names of the visitor's own files.
        let mut message = problem.text(Lang::En);
        let own = self.own_teacher.iter().map(|(_, file)| file).chain(&self.offered_teacher);
        for name in own.map(|file| &file.name).filter(|name| !name.is_empty()) {
            message = message.replace(name.as_str(), "(the visitor's file)");
        }
        self.outbox.push(ToParent::Error { message });
        self.problem = Some(problem);
        self.phase = Phase::Failed;
        self.sweep_progress = None;
    }

    /// The catalog arrived: the link's teacher is made one it offers for the task
    /// ([`Link::fit_to_catalog`]), the budget is held to the pack, and the worker starts. Its
    /// pack's download starts now, while the workers' wasm still arrives (index.html asks for it
    /// beside the page's own): a slow link carries the pack's first part meanwhile, not nothing
    /// for a round trip once they listen.
    pub fn set_catalog(&mut self, catalog: Catalog) -> Vec<Effect> {
        self.notices.extend(self.link.fit_to_catalog(&catalog));
        self.catalog = Some(catalog);
        self.fit_budget();
        let mut effects = match (self.worker_kind, self.worker_alive) {
            (None, _) => self.spawn_when_known(),
            (Some(_), true) => return self.load(),
            (Some(_), false) => Vec::new(), // they load it when they are ready
        };
        let pack = self.teacher_pack().and_then(|pack| pack.load.needs_file());
        effects.extend(pack.map(Effect::Fetch));
        effects
    }

    /// `navigator.hardwareConcurrency`, before the workers start: two or more, and the CPU
    /// trains one student per core.
    pub fn set_cores(&mut self, cores: usize) {
        self.cores = cores.max(1);
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

    pub fn catalog_failed(&mut self, error: CatalogError) {
        self.fail(Problem::Catalog(error));
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
        self.sweep_progress = None; // the old workers' sweep ends with them
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

    /// Bytes of a file the workers wait for (the page downloads it for them), out of `total`: the
    /// status shows them while a pack loads. A sweep that asks about other images downloads them
    /// first: its own progress shows it, and no `Configured` would end a Loading phase.
    pub fn downloading(&mut self, loaded: u64, total: u64) {
        if self.sweep_progress.is_none() {
            self.phase = Phase::Loading { loaded, total };
        }
    }

    /// The pack's training examples in so far and of all, while its parts arrive.
    pub fn arriving(&self) -> Option<(usize, usize)> {
        self.arriving
    }

    /// Loads the chosen teacher's pack, then builds fresh students from the settings.
    fn load(&mut self) -> Vec<Effect> {
        match self.teacher_pack().map(|pack| (pack.load, pack.bytes)) {
            Some((load, bytes)) => {
                self.problem = None;
                if let Some(words) = self.words_mut() {
                    (words.teacher, words.next_letters) = (None, None); // the new pack's come
                }
                if !matches!(self.phase, Phase::Loading { .. }) {
                    self.phase = Phase::Loading { loaded: 0, total: bytes }; // else its download is under way
                }
                let mut effects = vec![Effect::Send(load)];
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

    /// The Sweep panel's plan as the visitor edits it (none: the panel is empty).
    pub fn plan_sweep(&mut self, sweep: Option<Sweep>) {
        self.link.sweep = sweep;
    }

    /// The missing-class slider: what it adds to that class's logit, on the slider's grid (the
    /// test logits are scored again in the page; nothing trains).
    pub fn shift_bias(&mut self, shift: f32) {
        let (min, max, step) = crate::url::SHIFT_RANGE;
        self.link.bias_shift = ((shift.clamp(min, max) - min) / step).round() * step + min;
    }

    /// The interface's language, chosen by the visitor (none: the browser's).
    pub fn set_language(&mut self, lang: Option<Lang>) {
        self.link.lang = lang;
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
        let new_task = settings.task() != self.task();
        self.link.settings = settings;
        if new_task {
            self.forget_the_old_task();
        }
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

    /// Drops what the students of another task left: their reports and its views (a fresh one
    /// for the new task); the results table stays.
    fn forget_the_old_task(&mut self) {
        self.own_teacher = None; // answers about the old task's examples
        (self.reports, self.half) = (Vec::new(), None);
        self.view = TaskView::for_task(self.task());
    }

    /// Loads a lesson's preset (keeping the chosen backend) and builds fresh students.
    /// What the opening link's notices said no longer describes the page: they go.
    pub fn start_lesson(&mut self, id: &str) -> Vec<Effect> {
        let (preset, _) = Link::from_query(&format!("lesson={id}"));
        self.notices.clear();
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
        let Some(view) = self.images_mut() else { return Vec::new() };
        view.drawing = pixels.clone();
        match pixels {
            Some(pixels) => vec![Effect::Send(Command::Predict(pixels))],
            None => {
                view.prediction = None;
                Vec::new()
            }
        }
    }

    /// The words task: what the teacher and the students say comes after `prefix` (asked again
    /// after every report while it is shown).
    /// A character the alphabet lacks is named under the box, and nothing is asked (the
    /// worker checks again).
    pub fn ask_next_letters(&mut self, prefix: String) -> Vec<Effect> {
        let Some(view) = self.words_mut() else { return Vec::new() };
        view.prefix = prefix.clone();
        let letters = view.teacher.as_ref().map(|t| t.letters.clone()).unwrap_or_default();
        view.prefix_problem = prefix
            .chars()
            .find(|c| !letters.contains(*c))
            .filter(|_| !letters.is_empty())
            .map(|c| WorkerError::Letter(c.to_string(), letters));
        if view.prefix_problem.is_some() {
            return Vec::new();
        }
        vec![Effect::Send(Command::NextLetters(prefix))]
    }

    /// What the page asks the workers about the students after they change (the task's view
    /// says what), with the downloads that showed the old ones withdrawn.
    fn look_again(&self) -> Vec<Effect> {
        let asks = self.view.look_again().into_iter().map(Effect::Send);
        std::iter::once(Effect::DiscardFiles).chain(asks).collect()
    }

    /// The dark-knowledge panel's image (the image task).
    pub fn inspect(&mut self, pick: Pick) -> Vec<Effect> {
        let Some(view) = self.images_mut() else { return Vec::new() };
        view.inspected = pick;
        vec![Effect::Send(Command::Inspect(pick))]
    }

    /// Start pressed: the status says Training at once, before the workers answer (a WebGPU
    /// worker still compiling a part of its rehearsal answers seconds later on a software adapter).
    pub fn press_start(&mut self) -> Vec<Effect> {
        self.phase = Phase::Training;
        vec![Effect::Send(Command::Start)]
    }

    /// Pause pressed: the workers say when they have stopped ([`Event::Running`]).
    pub fn pause(&mut self) -> Vec<Effect> {
        vec![Effect::Send(Command::Pause)]
    }

    /// One step pressed: its report follows.
    pub fn step(&mut self) -> Vec<Effect> {
        vec![Effect::Send(Command::Step)]
    }

    /// Stop pressed in the Sweep panel: the points done keep their rows.
    pub fn stop_sweep(&mut self) -> Vec<Effect> {
        vec![Effect::Send(Command::StopSweep)]
    }

    /// The distilled student's weights, for the download the workers offer ([`Event::Weights`]).
    pub fn export_weights(&mut self) -> Vec<Effect> {
        vec![Effect::Send(Command::ExportWeights)]
    }

    /// A weights file the visitor picked: the last import's outcome goes until the workers say
    /// this one's ([`Event::Imported`]). A run in progress pauses first, on every worker (the file
    /// goes to the distilled student's only, and the other would train on alone).
    pub fn import_weights(&mut self, bytes: Vec<u8>) -> Vec<Effect> {
        self.import = None;
        vec![Effect::Send(Command::Pause), Effect::Send(Command::ImportWeights(bytes))]
    }

    /// Fresh students; after any fault (an error in a worker, a worker that died), or while a
    /// pack is still coming (a download that hangs keeps its worker busy), fresh workers: nothing
    /// of the failed state (a lost GPU device, a half-read pack) is used again.
    pub fn reset(&mut self) -> Vec<Effect> {
        if self.worker_alive && !matches!(self.phase, Phase::Failed | Phase::Loading { .. }) {
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

    /// The worker's script did not load (offline, a 404 after the site changed): as
    /// [`Page::worker_stopped`], with a message that says so.
    pub fn worker_did_not_load(&mut self) {
        self.worker_alive = false;
        self.fail(Problem::WorkerDidNotLoad);
    }

    /// A worker that speaks another version of the messages (its first one says so, or one cannot
    /// be read): the page stops with a message that asks for a reload.
    pub fn worker_of_another_version(&mut self, detail: String) {
        self.worker_alive = false;
        self.fail(Problem::WorkerOfAnotherVersion(detail));
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
}

#[cfg(test)]
pub(crate) mod tests;
