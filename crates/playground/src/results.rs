//! The results table: one row per trained student (both students of a single run, every point of
//! a sweep), exported as CSV or JSON with the complete settings, so a row can be reproduced.
//! The setting columns are [`crate::settings::SCHEMA`]'s, in its order; a setting the row's task
//! does not use is left empty (CSV) or out (JSON).

use crate::i18n::{fill, Lang, Msg};
use crate::settings::{Kind, Settings, SCHEMA};
use crate::sweep::SweepPoint;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// The training examples the student really learnt from (the budget less a left-out class,
    /// less the questions a refusing API did not answer).
    pub examples: usize,
    /// Questions put to the teacher's API.
    pub queries: usize,
    /// The teacher's test accuracy as an honest user of its API sees it through the defence.
    pub honest_accuracy: f64,
    pub steps: usize,
    pub test_accuracy: f64,
    /// Fraction of test images on which the student agrees with the teacher.
    pub agreement: f64,
    /// The scores of the row's task beside those every task has.
    pub task: RowScores,
    /// The watermark test's statistic (words: z; images: the repeats' standard deviations above
    /// chance) and its p-value; NaN when nothing was marked.
    pub watermark_z: f64,
    pub watermark_p: f64,
    /// Training time, evaluation included.
    pub seconds: f64,
    pub backend: String,
    /// Why the run stopped early (a diverging loss), empty otherwise.
    pub note: String,
}

impl ResultRow {
    /// A row for a student trained with `settings`; the outcome fields start empty.
    pub fn new(run: &str, series: &str, point: Option<&SweepPoint>, settings: &Settings) -> ResultRow {
        ResultRow {
            run: run.to_string(),
            series: series.to_string(),
            point: point.map(|p| p.x_label.clone()).unwrap_or_default(),
            x: point.map(|p| p.x).unwrap_or(0.0),
            settings: settings.clone(),
            examples: 0,
            queries: 0,
            honest_accuracy: f64::NAN,
            steps: 0,
            test_accuracy: f64::NAN,
            agreement: f64::NAN,
            task: settings.task().spec().row_scores,
            watermark_z: f64::NAN,
            watermark_p: f64::NAN,
            seconds: 0.0,
            backend: String::new(),
            note: String::new(),
        }
    }

    /// The score a sweep chart plots and `distill run` prints: a word student's bits per
    /// character (lower is better), an image student's test accuracy in %.
    pub fn score(&self) -> f64 {
        self.task.bits_per_char().unwrap_or(100.0 * self.test_accuracy)
    }
}

/// What a row records of its task's own scores, beside the test accuracy and agreement every
/// task has.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum RowScores {
    Images,
    /// Bits per character on the pack's test words (NaN until measured); the row's
    /// `test_accuracy` is the share of next letters guessed right.
    Words {
        bits_per_char: f64,
    },
    /// The row's `test_accuracy` is the share of answers right on the test problems of the sizes
    /// taught, each solution written greedily; `agreement`, of the teacher's answers given.
    Reasoning,
}

impl RowScores {
    pub fn bits_per_char(self) -> Option<f64> {
        match self {
            RowScores::Words { bits_per_char } => Some(bits_per_char),
            RowScores::Images | RowScores::Reasoning => None,
        }
    }

    /// These scores with the bits per character a results file gives (none: not measured).
    fn read_back(self, bits: Option<f64>) -> RowScores {
        match self {
            RowScores::Words { .. } => RowScores::Words { bits_per_char: bits.unwrap_or(f64::NAN) },
            RowScores::Images | RowScores::Reasoning => self,
        }
    }
}

const LEADING: [&str; 4] = ["run", "series", "point", "x"];
const TRAILING: [&str; 12] = [
    "examples",
    "queries_spent",
    "honest_accuracy",
    "steps",
    "test_accuracy",
    "agreement",
    "bits_per_char",
    "watermark_z",
    "watermark_p",
    "seconds",
    "backend_used",
    "note",
];

/// The CSV header: the row's own fields around one column per setting.
pub fn columns() -> Vec<&'static str> {
    LEADING.into_iter().chain(SCHEMA.iter().map(|s| s.key)).chain(TRAILING).collect()
}

