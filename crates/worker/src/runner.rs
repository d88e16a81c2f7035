//! The run loop: a queue of jobs (a distilled/baseline pair, or the points of a sweep), trained in
//! time slices, emitting the [`Event`]s the page draws. No web code: the worker's message pump
//! (`web`) feeds it commands, a device and a [`Clock`], and posts what it returns; the tests drive
//! it natively with a fake clock.

use crate::pack_data::PackData;
use burn::prelude::*;
use distill_core::api::honest_accuracy as honest_accuracy_of;
use distill_core::metrics::{predictions, Evaluation};
use distill_core::queries::Questioner;
use distill_core::targets::question_order;
use distill_core::trainer::predict_logits;
use distill_core::{Metrics, Trainer, TransferSet};
use distill_data::catalog::QuestionsEntry;
use distill_playground::dark_knowledge::curated;
use distill_playground::protocol::{
    Command, Event, Inspection, Pick, Scored, Student as Role, StudentReport, Students, WorkerError,
};
use distill_playground::results::ResultRow;
use distill_playground::settings::{AskAbout, Settings};
use distill_playground::sweep::SweepPoint;
use distill_spec::{Architecture, Defence, Mode, CLASSES, PIXELS};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

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

/// One student being trained.
struct Student {
    trainer: Trainer,
    /// Its part in a single run; a sweep point has none.
    role: Option<Role>,
    /// Reported to the page. The distilled student of a run that asks in rounds also trains in
    /// the labels-only student's worker, unreported: its uncertainty picks both students' images.
    shown: bool,
    series: String,
    settings: Settings,
    /// Questions put to the teacher's API so far.
    queries: usize,
    /// The teacher's test accuracy through the run's defence, for an honest user.
    honest_accuracy: f64,
}

impl Student {
    /// A student of `settings`, learning from the whole budget at once or, in rounds, from the
    /// answers about `first_round` (indices into the training split).
    fn new(
        series: &str,
        settings: &Settings,
        first_round: Option<&[usize]>,
        data: &PackData,
        device: &Device,
    ) -> Result<Student, WorkerError> {
        let config = settings.train_config().map_err(|e| WorkerError::Training(e.to_string()))?;
        let questions = data.questions(settings.api.ask)?;
        let (labels, logits) = (&questions.labels, &questions.logits);
        let (transfer, queries) = match first_round {
            Some(images) => (TransferSet::asked(&config, images, 0, labels, logits), images.len()),
            None => {
                let asked = question_order(&config, labels).len().min(settings.budget());
                (TransferSet::build(&config, labels, logits), asked)
            }
        };
        let honest_accuracy = honest_accuracy_of(&config.defence, &data.test_logits, &data.test.labels, config.seed);
        let trainer = Trainer::new(config, questions.images.clone(), transfer, device).map_err(training)?;
        Ok(Student {
            trainer,
            role: None,
            shown: true,
            series: series.to_string(),
            settings: settings.clone(),
            queries,
            honest_accuracy,
        })
    }

    /// The distilled student of a run, or the same student trained on labels only.
    fn of_run(
        role: Role,
        settings: &Settings,
        first_round: Option<&[usize]>,
        data: &PackData,
        device: &Device,
    ) -> Result<Student, WorkerError> {
        let mut student = match role {
            Role::Distilled => Student::new("distilled", settings, first_round, data, device)?,
            Role::Baseline => Student::new("labels only", &settings.labels_only(), first_round, data, device)?,
        };
        student.role = Some(role);
        Ok(student)
    }

    fn examples_per_step(&self) -> usize {
        self.trainer.config.batch_size.min(self.trainer.transfer_examples())
    }
}

/// A student's scores: its metrics since the last report and its evaluation now.
fn student_report(metrics: &Metrics, eval: &Evaluation) -> StudentReport {
    StudentReport {
        soft_loss: metrics.soft_loss,
        hard_loss: metrics.hard_loss,
        total_loss: metrics.total_loss,
        train_accuracy: metrics.batch_accuracy,
        test_accuracy: eval.accuracy(),
        agreement: eval.agreement.unwrap_or(f64::NAN),
        per_class_accuracy: eval.per_class_accuracy().to_vec(),
        confusion: eval.confusion.iter().map(|row| row.to_vec()).collect(),
        bits_per_char: None,
        invented: Vec::new(),
    }
}

/// What a job is for: a single run (both students, live reports) or one point of a sweep.
enum Purpose {
    Run { number: usize },
    Point { sweep: String, point: SweepPoint, index: usize },
}

/// A copier asking in rounds: what it has asked, and the steps its first student will take if
/// every question is answered (the progress figures).
struct Rounds {
    questioner: Questioner,
    planned_steps: usize,
}

