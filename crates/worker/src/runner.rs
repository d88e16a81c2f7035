//! The run loop: a queue of jobs (a distilled/baseline pair, or the points of a sweep), trained in
//! time slices, emitting the [`Event`]s the page draws. No web code: the worker's message pump
//! (`web`) feeds it commands, a device and a [`Clock`], and posts what it returns; the tests drive
//! it natively with a fake clock.

use crate::task::{check_task, training, TaskData};
use burn::prelude::*;
use distill_core::TrainingSet;
use distill_data::catalog::QuestionsEntry;
use distill_playground::protocol::{Command, Downloaded, Event, Student as Role, Students, WorkerError};
use distill_playground::settings::Settings;
use distill_playground::sweep::SweepPoint;
use distill_spec::{Architecture, Mode};
use std::collections::VecDeque;
use std::rc::Rc;

mod job;
mod sweep;
mod weights;

pub use job::{Job, Purpose, Rounds, Student};
use sweep::SweepRun;

/// Training time between two looks at the inbox.
pub const SLICE_MS: f64 = 50.0;

/// About this many test evaluations per single run: enough points for smooth curves, few enough
/// that scoring costs little next to training.
const REPORTS_PER_RUN: usize = 50;

/// Milliseconds, monotonic: `performance.now()` in the browser, a counter in the tests.
pub trait Clock {
    fn now(&self) -> f64;
}

/// The worker's state for one task (`D`, its loaded pack): the pack, the job under way, the
/// sweep points waiting, and whether the single run is playing.
pub struct Runner<C: Clock, D: TaskData> {
    clock: C,
    /// The students of a run this worker trains.
    students: Students,
    data: Option<Rc<D>>,
    job: Option<Job<D::Set>>,
    /// The single run, set aside while a sweep trains: it is back when the sweep ends.
    parked: Option<Job<D::Set>>,
    /// Sweep points not started yet, with their position in the sweep.
    pending: VecDeque<(SweepPoint, usize)>,
    sweep: Option<SweepRun>,
    playing: bool,
    /// The playing run's next step reads examples of the pack not in yet: it waits for a part.
    waiting: bool,
    runs: usize,
    /// Why the last pack could not be loaded.
    load_error: Option<WorkerError>,
    /// The steps (architecture, examples a step, mode) and the scorings (architecture) whose
    /// kernels a rehearsal compiled. Never cleared, no device in the key: only the worker's one
    /// GPU device rehearses, and what it compiled stays compiled while the worker lives.
    rehearsed_steps: Vec<(Architecture, usize, Mode)>,
    rehearsed_scorings: Vec<Architecture>,
}

impl<C: Clock, D: TaskData> Runner<C, D> {
    pub fn new(clock: C) -> Self {
        Runner {
            clock,
            students: Students::Both,
            data: None,
            job: None,
            parked: None,
            pending: VecDeque::new(),
            sweep: None,
            playing: false,
            waiting: false,
            runs: 0,
            load_error: None,
            rehearsed_steps: Vec::new(),
            rehearsed_scorings: Vec::new(),
        }
    }

    /// Whether [`Runner::slice`] has work to do.
    pub fn is_busy(&self) -> bool {
        (self.playing && !self.waiting) || self.sweep.is_some()
    }

    /// Part `index` of the pack file `file` joins the pack (see [`TaskData::add_part`]): the runs
    /// built before it read its examples from now on, and a run waiting for them goes on. A part
    /// the page could not bring unloads the pack: why is the answer to every command after.
    pub fn add_part(&mut self, file: &str, index: usize, download: Downloaded) -> Vec<Event> {
        let Some(data) = self.data.as_mut() else { return Vec::new() };
        match Rc::make_mut(data).add_part(file, index, download) {
            Ok(false) => Vec::new(),
            Ok(true) => {
                let data = data.clone();
                for job in self.job.iter_mut().chain(self.parked.iter_mut()) {
                    job.students.iter_mut().for_each(|student| data.refresh(student));
                }
                self.waiting = false;
                vec![self.arriving()]
            }
            Err(error) => self.unload(error),
        }
    }

    /// How much of the pack is in.
    pub fn arriving(&self) -> Event {
        let (rows, of) = self.data.as_ref().and_then(|d| d.arriving()).unwrap_or((0, 0));
        Event::Arriving { rows, of }
    }

    /// Whether a run of `settings` may be built now (else it waits for the whole pack).
    pub fn ready_for(&self, settings: &Settings) -> bool {
        self.data.as_ref().is_none_or(|data| data.ready_for(settings))
    }