/// RFC 4180 CSV with a header row; fields holding a comma, quote or newline are quoted.
pub fn to_csv(rows: &[ResultRow]) -> String {
    let mut out = columns().join(",");
    out.push('\n');
    for r in rows {
        let mut fields = vec![r.run.clone(), r.series.clone(), r.point.clone(), r.x.to_string()];
        fields.extend(SCHEMA.iter().map(|s| r.settings.recorded(s).unwrap_or_default()));
        fields.extend([
            r.examples.to_string(),
            r.queries.to_string(),
            format!("{:.4}", r.honest_accuracy),
            r.steps.to_string(),
            format!("{:.4}", r.test_accuracy),
            format!("{:.4}", r.agreement),
            r.task.bits_per_char().filter(|bits| bits.is_finite()).map(|bits| format!("{bits:.4}")).unwrap_or_default(),
            Some(r.watermark_z).filter(|z| z.is_finite()).map(|z| format!("{z:.3}")).unwrap_or_default(),
            Some(r.watermark_p).filter(|p| p.is_finite()).map(|p| format!("{p:.3e}")).unwrap_or_default(),
            format!("{:.2}", r.seconds),
            r.backend.clone(),
            r.note.clone(),
        ]);
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

/// A row as its JSON export writes it: the settings under `settings` by their link keys (numbers
/// as numbers), like the CSV's columns; a score not measured (NaN) is `null`.
#[derive(Debug, Serialize)]
pub struct JsonRow {
    run: String,
    series: String,
    point: String,
    x: Option<f64>,
    settings: BTreeMap<&'static str, JsonValue>,
    examples: usize,
    queries_spent: usize,
    honest_accuracy: Option<f64>,
    steps: usize,
    test_accuracy: Option<f64>,
    agreement: Option<f64>,
    bits_per_char: Option<f64>,
    watermark_z: Option<f64>,
    watermark_p: Option<f64>,
    seconds: Option<f64>,
    backend_used: String,
    note: String,
}

/// A setting's value in the JSON export.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum JsonValue {
    Number(f64),
    Text(String),
}

/// The page keeps the last this many rows in the browser (a few hundred bytes each).
pub const KEPT_ROWS: usize = 1000;

/// The rows a CSV export holds, read back: each setting through the link's parser (in the table's
/// order, the task first; a column this build lacks is ignored, one it has and the file lacks is
/// the default), a score written as `NaN` or left empty as not measured. The page keeps its table
/// between visits this way ([`KEPT_ROWS`]): the CSV is what it already writes, and its header
/// names every column, so an older file still reads.
pub fn from_csv(text: &str) -> Result<Vec<ResultRow>, KeepError> {
    let mut records = csv_records(text).into_iter();
    let header = records.next().ok_or_else(|| KeepError::Unreadable("no header".into()))?;
    let column = |name: &str| header.iter().position(|c| c == name);
    let (run, series) = (column("run"), column("series"));
    if run.is_none() || series.is_none() {
        return Err(KeepError::Unreadable("no run and series columns".into()));
    }
    records
        .map(|record| {
            let field = |name: &str| column(name).and_then(|i| record.get(i)).map(String::as_str).unwrap_or_default();
            let number = |name: &str| field(name).parse::<f64>().ok();
            let count = |name: &str| field(name).parse::<usize>().unwrap_or(0);
            let mut settings = Settings::default();
            for setting in SCHEMA.iter().filter(|s| !field(s.key).is_empty()) {
                setting
                    .write(&mut settings, field(setting.key))
                    .map_err(|e| KeepError::Unreadable(e.text(Lang::En)))?;
            }
            let mut row = ResultRow::new(field("run"), field("series"), None, &settings);
            (row.point, row.x) = (field("point").to_string(), number("x").unwrap_or(0.0));
            (row.examples, row.queries, row.steps) = (count("examples"), count("queries_spent"), count("steps"));
            row.honest_accuracy = number("honest_accuracy").unwrap_or(f64::NAN);
            row.test_accuracy = number("test_accuracy").unwrap_or(f64::NAN);
            row.agreement = number("agreement").unwrap_or(f64::NAN);
            row.task = row.task.read_back(number("bits_per_char"));
            row.watermark_z = number("watermark_z").unwrap_or(f64::NAN);
            row.watermark_p = number("watermark_p").unwrap_or(f64::NAN);
            row.seconds = number("seconds").unwrap_or(f64::NAN);
            (row.backend, row.note) = (field("backend_used").to_string(), field("note").to_string());
            Ok(row)
        })
        .collect()
}

/// RFC 4180 records: fields split at commas, a quoted field may hold commas, newlines and `""`.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut chars, mut quoted) = (text.chars().peekable(), false);
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Why the results table is not kept in this browser (the page works on, as without storage).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KeepError {
    /// No storage (a private window, storage turned off) or no room left in it.
    #[error("the browser refused to keep them: {0}")]
    Refused(String),
    /// What an earlier visit kept could not be read (another version, damage): it is set aside.
    #[error("the results kept from an earlier visit could not be read: {0}")]
    Unreadable(String),
}

impl KeepError {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            KeepError::Refused(detail) => fill(Msg::ResultsNotKept.text(lang), &[("detail", detail.clone())]),
            KeepError::Unreadable(detail) => fill(Msg::KeptResultsUnreadable.text(lang), &[("detail", detail.clone())]),
        }
    }
}

