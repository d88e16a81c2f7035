//! The reasoning task's part of the run loop (issue 35): its students are small causal
//! transformers that learn from a reasoning pack (the teacher's sampled solutions to parity
//! problems, steps and all, with its probabilities at every step), are scored on test problems by
//! writing their own solutions greedily, by problem size (one size longer than any taught
//! included), and are looked at through the "show your work" view ([`Event::Solved`]).
//!
//! The teacher lives on the CPU, and so does scoring: a student is copied there at each report
//! (on WebGPU, one read-back instead of one per token it writes).

use crate::runner::{Job, Student};
use crate::task::{not_this_tasks_look, training, Scores, TaskData};
use burn::prelude::*;
use distill_core::reasoning::{lesson, score, trainer, write, Decoding, Lesson, Marks, Reasoner, Written};
use distill_core::{Plan, TrainError};
use distill_data::catalog::ReasoningEntry;
use distill_data::problems::{check, test_problems, text, Problem};
use distill_data::reasoning_pack::{ReasonerWeights, ReasoningPack};
use distill_data::weights::TASK_KEY;
use distill_playground::protocol::{
    Command, Event, ReasoningTeacher, SizeScore, Solution, Solved, TaskScores, WorkerError,
};
use distill_playground::settings::{Settings, Task, REASONING_STUDENT};
use distill_spec::Mode;
use std::collections::HashMap;
use std::sync::Arc;

/// Test problems every model is scored on (of the sizes taught and one longer, about as many of
/// each): enough to tell 95% from 100% at a size, few enough to write at every report.
const TEST_PROBLEMS: usize = 250;

/// A loaded reasoning pack, with the test problems and the teacher's answers to them.
#[derive(Clone)]
pub struct ReasoningData {
    pub entry: ReasoningEntry,
    pack: Arc<ReasoningPack>,
    cpu: Device,
    teacher: Reasoner,
    test: Arc<Vec<Problem>>,
    /// The teacher's answer to each test problem, written greedily (none: it wrote no answer).
    teacher_answers: Arc<Vec<Option<bool>>>,
    summary: ReasoningTeacher,
}

/// Answers right by problem size, as the page shows them.
fn by_size(marks: &[Marks]) -> Vec<SizeScore> {
    marks.iter().map(|m| SizeScore { bits: m.size, right: m.accuracy() }).collect()
}

/// Shares of the test problems of the sizes `taught` whose answer, and whose every step, is right:
/// the figures the headline compares, the same for the teacher and the students.
fn over_taught(marks: &[Marks], (from, to): (usize, usize)) -> (f64, f64) {
    let taught: Vec<&Marks> = marks.iter().filter(|m| (from..=to).contains(&m.size)).collect();
    let problems = taught.iter().map(|m| m.problems).sum::<usize>().max(1) as f64;
    let share = |count: fn(&Marks) -> usize| taught.iter().map(|m| count(m)).sum::<usize>() as f64 / problems;
    (share(|m| m.answers_right), share(|m| m.traces_right))
}

/// What `written` is as the page shows it, checked against `problem`.
fn solution(problem: &Problem, written: &Written) -> Solution {
    let verdict = check(problem, &written.tokens);
    Solution {
        text: text(&written.tokens),
        probabilities: written.probabilities(),
        answer_right: verdict.answer_right,
        trace_right: verdict.trace_right,
    }
}

