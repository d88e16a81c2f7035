//! What differs between the tasks in the page, in one table: a [`TaskSpec`] per [`Task`]. The
//! settings, the controls, the charts, the counters and the choice of worker read it; a new task
//! adds its row here (docs/src/developers/architecture.md, "Adding a task").

use crate::chart::{self, Chart};
use crate::i18n::{fill, Lang, Msg};
use crate::protocol::{Command, Report};
use crate::results::RowScores;
use crate::settings::{Task, IMAGES_SETTINGS, REASONING_SETTINGS, WORDS_SETTINGS};
use crate::text::{count, percent};
use crate::workers::WorkerKind;
use distill_data::catalog::{download_url, Catalog};
use distill_data::{reasoning_pack, words_pack};
use distill_spec::{ConfigError, TrainConfig};

/// The chosen teacher's pack as the catalog gives it, whatever the task.
#[derive(Debug, Clone, PartialEq)]
pub struct TeacherPack {
    /// Where it is fetched from (under `packs/`, named by its content).
    pub url: String,
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
    pub pack: fn(&Catalog, &str) -> Option<TeacherPack>,
    /// The teacher menu with `teacher` chosen: each teacher offered in its place, as
    /// `(name, what the menu says of it)`.
    pub teachers: fn(&Catalog, &str, Lang) -> Vec<(String, String)>,
    /// The settings it uses (the controls show them, a link may set them, a row records them).
    pub settings: &'static [&'static str],
    /// The values it starts at where they are not the settings table's defaults, as
    /// `(setting, value)` ([`crate::settings::Settings::set_task`]).
    pub starts_at: &'static [(&'static str, &'static str)],
    /// The choices of a setting it does not offer, as `(setting, value)`.
    pub not_offered: &'static [(&'static str, &'static str)],
    /// Helps of its own (and a label, where the setting's own does not fit), as
    /// `(setting, label, help)`.
    pub words: &'static [(&'static str, Option<Msg>, Msg)],
    /// Whether a configuration can train in this task.
    pub check: fn(&TrainConfig) -> Result<(), ConfigError>,
    /// The CPU worker build that carries it (the WebGPU build carries every task).
    pub cpu_worker: WorkerKind,
    /// What a result row of its records beside test accuracy and agreement, not yet measured.
    pub row_scores: RowScores,
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
            url: download_url(&e.file, &e.sha256),
            bytes: e.bytes,
            parameters: e.parameters,
            train_rows: e.train_rows,
            load: Command::Load(e.clone()),
        })
    },
    // The chosen teacher's dataset's (another dataset is the dataset menu's).
    teachers: |catalog, teacher, lang| {
        let dataset = catalog.get(teacher).map(|e| e.dataset.as_str()).unwrap_or_default();
        let packs = catalog.packs.iter().filter(|e| e.dataset == dataset);
        packs
            .map(|e| {
                let text = fill(
                    Msg::TeacherOption.text(lang),
                    &[
                        ("teacher", e.teacher.clone()),
                        ("dataset", e.dataset.clone()),
                        ("architecture", e.architecture.clone()),
                        ("parameters", count(e.parameters)),
                        ("accuracy", percent(e.test_accuracy)),
                    ],
                );
                (e.teacher.clone(), text)
            })
            .collect()
    },
    settings: &IMAGES_SETTINGS,
    starts_at: &[],
    not_offered: &[("mode", "text"), ("mode", "verified")],
    words: &[],
    check: TrainConfig::validate,
    cpu_worker: WorkerKind::Cpu,
    row_scores: RowScores::Images,
    score_chart: (Msg::TestAccuracy2, chart::test_accuracy),
    sweep_title: Msg::SweepTestAccuracy,
    query_counter: Msg::QueryCounter,
    datasets: true,
};

const WORDS: TaskSpec = TaskSpec {
    default_teacher: "words-en",
    pack: |catalog, teacher| {
        catalog.words_pack(teacher).map(|e| TeacherPack {
            url: download_url(&e.file, &e.sha256),
            bytes: e.bytes,
            parameters: e.parameters,
            train_rows: e.train_words,
            load: Command::LoadWords(e.clone()),
        })
    },
    teachers: |catalog, _, lang| {
        let packs = catalog.words.iter();
        packs
            .map(|e| {
                let language = if e.language == "es" { Msg::Spanish } else { Msg::English };
                let text = fill(
                    Msg::WordsTeacherOption.text(lang),
                    &[
                        ("teacher", e.teacher.clone()),
                        ("language", language.text(lang).to_string()),
                        ("architecture", e.architecture.clone()),
                        ("parameters", count(e.parameters)),
                        ("bits", format!("{:.2}", e.test_bits_per_char)),
                    ],
                );
                (e.teacher.clone(), text)
            })
            .collect()
    },
    settings: &WORDS_SETTINGS,
    starts_at: &[],
    // The words pack caches the teacher's 8 likeliest letters.
    not_offered: &[("mode", "top9"), ("mode", "verified")],
    words: &[
        ("budget", Some(Msg::WordsAsked), Msg::WordsAskedHelp),
        ("teacher", None, Msg::WordsTeacherHelp),
        ("mode", None, Msg::WordsModeHelp),
        ("student", None, Msg::WordsStudentHelp),
    ],
    check: |config| config.validate_words(words_pack::TOP_K),
    cpu_worker: WorkerKind::SequencesCpu,
    row_scores: RowScores::Words { bits_per_char: f64::NAN },
    score_chart: (Msg::BitsPerCharacterLowerIsBetter, chart::bits_per_char),
    sweep_title: Msg::SweepBitsPerChar,
    query_counter: Msg::WordsQueryCounter,
    datasets: false,
};

