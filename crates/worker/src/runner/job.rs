//! A job: students trained together, step for step, until they are done. A single run's pair
//! (the distilled student and the same student on labels alone) or one point of a sweep; a
//! copier that asks in rounds asks here, between rounds.

use super::training;
use crate::task::{Scores, TaskData};
use distill_core::queries::Questioner;
use distill_core::{Metrics, Trainer, TrainingSet};
use distill_playground::protocol::{Scored, Student as Role, StudentReport, WorkerError};
use distill_playground::results::ResultRow;
use distill_playground::settings::Settings;
use distill_playground::sweep::SweepPoint;
use distill_spec::Architecture;

/// One student being trained, of any task.
pub struct Student<S: TrainingSet> {
    pub trainer: Trainer<S>,
    /// Its part in a single run; a sweep point has none.
    pub role: Option<Role>,
    /// Reported to the page. The distilled student of a run that asks in rounds also trains in
    /// the labels-only student's worker, unreported: its uncertainty picks both students' images.
    pub shown: bool,
    pub series: String,
    pub settings: Settings,
    /// Questions put to the teacher so far (images asked about, words read).
    pub queries: usize,
    /// The teacher's test accuracy through the run's defence, for an honest user.
    pub honest_accuracy: f64,
}

impl<S: TrainingSet> Student<S> {
    /// A student of `settings` about to learn `trainer`'s set.
    pub fn new(trainer: Trainer<S>, series: &str, settings: &Settings, queries: usize, honest_accuracy: f64) -> Self {
        Student {
            trainer,
            role: None,
            shown: true,
            series: series.to_string(),
            settings: settings.clone(),
            queries,
            honest_accuracy,
        }
    }

    pub fn examples_per_step(&self) -> usize {
        self.trainer.examples_per_step()
    }

    pub fn architecture(&self) -> &Architecture {
        &self.settings.train.architecture
    }
}

/// The distilled student of a run, or the same student trained on labels only.
pub(super) async fn of_run<D: TaskData>(
    data: &D,
    role: Role,
    settings: &Settings,
    first_round: Option<&[usize]>,
    device: &burn::prelude::Device,
) -> Result<Student<D::Set>, WorkerError> {
    let mut student = match role {
        Role::Distilled => data.student("distilled", settings, first_round, device).await?,
        Role::Baseline => data.student("labels only", &settings.labels_only(), first_round, device).await?,
    };
    student.role = Some(role);
    Ok(student)
}

/// A student's report: its metrics since the last one and its scores now.
fn student_report(metrics: &Metrics, scores: Scores) -> StudentReport {
    StudentReport {
        soft_loss: metrics.soft_loss,
        hard_loss: metrics.hard_loss,
        total_loss: metrics.total_loss,
        train_accuracy: metrics.batch_accuracy,
        test_accuracy: scores.test_accuracy,
        agreement: scores.agreement,
        task: scores.task,
    }
}

/// What a job is for: a single run (both students, live reports) or one point of a sweep.
pub enum Purpose {
    Run { number: usize },
    Point { sweep: String, point: SweepPoint, index: usize },
}

/// A copier asking in rounds: what it has asked, and the steps its first student will take if
/// every question is answered (the progress figures).
pub struct Rounds {
    pub questioner: Questioner,
    pub planned_steps: usize,
}

/// Students trained together, step for step, until they are done.
pub struct Job<S: TrainingSet> {
    pub purpose: Purpose,
    /// A run: `[distilled, baseline]`, or the one of them this worker trains (in rounds, both,
    /// the distilled one unreported when it is not this worker's); a sweep point: one student.
    /// The first student asks the questions of rounds.
    pub students: Vec<Student<S>>,
    pub rounds: Option<Rounds>,
    pub backend: String,
    /// Training time so far (evaluations included).
    pub ms: f64,
    /// Time since the last report, for the throughput figure.
    pub window_ms: f64,
    pub report_every: usize,
    /// Steps queued since the device last caught up, how many to queue before waiting for it
    /// (adapted so a wait comes about every quarter slice), and the time they took.
    pub unsettled: usize,
    pub settle_every: usize,
    pub unsettled_ms: f64,
}

impl<S: TrainingSet> Job<S> {
    pub fn steps_done(&self) -> usize {
        self.students[0].trainer.steps_done()
    }

    pub fn total_steps(&self) -> usize {
        match &self.rounds {
            Some(rounds) => rounds.planned_steps,
            None => self.students[0].trainer.total_steps(),
        }
    }

