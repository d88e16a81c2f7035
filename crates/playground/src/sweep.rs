//! Sweeps: the experiment repeated with one setting varied (`sweep=t:1,2,4,8`), optionally once
//! per value of a second setting (`by=student:mlp:30-30,mlp:800-800`). Each point trains one
//! student to the end and adds a row to the results table ([`crate::results`]). Values are
//! written through the setting's own [`Setting::write`], so a sweep accepts exactly what a link
//! and a control accept.

use crate::i18n::{fill, Lang, Msg};
use crate::settings::{self, Setting, SettingError, Settings, Task, SCHEMA};
use serde::{Deserialize, Serialize};

/// Most runs one sweep may queue, so a link cannot start hours of training.
pub const MAX_POINTS: usize = 40;

/// Why a sweep cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    #[error("`{0}`: expected setting:value,value,...")]
    Syntax(String),
    #[error("cannot sweep `{0}`: choose one of {list}", list = sweepable().join(", "))]
    NotSweepable(String),
    #[error("`{0}`: no values")]
    NoValues(String),
    #[error("a sweep runs at most {MAX_POINTS} students")]
    TooMany,
    #[error("sweep: {0}")]
    Value(SettingError),
    #[error("sweep: {key}={given} is out of range")]
    OutOfRange { key: &'static str, given: String },
    #[error("nothing to sweep: fill in what to vary")]
    Nothing,
    /// A setting the chosen task does not use (`noise` in the words task).
    #[error("the {task} task does not use `{key}`: sweep one of {list}", list = settings.join(", "))]
    NotThisTask { key: &'static str, task: Task, settings: Vec<&'static str> },
}

impl SweepError {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SweepError::Syntax(text) => fill(Msg::SweepSyntax.text(lang), &[("text", text.clone())]),
            SweepError::NotSweepable(key) => {
                fill(Msg::CannotSweepKey.text(lang), &[("key", key.clone()), ("settings", sweepable().join(", "))])
            }
            SweepError::NoValues(text) => fill(Msg::SweepNoValues.text(lang), &[("text", text.clone())]),
            SweepError::TooMany => fill(Msg::SweepTooMany.text(lang), &[("max", MAX_POINTS.to_string())]),
            SweepError::Value(e) => format!("{}: {}", Msg::Sweep.text(lang), e.text(lang)),
            SweepError::OutOfRange { key, given } => {
                fill(Msg::SweepOutOfRange.text(lang), &[("key", key.to_string()), ("value", given.clone())])
            }
            SweepError::Nothing => Msg::NothingToSweep.text(lang).to_string(),
            SweepError::NotThisTask { key, task, settings } => fill(
                Msg::SweepNotThisTask.text(lang),
                &[("task", task.to_string()), ("key", key.to_string()), ("settings", settings.join(", "))],
            ),
        }
    }
}

/// The keys a sweep may vary, in the order of the schema.
pub fn sweepable() -> Vec<&'static str> {
    SCHEMA.iter().filter(|s| s.sweepable).map(|s| s.key).collect()
}

/// The keys a sweep of `base`'s task may vary.
pub fn sweepable_in(base: &Settings) -> Vec<&'static str> {
    SCHEMA.iter().filter(|s| s.sweepable && base.uses(s)).map(|s| s.key).collect()
}

/// One setting and the values it takes: `t:1,2,4,8`.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub setting: &'static Setting,
    pub values: Vec<String>,
}

impl Axis {
    pub fn parse(text: &str) -> Result<Axis, SweepError> {
        let (key, values) = text.split_once(':').ok_or_else(|| SweepError::Syntax(text.to_string()))?;
        let setting =
            settings::find(key).filter(|s| s.sweepable).ok_or_else(|| SweepError::NotSweepable(key.to_string()))?;
        let values: Vec<String> =
            values.split(',').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect();
        if values.is_empty() {
            return Err(SweepError::NoValues(text.to_string()));
        }
        Ok(Axis { setting, values })
    }

    pub fn key(&self) -> &'static str {
        self.setting.key
    }

    /// Numbers are plotted at their value; anything else (students, modes) at its position.
    fn numeric(&self) -> bool {
        self.values.iter().all(|v| v.parse::<f64>().is_ok())
    }

    /// `base` with this axis at `value`; a value the control could not show is refused, and so
    /// is a setting `base`'s task does not use.
    fn apply(&self, base: &Settings, value: &str) -> Result<Settings, SweepError> {
        if !base.uses(self.setting) {
            return Err(SweepError::NotThisTask { key: self.key(), task: base.task(), settings: sweepable_in(base) });
        }
        let mut settings = base.clone();
        match self.setting.write(&mut settings, value).map_err(SweepError::Value)? {
            Some(adjusted) if adjusted.out_of_range => {
                Err(SweepError::OutOfRange { key: adjusted.key, given: adjusted.given })
            }
            _ => Ok(settings),
        }
    }
}

impl std::fmt::Display for Axis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.key(), self.values.join(","))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub vary: Axis,
    pub by: Option<Axis>,
}

/// One run of a sweep: where it goes on the chart, and its complete settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The curve it belongs to: the `by` value (`student=mlp:30-30`), or "all".
    pub series: String,
    /// Position on the x axis: the value, or its index for non-numbers.
    pub x: f64,
    /// The varied value as written: `t=4`.
    pub x_label: String,
    pub settings: Settings,
}

