//! Line charts as SVG polylines: which curves each chart draws, and the arithmetic that maps
//! them into the drawing box. The page only renders the strings computed here.

use crate::i18n::{fill, Lang, Msg};
use crate::protocol::{Report, StudentReport};
use crate::results::ResultRow;

pub const WIDTH: f64 = 320.0;
pub const HEIGHT: f64 = 160.0;

/// One curve: x is examples seen per student (or a sweep's varied value).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: Name,
    /// CSS class that colours the line (`distilled`, `baseline`, `teacher`, `s0`..`s3`...).
    pub class: &'static str,
    /// Dashed lines mark the labels-only student's curves in loss charts.
    pub dashed: bool,
    pub points: Vec<(f64, f64)>,
}

/// A curve's name in the legend: a message, or a sweep's value as written (`mode=soft`).
#[derive(Debug, Clone, PartialEq)]
pub enum Name {
    Msg(Msg),
    Text(String),
}

impl Name {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Name::Msg(m) => m.text(lang).to_string(),
            Name::Text(t) => t.clone(),
        }
    }
}

/// A chart ready to draw: curves and the value range on each axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub series: Vec<Series>,
    pub x_min: f64,
    pub x_max: f64,
    /// A logarithmic x axis (sweeps over budgets or temperatures spanning a decade or more).
    pub log_x: bool,
    pub y_min: f64,
    pub y_max: f64,
}

fn series(name: Msg, class: &'static str, dashed: bool, reports: &[Report], value: impl Fn(&Report) -> f64) -> Series {
    let points = reports.iter().map(|r| (r.examples_seen as f64, value(r))).filter(|(_, y)| y.is_finite()).collect();
    Series { name: Name::Msg(name), class, dashed, points }
}

fn both(reports: &[Report], value: impl Fn(&StudentReport) -> f64 + Copy) -> Vec<Series> {
    vec![
        series(Msg::SeriesDistilled, "distilled", false, reports, |r| value(&r.distilled)),
        series(Msg::SeriesLabelsOnly, "baseline", false, reports, |r| value(&r.baseline)),
    ]
}

/// Test accuracy of both students, in percent.
pub fn test_accuracy(reports: &[Report]) -> Chart {
    Chart::fit(both(reports, |s| 100.0 * s.test_accuracy), None)
}

/// The words task: bits per character of both students on the test words (lower is better).
pub fn bits_per_char(reports: &[Report]) -> Chart {
    Chart::fit(both(reports, |s| s.bits_per_char().unwrap_or(f64::NAN)), None)
}

/// Training (batch) accuracy of both students, in percent.
pub fn train_accuracy(reports: &[Report]) -> Chart {
    Chart::fit(both(reports, |s| 100.0 * s.train_accuracy as f64), None)
}

/// How often each student predicts what the teacher predicts, in percent.
pub fn agreement(reports: &[Report]) -> Chart {
    Chart::fit(both(reports, |s| 100.0 * s.agreement), None)
}

/// Training throughput of both students together, examples per second.
pub fn throughput(reports: &[Report]) -> Chart {
    let curve = series(Msg::SeriesExamplesPerSecond, "teacher", false, reports, |r| r.examples_per_second);
    Chart::fit(vec![curve], Some(0.0))
}

/// The distilled student's loss parts, and the baseline's (hard) loss dashed.
pub fn losses(reports: &[Report]) -> Chart {
    let curves = vec![
        series(Msg::SeriesSoftLoss, "soft", false, reports, |r| r.distilled.soft_loss as f64),
        series(Msg::SeriesHardLoss, "hard", false, reports, |r| r.distilled.hard_loss as f64),
        series(Msg::SeriesTotal, "distilled", false, reports, |r| r.distilled.total_loss as f64),
        series(Msg::SeriesLabelsOnlyLoss, "baseline", true, reports, |r| r.baseline.total_loss as f64),
    ];
    Chart::fit(curves, Some(0.0))
}