    /// Every student has trained through the answers it has.
    pub fn round_over(&self) -> bool {
        self.students.iter().all(|s| s.trainer.is_done())
    }

    pub fn is_done(&self) -> bool {
        self.round_over() && self.rounds.as_ref().is_none_or(|r| r.questioner.is_done())
    }

    pub(super) fn new(
        purpose: Purpose,
        students: Vec<Student<S>>,
        rounds: Option<Rounds>,
        backend: String,
        report_every: usize,
    ) -> Self {
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
    pub(super) fn charge(&mut self, ms: f64) {
        self.ms += ms;
        self.window_ms += ms;
    }

    /// One step of each student still training (nothing is read back until a report).
    pub(super) fn step(&mut self) {
        for student in self.students.iter_mut().filter(|s| !s.trainer.is_done()) {
            student.trainer.step();
        }
        self.unsettled += 1;
    }

    /// The next round of questions (see [`TaskData::ask`]).
    pub(super) async fn ask<D: TaskData<Set = S>>(&mut self, data: &D) -> Result<(), WorkerError> {
        match self.rounds.as_mut() {
            Some(rounds) => data.ask(rounds, &mut self.students).await,
            None => Ok(()),
        }
    }

    /// Waits for the device to finish the queued steps.
    pub(super) async fn settle(&mut self) -> Result<(), WorkerError> {
        for student in &self.students {
            student.trainer.settle().await.map_err(training)?;
        }
        self.unsettled = 0;
        Ok(())
    }

    pub fn student(&self, role: Role) -> Option<&Student<S>> {
        self.shown().find(|s| s.role == Some(role))
    }

    /// The students the page hears about.
    pub fn shown(&self) -> impl Iterator<Item = &Student<S>> {
        self.students.iter().filter(|s| s.shown)
    }

    /// A run reports after its first step (its curves start at once, while the rest of its data
    /// may still be on the way), then about [`super::REPORTS_PER_RUN`] times, and at the end of
    /// every round.
    pub(super) fn report_due(&self) -> bool {
        let steps = self.steps_done();
        matches!(self.purpose, Purpose::Run { .. })
            && (steps == 1 || steps.is_multiple_of(self.report_every) || self.round_over())
    }

    /// The students of a run scored now; the losses are averaged since the last report, and the
    /// throughput is each student's share of the time since then.
    pub(super) async fn report<D: TaskData<Set = S>>(&mut self, data: &D) -> Result<Vec<Scored>, WorkerError> {
        let seconds = self.window_ms / 1000.0;
        self.window_ms = 0.0;
        self.unsettled = 0; // reading the metrics waits for the device
        let mut scored = Vec::new();
        let round_done = self.rounds.is_some() && self.round_over();
        for student in self.students.iter_mut().filter(|s| s.shown) {
            let Some(role) = student.role else { continue }; // a sweep point is not reported
            let metrics = student.trainer.take_metrics().await.map_err(training)?;
            let examples = metrics.steps * student.examples_per_step();
            let scores = data.score(student).await.map_err(training)?;
            let trainer = &student.trainer;
            scored.push(Scored {
                student: role,
                step: trainer.steps_done(),
                total_steps: trainer.total_steps(),
                examples_seen: trainer.steps_done() * student.examples_per_step(),
                examples_per_second: if seconds > 0.0 { examples as f64 / seconds } else { 0.0 },
                queries: student.queries,
                answered: trainer.set().len(),
                round_done,
                report: student_report(&metrics, scores),
            });
        }
        Ok(scored)
    }

    /// The result row of each shown student, from its scores (or why it stopped), with the
    /// task's `note` (a user's own teacher).
    pub(super) fn rows(&self, outcomes: Vec<Result<Scores, WorkerError>>, note: Option<String>) -> Vec<ResultRow> {
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
                row.examples = student.trainer.set().len();
                row.queries = student.queries;
                row.honest_accuracy = student.honest_accuracy;
                row.steps = student.trainer.steps_done();
                row.seconds = self.ms / 1000.0;
                row.backend = self.backend.clone();
                match outcome {
                    Ok(scores) => {
                        (row.test_accuracy, row.agreement) = (scores.test_accuracy, scores.agreement);
                        row.task = scores.task.for_row();
                        if let Some((z, p)) = scores.task.watermark() {
                            (row.watermark_z, row.watermark_p) = (z, p);
                        }
                    }
                    Err(error) => row.note = error.to_string(),
                }
                if let Some(note) = &note {
                    row.note = if row.note.is_empty() { note.clone() } else { format!("{}; {note}", row.note) };
                }
                row
            })
            .collect()
    }
}
