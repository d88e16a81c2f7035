//! Every setting of the playground, defined once. [`SCHEMA`] is one table in the spirit of
//! TensorFlow Playground's `State.PROPS`: an entry per setting with its URL key, label, help,
//! kind, range, default and whether a sweep may vary it. The URL ([`crate::url`]), the controls,
//! sweeps ([`crate::sweep`]), the results table and its CSV/JSON ([`crate::results`]) and the
//! embed `hide=`/`lock=` lists all read this table, so a control offers exactly what a link
//! accepts and a value shown is the value that trains.
//!
//! Adding a setting: a field (or a [`TrainConfig`] field it sets), one entry in [`SCHEMA`]
//! (`settings/schema.rs`), its tests. A choice of a few named values is an enum made by `choices!`.

use crate::i18n::{fill, Lang, Msg};
use distill_data::catalog::Catalog;
use distill_data::reasoning_pack::ReasonerShape;
use distill_spec::{Architecture, BeyondQuota, ConfigError, Mode, QueryRounds, QueryStrategy, TrainConfig};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

mod schema;
mod setting;

pub use schema::{API_SETTINGS, IMAGES_SETTINGS, REASONING_SETTINGS, SCHEMA, SUGGESTED_STUDENTS, WORDS_SETTINGS};
pub use setting::{find, print_number, Adjusted, Describe, Kind, Setting};

/// An enum of a setting's choices, each spelled once: `NAMES` (what the control offers and a link
/// accepts), `Display` and `FromStr` (a refusal names the setting's `key`) all come from this list.
macro_rules! choices {
    ($(#[$meta:meta])* pub enum $name:ident for $key:literal {
        $($(#[$variant_meta:meta])* $variant:ident = $spelling:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub const NAMES: &'static [&'static str] = &[$($spelling),*];

            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $spelling,)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = SettingError;
            fn from_str(s: &str) -> Result<Self, SettingError> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|choice| choice.name() == s)
                    .ok_or_else(|| SettingError::Choice { key: $key, value: s.to_string() })
            }
        }
    };
}

choices! {
    /// Where the students train.
    pub enum Backend for "backend" {
        /// WebGPU when the browser offers an adapter, the CPU otherwise.
        Auto = "auto",
        WebGpu = "webgpu",
        Cpu = "cpu",
    }
}

choices! {
    /// The images the copier asks the teacher about: its training images, or images the copier can
    /// get without them (another dataset's, or pictures of random pen strokes it draws itself). For
    /// those there are no true labels: the labels-only student learns the teacher's top labels.
    pub enum AskAbout for "ask" {
        Own = "own",
        /// Fashion-MNIST's for an MNIST teacher, MNIST's for the Fashion-MNIST one.
        Other = "other",
        Strokes = "strokes",
    }
}

choices! {
    /// What the students learn: to classify images (MNIST, Fashion-MNIST), to spell, a
    /// character-level language model of a word list (issue 14), or to solve problems step by
    /// step, a small transformer (issue 35). Chosen once, by `task=` (or by a link's teacher of
    /// this task, [`crate::url::Link::fit_to_catalog`]).
    pub enum Task for "task" {
        Images = "images",
        Words = "words",
        Reasoning = "reasoning",
    }
}

impl Default for Task {
    /// The task a page opens with, and falls back to where a catalog lacks another's teachers.
    fn default() -> Task {
        Task::Images
    }
}

impl Task {
    /// Whether `catalog` offers `teacher` for this task.
    pub fn teaches(self, catalog: &Catalog, teacher: &str) -> bool {
        (self.spec().pack)(catalog, teacher).is_some()
    }

    /// The teacher a task starts with when it is chosen.
    pub fn default_teacher(self) -> &'static str {
        self.spec().default_teacher
    }

    /// The value `setting` starts at in this task where it is not the table's default.
    pub fn starts_at(self, setting: &Setting) -> Option<&'static str> {
        self.spec().starts_at.iter().find(|(key, _)| *key == setting.key).map(|(_, value)| *value)
    }
}

