//! What the run loop needs of a task: [`TaskData`], implemented once per task by its loaded pack
//! ([`crate::pack_data::PackData`] for images, [`crate::words::WordsData`] for words,
//! [`crate::reasoning::ReasoningData`] for reasoning). Everything
//! else — single runs, sweeps, reports, result rows, rehearsal, weights out and in — is the one
//! [`crate::runner::Runner`]'s. A task that cannot do something (the words task asks in no rounds
//! and takes no teacher of a user's) keeps the default, which says why.

use crate::runner::{Job, Rounds, Student};
use burn::prelude::*;
use distill_core::{TrainError, TrainingSet};
use distill_data::catalog::QuestionsEntry;
use distill_data::dataset::safetensors_metadata;
use distill_data::weights::TASK_KEY;
use distill_playground::protocol::{Command, Downloaded, Event, ImportedTeacher, SuspectTest, TaskScores, WorkerError};
use distill_playground::settings::{AskAbout, Settings, Task};

/// A student's scores now, on the pack's test split.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Images: the right digit; words: the right next letter.
    pub test_accuracy: f64,
    /// The share of the teacher's own answers it gives.
    pub agreement: f64,
    pub task: TaskScores,
}

/// A training failure as the page shows it.
pub(crate) fn training(error: TrainError) -> WorkerError {
    WorkerError::Training(error.to_string())
}

/// Refuses a student's file (`file`) that says it is of another task than `run` (a file that
/// says nothing is read as the task's: its shapes are checked then).
pub(crate) fn check_file_task(file: &str, bytes: &[u8], run: Task) -> Result<(), WorkerError> {
    match safetensors_metadata(bytes).get(TASK_KEY) {
        Some(task) if *task != run.to_string() => {
            Err(WorkerError::WrongTask { file: file.to_string(), student_of: task.clone(), run: run.to_string() })
        }
        _ => Ok(()),
    }
}

/// The refusal of what a task does not do.
fn not_this_tasks<T>(task: Task, what: &str) -> Result<T, WorkerError> {
    Err(WorkerError::Protocol(format!("the {task} task has no {what}")))
}

/// A task's loaded pack: how its students are made, scored and looked at. The worker is one
/// thread (wasm has no others here), so the futures need not be `Send`. A pack is cloned only
/// when it changes under a run (questions fetched, a teacher imported).
#[allow(async_fn_in_trait)]
pub trait TaskData: Clone {
    const TASK: Task;
    /// What a student of this task learns from.
    type Set: TrainingSet;

    /// The event that tells the page the pack is in.
    fn loaded(&self) -> Event;

    /// A student of `settings` named `series`, learning from the whole budget at once or, in
    /// rounds, from the answers about `first_round` (indices into what it may ask about).
    async fn student(
        &self,
        series: &str,
        settings: &Settings,
        first_round: Option<&[usize]>,
        device: &Device,
    ) -> Result<Student<Self::Set>, WorkerError>;

    /// The teacher's test accuracy, as the pack has it.
    fn teacher_accuracy(&self) -> f64;

    /// `student` scored now on the test split.
    async fn score(&self, student: &Student<Self::Set>) -> Result<Scores, TrainError>;

    /// Compiles what [`TaskData::score`] runs on `student`'s device (see [`crate::runner::Runner::rehearse_next`]).
    async fn rehearse_scoring(&self, student: &Student<Self::Set>) -> Result<(), TrainError>;

    /// The looks at the students that are this task's (images: a test image, a drawing; words:
    /// the next letters after a prefix), answered for `job`'s students if there is a run.
    async fn look(&self, command: Command, job: Option<&Job<Self::Set>>) -> Vec<Event>;

    /// The distilled student's weights as a file (safetensors) a rebuild elsewhere can check
    /// itself against: its answers on the test split are in the metadata.
    async fn export(&self, student: &Student<Self::Set>) -> Result<Vec<u8>, TrainError>;