impl ReasoningData {
    /// Reads the pack (the page checked its SHA-256) and scores its teacher.
    pub async fn from_bytes(entry: &ReasoningEntry, bytes: &[u8]) -> Result<ReasoningData, WorkerError> {
        let pack_error = |e: String| WorkerError::Pack(format!("{}: {e}", entry.file));
        let pack = ReasoningPack::from_safetensors(&entry.file, bytes).map_err(|e| WorkerError::Pack(e.to_string()))?;
        let cpu = Device::flex();
        let teacher = Reasoner::from_weights(&pack.teacher, &cpu);
        let sizes = pack.sizes();
        let test = test_problems(&sizes, TEST_PROBLEMS);
        let written = write(&teacher, &test, Decoding::Greedy, &cpu).await.map_err(|e| pack_error(e.to_string()))?;
        let teacher_answers = test.iter().zip(&written).map(|(p, w)| check(p, &w.tokens).answer).collect();
        let temperature = pack.metadata.get("sample_temperature").and_then(|t| t.parse().ok()).unwrap_or(f32::NAN);
        let taught = (*sizes.start(), *sizes.end());
        let marks = score(&test, &written);
        let summary = ReasoningTeacher {
            teacher: entry.teacher.clone(),
            taught,
            accuracy: over_taught(&marks, taught).0,
            by_size: by_size(&marks),
            asked: pack.asked.len(),
            right: pack.asked.iter().filter(|a| a.is_right()).count(),
            temperature,
        };
        Ok(ReasoningData {
            entry: entry.clone(),
            pack: Arc::new(pack),
            cpu,
            teacher,
            test: Arc::new(test),
            teacher_answers: Arc::new(teacher_answers),
            summary,
        })
    }

    /// `student` as it is now, copied to the CPU.
    async fn on_cpu(&self, student: &Student<Lesson>) -> Result<Reasoner, TrainError> {
        let weights = student.trainer.model().weights(REASONING_STUDENT).await?;
        Ok(Reasoner::from_weights(&weights, &self.cpu))
    }

    /// What `model` writes after `problem`'s prompt, greedily.
    async fn solution(&self, model: &Reasoner, problem: &Problem) -> Result<Solution, WorkerError> {
        let written =
            write(model, std::slice::from_ref(problem), Decoding::Greedy, &self.cpu).await.map_err(training)?;
        Ok(solution(problem, &written[0]))
    }

    /// The teacher's and the shown students' solutions to `problem` (its bits).
    async fn solve(&self, problem: &str, job: Option<&Job<Lesson>>) -> Result<Solved, WorkerError> {
        let problem = Problem::parse(problem).map_err(|e| WorkerError::Problem(e.to_string()))?;
        let teacher = self.solution(&self.teacher, &problem).await?;
        let mut solved = Solved { problem: text(&problem.prompt()[1..]), teacher, ..Solved::default() };
        for student in job.iter().flat_map(|job| job.shown()) {
            let model = self.on_cpu(student).await.map_err(training)?;
            if let Some(role) = student.role {
                solved.students.set(role, self.solution(&model, &problem).await?);
            }
        }
        Ok(solved)
    }
}

impl TaskData for ReasoningData {
    const TASK: Task = Task::Reasoning;
    type Set = Lesson;

    fn loaded(&self) -> Event {
        Event::ReasoningLoaded(self.summary.clone())
    }

    /// A student of the pack's first `budget` problems, seen through its mode: the true answers
    /// (labels), the teacher's answers, or its solutions, steps and all (every mode but labels asks).
    async fn student(
        &self,
        series: &str,
        settings: &Settings,
        _first_round: Option<&[usize]>,
        device: &Device,
    ) -> Result<Student<Lesson>, WorkerError> {
        let config = settings.train_config().map_err(|e| training(e.into()))?;
        let problems = settings.budget().min(self.pack.asked.len());
        let lesson = lesson(&self.pack.asked[..problems], config.mode, config.temperature);
        if lesson.rows.is_empty() {
            return Err(WorkerError::Training(format!(
                "none of the teacher's {problems} solutions is left to learn from in the {} mode",
                config.mode
            )));
        }
        // Soft targets only where the mode has them.
        let mut plan = Plan::of(&config);
        if lesson.soft.is_none() {
            plan.alpha = 0.0;
        }
        let trainer = trainer(&REASONING_STUDENT, lesson, plan, device).map_err(training)?;
        let asked = if config.mode == Mode::LabelsOnly { 0 } else { problems };
        Ok(Student::new(trainer, series, settings, asked, self.teacher_accuracy()))
    }