/// The reasoning task's student: a causal transformer half the teacher's width (27,014
/// parameters), which trains in well under a minute on a page's CPU worker.
pub const REASONING_STUDENT: ReasonerShape = ReasonerShape { width: 32, heads: 4, layers: 2, feed_forward: 128 };
/// Its parameters, as the page says them (counting them takes code the first visit would fetch;
/// a test counts them).
pub const REASONING_STUDENT_PARAMETERS: u64 = 27_014;

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
    /// What the students learn; the teacher is one of this task's ([`Task::teaches`]).
    pub task: Task,
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

impl Default for Settings {
    /// Every entry's default. Measured natively on the 5,000-row MNIST pack with the `mnist-mlp`
    /// teacher: the distilled student beats the labels-only one by 1.5 points (94.4% vs 92.8% on
    /// 2,000 examples), within seconds.
    fn default() -> Self {
        let mut settings = Settings {
            task: Task::default(),
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
        self.task
    }

    /// Switches to `task` with its default teacher and the values it starts at
    /// ([`crate::task::TaskSpec::starts_at`]); a mode or student the new task cannot train (text for
    /// images, top9 or a CNN for words) goes back to the default, and so does every setting the
    /// new task does not use (it would have no effect, and no result row records it).
    pub fn set_task(&mut self, task: Task) {
        self.switch_task(task, true);
    }

    /// [`Settings::set_task`], keeping the settings both tasks use as they are where `restart` is
    /// false (a link that named a teacher of another task: the rest of the link still holds).
    pub fn switch_task(&mut self, task: Task, restart: bool) {
        if self.task == task {
            return;
        }
        self.task = task;
        self.teacher = task.default_teacher().to_string();
        let defaults = Settings::default();
        // What the new task does not use, and what some task starts at a value of its own, starts
        // at the new task's value (a default is a valid value: tested).
        let starts_again = |s: &Setting| restart && Task::ALL.iter().any(|t| t.starts_at(s).is_some());
        let again: Vec<&Setting> = SCHEMA.iter().filter(|s| !self.uses(s) || starts_again(s)).collect();
        for setting in again {
            let _ = setting.write(self, task.starts_at(setting).unwrap_or(setting.default));
        }
        if self.check().is_err_and(|e| matches!(e, ConfigError::WordsNeedAnMlp(_))) {
            self.train.architecture = defaults.train.architecture;
        }
        if self.check().is_err_and(|e| {
            matches!(
                e,
                ConfigError::WrittenIsForSequences(_) | ConfigError::WordsTopK(_) | ConfigError::ReasoningTopK { .. }
            )
        }) {
            self.train.mode = defaults.train.mode;
        }
    }

    /// The values a choice offers for this task: `text` only for words, `top9` not (the words
    /// pack caches 8 letters).
    pub fn choices(&self, setting: &Setting) -> Vec<&'static str> {
        let not_offered = self.task().spec().not_offered;
        let offered = |v: &&str| !not_offered.contains(&(setting.key, *v));
        setting.values().into_iter().filter(offered).collect()
    }

    /// The label and help a setting's control shows for this task.
    pub fn words_for(&self, setting: &Setting) -> (Msg, Msg) {
        let own = self.task().spec().words.iter().find(|(key, _, _)| *key == setting.key);
        own.map_or((setting.label, setting.help), |(_, label, help)| (label.unwrap_or(setting.label), *help))
    }

    /// Whether this task uses `setting`: the controls show it, a link may set it, a result row
    /// records it.
    pub fn uses(&self, setting: &Setting) -> bool {
        self.task().spec().settings.contains(&setting.key)
    }

    /// The value of `setting` as a result row records it: empty where this task does not use it.
    pub fn recorded(&self, setting: &Setting) -> Option<String> {
        self.uses(setting).then(|| setting.read(self))
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
        (self.task().spec().check)(&self.train)
    }

    /// The run's configuration, or why it cannot train (see [`Settings::check`]).
    pub fn train_config(&self) -> Result<TrainConfig, distill_spec::ConfigError> {
        self.check()?;
        Ok(self.train.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_spec::Defence;

    #[test]
    fn the_reasoning_students_parameters_are_counted_right() {
        use distill_data::model_weights::ModelShape;
        assert_eq!(REASONING_STUDENT.parameter_count() as u64, REASONING_STUDENT_PARAMETERS);
    }

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