/// The rows as the JSON export holds them. The page turns them into text with the browser's own
/// `JSON.stringify` (no JSON library in the page's wasm); natively, [`to_json`].
pub fn json_rows(rows: &[ResultRow]) -> Vec<JsonRow> {
    let number = |v: f64| v.is_finite().then_some(v);
    rows.iter()
        .map(|r| JsonRow {
            run: r.run.clone(),
            series: r.series.clone(),
            point: r.point.clone(),
            x: number(r.x),
            settings: SCHEMA
                .iter()
                .filter_map(|s| {
                    let value = r.settings.recorded(s)?;
                    let value = match (&s.kind, value.parse::<f64>()) {
                        (Kind::Number { .. }, Ok(v)) if v.is_finite() => JsonValue::Number(v),
                        _ => JsonValue::Text(value),
                    };
                    Some((s.key, value))
                })
                .collect(),
            examples: r.examples,
            queries_spent: r.queries,
            honest_accuracy: number(r.honest_accuracy),
            steps: r.steps,
            test_accuracy: number(r.test_accuracy),
            agreement: number(r.agreement),
            bits_per_char: r.task.bits_per_char().and_then(number),
            watermark_z: number(r.watermark_z),
            watermark_p: number(r.watermark_p),
            seconds: number(r.seconds),
            backend_used: r.backend.clone(),
            note: r.note.clone(),
        })
        .collect()
}

