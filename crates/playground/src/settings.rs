//! Every setting of the playground, defined once. [`SCHEMA`] is one table in the spirit of
//! TensorFlow Playground's `State.PROPS`: an entry per setting with its URL key, label, help,
//! kind, range, default and whether a sweep may vary it. The URL ([`crate::url`]), the controls,
//! sweeps ([`crate::sweep`]), the results table and its CSV/JSON ([`crate::results`]) and the
//! embed `hide=`/`lock=` lists all read this table, so a control offers exactly what a link
//! accepts and a value shown is the value that trains.
//!
//! Adding a setting: a field (or a [`TrainConfig`] field it sets), one entry here, its tests.

use crate::i18n::{fill, Lang, Msg};
use crate::text::{compression, count};
use distill_data::words_pack::TOP_K;
use distill_spec::{Architecture, BeyondQuota, ConfigError, Mode, QueryRounds, QueryStrategy, TrainConfig, CLASSES};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where the students train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// WebGPU when the browser offers an adapter, the CPU otherwise.
    Auto,
    WebGpu,
    Cpu,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Auto => "auto",
            Backend::WebGpu => "webgpu",
            Backend::Cpu => "cpu",
        })
    }
}

impl FromStr for Backend {
    type Err = SettingError;
    fn from_str(s: &str) -> Result<Self, SettingError> {
        match s {
            "auto" => Ok(Backend::Auto),
            "webgpu" => Ok(Backend::WebGpu),
            "cpu" => Ok(Backend::Cpu),
            _ => Err(SettingError::Choice { key: "backend", value: s.to_string() }),
        }
    }
}

/// The images the copier asks the teacher about: its training images, or images the copier can
/// get without them (another dataset's, or pictures of random pen strokes it draws itself). For
/// those there are no true labels: the labels-only student learns the teacher's top labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AskAbout {
    #[default]
    Own,
    /// Fashion-MNIST's for an MNIST teacher, MNIST's for the Fashion-MNIST one.
    Other,
    Strokes,
}

impl fmt::Display for AskAbout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AskAbout::Own => "own",
            AskAbout::Other => "other",
            AskAbout::Strokes => "strokes",
        })
    }
}

impl FromStr for AskAbout {
    type Err = SettingError;
    fn from_str(s: &str) -> Result<Self, SettingError> {
        match s {
            "own" => Ok(AskAbout::Own),
            "other" => Ok(AskAbout::Other),
            "strokes" => Ok(AskAbout::Strokes),
            _ => Err(SettingError::Choice { key: "ask", value: s.to_string() }),
        }
    }
}

/// What the students learn: to classify images (MNIST, Fashion-MNIST), or to spell, a
/// character-level language model of a word list (issue 14). The teacher says which: a words
/// teacher's id starts with `words-` (`distill pack` names them so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Images,
    Words,
}

impl Task {
    pub fn of_teacher(teacher: &str) -> Task {
        if teacher.starts_with("words-") {
            Task::Words
        } else {
            Task::Images
        }
    }

    /// The teacher a task starts with when it is chosen.
    pub fn default_teacher(self) -> &'static str {
        match self {
            Task::Images => "mnist-mlp",
            Task::Words => "words-en",
        }
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Task::Images => "images",
            Task::Words => "words",
        })
    }
}

/// Width of a word student's letter embeddings (the `student` setting gives its hidden layers).
pub const WORD_EMBEDDING: usize = 8;

/// Parameters of a word student with these `hidden` layers over `context` tokens of a
/// `vocabulary`: the embeddings, the layers, the output.
pub fn word_student_parameters(hidden: &[usize], context: usize, vocabulary: usize) -> u64 {
    let mut width = WORD_EMBEDDING * context;
    let mut total = vocabulary * WORD_EMBEDDING;
    for &h in hidden {
        total += width * h + h;
        width = h;
    }
    (total + width * vocabulary + vocabulary) as u64
}

/// One experiment: the teacher (which fixes the dataset), the student's training run, and where
/// it runs. The page always has a budget (`train.budget` is `Some`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub teacher: String,
    pub train: TrainConfig,
    pub backend: Backend,
    /// The round sizes and the quota as their controls show them, also while rounds or the quota
    /// are off; `train.queries` and `train.defence.quota` are made from them ([`Settings::set_api`]).
    pub api: Api,
}

/// The copier's rounds and the API's quota as the controls hold them: switching rounds or the
/// quota off and on again keeps their sizes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Api {
    pub ask: AskAbout,
    /// `None`: the whole budget asked at once, at random.
    pub strategy: Option<QueryStrategy>,
    pub first_round: usize,
    pub round: usize,
    /// Honest answers per user; 0 is no quota.
    pub quota: usize,
    pub beyond: BeyondQuota,
}