impl Rounds {
    /// The rounds of `settings`, if it asks in rounds, with the images of the first (at random).
    fn first(settings: &Settings, data: &PackData) -> Result<Option<(Rounds, Vec<usize>)>, WorkerError> {
        let config = settings.train_config().map_err(|e| WorkerError::Training(e.to_string()))?;
        let Some(plan) = config.queries else { return Ok(None) };
        let questions = data.questions(settings.api.ask)?;
        let mut questioner = Questioner::new(&config, plan, &questions.labels, &questions.images);
        let planned_steps = questioner.round_ends().into_iter().map(|end| config.total_steps(end)).sum();
        let images = questioner.next_round(None);
        Ok(Some((Rounds { questioner, planned_steps }, images)))
    }
}

/// Students trained together, step for step, until they are done.
struct Job {
    purpose: Purpose,
    /// A run: `[distilled, baseline]`, or the one of them this worker trains (in rounds, both,
    /// the distilled one unreported when it is not this worker's); a sweep point: one student.
    /// The first student asks the questions of rounds.
    students: Vec<Student>,
    rounds: Option<Rounds>,
    backend: String,
    /// Training time so far (evaluations included).
    ms: f64,
    /// Time since the last report, for the throughput figure.
    window_ms: f64,
    report_every: usize,
    /// Steps queued since the device last caught up, how many to queue before waiting for it
    /// (adapted so a wait comes about every quarter slice), and the time they took.
    unsettled: usize,
    settle_every: usize,
    unsettled_ms: f64,
}

impl Job {
    fn steps_done(&self) -> usize {
        self.students[0].trainer.steps_done()
    }

    fn total_steps(&self) -> usize {
        match &self.rounds {
            Some(rounds) => rounds.planned_steps,
            None => self.students[0].trainer.total_steps(),
        }
    }

    /// Every student has trained through the answers it has.
    fn round_over(&self) -> bool {
        self.students.iter().all(|s| s.trainer.is_done())
    }

    fn is_done(&self) -> bool {
        self.round_over() && self.rounds.as_ref().is_none_or(|r| r.questioner.is_done())
    }

    fn new(
        purpose: Purpose,
        students: Vec<Student>,
        rounds: Option<Rounds>,
        backend: String,
        report_every: usize,
    ) -> Job {
        Job {
            purpose,
            students,
            rounds,
            backend,
            ms: 0.0,
            window_ms: 0.0,
            report_every,
            unsettled: 0,
            settle_every: 1,
            unsettled_ms: 0.0,
        }
    }

    /// Counts `ms` of training (or scoring) time: the run's total and the throughput window.
    fn charge(&mut self, ms: f64) {
        self.ms += ms;
        self.window_ms += ms;
    }

    /// One step of each student still training (nothing is read back until a report).
    fn step(&mut self) {
        for student in self.students.iter_mut().filter(|s| !s.trainer.is_done()) {
            student.trainer.step();
        }
        self.unsettled += 1;
    }

    /// The next round of questions, chosen by the first student, answered for every student.
    async fn ask(&mut self, data: &PackData) -> Result<(), String> {
        let Some(rounds) = self.rounds.as_mut() else { return Ok(()) };
        let questions = data.questions(self.students[0].settings.api.ask).map_err(|e| e.to_string())?;
        let asker = &self.students[0].trainer;
        let logits = if rounds.questioner.needs_student() {
            let unasked: Vec<u8> = rounds
                .questioner
                .unasked()
                .iter()
                .flat_map(|&i| &questions.images[i * PIXELS..(i + 1) * PIXELS])
                .copied()
                .collect();
            let architecture = &asker.config.architecture;
            Some(
                predict_logits(asker.model(), architecture, &unasked, asker.device())
                    .await
                    .map_err(|e| e.to_string())?,
            )
        } else {
            None
        };
        let first_query = rounds.questioner.spent();
        let images = rounds.questioner.next_round(logits.as_deref());
        for student in &mut self.students {
            let config = &student.trainer.config;
            let answers = TransferSet::asked(config, &images, first_query, &questions.labels, &questions.logits);
            student.trainer.learn_more(answers);
            student.queries = rounds.questioner.spent();
        }
        Ok(())
    }

    /// Waits for the device to finish the queued steps.
    async fn settle(&mut self) -> Result<(), String> {
        for student in &self.students {
            student.trainer.settle().await.map_err(|e| e.to_string())?;
        }
        self.unsettled = 0;
        Ok(())
    }

    fn student(&self, role: Role) -> Option<&Student> {
        self.shown().find(|s| s.role == Some(role))
    }