    /// Whether the pack is whole (or there is none to wait for).
    pub fn is_whole(&self) -> bool {
        self.data.as_ref().is_none_or(|data| data.arriving().is_none())
    }

    /// A pack replaces the previous one (and whatever trained on it).
    pub fn load(&mut self, data: D) -> Vec<Event> {
        let mut events = self.stop_all();
        self.job = None;
        events.push(data.loaded());
        let arriving = data.arriving().is_some();
        (self.load_error, self.waiting) = (None, false);
        self.data = Some(Rc::new(data));
        if arriving {
            events.push(self.arriving());
        }
        events
    }

    /// A downloaded questions file joins the pack (see [`TaskData::add_questions`]): the page
    /// sends it before the runs that ask about it.
    pub fn add_questions(&mut self, entry: &QuestionsEntry, bytes: &[u8]) -> Result<(), WorkerError> {
        let data = self.data.as_mut().ok_or(WorkerError::NoPack)?;
        Rc::make_mut(data).add_questions(entry, bytes)
    }

    /// Whether a pack is in.
    pub fn is_loaded(&self) -> bool {
        self.data.is_some()
    }

    /// A user's own teacher in place of the pack's (see [`TaskData::import_teacher`]): what trained
    /// on the old one stops, and the page configures fresh students next. A refused file changes
    /// nothing.
    pub fn import_teacher(&mut self, file: &str, bytes: &[u8]) -> Vec<Event> {
        let Some(data) = &self.data else { return vec![Event::TeacherImported(Err(WorkerError::NoPack))] };
        let mut data = D::clone(data);
        match data.import_teacher(file, bytes) {
            Ok(teacher) => {
                let mut events = self.stop_all();
                self.job = None;
                self.data = Some(Rc::new(data));
                events.push(Event::TeacherImported(Ok(teacher)));
                events
            }
            Err(error) => vec![Event::TeacherImported(Err(error))],
        }
    }

    /// Forgets the pack after a failed load; students asked for later are refused with `why`.
    pub fn unload(&mut self, why: WorkerError) -> Vec<Event> {
        let mut events = self.stop_all();
        (self.data, self.job) = (None, None);
        events.push(Event::Error(why.clone()));
        self.load_error = Some(why);
        events
    }

    /// Why there is no pack: why the last one could not be loaded, if it could not.
    pub(crate) fn no_pack(&self) -> WorkerError {
        self.load_error.clone().unwrap_or(WorkerError::NoPack)
    }

    fn stop_all(&mut self) -> Vec<Event> {
        let mut events = self.pause();
        events.extend(self.stop_sweep());
        events
    }

    /// Which students of a run to train from now on.
    pub fn assign(&mut self, students: Students) {
        self.students = students;
    }

    /// The run's students afresh from `settings` on `device` (named `backend` on the page).
    pub async fn configure(&mut self, settings: &Settings, device: &Device, backend: &str) -> Vec<Event> {
        let mut events = self.stop_all();
        self.job = None;
        let Some(data) = self.data.clone() else {
            events.push(Event::Error(self.no_pack()));
            return events;
        };
        if let Err(error) = check_task::<D>(settings.task()) {
            events.push(Event::Error(error));
            return events;
        }
        match self.run_students(settings, &data, device).await {
            Ok((students, rounds)) => {
                let first = &students[0];
                let (examples, queries, honest_accuracy) =
                    (first.trainer.set().len(), first.queries, first.honest_accuracy);
                let job = Job::new(Purpose::Run { number: self.runs + 1 }, students, rounds, backend.to_string(), 1);
                let total_steps = job.total_steps();
                let job = Job { report_every: total_steps.div_ceil(REPORTS_PER_RUN).max(1), ..job };
                events.push(Event::Configured {
                    total_steps,
                    transfer_examples: examples,
                    queries,
                    honest_accuracy,
                    teacher_accuracy: data.teacher_accuracy(),
                });
                self.job = Some(job);
            }
            Err(error) => events.push(Event::Error(error)),
        }
        events
    }