/// Why a value was refused; the text names the setting and the value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingError {
    #[error("{key}={value} is not a number")]
    NotANumber { key: &'static str, value: String },
    #[error("{key}={value}: expected one of {}", choices(key))]
    Choice { key: &'static str, value: String },
    #[error("{0}")]
    Architecture(#[from] distill_spec::ArchitectureError),
    /// The student and batch together would cost more than a tab can give ([`distill_spec::cost`]).
    #[error("{0}")]
    Cost(distill_spec::CostError),
}

fn choices(key: &str) -> String {
    find(key).map(|s| s.values().join(", ")).unwrap_or_default()
}

impl SettingError {
    /// The message in `lang` (the parts that quote the link stay as they are).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SettingError::NotANumber { key, value } => {
                fill(Msg::KeyValueIsNotANumber.text(lang), &[("key", key.to_string()), ("value", value.clone())])
            }
            SettingError::Choice { key, value } => fill(
                Msg::KeyValueExpectedOneOf.text(lang),
                &[("key", key.to_string()), ("value", value.clone()), ("choices", choices(key))],
            ),
            SettingError::Architecture(e) => e.to_string(),
            SettingError::Cost(e) => {
                use distill_spec::cost::gflop;
                let hint = match e.largest_batch {
                    Some(batch) => fill(Msg::ABatchOfOrLessFits.text(lang), &[("batch", batch.to_string())]),
                    None => Msg::ChooseASmallerStudent.text(lang).to_string(),
                };
                fill(
                    Msg::StudentCostsTooMuch.text(lang),
                    &[
                        ("student", e.architecture.to_string()),
                        ("batch", e.batch.to_string()),
                        ("mib", e.mib().to_string()),
                        ("gflop", gflop(e.flops)),
                        ("limit_mib", (distill_spec::MAX_STUDENT_BYTES >> 20).to_string()),
                        ("limit_gflop", gflop(distill_spec::MAX_STEP_FLOPS)),
                        ("hint", hint),
                    ],
                )
            }
        }
    }
}

/// What a setting holds and how the page draws it.
pub enum Kind {
    /// A number in `min..=max`, rounded to a multiple of `step` above `min` when there is one.
    Number {
        min: f64,
        max: f64,
        step: Option<f64>,
        /// A range slider (else a number box).
        slider: bool,
        get: fn(&Settings) -> f64,
        set: fn(&mut Settings, f64),
    },
    /// One of `values`.
    Choice { values: &'static [&'static str], get: fn(&Settings) -> String, set: fn(&mut Settings, &str) },
    /// The student's architecture, typed (the page suggests a few).
    Student,
    /// A teacher id; the catalog says which exist.
    Teacher,
}

/// One setting: everything the URL, the controls, sweeps and the results need to know about it.
pub struct Setting {
    /// URL parameter, `hide=`/`lock=` name, sweep key and CSV column.
    pub key: &'static str,
    /// The control's element id.
    pub id: &'static str,
    pub label: Msg,
    pub help: Msg,
    /// Column header in the results table, when the table shows it.
    pub column: Option<Msg>,
    pub kind: Kind,
    /// As written in a link.
    pub default: &'static str,
    pub sweepable: bool,
}

/// Students the page suggests (any other that fits [`distill_spec::cost`] can be typed).
pub const SUGGESTED_STUDENTS: [&str; 6] = ["mlp:", "mlp:30-30", "mlp:100", "mlp:300", "mlp:800-800", "cnn:8-16-64"];
const MODES: [&str; 12] =
    ["soft", "top1", "top2", "top3", "top4", "top5", "top6", "top7", "top8", "top9", "labels", "text"];