    /// The students the page hears about.
    fn shown(&self) -> impl Iterator<Item = &Student> {
        self.students.iter().filter(|s| s.shown)
    }

    /// A run reports about [`REPORTS_PER_RUN`] times, and at the end of every round.
    fn report_due(&self) -> bool {
        matches!(self.purpose, Purpose::Run { .. })
            && (self.steps_done().is_multiple_of(self.report_every) || self.round_over())
    }

    /// The students of a run scored now; the losses are averaged since the last report, and the
    /// throughput is each student's share of the time since then.
    async fn report(&mut self, data: &PackData) -> Result<Vec<Scored>, String> {
        let seconds = self.window_ms / 1000.0;
        self.window_ms = 0.0;
        self.unsettled = 0; // reading the metrics waits for the device
        let mut scored = Vec::new();
        let round_done = self.rounds.is_some() && self.round_over();
        for student in self.students.iter_mut().filter(|s| s.shown) {
            let role = student.role.ok_or("a sweep point is not reported")?;
            let metrics = student.trainer.take_metrics().await.map_err(|e| e.to_string())?;
            let examples = metrics.steps * student.examples_per_step();
            let eval = student.trainer.evaluate(&data.test).await.map_err(|e| e.to_string())?;
            let trainer = &student.trainer;
            scored.push(Scored {
                student: role,
                step: trainer.steps_done(),
                total_steps: trainer.total_steps(),
                examples_seen: trainer.steps_done() * student.examples_per_step(),
                examples_per_second: if seconds > 0.0 { examples as f64 / seconds } else { 0.0 },
                queries: student.queries,
                answered: trainer.transfer_examples(),
                round_done,
                report: student_report(&metrics, &eval),
            });
        }
        Ok(scored)
    }

    /// The result row of each shown student, from its evaluation (or why it stopped); under an
    /// imported teacher, the note names its file.
    fn rows(&self, outcomes: Vec<Result<Evaluation, String>>, data: &PackData) -> Vec<ResultRow> {
        self.shown()
            .zip(outcomes)
            .map(|(student, outcome)| {
                let mut row = match &self.purpose {
                    Purpose::Run { number } => {
                        ResultRow::new(&format!("run {number}"), &student.series, None, &student.settings)
                    }
                    Purpose::Point { sweep, point, .. } => {
                        ResultRow::new(sweep, &point.series, Some(point), &student.settings)
                    }
                };
                row.examples = student.trainer.transfer_examples();
                row.queries = student.queries;
                row.honest_accuracy = student.honest_accuracy;
                row.steps = student.trainer.steps_done();
                row.seconds = self.ms / 1000.0;
                row.backend = self.backend.clone();
                match outcome {
                    Ok(eval) => {
                        row.test_accuracy = eval.accuracy();
                        row.agreement = eval.agreement.unwrap_or(f64::NAN);
                    }
                    Err(note) => row.note = note,
                }
                if let Some(file) = &data.imported {
                    let teacher = format!("teacher imported from {file}");
                    row.note = if row.note.is_empty() { teacher } else { format!("{}; {teacher}", row.note) };
                }
                row
            })
            .collect()
    }
}