    /// Compiles one more part of what the configured run's first report needs (a student's step,
    /// or scoring: see [`distill_core::Trainer::rehearse_step`]), each kind once for the worker's
    /// life; false when nothing is left. The worker calls it while idle on a device that compiles
    /// kernels, one part at a time so a Start is never kept waiting long; a run that has begun
    /// compiled its own (kinds only a run compiled are rehearsed once more when configured again).
    pub async fn rehearse_next(&mut self) -> Result<bool, WorkerError> {
        let (Some(job), Some(data)) = (&self.job, &self.data) else { return Ok(false) };
        if job.steps_done() > 0 {
            return Ok(false);
        }
        for student in &job.students {
            let config = &student.settings.train;
            let step = (config.architecture.clone(), student.examples_per_step(), config.mode);
            if !self.rehearsed_steps.contains(&step) {
                student.trainer.rehearse_step().await.map_err(training)?;
                self.rehearsed_steps.push(step);
                return Ok(true);
            }
        }
        let first = &job.students[0];
        if !self.rehearsed_scorings.contains(first.architecture()) {
            data.rehearse_scoring(first).await.map_err(training)?;
            self.rehearsed_scorings.push(first.architecture().clone());
            return Ok(true);
        }
        Ok(false)
    }

    /// The students of a run this worker trains (with the distilled one, unreported, when the run
    /// asks in rounds and this worker trains only the labels-only student), and the rounds.
    async fn run_students(
        &self,
        settings: &Settings,
        data: &D,
        device: &Device,
    ) -> Result<(Vec<Student<D::Set>>, Option<Rounds>), WorkerError> {
        let (rounds, first_round) = data.first_round(settings)?.unzip();
        let mut students = Vec::new();
        for role in [Role::Distilled, Role::Baseline] {
            let shown = self.students.includes(role);
            if shown || (role == Role::Distilled && rounds.is_some()) {
                let student = job::of_run(data, role, settings, first_round.as_deref(), device).await?;
                students.push(Student { shown, ..student });
            }
        }
        Ok((students, rounds))
    }

    fn pause(&mut self) -> Vec<Event> {
        if std::mem::take(&mut self.playing) {
            vec![Event::Running(false)]
        } else {
            Vec::new()
        }
    }

    fn run_job(&mut self) -> Option<&mut Job<D::Set>> {
        self.job.as_mut().filter(|j| matches!(j.purpose, Purpose::Run { .. }))
    }

    /// The commands that need no browser: everything but loading, configuring and sweeping.
    pub async fn handle(&mut self, command: Command) -> Vec<Event> {
        match command {
            Command::Start => {
                if self.run_job().is_some_and(|j| !j.is_done()) && !self.playing {
                    let mut events = self.stop_sweep();
                    self.playing = true;
                    events.push(Event::Running(true));
                    return events;
                }
                Vec::new()
            }
            Command::Pause => self.pause(),
            Command::StopSweep => self.stop_sweep(),
            Command::Step => {
                let mut events = self.stop_all();
                events.extend(self.step_once().await);
                events
            }
            Command::Score => match self.data.clone() {
                Some(data) if self.run_job_ref().is_some() => self.timed_report(&data).await,
                _ => Vec::new(),
            },
            look @ (Command::Inspect(_) | Command::Predict(_) | Command::NextLetters(_) | Command::Solve(_)) => {
                match &self.data {
                    Some(data) => data.look(look, self.run_job_ref()).await,
                    None => vec![Event::Error(self.no_pack())],
                }
            }
            Command::ExportWeights => self.export().await,
            Command::ImportWeights(bytes) => self.import(&bytes),
            Command::TestSuspect { file, bytes } => self.test_suspect(&file, &bytes).await,
            Command::ImportTeacher { file, bytes } => self.import_teacher(&file, &bytes),
            Command::Assign(students) => {
                self.assign(students);
                Vec::new()
            }
            Command::Load(_)
            | Command::LoadWords(_)
            | Command::LoadReasoning(_)
            | Command::AddQuestions(_)
            | Command::File { .. }
            | Command::Part { .. }
            | Command::Configure(_)
            | Command::Sweep { .. } => {
                let why = "files, parts, loads, configure and sweep go through the pump";
                vec![Event::Error(WorkerError::Protocol(why.into()))]
            }
        }
    }

    /// Trains for about [`SLICE_MS`]: the playing run, else the current sweep point (starting the
    /// next one when none is under way).
    pub async fn slice(&mut self) -> Vec<Event> {
        let Some(data) = self.data.clone() else { return self.stop_all() };
        if self.playing {
            return self.train_run(&data).await;
        }
        if self.sweep.is_some() {
            return self.train_point(&data).await;
        }
        Vec::new()
    }