const REASONING: TaskSpec = TaskSpec {
    default_teacher: "parity",
    pack: |catalog, teacher| {
        catalog.reasoning_pack(teacher).map(|e| TeacherPack {
            url: download_url(&e.file, &e.sha256),
            bytes: e.bytes,
            parameters: e.parameters,
            train_rows: e.problems,
            load: Command::LoadReasoning(e.clone()),
        })
    },
    teachers: |catalog, _, lang| {
        let packs = catalog.reasoning.iter();
        packs
            .map(|e| {
                let text = fill(
                    Msg::ReasoningTeacherOption.text(lang),
                    &[
                        ("teacher", e.teacher.clone()),
                        ("architecture", e.architecture.clone()),
                        ("parameters", count(e.parameters)),
                        ("accuracy", percent(e.test_accuracy)),
                    ],
                );
                (e.teacher.clone(), text)
            })
            .collect()
    },
    settings: &REASONING_SETTINGS,
    // Measured with `distill reasoning` (its defaults): 1,000 problems, 30 epochs, batch 32.
    starts_at: &[("mode", "text"), ("lr", "0.003"), ("batch", "32"), ("epochs", "30"), ("budget", "1000")],
    // The pack caches the teacher's 6 likeliest symbols: every one.
    not_offered: &[("mode", "top7"), ("mode", "top8"), ("mode", "top9")],
    words: &[
        ("budget", Some(Msg::ProblemsAsked), Msg::ProblemsAskedHelp),
        ("teacher", None, Msg::ReasoningTeacherHelp),
        ("mode", None, Msg::ReasoningModeHelp),
    ],
    check: |config| config.validate_reasoning(reasoning_pack::TOP_K),
    cpu_worker: WorkerKind::SequencesCpu,
    row_scores: RowScores::Reasoning,
    score_chart: (Msg::AnswersRight, chart::test_accuracy),
    sweep_title: Msg::SweepTestAccuracy,
    query_counter: Msg::ProblemsQueryCounter,
    datasets: false,
};

impl Task {
    pub fn spec(self) -> &'static TaskSpec {
        match self {
            Task::Images => &IMAGES,
            Task::Words => &WORDS,
            Task::Reasoning => &REASONING,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::SCHEMA;

    #[test]
    fn every_setting_is_some_tasks_and_each_task_names_only_settings_there_are() {
        let tasks = [Task::Images, Task::Words, Task::Reasoning];
        for setting in &SCHEMA {
            assert!(tasks.iter().any(|t| t.spec().settings.contains(&setting.key)), "no task uses {}", setting.key);
        }
        for task in tasks {
            for key in task.spec().settings {
                assert!(SCHEMA.iter().any(|s| s.key == *key), "{task}: no setting {key}");
            }
        }
    }
    use crate::page::tests::{catalog, with_words};

    #[test]
    fn each_task_menus_its_own_teachers_and_images_those_of_the_chosen_dataset() {
        let mut catalog = with_words(catalog(5000));
        let mut fashion = catalog.packs[0].clone();
        (fashion.teacher, fashion.dataset) = ("fashion-mlp".into(), "fashion".into());
        catalog.packs.push(fashion);
        let names = |task: Task, teacher| -> Vec<String> {
            (task.spec().teachers)(&catalog, teacher, Lang::En).into_iter().map(|(name, _)| name).collect()
        };
        assert_eq!(names(Task::Images, "mnist-mlp"), ["mnist-mlp"]);
        assert_eq!(names(Task::Images, "fashion-mlp"), ["fashion-mlp"]);
        assert_eq!(names(Task::Words, "words-en"), ["words-en"]);
        let (_, text) = &(Task::Words.spec().teachers)(&catalog, "words-en", Lang::En)[0];
        assert!(text.contains("words-en") && text.contains("2.47"), "{text}");
    }
}