const TASKS: [&str; 2] = ["images", "words"];
const CLASS_CHOICES: [&str; CLASSES + 1] = ["none", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
const BACKENDS: [&str; 3] = ["auto", "webgpu", "cpu"];
const ASK_ABOUT: [&str; 3] = ["own", "other", "strokes"];
const QUESTIONS: [&str; 4] = ["once", "random", "uncertainty", "diversity"];
const DECIMALS: [&str; 8] = ["exact", "0", "1", "2", "3", "4", "5", "6"];
const BEYOND: [&str; 2] = ["refuse", "random"];
/// The settings of the teacher's API (the copier's questions and the owner's defences), which the
/// controls group apart from the training settings.
pub const API_SETTINGS: [&str; 8] = ["ask", "queries", "first", "round", "decimals", "noise", "quota", "beyond"];
/// The settings the words task uses; the controls show only these when it is chosen.
pub const WORDS_SETTINGS: [&str; 12] =
    ["task", "teacher", "student", "mode", "t", "alpha", "lr", "batch", "epochs", "budget", "seed", "backend"];

/// f32 fields read back as the decimal they were written as (0.1, not 0.10000000149).
fn widen(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(x as f64)
}

/// The table. Order is the order of the controls, the URL and the CSV columns.
pub const SCHEMA: [Setting; 22] = [
    Setting {
        key: "task",
        id: "task",
        label: Msg::Task,
        help: Msg::TaskHelp,
        column: None,
        kind: Kind::Choice {
            values: &TASKS,
            get: |s| s.task().to_string(),
            set: |s, v| s.set_task(if v == "words" { Task::Words } else { Task::Images }),
        },
        default: "images",
        sweepable: false,
    },
    Setting {
        key: "teacher",
        id: "teacher",
        label: Msg::Teacher,
        help: Msg::TheBigNetworkTrainedOffline,
        column: None,
        kind: Kind::Teacher,
        default: "mnist-mlp",
        sweepable: false,
    },
    Setting {
        key: "student",
        id: "student",
        label: Msg::Student,
        help: Msg::TheSmallNetworkTrainedHere,
        column: Some(Msg::Student),
        kind: Kind::Student,
        default: "mlp:100",
        sweepable: true,
    },
    Setting {
        key: "mode",
        id: "mode",
        label: Msg::WhatTheStudentSeesOf,
        help: Msg::WhiteBoxTheFullProbability,
        column: Some(Msg::Mode),
        kind: Kind::Choice {
            values: &MODES,
            get: |s| s.train.mode.to_string(),
            set: |s, v| s.train.mode = v.parse().unwrap_or(s.train.mode),
        },
        default: "soft",
        sweepable: true,
    },
    Setting {
        key: "t",
        id: "temperature",
        label: Msg::TemperatureT,
        help: Msg::DividesTheTeachersLogitsBefore,
        column: Some(Msg::T),
        kind: Kind::Number {
            min: 1.0,
            max: 20.0,
            step: Some(0.1),
            slider: true,
            get: |s| widen(s.train.temperature),
            set: |s, v| s.train.temperature = v as f32,
        },
        default: "2",
        sweepable: true,
    },
    Setting {
        key: "alpha",
        id: "alpha",
        label: Msg::WeightOfTheTeacher,
        help: Msg::TheLossIsSoftLoss,
        column: Some(Msg::Alpha),
        kind: Kind::Number {
            min: 0.0,
            max: 1.0,
            step: Some(0.01),
            slider: true,
            get: |s| widen(s.train.alpha),
            set: |s, v| s.train.alpha = v as f32,
        },
        default: "0.5",
        sweepable: true,
    },
    Setting {
        key: "lr",
        id: "learning-rate",
        label: Msg::LearningRate,
        help: Msg::StepSizeOfTheAdam,
        column: Some(Msg::LearningRate),
        kind: Kind::Number {
            min: 1e-5,
            max: 1.0,
            step: None,
            slider: false,
            get: |s| s.train.learning_rate,
            set: |s, v| s.train.learning_rate = v,
        },
        default: "0.01",
        sweepable: true,
    },
    Setting {
        key: "batch",
        id: "batch-size",
        label: Msg::BatchSize,
        help: Msg::ExamplesPerOptimiserStep,
        column: Some(Msg::BatchSize),
        kind: Kind::Number {
            min: 1.0,
            max: 1024.0,
            step: Some(1.0),
            slider: false,
            get: |s| s.train.batch_size as f64,
            set: |s, v| s.train.batch_size = v as usize,
        },
        default: "64",
        sweepable: true,
    },
    Setting {
        key: "epochs",
        id: "epochs",
        label: Msg::TrainingLengthEpochs,
        help: Msg::PassesOverTheTransferSet,
        column: Some(Msg::Epochs),
        kind: Kind::Number {
            min: 0.1,
            max: 500.0,
            step: Some(0.1),
            slider: false,
            get: |s| s.train.epochs,
            set: |s, v| s.train.epochs = v,
        },
        default: "20",
        sweepable: true,
    },
    Setting {
        key: "budget",
        id: "budget",
        label: Msg::QueryBudgetTrainingExamples,
        help: Msg::HowManyTrainingImagesThe,
        column: Some(Msg::Budget),
        kind: Kind::Number {
            min: 1.0,
            max: 60_000.0,
            step: Some(1.0),
            slider: true,
            get: |s| s.budget() as f64,
            set: |s, v| s.train.budget = Some(v as usize),
        },
        default: "2000",
        sweepable: true,
    },
    Setting {
        key: "ask",
        id: "ask-about",
        label: Msg::AskedAbout,
        help: Msg::AskedAboutHelp,
        column: Some(Msg::AskedAbout),
        kind: Kind::Choice {
            values: &ASK_ABOUT,
            get: |s| s.api.ask.to_string(),
            set: |s, v| s.api.ask = v.parse().unwrap_or(s.api.ask),
        },
        default: "own",
        sweepable: true,
    },
    Setting {
        key: "queries",
        id: "queries",
        label: Msg::Questions,
        help: Msg::HowTheCopierAsksHelp,
        column: Some(Msg::Questions),
        kind: Kind::Choice {
            values: &QUESTIONS,
            get: |s| s.api.strategy.map_or("once".to_string(), |q| q.to_string()),
            set: |s, v| s.set_api(|api| api.strategy = v.parse().ok()),
        },
        default: "once",
        sweepable: true,
    },
    Setting {
        key: "first",
        id: "first-round",
        label: Msg::FirstRound,
        help: Msg::FirstRoundHelp,
        column: None,
        kind: Kind::Number {
            min: 10.0,
            max: 60_000.0,
            step: Some(1.0),
            slider: false,
            get: |s| s.api.first_round as f64,
            set: |s, v| s.set_api(|api| api.first_round = v as usize),
        },
        default: "100",
        sweepable: true,
    },
    Setting {
        key: "round",
        id: "round-size",
        label: Msg::EachLaterRound,
        help: Msg::EachLaterRoundHelp,
        column: None,
        kind: Kind::Number {
            min: 10.0,
            max: 60_000.0,
            step: Some(1.0),
            slider: false,
            get: |s| s.api.round as f64,
            set: |s, v| s.set_api(|api| api.round = v as usize),
        },
        default: "100",
        sweepable: true,
    },
    Setting {
        key: "decimals",
        id: "decimals",
        label: Msg::RoundedTo,
        help: Msg::RoundedToHelp,
        column: None,
        kind: Kind::Choice {
            values: &DECIMALS,
            get: |s| s.train.defence.decimals.map_or("exact".to_string(), |d| d.to_string()),
            set: |s, v| s.train.defence.decimals = v.parse().ok(),
        },
        default: "exact",
        sweepable: true,
    },
    Setting {
        key: "noise",
        id: "noise",
        label: Msg::NoiseOnTheAnswers,
        help: Msg::NoiseOnTheAnswersHelp,
        column: None,
        kind: Kind::Number {
            min: 0.0,
            max: 1.0,
            step: Some(0.01),
            slider: true,
            get: |s| widen(s.train.defence.noise),
            set: |s, v| s.train.defence.noise = v as f32,
        },
        default: "0",
        sweepable: true,
    },
    Setting {
        key: "quota",
        id: "quota",
        label: Msg::QuotaPerUser,
        help: Msg::QuotaPerUserHelp,
        column: None,
        kind: Kind::Number {
            min: 0.0,
            max: 60_000.0,
            step: Some(1.0),
            slider: false,
            get: |s| s.api.quota as f64,
            set: |s, v| s.set_api(|api| api.quota = v as usize),
        },
        default: "0",
        sweepable: true,
    },
    Setting {
        key: "beyond",
        id: "beyond-quota",
        label: Msg::BeyondTheQuota,
        help: Msg::BeyondTheQuotaHelp,
        column: None,
        kind: Kind::Choice {
            values: &BEYOND,
            get: |s| beyond_name(s.api.beyond).to_string(),
            set: |s, v| {
                s.set_api(|api| api.beyond = if v == "random" { BeyondQuota::Random } else { BeyondQuota::Refuse })
            },
        },
        default: "refuse",
        sweepable: true,
    },
    Setting {
        key: "exclude",
        id: "excluded",
        label: Msg::MissingClass,
        help: Msg::LeaveEveryExampleOfOne,
        column: None,
        kind: Kind::Choice {
            values: &CLASS_CHOICES,
            get: |s| s.train.excluded_class.map(|c| c.to_string()).unwrap_or("none".into()),
            set: |s, v| s.train.excluded_class = v.parse().ok(),
        },
        default: "none",
        sweepable: false,
    },
    Setting {
        key: "dropout",
        id: "dropout",
        label: Msg::StudentDropout,
        help: Msg::DropoutHelp,
        column: None,
        kind: Kind::Number {
            min: 0.0,
            max: 0.9,
            step: Some(0.05),
            slider: true,
            get: |s| s.train.dropout,
            set: |s, v| s.train.dropout = v,
        },
        default: "0",
        sweepable: true,
    },
    Setting {
        key: "seed",
        id: "seed",
        label: Msg::Seed,
        help: Msg::FixesTheInitialWeightsAnd,
        column: None,
        kind: Kind::Number {
            min: 0.0,
            max: 1e9,
            step: Some(1.0),
            slider: false,
            get: |s| s.train.seed as f64,
            set: |s, v| s.train.seed = v as u64,
        },
        default: "1",
        sweepable: true,
    },
    Setting {
        key: "backend",
        id: "backend",
        label: Msg::Backend2,
        help: Msg::WebGPURunsOnYourGraphics,
        column: None,
        kind: Kind::Choice {
            values: &BACKENDS,
            get: |s| s.backend.to_string(),
            set: |s, v| s.backend = v.parse().unwrap_or(s.backend),
        },
        default: "auto",
        sweepable: false,
    },
];

fn beyond_name(beyond: BeyondQuota) -> &'static str {
    match beyond {
        BeyondQuota::Refuse => "refuse",
        BeyondQuota::Random => "random",
    }
}

