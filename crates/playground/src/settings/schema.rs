//! The table of settings ([`SCHEMA`]): one entry per setting with its URL key, control, label,
//! help, kind, range, default and whether a sweep may vary it, in the order of the controls, the
//! URL and the CSV columns.

use super::{AskAbout, Backend, Kind, Setting, Task};
use crate::i18n::Msg;
use distill_spec::{BeyondQuota, Mode, QueryStrategy, CLASSES};

/// Students the page suggests (any other that fits [`distill_spec::cost`] can be typed).
pub const SUGGESTED_STUDENTS: [&str; 6] = ["mlp:", "mlp:30-30", "mlp:100", "mlp:300", "mlp:800-800", "cnn:8-16-64"];
const CLASS_CHOICES: [&str; CLASSES + 1] = ["none", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
/// Asking once (no rounds), or in rounds chosen by one of the strategies.
const QUESTIONS: [&str; 4] = {
    let mut names = ["once"; 4];
    let mut i = 0;
    while i < QueryStrategy::NAMES.len() {
        names[i + 1] = QueryStrategy::NAMES[i];
        i += 1;
    }
    names
};
const DECIMALS: [&str; 8] = ["exact", "0", "1", "2", "3", "4", "5", "6"];
/// The settings of the teacher's API (the copier's questions and the owner's defences), which the
/// controls group apart from the training settings.
pub const API_SETTINGS: [&str; 13] = [
    "ask", "queries", "first", "round", "decimals", "noise", "quota", "beyond", "mark", "key", "green", "gamma",
    "share",
];
/// The settings the images task uses: all but the words watermark's.
pub const IMAGES_SETTINGS: [&str; 24] = [
    "task", "teacher", "student", "mode", "t", "alpha", "lr", "batch", "epochs", "budget", "ask", "queries", "first",
    "round", "decimals", "noise", "quota", "beyond", "mark", "key", "exclude", "dropout", "seed", "backend",
];
/// The settings the words task uses; the controls show only these when it is chosen.
pub const WORDS_SETTINGS: [&str; 16] = [
    "task", "teacher", "student", "mode", "t", "alpha", "lr", "batch", "epochs", "budget", "key", "green", "gamma",
    "share", "seed", "backend",
];
/// The settings the reasoning task uses: its student is the task's own small transformer.
pub const REASONING_SETTINGS: [&str; 11] =
    ["task", "teacher", "mode", "t", "alpha", "lr", "batch", "epochs", "budget", "seed", "backend"];

/// f32 fields read back as the decimal they were written as (0.1, not 0.10000000149).
fn widen(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(x as f64)
}

/// The table. Order is the order of the controls, the URL and the CSV columns.
pub const SCHEMA: [Setting; 27] = [
    Setting {
        key: "task",
        id: "task",
        label: Msg::Task,
        help: Msg::TaskHelp,
        column: None,
        kind: Kind::Choice {
            values: Task::NAMES,
            get: |s| s.task.to_string(),
            set: |s, v| s.set_task(v.parse().unwrap_or(s.task)),
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
            values: &Mode::NAMES,
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
            values: AskAbout::NAMES,
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
            values: &BeyondQuota::NAMES,
            get: |s| s.api.beyond.name().to_string(),
            set: |s, v| {
                let chosen = BeyondQuota::ALL.into_iter().find(|b| b.name() == v);
                s.set_api(|api| api.beyond = chosen.unwrap_or(api.beyond))
            },
        },
        default: "refuse",
        sweepable: true,
    },
    Setting {
        key: "mark",
        id: "mark",
        label: Msg::Watermark,
        help: Msg::WatermarkHelp,
        column: None,
        kind: Kind::Number {
            min: 0.0,
            max: 0.2,
            step: Some(0.001),
            slider: true,
            get: |s| s.train.defence.mark.rate,
            set: |s, v| s.train.defence.mark.rate = v,
        },
        default: "0",
        sweepable: true,
    },
    Setting {
        key: "key",
        id: "mark-key",
        label: Msg::WatermarkKey,
        help: Msg::WatermarkKeyHelp,
        column: None,
        kind: Kind::Number {
            min: 0.0,
            max: 1e9,
            step: Some(1.0),
            slider: false,
            get: |s| s.train.defence.mark.key as f64,
            set: |s, v| s.train.defence.set_key(v as u64),
        },
        default: "0",
        sweepable: true,
    },
    Setting {
        key: "green",
        id: "green",
        label: Msg::GreenStrength,
        help: Msg::GreenStrengthHelp,
        column: None,
        kind: Kind::Number {
            min: 0.0,
            max: 8.0,
            step: Some(0.5),
            slider: true,
            get: |s| widen(s.train.defence.green.delta),
            set: |s, v| s.train.defence.green.delta = v as f32,
        },
        default: "0",
        sweepable: true,
    },
    Setting {
        key: "gamma",
        id: "green-gamma",
        label: Msg::GreenGamma,
        help: Msg::GreenGammaHelp,
        column: None,
        kind: Kind::Number {
            min: 0.05,
            max: 0.95,
            step: Some(0.05),
            slider: true,
            get: |s| s.train.defence.green.gamma,
            set: |s, v| s.train.defence.green.gamma = v,
        },
        default: "0.25",
        sweepable: true,
    },
    Setting {
        key: "share",
        id: "green-share",
        label: Msg::GreenShare,
        help: Msg::GreenShareHelp,
        column: None,
        kind: Kind::Number {
            min: 0.0,
            max: 1.0,
            step: Some(0.05),
            slider: true,
            get: |s| s.train.defence.green.share,
            set: |s, v| s.train.defence.green.share = v,
        },
        default: "1",
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
            values: Backend::NAMES,
            get: |s| s.backend.to_string(),
            set: |s, v| s.backend = v.parse().unwrap_or(s.backend),
        },
        default: "auto",
        sweepable: false,
    },
];
