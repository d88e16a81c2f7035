//! What differs between the tasks in the page, in one table: a [`TaskSpec`] per [`Task`]. The
//! settings, the controls, the charts, the counters and the choice of worker read it; a new task
//! adds its row here (README, "Adding a task").

use crate::chart::{self, Chart};
use crate::i18n::Msg;
use crate::protocol::{Command, Report};
use crate::settings::{Task, WORDS_SETTINGS};
use crate::workers::WorkerKind;
use distill_data::catalog::Catalog;
use distill_data::words_pack::TOP_K;
use distill_spec::{ConfigError, TrainConfig};

/// The chosen teacher's pack as the catalog gives it, whatever the task.
#[derive(Debug, Clone, PartialEq)]
pub struct TeacherPack<'a> {
    /// Under `packs/`.
    pub file: &'a str,
    pub bytes: u64,
    /// The teacher's.
    pub parameters: u64,
    /// Training examples (images, or words) a budget is held to.
    pub train_rows: usize,
    /// What the worker is sent to download it.
    pub load: Command,
}

/// One task as the page sees it.
pub struct TaskSpec {
    /// The teacher it starts with when it is chosen.
    pub default_teacher: &'static str,
    /// The catalog's pack of a teacher of this task, by its name.
    pub pack: for<'a> fn(&'a Catalog, &str) -> Option<TeacherPack<'a>>,
    /// The settings it uses (the controls show them, a link may set them, a row records them);
    /// none: every one.
    pub settings: Option<&'static [&'static str]>,
    /// The choices of a setting it does not offer, as `(setting, value)`.
    pub not_offered: &'static [(&'static str, &'static str)],
    /// Helps of its own (and a label, where the setting's own does not fit), as
    /// `(setting, label, help)`.
    pub words: &'static [(&'static str, Option<Msg>, Msg)],
    /// Whether a configuration can train in this task.
    pub check: fn(&TrainConfig) -> Result<(), ConfigError>,
    /// The CPU worker build that carries it (the WebGPU build carries every task).
    pub cpu_worker: WorkerKind,
    /// The first chart: its title and its curves.
    pub score_chart: (Msg, fn(&[Report]) -> Chart),
    /// The sweep chart's title.
    pub sweep_title: Msg,
    /// What the query counter says.
    pub query_counter: Msg,
    /// Whether it picks a dataset, and takes a teacher of one's own (logits over its images).
    pub datasets: bool,
}

const IMAGES: TaskSpec = TaskSpec {
    default_teacher: "mnist-mlp",
    pack: |catalog, teacher| {
        catalog.get(teacher).map(|e| TeacherPack {
            file: &e.file,
            bytes: e.bytes,
            parameters: e.parameters,
            train_rows: e.train_rows,
            load: Command::Load(e.clone()),
        })
    },
    settings: None,
    not_offered: &[("mode", "text")],
    words: &[],
    check: TrainConfig::validate,
    cpu_worker: WorkerKind::Cpu,
    score_chart: (Msg::TestAccuracy2, chart::test_accuracy),
    sweep_title: Msg::SweepTestAccuracy,
    query_counter: Msg::QueryCounter,
    datasets: true,
};

const WORDS: TaskSpec = TaskSpec {
    default_teacher: "words-en",
    pack: |catalog, teacher| {
        catalog.words_pack(teacher).map(|e| TeacherPack {
            file: &e.file,
            bytes: e.bytes,
            parameters: e.parameters,
            train_rows: e.train_words,
            load: Command::LoadWords(e.clone()),
        })
    },
    settings: Some(&WORDS_SETTINGS),
    // The words pack caches the teacher's 8 likeliest letters.
    not_offered: &[("mode", "top9")],
    words: &[
        ("budget", Some(Msg::WordsAsked), Msg::WordsAskedHelp),
        ("teacher", None, Msg::WordsTeacherHelp),
        ("mode", None, Msg::WordsModeHelp),
        ("student", None, Msg::WordsStudentHelp),
    ],
    check: |config| config.validate_words(TOP_K),
    cpu_worker: WorkerKind::WordsCpu,
    score_chart: (Msg::BitsPerCharacterLowerIsBetter, chart::bits_per_char),
    sweep_title: Msg::SweepBitsPerChar,
    query_counter: Msg::WordsQueryCounter,
    datasets: false,
};

impl Task {
    pub fn spec(self) -> &'static TaskSpec {
        match self {
            Task::Images => &IMAGES,
            Task::Words => &WORDS,
        }
    }
}