/// Two settings are the same setting when they have the same key.
impl PartialEq for Setting {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl fmt::Debug for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)
    }
}

/// The setting called `key` in links.
pub fn find(key: &str) -> Option<&'static Setting> {
    SCHEMA.iter().find(|s| s.key == key)
}

/// A value that was changed to fit: out of range, or between two steps of its control.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjusted {
    pub key: &'static str,
    pub given: String,
    pub used: String,
    pub out_of_range: bool,
}

/// A number's shortest decimal form (`0.5`, `64`, `0.003`).
pub fn print_number(v: f64) -> String {
    v.to_string()
}

impl Setting {
    /// The value in `settings`, as a link writes it.
    pub fn read(&self, settings: &Settings) -> String {
        match &self.kind {
            Kind::Number { get, .. } => print_number(get(settings)),
            Kind::Choice { get, .. } => get(settings),
            Kind::Student => settings.train.architecture.to_string(),
            Kind::Teacher => settings.teacher.clone(),
        }
    }

    /// The values a choice offers (empty for the other kinds).
    pub fn values(&self) -> Vec<&'static str> {
        match &self.kind {
            Kind::Choice { values, .. } => values.to_vec(),
            _ => Vec::new(),
        }
    }

    /// `min..=max` of a number, with the budget held to the rows the pack has.
    pub fn range(&self, train_rows: Option<usize>) -> Option<(f64, f64)> {
        match &self.kind {
            Kind::Number { min, max, .. } if self.key == "budget" => {
                Some((*min, train_rows.map_or(*max, |rows| (rows as f64).clamp(*min, *max))))
            }
            Kind::Number { min, max, .. } => Some((*min, *max)),
            _ => None,
        }
    }

    /// Parses `raw` into `settings`. A number out of range or between steps is moved to the
    /// nearest value the control can show, and that is reported; anything unreadable is refused
    /// and `settings` is left as it was.
    /// Sets this setting from text (a link's, a control's, a sweep's) and says how the value was
    /// adjusted; a refusal changes nothing. A student and batch that together cost more than a tab
    /// can give are refused whichever of the two was set last.
    pub fn write(&self, settings: &mut Settings, raw: &str) -> Result<Option<Adjusted>, SettingError> {
        let mut changed = settings.clone();
        let adjusted = self.write_value(&mut changed, raw)?;
        changed.train.check_cost().map_err(SettingError::Cost)?;
        *settings = changed;
        Ok(adjusted)
    }

    fn write_value(&self, settings: &mut Settings, raw: &str) -> Result<Option<Adjusted>, SettingError> {
        let raw = raw.trim();
        match &self.kind {
            Kind::Number { step, set, .. } => {
                let value: f64 = raw
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite())
                    .ok_or_else(|| SettingError::NotANumber { key: self.key, value: raw.to_string() })?;
                let (min, max) = self.range(None).unwrap_or((value, value));
                let used = snap(value.clamp(min, max), min, *step);
                set(settings, used);
                Ok((used != value).then(|| Adjusted {
                    key: self.key,
                    given: raw.to_string(),
                    used: print_number(used),
                    out_of_range: !(min..=max).contains(&value),
                }))
            }
            Kind::Choice { values, set, .. } => {
                if !values.contains(&raw) {
                    return Err(SettingError::Choice { key: self.key, value: raw.to_string() });
                }
                set(settings, raw);
                Ok(None)
            }
            Kind::Student => {
                settings.train.architecture = raw.parse::<Architecture>()?;
                Ok(None)
            }
            Kind::Teacher => {
                settings.teacher = raw.to_string();
                Ok(None)
            }
        }
    }

    /// A choice's text in the controls.
    pub fn describe(&self, value: &str, context: &Describe) -> String {
        let lang = context.lang;
        match (self.key, value) {
            ("mode", "soft") => Msg::SoftTargetsWhiteBoxAll.text(lang).to_string(),
            ("mode", "top1") => Msg::TeachersTop1LabelOnly.text(lang).to_string(),
            ("mode", "labels") => Msg::LabelsOnlyNoTeacher.text(lang).to_string(),
            ("mode", "text") => Msg::TheWordsTheTeacherWrote.text(lang).to_string(),
            ("task", "images") => Msg::TaskImages.text(lang).to_string(),
            ("task", "words") => Msg::TaskWords.text(lang).to_string(),
            ("mode", top) => fill(Msg::TeachersTopKProbabilities.text(lang), &[("k", top[3..].to_string())]),
            ("exclude", "none") => Msg::NoneEveryClassIsIn.text(lang).to_string(),
            ("exclude", class) => {
                let name = class.parse::<usize>().ok().and_then(|c| context.class_names.get(c)).cloned();
                fill(Msg::LeaveOutEveryName.text(lang), &[("name", name.unwrap_or_else(|| class.to_string()))])
            }
            ("ask", "own") => Msg::TheTeachersTrainingImages.text(lang).to_string(),
            ("ask", "other") => Msg::AnotherDatasetsImages.text(lang).to_string(),
            ("ask", "strokes") => Msg::RandomPenStrokes.text(lang).to_string(),
            ("queries", "once") => Msg::AllAtOnceAtRandom.text(lang).to_string(),
            ("queries", "random") => Msg::InRoundsAtRandom.text(lang).to_string(),
            ("queries", "uncertainty") => Msg::InRoundsLeastSure.text(lang).to_string(),
            ("queries", "diversity") => Msg::InRoundsUnlikeAsked.text(lang).to_string(),
            ("decimals", "exact") => Msg::ExactProbabilities.text(lang).to_string(),
            ("decimals", d) => fill(Msg::DecimalsCount.text(lang), &[("decimals", d.to_string())]),
            ("beyond", "refuse") => Msg::RefuseToAnswer.text(lang).to_string(),
            ("beyond", "random") => Msg::AnswerAtRandom.text(lang).to_string(),
            ("backend", "auto") => Msg::AutomaticWebGPUIfAvailable.text(lang).to_string(),
            ("backend", "webgpu") => Msg::WebGPU.text(lang).to_string(),
            ("backend", "cpu") => Msg::CPUWasm.text(lang).to_string(),
            ("student", student) => match student.parse::<Architecture>() {
                Ok(a) => format!(
                    "{student} — {}",
                    fill(
                        Msg::ParametersParametersRatioSmallerThan.text(lang),
                        &[
                            ("parameters", count(a.parameters() as u64)),
                            ("ratio", compression(context.teacher_parameters, a.parameters() as u64)),
                        ]
                    )
                ),
                Err(_) => student.to_string(),
            },
            _ => value.to_string(),
        }
    }
}

