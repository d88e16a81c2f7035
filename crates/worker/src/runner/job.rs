//! A job: students trained together, step for step, until they are done. A single run's pair
//! (the distilled student and the same student on labels alone) or one point of a sweep; a
//! copier that asks in rounds asks here, between rounds.

use super::training;
use crate::pack_data::PackData;
use burn::prelude::*;
use distill_core::api::honest_accuracy as honest_accuracy_of;
use distill_core::images::{self, predict_logits};
use distill_core::metrics::Evaluation;
use distill_core::queries::Questioner;
use distill_core::targets::question_order;
use distill_core::{EvalSet, ImageSet, Metrics, Trainer, TrainingSet, TransferSet};
use distill_playground::protocol::{Scored, Student as Role, StudentReport, TaskScores, WorkerError};
use distill_playground::results::ResultRow;
use distill_playground::settings::Settings;
use distill_playground::sweep::SweepPoint;
use distill_spec::{Architecture, PIXELS};

/// One student being trained.
pub(super) struct Student {
    pub(super) trainer: Trainer<ImageSet>,
    /// Its part in a single run; a sweep point has none.
    pub(super) role: Option<Role>,
    /// Reported to the page. The distilled student of a run that asks in rounds also trains in
    /// the labels-only student's worker, unreported: its uncertainty picks both students' images.
    pub(super) shown: bool,
    pub(super) series: String,
    pub(super) settings: Settings,
    /// Questions put to the teacher's API so far.
    pub(super) queries: usize,
    /// The teacher's test accuracy through the run's defence, for an honest user.
    pub(super) honest_accuracy: f64,
}