impl Sweep {
    /// Every run, in order: for each `by` value, each `vary` value on top of `base`, with the
    /// budget held to the pack's `train_rows`. When the budget varies, epochs are rescaled so
    /// every run trains on as many examples as the base settings do: a smaller transfer set gets
    /// more passes, not less training (unless the copier asks in rounds).
    pub fn points(&self, base: &Settings, train_rows: usize) -> Result<Vec<SweepPoint>, SweepError> {
        let series: Vec<Option<&String>> = match &self.by {
            Some(by) => by.values.iter().map(Some).collect(),
            None => vec![None],
        };
        if series.len() * self.vary.values.len() > MAX_POINTS {
            return Err(SweepError::TooMany);
        }
        let numeric = self.vary.numeric();
        let epochs = settings::find("epochs").expect("the schema has epochs");
        let mut points = Vec::new();
        for by_value in series {
            let start = match (&self.by, by_value) {
                (Some(by), Some(value)) => by.apply(base, value)?,
                _ => base.clone(),
            };
            for (i, value) in self.vary.values.iter().enumerate() {
                let mut settings = self.vary.apply(&start, value)?;
                settings.fit_to_pack(train_rows);
                // In rounds each round trains `epochs` passes over the answers so far, so a smaller
                // budget is the start of a larger one's run: it keeps its epochs.
                if settings.budget() != base.budget() && settings.train.queries.is_none() {
                    let examples = base.budget() as f64 * base.train.epochs;
                    let rescaled = settings::print_number(examples / settings.budget() as f64);
                    epochs.write(&mut settings, &rescaled).map_err(SweepError::Value)?;
                }
                settings.train_config().map_err(|e| SweepError::Syntax(e.to_string()))?;
                points.push(SweepPoint {
                    series: match (&self.by, by_value) {
                        (Some(by), Some(v)) => format!("{}={v}", by.key()),
                        _ => "all".to_string(),
                    },
                    x: if numeric { value.parse().unwrap_or(i as f64) } else { i as f64 },
                    x_label: format!("{}={value}", self.vary.key()),
                    settings,
                });
            }
        }
        Ok(points)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(vary: &str, by: Option<&str>) -> Sweep {
        Sweep { vary: Axis::parse(vary).unwrap(), by: by.map(|b| Axis::parse(b).unwrap()) }
    }

    #[test]
    fn points_cover_the_grid_in_order() {
        let points = sweep("t:1,4", Some("student:mlp:30-30,mlp:800-800")).points(&Settings::default(), 5000).unwrap();
        let summary: Vec<(String, f64, String, f32)> = points
            .iter()
            .map(|p| (p.series.clone(), p.x, p.settings.train.architecture.to_string(), p.settings.train.temperature))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("student=mlp:30-30".into(), 1.0, "mlp:30-30".into(), 1.0),
                ("student=mlp:30-30".into(), 4.0, "mlp:30-30".into(), 4.0),
                ("student=mlp:800-800".into(), 1.0, "mlp:800-800".into(), 1.0),
                ("student=mlp:800-800".into(), 4.0, "mlp:800-800".into(), 4.0),
            ]
        );
        let modes = sweep("mode:soft,labels", None).points(&Settings::default(), 5000).unwrap();
        assert_eq!((modes[1].x, modes[1].x_label.as_str(), modes[1].series.as_str()), (1.0, "mode=labels", "all"));
    }

    #[test]
    fn a_smaller_budget_gets_more_epochs_and_the_pack_caps_the_budget() {
        let mut base = Settings::default();
        base.train.budget = Some(5000);
        base.train.epochs = 4.0;
        let points = sweep("budget:50,500,5000,9000", None).points(&base, 5000).unwrap();
        let runs: Vec<(usize, f64)> = points.iter().map(|p| (p.settings.budget(), p.settings.train.epochs)).collect();
        assert_eq!(runs, vec![(50, 400.0), (500, 40.0), (5000, 4.0), (5000, 4.0)], "9000 is cut to the pack's 5000");
        let strategies = sweep("budget:100,1000", Some("queries:random,uncertainty")).points(&base, 5000).unwrap();
        let runs: Vec<(String, usize, f64)> =
            strategies.iter().map(|p| (p.series.clone(), p.settings.budget(), p.settings.train.epochs)).collect();
        assert_eq!(
            runs,
            vec![
                ("queries=random".into(), 100, 4.0),
                ("queries=random".into(), 1000, 4.0),
                ("queries=uncertainty".into(), 100, 4.0),
                ("queries=uncertainty".into(), 1000, 4.0)
            ],
            "in rounds every round trains the set epochs"
        );
    }

    #[test]
    fn bad_sweeps_say_why() {
        assert!(matches!(Axis::parse("teacher:a,b"), Err(SweepError::NotSweepable(_))));
        assert!(Axis::parse("t").unwrap_err().to_string().contains("expected"));
        assert!(Axis::parse("t:").unwrap_err().to_string().contains("no values"));
        let err = sweep("t:1,999", None).points(&Settings::default(), 5000).unwrap_err();
        assert_eq!(err.to_string(), "sweep: t=999 is out of range");
        let err = sweep("batch:1,x", None).points(&Settings::default(), 5000).unwrap_err();
        assert_eq!(err.to_string(), "sweep: batch=x is not a number");
        let err = sweep("budget:1,2,3,4,5,6,7,8,9,10", Some("seed:1,2,3,4,5"))
            .points(&Settings::default(), 5000)
            .unwrap_err();
        assert_eq!(err, SweepError::TooMany);
        assert!(sweepable().contains(&"dropout") && !sweepable().contains(&"teacher"));
    }
}
