//! Line charts as SVG polylines: which curves each chart draws, and the arithmetic that maps
//! them into the drawing box. The page only renders the strings computed here.

use crate::session::{Report, StudentReport};

pub const WIDTH: f64 = 320.0;
pub const HEIGHT: f64 = 160.0;

/// One curve: x is examples seen per student.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: &'static str,
    /// CSS class that colours the line (`distilled`, `baseline`, `teacher`...).
    pub class: &'static str,
    /// Dashed lines mark the labels-only student's curves in loss charts.
    pub dashed: bool,
    pub points: Vec<(f64, f64)>,
}

/// A chart ready to draw: curves and the value range on each axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub series: Vec<Series>,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
}

fn series(
    name: &'static str,
    class: &'static str,
    dashed: bool,
    reports: &[Report],
    value: impl Fn(&Report) -> f64,
) -> Series {
    let points = reports.iter().map(|r| (r.examples_seen as f64, value(r))).filter(|(_, y)| y.is_finite()).collect();
    Series { name, class, dashed, points }
}

fn both(reports: &[Report], value: impl Fn(&StudentReport) -> f64 + Copy) -> Vec<Series> {
    vec![
        series("distilled", "distilled", false, reports, |r| value(&r.distilled)),
        series("labels only", "baseline", false, reports, |r| value(&r.baseline)),
    ]
}

/// Test accuracy of both students, in percent.
pub fn test_accuracy(reports: &[Report]) -> Chart {
    Chart::fit(both(reports, |s| 100.0 * s.test_accuracy), None)
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
    let curve = series("examples/s", "teacher", false, reports, |r| r.examples_per_second);
    Chart::fit(vec![curve], Some(0.0))
}

/// The distilled student's loss parts, and the baseline's (hard) loss dashed.
pub fn losses(reports: &[Report]) -> Chart {
    let curves = vec![
        series("soft (T²·KL)", "soft", false, reports, |r| r.distilled.soft_loss as f64),
        series("hard (labels)", "hard", false, reports, |r| r.distilled.hard_loss as f64),
        series("total", "distilled", false, reports, |r| r.distilled.total_loss as f64),
        series("labels-only loss", "baseline", true, reports, |r| r.baseline.total_loss as f64),
    ];
    Chart::fit(curves, Some(0.0))
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
            Some(floor) => Chart { series, x_max, y_min: floor, y_max: hi + pad },
            None => Chart { series, x_max, y_min: (lo - pad).max(0.0), y_max: (hi + pad).min(100.0) },
        }
    }

    /// SVG `points` attribute of a curve in a WIDTH × HEIGHT box (y grows downwards).
    pub fn polyline(&self, series: &Series) -> String {
        series
            .points
            .iter()
            .map(|&(x, y)| {
                let px = x / self.x_max * WIDTH;
                let py = HEIGHT - (y - self.y_min) / (self.y_max - self.y_min) * HEIGHT;
                format!("{px:.1},{py:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A sentence describing the chart's last values, for screen readers.
    pub fn summary(&self, what: &str) -> String {
        let last: Vec<String> =
            self.series.iter().filter_map(|s| s.points.last().map(|&(_, y)| format!("{} {y:.2}", s.name))).collect();
        if last.is_empty() {
            format!("{what}: no data yet")
        } else {
            format!("{what} after {} examples: {}", self.x_max, last.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn student(acc: f64) -> StudentReport {
        StudentReport {
            soft_loss: 1.0,
            hard_loss: 2.0,
            total_loss: 1.5,
            train_accuracy: 0.5,
            test_accuracy: acc,
            agreement: f64::NAN,
            per_class_accuracy: vec![],
            confusion: vec![],
        }
    }

    fn report(examples: usize, distilled: f64, baseline: f64) -> Report {
        Report {
            step: examples / 10,
            total_steps: 10,
            examples_seen: examples,
            distilled: student(distilled),
            baseline: student(baseline),
            examples_per_second: 1000.0,
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
        assert!(chart.summary("Test accuracy").contains("distilled 90.00"));
        let perfect = test_accuracy(&[report(100, 1.0, 1.0)]);
        assert_eq!(perfect.y_max, 100.0, "a percentage axis never passes 100");
    }

    #[test]
    fn loss_chart_starts_at_zero() {
        let chart = losses(&[report(100, 0.5, 0.4)]);
        assert_eq!(chart.y_min, 0.0);
        assert_eq!(chart.series.len(), 4);
    }
}
