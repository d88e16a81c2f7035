//! One setting ([`Setting`]) and how it reads, writes and describes its value: a link's, a
//! control's or a sweep's text, parsed, clamped to its control and refused with a reason.

use super::{SettingError, Settings, Task, SCHEMA};
use crate::i18n::{fill, Lang, Msg};
use crate::text::{compression, count};
use distill_spec::Architecture;
use std::fmt;

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
            ("mode", "text") if context.task == Task::Reasoning => Msg::TheTeachersSolutions.text(lang).to_string(),
            ("mode", "text") => Msg::TheWordsTheTeacherWrote.text(lang).to_string(),
            ("mode", "verified") => Msg::OnlyItsRightSolutions.text(lang).to_string(),
            ("task", "images") => Msg::TaskImages.text(lang).to_string(),
            ("task", "words") => Msg::TaskWords.text(lang).to_string(),
            ("task", "reasoning") => Msg::TaskReasoning.text(lang).to_string(),
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
    /// The chosen task: a mode reads differently for reasoning.
    pub task: Task,
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