/// Test accuracy of both students (%) at the end of each round of questions, against the queries
/// spent: what each answer bought.
pub fn accuracy_by_queries(reports: &[Report]) -> Chart {
    let rounds = || reports.iter().filter(|r| r.round_done);
    let curve = |name, class, student: fn(&Report) -> &StudentReport| Series {
        name: Name::Msg(name),
        class,
        dashed: false,
        points: rounds().map(|r| (r.queries as f64, 100.0 * student(r).test_accuracy)).collect(),
    };
    let curves = vec![
        curve(Msg::SeriesDistilled, "distilled", |r| &r.distilled),
        curve(Msg::SeriesLabelsOnly, "baseline", |r| &r.baseline),
    ];
    Chart::fit(curves, None)
}

/// Colours for a sweep's curves, in order.
const SWEEP_CLASSES: [&str; 4] = ["s0", "s1", "s2", "s3"];

/// A sweep's results: each row's score ([`ResultRow::score`]: test accuracy in %, or bits per
/// character) against the varied value, one curve per series, in the order the rows came. Rows
/// that diverged (no score) are left out.
pub fn sweep(rows: &[ResultRow]) -> Chart {
    let mut series: Vec<Series> = Vec::new();
    for row in rows.iter().filter(|r| r.score().is_finite()) {
        let point = (row.x, row.score());
        match series.iter_mut().find(|s| s.name == Name::Text(row.series.clone())) {
            Some(s) => s.points.push(point),
            None => series.push(Series {
                name: Name::Text(row.series.clone()),
                class: SWEEP_CLASSES[series.len() % SWEEP_CLASSES.len()],
                dashed: series.len() >= SWEEP_CLASSES.len(),
                points: vec![point],
            }),
        }
    }
    let mut chart = Chart::fit(series, None);
    let xs = || chart.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    chart.x_min = xs().fold(f64::INFINITY, f64::min);
    chart.x_max = xs().fold(f64::NEG_INFINITY, f64::max);
    if !chart.x_min.is_finite() {
        (chart.x_min, chart.x_max) = (0.0, 1.0);
    }
    chart.log_x = chart.x_min > 0.0 && chart.x_max / chart.x_min >= 10.0;
    chart
}