/// The sweep under way: its name (for the result rows), how many points, and where they train.
#[derive(Clone)]
struct SweepRun {
    name: String,
    total: usize,
    device: Device,
    backend: String,
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
                    (first.trainer.transfer_examples(), first.queries, first.honest_accuracy);
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
            let config = &student.trainer.config;
            let step = (config.architecture.clone(), student.examples_per_step(), config.mode);
            if !self.rehearsed_steps.contains(&step) {
                student.trainer.rehearse_step().await.map_err(training)?;
                self.rehearsed_steps.push(step);
                return Ok(true);
            }
        }
        let first = &job.students[0].trainer;
        if !self.rehearsed_scorings.contains(&first.config.architecture) {
            first.rehearse_scoring(&data.test.images).await.map_err(training)?;
            self.rehearsed_scorings.push(first.config.architecture.clone());
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

    /// Queues a sweep's points, each with its place among `total` (it stops the single run);
    /// each becomes a result row named `name`.
    pub fn sweep(
        &mut self,
        name: String,
        total: usize,
        points: Vec<(usize, SweepPoint)>,
        device: &Device,
        backend: &str,
    ) -> Vec<Event> {
        let mut events = self.stop_all();
        if self.data.is_none() {
            events.push(Event::Error(WorkerError::NoPack));
            return events;
        }
        self.pending = points.into_iter().map(|(index, point)| (point, index)).collect();
        self.sweep = Some(SweepRun { name, total, device: device.clone(), backend: backend.to_string() });
        events
    }

    fn pause(&mut self) -> Vec<Event> {
        if std::mem::take(&mut self.playing) {
            vec![Event::Running(false)]
        } else {
            Vec::new()
        }
    }

    fn stop_sweep(&mut self) -> Vec<Event> {
        if self.sweep.take().is_some() {
            self.pending.clear();
            if matches!(self.job.as_ref().map(|j| &j.purpose), Some(Purpose::Point { .. })) {
                self.job = None;
            }
            vec![Event::SweepDone]
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
    async fn timed_step(&mut self, data: &PackData) -> Result<(), String> {
        self.timed_ask(data).await?;
        let start = self.clock.now();
        let job = self.job.as_mut().ok_or("nothing to train")?;
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
    async fn timed_settle(&mut self) -> Result<(), String> {
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
            Err(e) => vec![Event::Error(WorkerError::Training(e))],
        }
    }

    /// The next round of questions when the last one is trained through (the time counts as
    /// training).
    async fn timed_ask(&mut self, data: &PackData) -> Result<(), String> {
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
                events.push(Event::Error(WorkerError::Training(e)));
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
            events.push(Event::Error(WorkerError::Training(e)));
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
            return vec![Event::Error(WorkerError::Training(e))];
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
            outcomes.push(student.trainer.evaluate(&data.test).await.map_err(|e| e.to_string()));
        }
        events.extend(job.rows(outcomes, data).into_iter().map(|row| Event::Result(Box::new(row))));
        if job.students[0].settings.train.excluded_class.is_some() {
            match self.logits(&data.test.images).await {
                Ok((distilled, baseline)) => {
                    events.push(Event::TestLogits { labels: data.test.labels.clone(), distilled, baseline })
                }
                Err(e) => events.push(Event::Error(WorkerError::Training(e))),
            }
        }
        events
    }

    async fn train_point(&mut self, data: &PackData) -> Vec<Event> {
        let Some(SweepRun { name, total, device, backend }) = self.sweep.clone() else { return Vec::new() };
        if !matches!(self.job.as_ref().map(|j| &j.purpose), Some(Purpose::Point { .. })) {
            let Some((point, index)) = self.pending.pop_front() else { return self.stop_sweep() };
            let student = Rounds::first(&point.settings, data).and_then(|rounds| {
                let (rounds, first_round) = rounds.unzip();
                let student = Student::new(&point.series, &point.settings, first_round.as_deref(), data, &device)?;
                Ok((student, rounds))
            });
            let (student, rounds) = match student {
                Ok(started) => started,
                Err(error) => {
                    let mut events = vec![Event::Error(error)];
                    events.extend(self.stop_sweep());
                    return events;
                }
            };
            let purpose = Purpose::Point { sweep: name, point, index };
            self.job = Some(Job::new(purpose, vec![student], rounds, backend, usize::MAX));
        }
        let start = self.clock.now();
        let mut failure = None;
        while self.clock.now() - start < SLICE_MS && self.job.as_ref().is_some_and(|j| !j.is_done()) {
            if let Err(e) = self.timed_step(data).await {
                failure = Some(e);
                break;
            }
        }
        // Once a slice, the point's losses are read: a diverged point stops here, a row with why.
        if failure.is_none() {
            let start = self.clock.now();
            if let Some(job) = self.job.as_mut() {
                let student = &mut job.students[0];
                failure = student.trainer.take_metrics().await.err().map(|e| e.to_string());
                job.unsettled = 0;
                job.charge(self.clock.now() - start);
            }
        }
        let Some(job) = self.job.as_ref() else { return Vec::new() };
        let Purpose::Point { index, .. } = job.purpose else { return Vec::new() };
        let mut events =
            vec![Event::SweepProgress { index, total, step: job.steps_done(), total_steps: job.total_steps() }];
        if !job.is_done() && failure.is_none() {
            return events;
        }
        let outcome = match failure {
            Some(note) => Err(note),
            None => {
                let start = self.clock.now();
                let eval = job.students[0].trainer.evaluate(&data.test).await.map_err(|e| e.to_string());
                let ms = self.clock.now() - start;
                if let Some(job) = self.job.as_mut() {
                    job.charge(ms);
                }
                eval
            }
        };
        if let Some(job) = self.job.take() {
            events.extend(job.rows(vec![outcome], data).into_iter().map(|row| Event::Result(Box::new(row))));
        }
        if self.pending.is_empty() {
            events.extend(self.stop_sweep());
        }
        events
    }

    /// The run's students' logits for `images` (flat 28×28 rows: one image or the whole test
    /// split): (distilled, baseline), empty for a student this worker does not train.
    async fn logits(&self, images: &[u8]) -> Result<(Vec<f32>, Vec<f32>), String> {
        let job = self.run_job_ref().ok_or("no students yet")?;
        let mut pair = (Vec::new(), Vec::new());
        for student in job.shown() {
            let logits = predict_logits(
                student.trainer.model(),
                &student.trainer.config.architecture,
                images,
                student.trainer.device(),
            )
            .await
            .map_err(|e| e.to_string())?;
            match student.role {
                Some(Role::Distilled) => pair.0 = logits,
                Some(Role::Baseline) => pair.1 = logits,
                None => {}
            }
        }
        Ok(pair)
    }

    /// The teacher's and the students' logits for a test image, or for an image the run's copier
    /// can ask about (none before there is a run).
    async fn inspect(&self, pick: Pick) -> Vec<Event> {
        let Some(data) = self.data.clone() else { return Vec::new() };
        let (index, images, logits, label) = match pick {
            Pick::Test(index) => (index, &data.test.images, &data.test_logits, data.test.labels.get(index).copied()),
            Pick::Asked(index) => {
                let Some(job) = self.run_job_ref() else { return Vec::new() };
                let ask = job.students[0].settings.api.ask;
                let questions = match data.questions(ask) {
                    Ok(questions) => questions,
                    Err(error) => return vec![Event::Error(error)],
                };
                let label = (ask == AskAbout::Own).then(|| questions.labels.get(index).copied()).flatten();
                (index, &questions.images, &questions.logits, label)
            }
        };
        if index >= logits.len() / CLASSES {
            return vec![Event::Error(WorkerError::NoTestImage(index))];
        }
        let pixels = images[index * PIXELS..(index + 1) * PIXELS].to_vec();
        let (distilled_logits, baseline_logits) = match self.run_job_ref() {
            Some(_) => match self.logits(&pixels).await {
                Ok(pair) => pair,
                Err(e) => return vec![Event::Error(WorkerError::Training(e))],
            },
            None => (Vec::new(), Vec::new()),
        };
        vec![Event::Inspection(Inspection {
            pick,
            label,
            pixels,
            teacher_logits: logits[index * CLASSES..(index + 1) * CLASSES].to_vec(),
            distilled_logits,
            baseline_logits,
        })]
    }

    fn run_job_ref(&self) -> Option<&Job> {
        self.job.as_ref().filter(|j| matches!(j.purpose, Purpose::Run { .. }))
    }

    async fn predict(&self, pixels: &[u8]) -> Vec<Event> {
        if self.run_job_ref().is_none() {
            return Vec::new();
        }
        if pixels.len() != PIXELS {
            return vec![Event::Error(WorkerError::Drawing(pixels.len()))];
        }
        match self.logits(pixels).await {
            Ok((distilled, baseline)) => vec![Event::Prediction { distilled, baseline }],
            Err(e) => vec![Event::Error(WorkerError::Training(e))],
        }
    }

    /// The distilled student's weights, with the pack it learnt on and its answers for the pack's
    /// test images in the metadata (`pack`, `pack_sha256`, `test_predictions`: one digit per
    /// image), so a rebuild elsewhere (web/README.md's NumPy script) can check itself image by image.
    async fn export(&self) -> Vec<Event> {
        let (Some(data), Some(student)) = (&self.data, self.run_job_ref().and_then(|j| j.student(Role::Distilled)))
        else {
            return Vec::new();
        };
        let trainer = &student.trainer;
        let exported = async {
            let logits =
                predict_logits(trainer.model(), &trainer.config.architecture, &data.test.images, trainer.device())
                    .await?;
            let answers: String = predictions(&logits).iter().map(|&c| char::from(b'0' + c)).collect();
            let metadata = HashMap::from([
                ("pack".to_string(), data.entry.file.clone()),
                ("pack_sha256".to_string(), data.entry.sha256.clone()),
                ("test_predictions".to_string(), answers),
            ]);
            trainer.export_weights(metadata).await
        };
        match exported.await {
            Ok(bytes) => vec![Event::Weights(bytes)],
            Err(e) => vec![Event::Error(training(e))],
        }
    }

    /// Loads weights into the distilled student; the page asks for a [`Command::Score`] next.
    fn import(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut events = self.pause();
        let Some(job) = self.run_job() else { return events };
        let Some(student) = job.students.iter_mut().find(|s| s.shown && s.role == Some(Role::Distilled)) else {
            return events;
        };
        events.push(Event::Imported(student.trainer.import_weights(bytes).map_err(training)));
        events
    }
}