    /// Right on the test problems of the sizes taught, greedily.
    fn teacher_accuracy(&self) -> f64 {
        self.summary.accuracy
    }

    /// Each test problem solved greedily by a CPU copy: answers right on the sizes taught (the
    /// test accuracy), by size, whole traces right, and agreement with the teacher's answers.
    async fn score(&self, student: &Student<Lesson>) -> Result<Scores, TrainError> {
        let model = self.on_cpu(student).await?;
        let written = write(&model, &self.test, Decoding::Greedy, &self.cpu).await?;
        let marks = score(&self.test, &written);
        let (answers_right, traces_right) = over_taught(&marks, self.summary.taught);
        let (from, to) = self.summary.taught;
        let taught = self.test.iter().zip(&written).zip(self.teacher_answers.iter());
        let taught: Vec<_> = taught.filter(|((problem, _), _)| (from..=to).contains(&problem.size())).collect();
        let agree = taught.iter().filter(|((problem, w), teacher)| {
            let answer = check(problem, &w.tokens).answer;
            answer.is_some() && answer == **teacher
        });
        Ok(Scores {
            test_accuracy: answers_right,
            agreement: agree.count() as f64 / taught.len().max(1) as f64,
            task: TaskScores::Reasoning { by_size: by_size(&marks), traces_right },
        })
    }

    /// Scoring reads the weights back (the rest runs on the CPU).
    async fn rehearse_scoring(&self, student: &Student<Lesson>) -> Result<(), TrainError> {
        self.on_cpu(student).await.map(|_| ())
    }

    async fn look(&self, command: Command, job: Option<&Job<Lesson>>) -> Vec<Event> {
        match command {
            Command::Solve(problem) => match self.solve(&problem, job).await {
                Ok(solved) => vec![Event::Solved(solved)],
                Err(error) => vec![Event::Error(error)],
            },
            other => not_this_tasks_look(Task::Reasoning, &other),
        }
    }

    /// The weights in full precision with the pack and the student's answer to every test
    /// problem in the metadata (`test_problems`, comma-separated bits; `test_answers`: `0`, `1`,
    /// or `?` where it wrote none), so a rebuild elsewhere can check itself answer by answer.
    async fn export(&self, student: &Student<Lesson>) -> Result<Vec<u8>, TrainError> {
        let weights = student.trainer.model().weights(REASONING_STUDENT).await?;
        let model = Reasoner::from_weights(&weights, &self.cpu);
        let written = write(&model, &self.test, Decoding::Greedy, &self.cpu).await?;
        let answers: String = self
            .test
            .iter()
            .zip(&written)
            .map(|(p, w)| match check(p, &w.tokens).answer {
                Some(bit) => char::from(b'0' + u8::from(bit)),
                None => '?',
            })
            .collect();
        let problems: Vec<String> = self.test.iter().map(|p| text(&p.prompt()[1..])).collect();
        let metadata = HashMap::from([
            (TASK_KEY.to_string(), Task::Reasoning.to_string()),
            ("pack".to_string(), self.entry.file.clone()),
            ("pack_sha256".to_string(), self.entry.sha256.clone()),
            ("test_problems".to_string(), problems.join(",")),
            ("test_answers".to_string(), answers),
        ]);
        Ok(weights.to_safetensors_f32(metadata))
    }

    fn import(&self, student: &Student<Lesson>, bytes: &[u8]) -> Result<Reasoner, TrainError> {
        let weights = ReasonerWeights::from_safetensors("the weights file", bytes)
            .map_err(|e| TrainError::Weights(e.to_string()))?;
        student.trainer.model().clone().with_weights(&REASONING_STUDENT, &weights)
    }
}