    /// One step of the job's students (after the next round of questions when the last one is
    /// trained through); every `settle_every` steps, a wait for the device.
    async fn timed_step(&mut self, data: &D) -> Result<(), WorkerError> {
        self.timed_ask(data).await?;
        let start = self.clock.now();
        let Some(job) = self.job.as_mut() else { return Ok(()) };
        job.step();
        let due = job.unsettled >= job.settle_every;
        let result = if due { job.settle().await } else { Ok(()) };
        let ms = self.clock.now() - start;
        job.charge(ms);
        job.unsettled_ms += ms;
        if due {
            if job.unsettled_ms < SLICE_MS / 4.0 {
                job.settle_every = (job.settle_every * 2).min(256);
            } else if job.unsettled_ms > SLICE_MS {
                job.settle_every = (job.settle_every / 2).max(1);
            }
            job.unsettled_ms = 0.0;
        }
        result
    }

    /// Waits for the steps still queued, so the slice's time is the time they took.
    async fn timed_settle(&mut self) -> Result<(), WorkerError> {
        let start = self.clock.now();
        let Some(job) = self.job.as_mut() else { return Ok(()) };
        let result = job.settle().await;
        job.charge(self.clock.now() - start);
        job.unsettled_ms = 0.0;
        result
    }

    /// The run's students scored, as events (or why they could not be).
    async fn timed_report(&mut self, data: &D) -> Vec<Event> {
        let start = self.clock.now();
        let Some(job) = self.job.as_mut() else { return Vec::new() };
        let scored = job.report(data).await;
        job.charge(self.clock.now() - start);
        match scored {
            Ok(scored) => scored.into_iter().map(|s| Event::Scored(Box::new(s))).collect(),
            Err(e) => vec![Event::Error(e)],
        }
    }

    /// The next round of questions when the last one is trained through (the time counts as
    /// training).
    async fn timed_ask(&mut self, data: &D) -> Result<(), WorkerError> {
        let start = self.clock.now();
        let Some(job) = self.job.as_mut().filter(|j| j.round_over() && !j.is_done()) else { return Ok(()) };
        let result = job.ask(data).await;
        job.charge(self.clock.now() - start);
        result
    }

    async fn train_run(&mut self, data: &D) -> Vec<Event> {
        let mut events = Vec::new();
        let start = self.clock.now();
        while self.clock.now() - start < SLICE_MS && self.run_job().is_some_and(|j| !j.is_done()) {
            if self.run_job().is_some_and(|job| !job.students.iter().all(|student| data.can_step(student))) {
                self.waiting = true; // until the next part
                break;
            }
            if let Err(e) = self.timed_step(data).await {
                events.push(Event::Error(e));
                events.extend(self.pause());
                return events;
            }
            if self.run_job().is_some_and(|j| j.report_due()) {
                let report = self.timed_report(data).await;
                // A diverged student is back at its last good weights: the run stops there.
                let failed = report.iter().any(|e| matches!(e, Event::Error(_)));
                events.extend(report);
                if failed {
                    events.extend(self.pause());
                    return events;
                }
            }
        }
        if let Err(e) = self.timed_settle().await {
            events.push(Event::Error(e));
            events.extend(self.pause());
            return events;
        }
        if self.run_job().is_some_and(|j| j.is_done()) {
            events.extend(self.pause());
            events.extend(self.finish(data).await);
        }
        events
    }

    /// One step of both students and a report, from the page's "One step".
    async fn step_once(&mut self) -> Vec<Event> {
        let Some(data) = self.data.clone() else { return Vec::new() };
        if self.run_job().is_none_or(|j| j.is_done() || !j.students.iter().all(|s| data.can_step(s))) {
            return Vec::new();
        }
        if let Err(e) = self.timed_step(&data).await {
            return vec![Event::Error(e)];
        }
        let mut events = self.timed_report(&data).await;
        if self.run_job().is_some_and(|j| j.is_done()) {
            events.extend(self.finish(&data).await);
        }
        events
    }

    /// The end of a single run: a result row per student and what the task adds
    /// ([`TaskData::after_run`]).
    async fn finish(&mut self, data: &D) -> Vec<Event> {
        let mut events = vec![Event::Finished];
        self.runs += 1;
        let Some(job) = self.job.as_ref() else { return events };
        let mut outcomes = Vec::new();
        for student in job.shown() {
            outcomes.push(data.score(student).await.map_err(training));
        }
        events.extend(job.rows(outcomes, data.note()).into_iter().map(|row| Event::Result(Box::new(row))));
        events.extend(data.after_run(job).await);
        events
    }

    fn run_job_ref(&self) -> Option<&Job<D::Set>> {
        self.job.as_ref().filter(|j| matches!(j.purpose, Purpose::Run { .. }))
    }
}