/// The rows as a JSON array ([`json_rows`]), for the CLI's `--json`.
#[cfg(not(target_arch = "wasm32"))]
pub fn to_json(rows: &[ResultRow]) -> String {
    serde_json::to_string_pretty(&json_rows(rows)).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{Task, IMAGES_SETTINGS};

    #[test]
    fn csv_has_a_header_and_one_quoted_line_per_row() {
        let mut row = ResultRow::new("run 1", "distilled", None, &Settings::default());
        row.test_accuracy = 0.92;
        row.examples = 2000;
        let other = ResultRow::new("run 1", "a \"quoted\", name", None, &Settings::default().labels_only());
        let csv = to_csv(&[row, other]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            "run,series,point,x,task,teacher,student,mode,t,alpha,lr,batch,epochs,budget,ask,queries,first,round,\
             decimals,noise,quota,beyond,mark,key,green,gamma,share,exclude,dropout,seed,backend,examples,queries_spent,\
             honest_accuracy,steps,\
             test_accuracy,agreement,bits_per_char,watermark_z,watermark_p,seconds,backend_used,note"
        );
        assert!(
            lines[1].starts_with(
                "run 1,distilled,,0,images,mnist-mlp,mlp:100,soft,2,0.5,0.01,64,20,2000,own,once,100,100,exact,0,0,refuse,0,0,,,,none,0,1,\
                 auto,2000,0,NaN,0,0.9200"
            ),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("run 1,\"a \"\"quoted\"\", name\",,0,images,mnist-mlp,mlp:100,labels,2,0,"),
            "{}",
            lines[2]
        );
        assert_eq!(lines[1].split(',').count(), columns().len());
    }

    #[test]
    fn json_keeps_every_setting() {
        let mut settings = Settings::default();
        settings.train.excluded_class = Some(3);
        let mut row = ResultRow::new("run 1", "distilled", None, &settings);
        row.agreement = 0.95;
        let json = to_json(std::slice::from_ref(&row));
        let back: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        let s = &back[0]["settings"];
        assert_eq!(
            (s["exclude"].as_str(), s["student"].as_str(), s["t"].as_f64()),
            (Some("3"), Some("mlp:100"), Some(2.0))
        );
        assert_eq!(s.as_object().unwrap().len(), IMAGES_SETTINGS.len(), "every setting of the images task, by its key");
        assert_eq!((back[0]["series"].as_str(), back[0]["agreement"].as_f64()), (Some("distilled"), Some(0.95)));
        assert!(back[0]["test_accuracy"].is_null(), "no score yet is null, not NaN");
    }

    #[test]
    fn a_words_row_records_only_the_settings_the_words_task_uses() {
        let (link, _) = crate::url::Link::from_query("task=words&t=3");
        let row = ResultRow::new("run 1", "distilled", None, &link.settings);
        let back: Vec<serde_json::Value> = serde_json::from_str(&to_json(std::slice::from_ref(&row))).unwrap();
        let keys: Vec<&str> = back[0]["settings"].as_object().unwrap().keys().map(|k| k.as_str()).collect();
        let mut words: Vec<&str> = crate::settings::WORDS_SETTINGS.to_vec();
        words.sort();
        assert_eq!(keys, words, "no exclude, noise or dropout");
        let csv = to_csv(std::slice::from_ref(&row));
        let line = csv.lines().nth(1).unwrap();
        let field = |key: &str| line.split(',').nth(columns().iter().position(|c| *c == key).unwrap()).unwrap();
        assert_eq!((field("t"), field("exclude"), field("noise"), field("task")), ("3", "", "", "words"));
    }

    #[test]
    fn a_csv_export_reads_back_as_the_rows_it_was_written_from() {
        let (link, _) = crate::url::Link::from_query("task=words&t=3&student=mlp:64&mode=top8");
        let mut words = ResultRow::new("sweep 2", "top8", None, &link.settings);
        (words.point, words.x, words.test_accuracy, words.steps) = ("t=3".into(), 3.0, 0.31, 40);
        words.task = RowScores::Words { bits_per_char: 2.71 };
        let (link, _) = crate::url::Link::from_query("exclude=3&noise=0.1&lr=0.003&seed=9");
        let mut images = ResultRow::new("run 1", "a \"quoted\", name", None, &link.settings);
        (images.agreement, images.note) = (0.97, "a note, with a comma\nand a line".into());
        (images.watermark_z, images.watermark_p) = (19.49, 9.537e-27);
        let rows = vec![words, images];
        let back = from_csv(&to_csv(&rows)).unwrap();
        assert_eq!(to_csv(&back), to_csv(&rows), "every field, NaN (not measured) included");
        assert_eq!((back[0].task, back[0].settings.task()), (RowScores::Words { bits_per_char: 2.71 }, Task::Words));
        assert_eq!(back[1].settings.train.excluded_class, Some(3));
        assert_eq!((back[1].watermark_z, back[1].watermark_p), (19.49, 9.537e-27));
        assert!(back[0].watermark_p.is_nan(), "nothing marked");
        assert_eq!(from_csv("").unwrap_err(), KeepError::Unreadable("no header".into()));
        assert!(matches!(from_csv("run,series,mode\nrun 1,distilled,sharp\n"), Err(KeepError::Unreadable(_))));
        let older = from_csv("run,series,t,a column of another build\nrun 1,distilled,4,x\n").unwrap();
        assert_eq!(
            (older[0].settings.train.temperature, older[0].settings.train.seed),
            (4.0, Settings::default().train.seed)
        );
    }
}