impl Chart {
    /// Ranges that hold every point with a little headroom; `floor` pins the bottom (0 for losses),
    /// otherwise the range stays within 0–100 (percentages).
    fn fit(series: Vec<Series>, floor: Option<f64>) -> Chart {
        let ys = || series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
        let x_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0, f64::max);
        let (lo, hi) = ys().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| (lo.min(y), hi.max(y)));
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let pad = ((hi - lo) * 0.05).max(1e-3);
        match floor {
            Some(floor) => Chart { series, x_min: 0.0, x_max, log_x: false, y_min: floor, y_max: hi + pad },
            None => Chart {
                series,
                x_min: 0.0,
                x_max,
                log_x: false,
                y_min: (lo - pad).max(0.0),
                y_max: (hi + pad).min(100.0),
            },
        }
    }

    /// Where a value lands in the WIDTH × HEIGHT box (y grows downwards).
    pub fn position(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let scale = |v: f64| if self.log_x { v.ln() } else { v };
        let span = scale(self.x_max) - scale(self.x_min);
        let px = if span > 0.0 { (scale(x) - scale(self.x_min)) / span * WIDTH } else { WIDTH / 2.0 };
        let py = HEIGHT - (y - self.y_min) / (self.y_max - self.y_min) * HEIGHT;
        (px, py)
    }

    /// SVG `points` attribute of a curve.
    pub fn polyline(&self, series: &Series) -> String {
        series
            .points
            .iter()
            .map(|&point| {
                let (px, py) = self.position(point);
                format!("{px:.1},{py:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The x values of the chart's points in order, each once: where its crosshair can stand.
    pub fn stops(&self) -> Vec<f64> {
        let mut xs: Vec<f64> = self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        xs
    }

    /// The stop nearest to `px` (a position across the WIDTH of the box), for a pointer.
    pub fn nearest_stop(&self, px: f64) -> Option<usize> {
        let distance = |x: f64| (self.position((x, self.y_min)).0 - px).abs();
        self.stops().into_iter().enumerate().min_by(|a, b| distance(a.1).total_cmp(&distance(b.1))).map(|(i, _)| i)
    }

    /// The crosshair at stop `index`: where it stands across the box, and the exact values there
    /// (`at 1280: Distilled student 91.20, …`; a curve with no point at that x is left out).
    pub fn readout(&self, index: usize, lang: Lang) -> Option<(f64, String)> {
        let x = *self.stops().get(index)?;
        let values: Vec<String> = self
            .series
            .iter()
            .filter_map(|s| s.points.iter().find(|p| p.0 == x).map(|&(_, y)| format!("{} {y:.2}", s.name.text(lang))))
            .collect();
        let shown = if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.3}") };
        let text = fill(Msg::ChartReadout.text(lang), &[("x", shown), ("values", values.join(", "))]);
        Some((self.position((x, self.y_min)).0, text))
    }

    /// A sentence describing the chart's last values, for screen readers.
    pub fn summary(&self, what: &str, lang: Lang) -> String {
        let last: Vec<String> = self
            .series
            .iter()
            .filter_map(|s| s.points.last().map(|&(_, y)| format!("{} {y:.2}", s.name.text(lang))))
            .collect();
        if last.is_empty() {
            fill(Msg::ChartNoData.text(lang), &[("what", what.to_string())])
        } else {
            fill(
                Msg::ChartAfter.text(lang),
                &[("what", what.to_string()), ("examples", self.x_max.to_string()), ("values", last.join(", "))],
            )
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::protocol::TaskScores;

    pub(crate) fn student(acc: f64) -> StudentReport {
        StudentReport {
            soft_loss: 1.0,
            hard_loss: 2.0,
            total_loss: 1.5,
            train_accuracy: 0.5,
            test_accuracy: acc,
            agreement: f64::NAN,
            task: TaskScores::Images { per_class_accuracy: vec![], confusion: vec![], mark: None },
        }
    }

    #[test]
    fn the_words_chart_draws_bits_per_character() {
        let with_bits = |bits_per_char: f64| StudentReport {
            task: TaskScores::Words { bits_per_char, invented: Vec::new(), green: None },
            ..student(0.5)
        };
        let mut r = report(100, 0.5, 0.5);
        (r.distilled, r.baseline) = (with_bits(3.2), with_bits(3.6));
        let chart = bits_per_char(&[r]);
        assert_eq!(chart.series[0].points, [(100.0, 3.2)]);
        assert_eq!(chart.series[1].points, [(100.0, 3.6)]);
        assert!(bits_per_char(&[report(100, 0.5, 0.5)]).series[0].points.is_empty(), "images have no bits");
    }

    fn report(examples: usize, distilled: f64, baseline: f64) -> Report {
        Report {
            step: examples / 10,
            total_steps: 10,
            examples_seen: examples,
            distilled: student(distilled),
            baseline: student(baseline),
            examples_per_second: 1000.0,
            queries: examples,
            answered: examples,
            round_done: examples.is_multiple_of(100),
        }
    }

    #[test]
    fn points_fill_the_box_and_missing_values_are_skipped() {
        let reports = [report(100, 0.5, 0.4), report(200, 0.9, 0.8)];
        let chart = test_accuracy(&reports);
        assert_eq!(chart.x_max, 200.0);
        let line = chart.polyline(&chart.series[0]);
        let points: Vec<(f64, f64)> = line
            .split(' ')
            .map(|p| p.split_once(',').unwrap())
            .map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap()))
            .collect();
        assert_eq!(points.len(), 2);
        assert_eq!(points[1].0, WIDTH);
        assert!(points[1].1 >= 0.0 && points[1].1 < points[0].1, "higher accuracy is drawn higher: {points:?}");
        assert!(agreement(&reports).series.iter().all(|s| s.points.is_empty()), "NaN agreement is not drawn");
        assert!(chart.summary("Test accuracy", Lang::En).contains("distilled 90.00"));
        let perfect = test_accuracy(&[report(100, 1.0, 1.0)]);
        assert_eq!(perfect.y_max, 100.0, "a percentage axis never passes 100");
    }

    #[test]
    fn a_sweep_draws_one_curve_per_series_on_a_log_axis_when_it_spans_a_decade() {
        let row = |series: &str, x: f64, accuracy: f64| ResultRow {
            x,
            test_accuracy: accuracy,
            ..ResultRow::new("sweep 1", series, None, &crate::settings::Settings::default())
        };
        let rows = [
            row("mode=soft", 50.0, 0.7),
            row("mode=soft", 5000.0, 0.9),
            row("mode=labels", 50.0, 0.5),
            row("mode=labels", 500.0, f64::NAN),
            row("mode=labels", 5000.0, 0.88),
        ];
        let chart = sweep(&rows);
        assert_eq!(chart.series.len(), 2);
        assert_eq!(chart.series[1].points, vec![(50.0, 50.0), (5000.0, 88.0)], "the diverged run is left out");
        assert!(chart.log_x && chart.x_min == 50.0 && chart.x_max == 5000.0);
        let middle = chart.position((500.0, 50.0)).0;
        assert!((middle - WIDTH / 2.0).abs() < 1e-9, "500 is halfway between 50 and 5000 on a log axis: {middle}");
        assert_eq!((chart.series[0].class, chart.series[1].class), ("s0", "s1"));
        assert_eq!(sweep(&rows[..1]).position((50.0, 70.0)).0, WIDTH / 2.0, "a single point is drawn in the middle");
    }

    #[test]
    fn the_queries_chart_has_a_point_per_round() {
        let reports = [report(50, 0.3, 0.3), report(100, 0.5, 0.4), report(150, 0.6, 0.5), report(200, 0.9, 0.8)];
        let chart = accuracy_by_queries(&reports);
        assert_eq!(chart.series[0].points, vec![(100.0, 50.0), (200.0, 90.0)], "reports inside a round are left out");
        assert_eq!(chart.series[1].points, vec![(100.0, 40.0), (200.0, 80.0)]);
        assert_eq!(chart.x_max, 200.0);
    }

    #[test]
    fn the_crosshair_stops_at_every_x_and_reads_each_curve_there() {
        let chart = test_accuracy(&[report(64, 0.5, 0.4), report(128, 0.75, 0.5), report(192, 0.9, 0.8)]);
        assert_eq!(chart.stops(), [64.0, 128.0, 192.0]);
        assert_eq!(chart.nearest_stop(0.0), Some(0));
        assert_eq!(chart.nearest_stop(chart.position((130.0, 0.0)).0), Some(1));
        assert_eq!(chart.nearest_stop(WIDTH), Some(2));
        let (px, text) = chart.readout(1, Lang::En).unwrap();
        assert_eq!(px, chart.position((128.0, 0.0)).0);
        assert!(text.starts_with("at 128: ") && text.contains(" 75.00") && text.contains(" 50.00"), "{text}");
        assert_eq!(chart.readout(3, Lang::En), None, "past the last stop");
        assert_eq!(test_accuracy(&[]).nearest_stop(10.0), None);
    }

    #[test]
    fn loss_chart_starts_at_zero() {
        let chart = losses(&[report(100, 0.5, 0.4)]);
        assert_eq!(chart.y_min, 0.0);
        assert_eq!(chart.series.len(), 4);
    }
}