/// What the control texts depend on besides the value.
pub struct Describe<'a> {
    pub lang: Lang,
    pub class_names: &'a [String],
    pub teacher_parameters: u64,
}

/// `value` moved onto the grid `min + k·step`, printed without float noise (0.3, not 0.30000000000000004).
fn snap(value: f64, min: f64, step: Option<f64>) -> f64 {
    let Some(step) = step else { return value };
    let decimals = print_number(step).split_once('.').map_or(0, |(_, d)| d.len())
        + print_number(min).split_once('.').map_or(0, |(_, d)| d.len());
    let snapped = min + ((value - min) / step).round() * step;
    format!("{snapped:.decimals$}").parse().unwrap_or(snapped)
}

impl Default for Settings {
    /// Every entry's default. Measured natively on the 5,000-row MNIST pack with the `mnist-mlp`
    /// teacher: the distilled student beats the labels-only one by 1.5 points (94.4% vs 92.8% on
    /// 2,000 examples), within seconds.
    fn default() -> Self {
        let mut settings = Settings {
            teacher: String::new(),
            train: TrainConfig {
                architecture: Architecture::Mlp { hidden: vec![] },
                mode: Mode::Soft,
                temperature: 1.0,
                alpha: 0.0,
                learning_rate: 1e-3,
                batch_size: 1,
                epochs: 1.0,
                dropout: 0.0,
                jitter: 0,
                budget: Some(1),
                excluded_class: None,
                seed: 0,
                queries: None,
                defence: Default::default(),
            },
            backend: Backend::Auto,
            api: Api {
                ask: AskAbout::Own,
                strategy: None,
                first_round: 1,
                round: 1,
                quota: 0,
                beyond: BeyondQuota::Refuse,
            },
        };
        for setting in &SCHEMA {
            // Checked by the tests: every default is a valid value.
            let _ = setting.write(&mut settings, setting.default);
        }
        settings
    }
}

