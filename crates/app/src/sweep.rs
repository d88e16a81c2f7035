//! Sweeps: the experiment repeated with one setting varied (`sweep=t:1,2,4,8`), optionally once
//! per value of a second setting (`by=student:mlp:30-30,mlp:800-800`). Each point trains one
//! student to the end and adds a row to the results table ([`crate::results`]).
//! Values go through the URL parser, so a sweep accepts exactly what a link accepts.

use crate::pack_data::PackData;
use crate::session::student;
use crate::settings::Settings;
use crate::url::PageState;
use burn::prelude::*;
use distill_core::Trainer;
use serde::{Deserialize, Serialize};

/// Settings a sweep can vary, by their URL parameter.
pub const SWEEPABLE: [&str; 9] = ["t", "alpha", "lr", "batch", "epochs", "budget", "student", "mode", "seed"];

/// Most runs one sweep may queue, so a link cannot start hours of training.
const MAX_POINTS: usize = 40;

/// One setting and the values it takes: `t:1,2,4,8`.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub key: String,
    pub values: Vec<String>,
}

impl Axis {
    pub fn parse(text: &str) -> Result<Axis, String> {
        let (key, values) =
            text.split_once(':').ok_or_else(|| format!("`{text}`: expected setting:value,value,..."))?;
        if !SWEEPABLE.contains(&key) {
            return Err(format!("cannot sweep `{key}`: choose one of {}", SWEEPABLE.join(", ")));
        }
        let values: Vec<String> =
            values.split(',').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect();
        if values.is_empty() {
            return Err(format!("`{text}`: no values"));
        }
        Ok(Axis { key: key.to_string(), values })
    }

    /// Numbers are plotted at their value; anything else (students, modes) at its position.
    fn numeric(&self) -> bool {
        self.values.iter().all(|v| v.parse::<f64>().is_ok())
    }
}

impl std::fmt::Display for Axis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.key, self.values.join(","))
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
    /// Every run, in order: for each `by` value, each `vary` value on top of `base`.
    /// When the query budget varies, epochs are rescaled so every run trains on as many examples
    /// as the base settings do: a smaller transfer set gets more passes, not less training.
    pub fn points(&self, base: &Settings) -> Result<Vec<SweepPoint>, String> {
        let series: Vec<Option<&String>> = match &self.by {
            Some(by) => by.values.iter().map(Some).collect(),
            None => vec![None],
        };
        if series.len() * self.vary.values.len() > MAX_POINTS {
            return Err(format!("a sweep runs at most {MAX_POINTS} students"));
        }
        let numeric = self.vary.numeric();
        let mut points = Vec::new();
        for by_value in series {
            let mut query = String::new();
            if let (Some(by), Some(value)) = (&self.by, by_value) {
                query = format!("{}={value}&", by.key);
            }
            for (i, value) in self.vary.values.iter().enumerate() {
                let start = PageState { settings: base.clone(), ..PageState::default() };
                let (state, notices) = start.apply(&format!("{query}{}={value}", self.vary.key));
                if let Some(notice) = notices.first() {
                    return Err(format!("sweep: {notice}"));
                }
                let mut settings = state.settings;
                if settings.budget != base.budget {
                    let examples = base.budget as f64 * base.epochs;
                    settings.epochs = (examples / settings.budget as f64).clamp(0.1, 500.0);
                }
                settings.train_config()?;
                points.push(SweepPoint {
                    series: match (&self.by, by_value) {
                        (Some(by), Some(v)) => format!("{}={v}", by.key),
                        _ => "all".to_string(),
                    },
                    x: if numeric { value.parse().unwrap_or(i as f64) } else { i as f64 },
                    x_label: format!("{}={value}", self.vary.key),
                    settings,
                });
            }
        }
        Ok(points)
    }
}

/// A sweep point being trained: one student, from the point's settings.
pub struct PointRun {
    pub point: SweepPoint,
    pub trainer: Trainer,
}

impl PointRun {
    pub fn new(point: SweepPoint, data: &PackData, device: &Device) -> Result<PointRun, String> {
        let trainer = student(&point.settings, data, device)?;
        Ok(PointRun { point, trainer })
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
        let points = sweep("t:1,4", Some("student:mlp:30-30,mlp:800-800")).points(&Settings::default()).unwrap();
        let summary: Vec<(String, f64, String, f32)> = points
            .iter()
            .map(|p| (p.series.clone(), p.x, p.settings.student.clone(), p.settings.temperature))
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
        let modes = sweep("mode:soft,labels", None).points(&Settings::default()).unwrap();
        assert_eq!((modes[1].x, modes[1].x_label.as_str(), modes[1].series.as_str()), (1.0, "mode=labels", "all"));
    }

    #[test]
    fn a_smaller_budget_gets_more_epochs_not_less_training() {
        let base = Settings { budget: 5000, epochs: 4.0, ..Settings::default() };
        let points = sweep("budget:50,500,5000", None).points(&base).unwrap();
        let epochs: Vec<f64> = points.iter().map(|p| p.settings.epochs).collect();
        assert_eq!(epochs, vec![400.0, 40.0, 4.0]);
    }

    #[test]
    fn bad_sweeps_say_why() {
        assert!(Axis::parse("teacher:a,b").unwrap_err().contains("cannot sweep `teacher`"));
        assert!(Axis::parse("t").unwrap_err().contains("expected"));
        assert!(Axis::parse("t:").unwrap_err().contains("no values"));
        let err = sweep("t:1,999", None).points(&Settings::default()).unwrap_err();
        assert!(err.contains("t=999 is out of range"), "{err}");
        let err =
            sweep("budget:1,2,3,4,5,6,7,8,9,10", Some("seed:1,2,3,4,5")).points(&Settings::default()).unwrap_err();
        assert!(err.contains("at most 40"), "{err}");
    }
}