impl Student {
    /// A student of `settings`, learning from the whole budget at once or, in rounds, from the
    /// answers about `first_round` (indices into the training split).
    pub(super) fn new(
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
        let trainer = images::trainer(&config, questions.images.clone(), transfer, device).map_err(training)?;
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
    pub(super) fn of_run(
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

    pub(super) fn examples_per_step(&self) -> usize {
        self.trainer.examples_per_step()
    }

    pub(super) fn architecture(&self) -> &Architecture {
        &self.settings.train.architecture
    }

    /// Its logits for `images` (flat 28×28 rows).
    pub(super) async fn logits(&self, images: &[u8]) -> Result<Vec<f32>, distill_core::TrainError> {
        predict_logits(self.trainer.model(), self.architecture(), images, self.trainer.device()).await
    }

    pub(super) async fn evaluate(&self, set: &EvalSet) -> Result<Evaluation, distill_core::TrainError> {
        images::evaluate(self.trainer.model(), self.architecture(), set, self.trainer.device()).await
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
        task: TaskScores::Images {
            per_class_accuracy: eval.per_class_accuracy().to_vec(),
            confusion: eval.confusion.iter().map(|row| row.to_vec()).collect(),
        },
    }
}

/// What a job is for: a single run (both students, live reports) or one point of a sweep.
pub(super) enum Purpose {
    Run { number: usize },
    Point { sweep: String, point: SweepPoint, index: usize },
}

/// A copier asking in rounds: what it has asked, and the steps its first student will take if
/// every question is answered (the progress figures).
pub(super) struct Rounds {
    pub(super) questioner: Questioner,
    pub(super) planned_steps: usize,
}

impl Rounds {
    /// The rounds of `settings`, if it asks in rounds, with the images of the first (at random).
    pub(super) fn first(settings: &Settings, data: &PackData) -> Result<Option<(Rounds, Vec<usize>)>, WorkerError> {
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
pub(super) struct Job {
    pub(super) purpose: Purpose,
    /// A run: `[distilled, baseline]`, or the one of them this worker trains (in rounds, both,
    /// the distilled one unreported when it is not this worker's); a sweep point: one student.
    /// The first student asks the questions of rounds.
    pub(super) students: Vec<Student>,
    pub(super) rounds: Option<Rounds>,
    pub(super) backend: String,
    /// Training time so far (evaluations included).
    pub(super) ms: f64,
    /// Time since the last report, for the throughput figure.
    pub(super) window_ms: f64,
    pub(super) report_every: usize,
    /// Steps queued since the device last caught up, how many to queue before waiting for it
    /// (adapted so a wait comes about every quarter slice), and the time they took.
    pub(super) unsettled: usize,
    pub(super) settle_every: usize,
    pub(super) unsettled_ms: f64,
}

impl Job {
    pub(super) fn steps_done(&self) -> usize {
        self.students[0].trainer.steps_done()
    }

    pub(super) fn total_steps(&self) -> usize {
        match &self.rounds {
            Some(rounds) => rounds.planned_steps,
            None => self.students[0].trainer.total_steps(),
        }
    }

    /// Every student has trained through the answers it has.
    pub(super) fn round_over(&self) -> bool {
        self.students.iter().all(|s| s.trainer.is_done())
    }

    pub(super) fn is_done(&self) -> bool {
        self.round_over() && self.rounds.as_ref().is_none_or(|r| r.questioner.is_done())
    }

    pub(super) fn new(
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

    /// The next round of questions, chosen by the first student, answered for every student.
    pub(super) async fn ask(&mut self, data: &PackData) -> Result<(), WorkerError> {
        let Some(rounds) = self.rounds.as_mut() else { return Ok(()) };
        let questions = data.questions(self.students[0].settings.api.ask)?;
        let asker = &self.students[0];
        let logits = if rounds.questioner.needs_student() {
            let unasked: Vec<u8> = rounds
                .questioner
                .unasked()
                .iter()
                .flat_map(|&i| &questions.images[i * PIXELS..(i + 1) * PIXELS])
                .copied()
                .collect();
            Some(asker.logits(&unasked).await.map_err(training)?)
        } else {
            None
        };
        let first_query = rounds.questioner.spent();
        let images = rounds.questioner.next_round(logits.as_deref());
        for student in &mut self.students {
            let config = &student.settings.train;
            let answers = TransferSet::asked(config, &images, first_query, &questions.labels, &questions.logits);
            let more = student.trainer.set().with(answers);
            student.trainer.learn_more(more);
            student.queries = rounds.questioner.spent();
        }
        Ok(())
    }

    /// Waits for the device to finish the queued steps.
    pub(super) async fn settle(&mut self) -> Result<(), WorkerError> {
        for student in &self.students {
            student.trainer.settle().await.map_err(training)?;
        }
        self.unsettled = 0;
        Ok(())
    }

    pub(super) fn student(&self, role: Role) -> Option<&Student> {
        self.shown().find(|s| s.role == Some(role))
    }

    /// The students the page hears about.
    pub(super) fn shown(&self) -> impl Iterator<Item = &Student> {
        self.students.iter().filter(|s| s.shown)
    }

    /// A run reports about [`REPORTS_PER_RUN`] times, and at the end of every round.
    pub(super) fn report_due(&self) -> bool {
        matches!(self.purpose, Purpose::Run { .. })
            && (self.steps_done().is_multiple_of(self.report_every) || self.round_over())
    }

    /// The students of a run scored now; the losses are averaged since the last report, and the
    /// throughput is each student's share of the time since then.
    pub(super) async fn report(&mut self, data: &PackData) -> Result<Vec<Scored>, WorkerError> {
        let seconds = self.window_ms / 1000.0;
        self.window_ms = 0.0;
        self.unsettled = 0; // reading the metrics waits for the device
        let mut scored = Vec::new();
        let round_done = self.rounds.is_some() && self.round_over();
        for student in self.students.iter_mut().filter(|s| s.shown) {
            let Some(role) = student.role else { continue }; // a sweep point is not reported
            let metrics = student.trainer.take_metrics().await.map_err(training)?;
            let examples = metrics.steps * student.examples_per_step();
            let eval = student.evaluate(&data.test).await.map_err(training)?;
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
                report: student_report(&metrics, &eval),
            });
        }
        Ok(scored)
    }

    /// The result row of each shown student, from its evaluation (or why it stopped); under an
    /// imported teacher, the note names its file.
    pub(super) fn rows(&self, outcomes: Vec<Result<Evaluation, WorkerError>>, data: &PackData) -> Vec<ResultRow> {
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
                    Ok(eval) => {
                        row.test_accuracy = eval.accuracy();
                        row.agreement = eval.agreement.unwrap_or(f64::NAN);
                    }
                    Err(error) => row.note = error.to_string(),
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
