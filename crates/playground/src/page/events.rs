//! What the workers say, as the page hears it: [`Page::apply`] takes each worker's event,
//! the crew pairs the students' halves, and [`Page::take`] changes the page for each.

use super::*;

impl Page {
    /// What an event from worker `from` changes, and what the page does next.
    pub fn apply(&mut self, from: usize, event: Event) -> Vec<Effect> {
        if let Event::Ready { protocol } = event {
            if protocol != PROTOCOL {
                self.worker_of_another_version(format!("protocol {protocol:#010x}, the page's {PROTOCOL:#010x}"));
                return Vec::new();
            }
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
            Event::Ready { .. } => {} // each worker's, in `apply`
            // A pack of the task just left (the visitor switched while it loaded): the next Load
            // replaces it, and asking it about an image (or a prefix) would be asking the wrong runner.
            ref loaded if loaded.loaded_task().is_some_and(|task| task != self.task()) => {}
            Event::Arriving { rows, of } => self.arriving = (of > 0).then_some((rows, of)),
            Event::Loaded { curated } => {
                let first = curated.first().map(|c| c.index).unwrap_or(0);
                if let Some(view) = self.images_mut() {
                    view.curated = curated;
                }
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
                self.view.forget_the_students();
                (self.import, self.suspect) = (None, None);
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
            // Half a report of the task just left, on its way when the visitor switched.
            Event::Scored(scored) if scored.report.task() != self.task() => {}
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
            Event::Inspection(inspection) => {
                if let Some(view) = self.images_mut() {
                    view.inspection = Some(inspection);
                }
            }
            Event::WordsLoaded(teacher) => {
                if let Some(view) = self.words_mut() {
                    view.teacher = Some(teacher);
                    return vec![Effect::Send(Command::NextLetters(view.prefix.clone()))];
                }
            }
            Event::NextLetters(found) => {
                if let Some(view) = self.words_mut() {
                    (view.prefix_problem, view.next_letters) = (None, Some(found));
                }
            }
            Event::ReasoningLoaded(teacher) => {
                if let Some(view) = self.reasoning_mut() {
                    view.teacher = Some(teacher);
                    if view.refusal.is_none() {
                        return vec![Effect::Send(Command::Solve(view.problem.clone()))];
                    }
                }
            }
            Event::Solved(solved) => {
                if let Some(view) = self.reasoning_mut() {
                    view.solved = Some(solved);
                }
            }
            Event::Prediction(students) => {
                if let Some(view) = self.images_mut() {
                    view.prediction = Some(students);
                }
            }
            Event::TestLogits { labels, students } => {
                if let Some(view) = self.images_mut() {
                    view.test_logits = Some(TestLogits { labels, students });
                }
            }
            Event::SweepProgress { index, total, step, total_steps } => {
                self.sweep_progress = Some(SweepProgress { index, total, step, steps: total_steps })
            }
            Event::Result(row) => return self.add_result(*row),
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
                    self.view.forget_the_students(); // the test logits were the replaced student's
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
            Event::SuspectTested(result) => self.suspect = Some(result.map_err(Problem::Worker)),
            Event::TeacherImported(Err(error)) => {
                self.offered_teacher = None;
                self.teacher_import = Some(Err(Problem::Worker(error)));
            }
            // A prefix the worker could not read spoils nothing else.
            Event::Error(error @ WorkerError::Letter(..)) => {
                if let Some(view) = self.words_mut() {
                    view.prefix_problem = Some(error);
                }
            }
            Event::Error(error) => {
                // A lost device explains the errors that follow it (reads that fail), so it stays.
                if !matches!(self.problem, Some(Problem::Worker(WorkerError::DeviceLost(_)))) {
                    self.fail(Problem::Worker(error));
                }
                // With a worker per student, the other one would train on alone (a run, or a sweep).
                return vec![Effect::Send(Command::Pause), Effect::Send(Command::StopSweep)];
            }
        }
        Vec::new()
    }
}
