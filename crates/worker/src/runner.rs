//! The run loop: a queue of jobs (a distilled/baseline pair, or the points of a sweep), trained in
//! time slices, emitting the [`Event`]s the page draws. No web code: the worker's message pump
//! (`web`) feeds it commands, a device and a [`Clock`], and posts what it returns; the tests drive
//! it natively with a fake clock.

use crate::pack_data::PackData;
use burn::prelude::*;
use distill_core::api::honest_accuracy as honest_accuracy_of;
use distill_core::images::rehearse_scoring;
use distill_core::TrainingSet;
use distill_data::catalog::QuestionsEntry;
use distill_playground::dark_knowledge::curated;
use distill_playground::protocol::{Command, Event, Student as Role, Students, WorkerError};
use distill_playground::settings::Settings;
use distill_playground::sweep::SweepPoint;
use distill_spec::{Architecture, Defence, Mode};
use std::collections::VecDeque;
use std::rc::Rc;

mod job;
mod sweep;
mod views;

use job::{Job, Purpose, Rounds, Student};
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

/// A training failure as the page shows it.
fn training(error: distill_core::TrainError) -> WorkerError {
    WorkerError::Training(error.to_string())
}

/// The worker's state: the pack, the job under way, the sweep points waiting, and whether the
/// single run is playing.
pub struct Runner<C: Clock> {
    clock: C,
    /// The students of a run this worker trains.
    students: Students,
    data: Option<Rc<PackData>>,
    job: Option<Job>,
    /// Sweep points not started yet, with their position in the sweep.
    pending: VecDeque<(SweepPoint, usize)>,
    sweep: Option<SweepRun>,
    playing: bool,
    runs: usize,
    /// Why the last pack could not be loaded.
    load_error: Option<WorkerError>,
    /// The steps (architecture, examples a step, mode) and the scorings (architecture) whose
    /// kernels a rehearsal compiled. Never cleared, no device in the key: only the worker's one
    /// GPU device rehearses, and what it compiled stays compiled while the worker lives.
    rehearsed_steps: Vec<(Architecture, usize, Mode)>,
    rehearsed_scorings: Vec<Architecture>,
}

impl<C: Clock> Runner<C> {
    pub fn new(clock: C) -> Runner<C> {
        Runner {
            clock,
            students: Students::Both,
            data: None,
            job: None,
            pending: VecDeque::new(),
            sweep: None,
            playing: false,
            runs: 0,
            load_error: None,
            rehearsed_steps: Vec::new(),
            rehearsed_scorings: Vec::new(),
        }
    }

    /// Whether [`Runner::slice`] has work to do.
    pub fn is_busy(&self) -> bool {
        self.playing || self.sweep.is_some()
    }

    /// A pack replaces the previous one (and whatever trained on it).
    pub fn load(&mut self, data: PackData) -> Vec<Event> {
        let mut events = self.stop_all();
        self.job = None;
        events.push(Event::Loaded { curated: curated(&data.test.labels, &data.test_logits) });
        self.load_error = None;
        self.data = Some(Rc::new(data));
        events
    }

