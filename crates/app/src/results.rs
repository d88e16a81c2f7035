//! The results table: one row per trained student (both students of a single run, every point of
//! a sweep), exported as CSV or JSON with the complete settings, so a row can be reproduced.

use crate::settings::Settings;
use crate::sweep::SweepPoint;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    /// Which run it came from: `run 2` or `sweep 1`.
    pub run: String,
    /// The curve it belongs to (the `by` value of a sweep, or `distilled` / `labels only`).
    pub series: String,
    /// The varied value (`t=4`), empty for a single run.
    pub point: String,
    /// The sweep's x position (0 for a single run).
    pub x: f64,
    pub settings: Settings,
    pub steps: usize,
    pub test_accuracy: f64,
    /// Fraction of test images on which the student agrees with the teacher.
    pub agreement: f64,
    /// Training time, evaluation included.
    pub seconds: f64,
    pub backend: String,
    /// Why the run stopped early (a diverging loss), empty otherwise.
    pub note: String,
}

impl ResultRow {
    /// A row for a finished student; the run, timing and backend are the worker's to fill in.
    pub fn new(series: &str, point: Option<&SweepPoint>, settings: &Settings) -> ResultRow {
        ResultRow {
            run: String::new(),
            series: series.to_string(),
            point: point.map(|p| p.x_label.clone()).unwrap_or_default(),
            x: point.map(|p| p.x).unwrap_or(0.0),
            settings: settings.clone(),
            steps: 0,
            test_accuracy: f64::NAN,
            agreement: f64::NAN,
            seconds: 0.0,
            backend: String::new(),
            note: String::new(),
        }
    }
}

const COLUMNS: [&str; 22] = [
    "run",
    "series",
    "point",
    "x",
    "teacher",
    "student",
    "mode",
    "t",
    "alpha",
    "lr",
    "batch",
    "epochs",
    "budget",
    "exclude",
    "seed",
    "backend",
    "steps",
    "test_accuracy",
    "agreement",
    "seconds",
    "backend_used",
    "note",
];

/// RFC 4180 CSV with a header row; fields holding a comma, quote or newline are quoted.
pub fn to_csv(rows: &[ResultRow]) -> String {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    for r in rows {
        let s = &r.settings;
        let fields = [
            r.run.clone(),
            r.series.clone(),
            r.point.clone(),
            r.x.to_string(),
            s.teacher.clone(),
            s.student.clone(),
            s.mode.to_string(),
            s.temperature.to_string(),
            s.alpha.to_string(),
            s.learning_rate.to_string(),
            s.batch_size.to_string(),
            s.epochs.to_string(),
            s.budget.to_string(),
            s.excluded_class.map(|c| c.to_string()).unwrap_or_default(),
            s.seed.to_string(),
            s.backend.to_string(),
            r.steps.to_string(),
            format!("{:.4}", r.test_accuracy),
            format!("{:.4}", r.agreement),
            format!("{:.2}", r.seconds),
            r.backend.clone(),
            r.note.clone(),
        ];
        out.push_str(&fields.iter().map(|f| quote(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The rows as a JSON array (settings nested under `settings`).
pub fn to_json(rows: &[ResultRow]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_header_and_one_quoted_line_per_row() {
        let mut row = ResultRow::new("distilled", None, &Settings::default());
        row.run = "run 1".into();
        row.test_accuracy = 0.92;
        let mut other = ResultRow::new("a \"quoted\", name", None, &Settings::default().labels_only());
        other.run = "run 1".into();
        let csv = to_csv(&[row, other]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("run,series,point,x,teacher,student,mode,t,alpha"));
        assert!(
            lines[1].starts_with("run 1,distilled,,0,mnist-mlp,mlp:100,soft,2,0.5,0.01,64,20,2000,,1,auto,0,0.9200")
        );
        assert!(
            lines[2].starts_with("run 1,\"a \"\"quoted\"\", name\",,0,mnist-mlp,mlp:100,labels,2,0,"),
            "{}",
            lines[2]
        );
        assert_eq!(lines[1].split(',').count(), COLUMNS.len());
    }

    #[test]
    fn json_keeps_every_setting() {
        let row = ResultRow::new("distilled", None, &Settings { excluded_class: Some(3), ..Settings::default() });
        let json = to_json(std::slice::from_ref(&row));
        let back: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0]["settings"]["excluded_class"], 3);
        assert_eq!(back[0]["series"], "distilled");
    }
}