    /// `student`'s network with the weights of a file [`TaskData::export`] wrote, or why not.
    fn import(
        &self,
        student: &Student<Self::Set>,
        bytes: &[u8],
    ) -> Result<<Self::Set as TrainingSet>::Network, TrainError>;

    /// What the page gets at the end of a single run besides the rows.
    async fn after_run(&self, _job: &Job<Self::Set>) -> Vec<Event> {
        Vec::new()
    }

    /// A note for every result row (images: a user's own teacher's file).
    fn note(&self) -> Option<String> {
        None
    }

    /// The rounds of `settings`, if it asks in rounds, with the questions of the first.
    fn first_round(&self, _settings: &Settings) -> Result<Option<(Rounds, Vec<usize>)>, WorkerError> {
        Ok(None)
    }

    /// The next round of questions, chosen by the first student, answered for every student.
    async fn ask(&self, _rounds: &mut Rounds, _students: &mut [Student<Self::Set>]) -> Result<(), WorkerError> {
        Ok(())
    }

    /// Part `index` of the pack file `file` (the first came with the load): more of its examples.
    /// `false` if it changed nothing (another file's, or not the part that comes next; a task
    /// whose packs come whole has none).
    fn add_part(&mut self, _file: &str, _index: usize, _download: Downloaded) -> Result<bool, WorkerError> {
        Ok(false)
    }

    /// Examples in of all, while the pack is still arriving; `None` once it is whole.
    fn arriving(&self) -> Option<(usize, usize)> {
        None
    }

    /// Whether a run of `settings` may be built now, before the pack is whole.
    fn ready_for(&self, _settings: &Settings) -> bool {
        true
    }

    /// Whether `student`'s next step has every example it reads.
    fn can_step(&self, _student: &Student<Self::Set>) -> bool {
        true
    }

    /// `student`'s set with the examples arrived since it was built.
    fn refresh(&self, _student: &mut Student<Self::Set>) {}

    /// The catalog's questions file a run that asks about `ask` needs (the page sends it first).
    fn questions_about(&self, _ask: AskAbout) -> Option<QuestionsEntry> {
        None
    }

    fn add_questions(&mut self, _entry: &QuestionsEntry, _bytes: &[u8]) -> Result<(), WorkerError> {
        not_this_tasks(Self::TASK, "questions files")
    }

    /// The owner's watermark test of a student's file (`bytes`, called `file`, of this task:
    /// [`check_file_task`] has passed), for the run whose distilled student is `copier`.
    async fn test_suspect(
        &self,
        _copier: &Student<Self::Set>,
        _file: &str,
        _bytes: &[u8],
    ) -> Result<SuspectTest, WorkerError> {
        not_this_tasks(Self::TASK, "watermark")
    }

    /// A user's own teacher in place of the pack's.
    fn import_teacher(&mut self, _file: &str, _bytes: &[u8]) -> Result<ImportedTeacher, WorkerError> {
        not_this_tasks(Self::TASK, "teacher of your own")
    }
}

/// Whether a run of `task` can train on `D`'s pack, or why not.
pub(crate) fn check_task<D: TaskData>(task: Task) -> Result<(), WorkerError> {
    if task == D::TASK {
        return Ok(());
    }
    Err(WorkerError::Protocol(format!("a {task} run, and this worker holds the {} task's pack", D::TASK)))
}

/// The refusal of a look that is another task's.
pub(crate) fn not_this_tasks_look(task: Task, command: &Command) -> Vec<Event> {
    let what = match command {
        Command::Inspect(_) => "dark-knowledge inspector",
        Command::Predict(_) => "drawing",
        Command::NextLetters(_) => "next-letter view",
        Command::Solve(_) => "show-your-work view",
        _ => "such look",
    };
    vec![Event::Error(not_this_tasks::<()>(task, what).unwrap_err())]
}