impl Settings {
    /// Changes the API's settings and makes the run's rounds and quota from them.
    pub fn set_api(&mut self, change: impl FnOnce(&mut Api)) {
        change(&mut self.api);
        let api = self.api;
        self.train.queries =
            api.strategy.map(|strategy| QueryRounds { strategy, seed_size: api.first_round, round_size: api.round });
        self.train.defence.quota = (api.quota > 0).then_some((api.quota, api.beyond));
    }

    pub fn task(&self) -> Task {
        Task::of_teacher(&self.teacher)
    }

    /// Switches to `task` with its default teacher; a mode or student the new task cannot train
    /// (text for images, top9 or a CNN for words) goes back to the default.
    pub fn set_task(&mut self, task: Task) {
        if self.task() == task {
            return;
        }
        self.teacher = task.default_teacher().to_string();
        let defaults = Settings::default();
        if self.check().is_err_and(|e| matches!(e, ConfigError::WordsNeedAnMlp(_))) {
            self.train.architecture = defaults.train.architecture;
        }
        if self.check().is_err_and(|e| matches!(e, ConfigError::TextIsForWords | ConfigError::WordsTopK(_))) {
            self.train.mode = defaults.train.mode;
        }
    }

    /// The values a choice offers for this task: `text` only for words, `top9` not (the words
    /// pack caches 8 letters).
    pub fn choices(&self, setting: &Setting) -> Vec<&'static str> {
        let task = self.task();
        let offered = |v: &&str| match (setting.key, *v) {
            ("mode", "text") => task == Task::Words,
            ("mode", "top9") => task == Task::Images,
            _ => true,
        };
        setting.values().into_iter().filter(offered).collect()
    }

    /// The label and help a setting's control shows for this task.
    pub fn words_for(&self, setting: &Setting) -> (Msg, Msg) {
        match (self.task(), setting.key) {
            (Task::Words, "budget") => (Msg::WordsAsked, Msg::WordsAskedHelp),
            (Task::Words, "teacher") => (setting.label, Msg::WordsTeacherHelp),
            (Task::Words, "mode") => (setting.label, Msg::WordsModeHelp),
            (Task::Words, "student") => (setting.label, Msg::WordsStudentHelp),
            _ => (setting.label, setting.help),
        }
    }

    /// Whether the controls show `setting` for this task.
    pub fn uses(&self, setting: &Setting) -> bool {
        self.task() == Task::Images || WORDS_SETTINGS.contains(&setting.key)
    }

    /// Examples the students may learn from (before a left-out class is removed); in the words
    /// task, the words they read (and ask the teacher about).
    pub fn budget(&self) -> usize {
        self.train.budget.unwrap_or(0)
    }

    /// The same experiment for the student that learns from labels alone (the baseline).
    pub fn labels_only(&self) -> Settings {
        Settings { train: self.train.labels_only(), ..self.clone() }
    }

    /// Holds the budget to the rows the pack has; says so when it had to.
    pub fn fit_to_pack(&mut self, train_rows: usize) -> Option<Adjusted> {
        let budget = self.budget();
        (budget > train_rows).then(|| {
            self.train.budget = Some(train_rows);
            Adjusted { key: "budget", given: budget.to_string(), used: train_rows.to_string(), out_of_range: true }
        })
    }

    /// Whether the run can train, for its task (the words pack caches [`TOP_K`] letters).
    pub fn check(&self) -> Result<(), distill_spec::ConfigError> {
        match self.task() {
            Task::Images => self.train.validate(),
            Task::Words => self.train.validate_words(TOP_K),
        }
    }

    /// The run's configuration, or why it cannot train.
    pub fn train_config(&self) -> Result<TrainConfig, distill_spec::ConfigError> {
        self.train.validate()?;
        Ok(self.train.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_spec::Defence;

    #[test]
    fn every_default_is_a_valid_value_and_reads_back_as_written() {
        let defaults = Settings::default();
        for setting in &SCHEMA {
            let mut fresh = defaults.clone();
            assert_eq!(setting.write(&mut fresh, setting.default), Ok(None), "{}", setting.key);
            assert_eq!(setting.read(&defaults), setting.default, "{}", setting.key);
        }
        assert_eq!(defaults.train.architecture.to_string(), "mlp:100");
        assert!(defaults.train_config().is_ok());
        let keys: Vec<&str> = SCHEMA.iter().map(|s| s.key).collect();
        let mut unique = keys.clone();
        unique.dedup();
        assert_eq!(keys, unique, "one entry per key");
    }

    #[test]
    fn numbers_are_clamped_and_snapped_to_what_the_control_shows() {
        let mut s = Settings::default();
        let t = find("t").unwrap();
        assert_eq!(t.write(&mut s, "4.25").unwrap().map(|a| a.used), Some("4.3".to_string()));
        assert_eq!(t.read(&s), "4.3");
        assert_eq!(t.write(&mut s, "999").unwrap().map(|a| a.used), Some("20".to_string()));
        assert_eq!(t.write(&mut s, "2.5"), Ok(None));
        assert_eq!(s.train.temperature, 2.5);
        let batch = find("batch").unwrap();
        assert_eq!(batch.write(&mut s, "100.4").unwrap().map(|a| a.used), Some("100".to_string()));
        assert_eq!(s.train.batch_size, 100);
        let err = batch.write(&mut s, "abc").unwrap_err();
        assert_eq!(err.to_string(), "batch=abc is not a number");
        assert_eq!(s.train.batch_size, 100, "a refused value changes nothing");
        let alpha = find("alpha").unwrap();
        assert_eq!(alpha.write(&mut s, "0.3"), Ok(None));
        assert_eq!(alpha.read(&s), "0.3");
        let lr = find("lr").unwrap();
        assert_eq!(lr.write(&mut s, "0.0037"), Ok(None), "the learning rate has no grid");
        assert_eq!(lr.write(&mut s, "NaN").unwrap_err().to_string(), "lr=NaN is not a number");
    }

    #[test]
    fn choices_students_and_the_budget_cap() {
        let mut s = Settings::default();
        assert!(find("mode").unwrap().write(&mut s, "top7").is_ok(), "every top-k a link accepts is offered");
        assert_eq!(s.train.mode, Mode::TopK(7));
        let err = find("mode").unwrap().write(&mut s, "top42").unwrap_err();
        assert!(err.to_string().contains("soft, top1, top2"), "{err}");
        let student = find("student").unwrap();
        let refused = student.write(&mut s, "mlp:4096-4096-4096").unwrap_err();
        assert!(refused.text(Lang::En).contains("needs about 1"), "{}", refused.text(Lang::En));
        // 78k parameters, but 12.8 MB of activations an image: a batch of 64 would take ~2.4 GB.
        let before = s.clone();
        let wide = student.write(&mut s, "cnn:4096-1-1").unwrap_err().text(Lang::En);
        assert!(wide.contains("cnn:4096-1-1 at batch 64") && wide.contains("or less fits"), "{wide}");
        assert_eq!(s, before, "a refusal changes nothing");
        find("batch").unwrap().write(&mut s, "2").unwrap();
        student.write(&mut s, "cnn:4096-1-1").expect("at a small batch it fits");
        assert!(find("batch").unwrap().write(&mut s, "64").is_err(), "and the batch cannot grow past the bound");
        assert!(student.write(&mut s, "mlp:x").unwrap_err().to_string().contains("mlp:x"));
        assert_eq!(student.write(&mut s, "cnn:8-16-64"), Ok(None));
        s.train.budget = Some(9000);
        assert_eq!(s.fit_to_pack(5000).map(|a| a.used), Some("5000".to_string()));
        assert_eq!(s.budget(), 5000);
        assert_eq!(s.fit_to_pack(5000), None);
        assert_eq!(find("budget").unwrap().range(Some(5000)), Some((1.0, 5000.0)));
        for &student in &SUGGESTED_STUDENTS {
            assert_eq!(find("student").unwrap().write(&mut s, student), Ok(None), "{student}");
        }
    }

    #[test]
    fn the_api_settings_make_the_rounds_and_the_quota_and_keep_their_sizes_while_off() {
        let mut s = Settings::default();
        assert_eq!((s.train.queries, s.train.defence), (None, Defence::default()), "by default: once, undefended");
        for (key, value) in [("round", "50"), ("first", "200"), ("quota", "700"), ("beyond", "random")] {
            assert_eq!(find(key).unwrap().write(&mut s, value), Ok(None), "{key}");
        }
        assert_eq!(s.train.queries, None, "sizes alone do not ask in rounds");
        assert_eq!(s.train.defence.quota, Some((700, BeyondQuota::Random)));
        find("queries").unwrap().write(&mut s, "uncertainty").unwrap();
        let rounds = QueryRounds { strategy: QueryStrategy::Uncertainty, seed_size: 200, round_size: 50 };
        assert_eq!(s.train.queries, Some(rounds));
        find("queries").unwrap().write(&mut s, "once").unwrap();
        find("quota").unwrap().write(&mut s, "0").unwrap();
        assert_eq!((s.train.queries, s.train.defence.quota), (None, None));
        find("queries").unwrap().write(&mut s, "diversity").unwrap();
        assert_eq!(s.train.queries, Some(QueryRounds { strategy: QueryStrategy::Diversity, ..rounds }), "sizes kept");
        find("decimals").unwrap().write(&mut s, "2").unwrap();
        find("noise").unwrap().write(&mut s, "0.1").unwrap();
        assert_eq!((s.train.defence.decimals, s.train.defence.noise), (Some(2), 0.1));
        assert_eq!(find("noise").unwrap().read(&s), "0.1");
        assert!(find("decimals").unwrap().write(&mut s, "7").is_err(), "the API rounds to 0–6 decimals");
        assert!(find("queries").unwrap().write(&mut s, "entropy").is_err());
        assert!(s.train_config().is_ok());
    }

    #[test]
    fn labels_only_keeps_everything_but_the_teacher() {
        let s = Settings { train: TrainConfig { dropout: 0.2, ..Settings::default().train }, ..Settings::default() };
        let b = s.labels_only();
        assert_eq!((b.train.mode, b.train.alpha, b.train.dropout), (Mode::LabelsOnly, 0.0, 0.2));
        assert_eq!(b.teacher, s.teacher);
    }
}