    /// The questions files the runs of `settings` ask about that are not downloaded yet: the
    /// worker fetches them before it configures or sweeps.
    pub fn to_fetch<'a>(&self, settings: impl IntoIterator<Item = &'a Settings>) -> Vec<QuestionsEntry> {
        let Some(data) = &self.data else { return Vec::new() };
        let mut files: Vec<QuestionsEntry> = Vec::new();
        for entry in settings.into_iter().filter_map(|s| data.to_fetch(s.api.ask)) {
            if !files.contains(entry) {
                files.push(entry.clone());
            }
        }
        files
    }

    /// A downloaded questions file joins the pack (see [`PackData::add_questions`]).
    pub fn add_questions(&mut self, entry: &QuestionsEntry, bytes: &[u8]) -> Result<(), WorkerError> {
        let data = self.data.as_mut().ok_or(WorkerError::NoPack)?;
        Rc::make_mut(data).add_questions(entry, bytes)
    }

    /// A user's own teacher in place of the pack's (see [`PackData::import_teacher`]): what trained
    /// on the old one stops, and the page configures fresh students next. A refused file changes
    /// nothing.
    pub fn import_teacher(&mut self, file: &str, bytes: &[u8]) -> Vec<Event> {
        let Some(data) = &self.data else { return vec![Event::TeacherImported(Err(WorkerError::NoPack))] };
        let mut data = PackData::clone(data);
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
    pub fn configure(&mut self, settings: &Settings, device: &Device, backend: &str) -> Vec<Event> {
        let mut events = self.stop_all();
        self.job = None;
        let Some(data) = self.data.clone() else {
            events.push(Event::Error(self.load_error.clone().unwrap_or(WorkerError::NoPack)));
            return events;
        };
        match self.run_students(settings, &data, device) {
            Ok((students, rounds)) => {
                let first = &students[0];
                let (examples, queries, honest_accuracy) =
                    (first.trainer.set().len(), first.queries, first.honest_accuracy);
                let job = Job::new(Purpose::Run { number: self.runs + 1 }, students, rounds, backend.to_string(), 1);
                let total_steps = job.total_steps();
                let job = Job { report_every: total_steps.div_ceil(REPORTS_PER_RUN).max(1), ..job };
                let teacher_accuracy = honest_accuracy_of(&Defence::default(), &data.test_logits, &data.test.labels, 0);
                events.push(Event::Configured {
                    total_steps,
                    transfer_examples: examples,
                    queries,
                    honest_accuracy,
                    teacher_accuracy,
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
            let (model, device) = (first.trainer.model(), first.trainer.device());
            rehearse_scoring(model, first.architecture(), &data.test.images, device).await.map_err(training)?;
            self.rehearsed_scorings.push(first.architecture().clone());
            return Ok(true);
        }
        Ok(false)
    }

    /// The students of a run this worker trains (with the distilled one, unreported, when the run
    /// asks in rounds and this worker trains only the labels-only student), and the rounds.
    fn run_students(
        &self,
        settings: &Settings,
        data: &PackData,
        device: &Device,
    ) -> Result<(Vec<Student>, Option<Rounds>), WorkerError> {
        let (rounds, first_round) = Rounds::first(settings, data)?.unzip();
        let mut students = Vec::new();
        for role in [Role::Distilled, Role::Baseline] {
            let shown = self.students.includes(role);
            if shown || (role == Role::Distilled && rounds.is_some()) {
                let student = Student::of_run(role, settings, first_round.as_deref(), data, device)?;
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

    fn run_job(&mut self) -> Option<&mut Job> {
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
            Command::Inspect(pick) => self.inspect(pick).await,
            Command::Predict(pixels) => self.predict(&pixels).await,
            Command::ExportWeights => self.export().await,
            Command::ImportWeights(bytes) => self.import(&bytes),
            Command::ImportTeacher { file, bytes } => self.import_teacher(&file, &bytes),
            Command::Assign(students) => {
                self.assign(students);
                Vec::new()
            }
            Command::Load(_) | Command::LoadWords(_) | Command::Configure(_) | Command::Sweep { .. } => {
                vec![Event::Error(WorkerError::Protocol("load, configure and sweep go through the pump".into()))]
            }
            Command::NextLetters(_) => {
                vec![Event::Error(WorkerError::Protocol("next letters are the words task's".into()))]
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
    async fn timed_step(&mut self, data: &PackData) -> Result<(), WorkerError> {
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
    async fn timed_report(&mut self, data: &PackData) -> Vec<Event> {
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
    async fn timed_ask(&mut self, data: &PackData) -> Result<(), WorkerError> {
        let start = self.clock.now();
        let Some(job) = self.job.as_mut().filter(|j| j.round_over() && !j.is_done()) else { return Ok(()) };
        let result = job.ask(data).await;
        job.charge(self.clock.now() - start);
        result
    }

    async fn train_run(&mut self, data: &PackData) -> Vec<Event> {
        let mut events = Vec::new();
        let start = self.clock.now();
        while self.clock.now() - start < SLICE_MS && self.run_job().is_some_and(|j| !j.is_done()) {
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
        if self.run_job().is_none_or(|j| j.is_done()) {
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

    /// The end of a single run: a result row per student and, with a class left out, the test
    /// logits the page's bias-shift slider works on.
    async fn finish(&mut self, data: &PackData) -> Vec<Event> {
        let mut events = vec![Event::Finished];
        self.runs += 1;
        let Some(job) = self.job.as_ref() else { return events };
        let mut outcomes = Vec::new();
        for student in job.shown() {
            outcomes.push(student.evaluate(&data.test).await.map_err(training));
        }
        events.extend(job.rows(outcomes, data).into_iter().map(|row| Event::Result(Box::new(row))));
        if job.students[0].settings.train.excluded_class.is_some() {
            match self.logits(&data.test.images).await {
                Ok(students) => events.push(Event::TestLogits { labels: data.test.labels.clone(), students }),
                Err(e) => events.push(Event::Error(e)),
            }
        }
        events
    }

    fn run_job_ref(&self) -> Option<&Job> {
        self.job.as_ref().filter(|j| matches!(j.purpose, Purpose::Run { .. }))
    }
}
