//! The reasoning task's part of the page: its headline, accuracy by problem size, and the "show
//! your work" view's typed problem.

use super::*;
use distill_data::problems::{Problem, ProblemError, MAX_BITS};

/// The headline of a task scored in one figure a model (words: bits per character; reasoning:
/// answers right), as text: the distilled student's, the baseline's and the teacher's (`–` before
/// any), who is ahead, the sizes line, and a table by problem size where the task has one.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoresHeadline {
    /// What the figures are, for the page's test ids (`bits-distilled`, `accuracy-teacher`).
    pub kind: &'static str,
    /// What the baseline student learns from.
    pub baseline_label: Msg,
    pub distilled: String,
    pub baseline: String,
    pub teacher: String,
    pub verdict: Option<String>,
    pub sizes: Option<String>,
    /// Answers right by problem size (bits): the teacher's, the distilled student's and the
    /// baseline's (`–` before any), the last size longer than any taught.
    pub by_size: Vec<(usize, [String; 3])>,
}

impl Page {
    /// The reasoning task's headline: answers right on test problems of the sizes taught, for
    /// both students and the teacher, which is ahead, the sizes line and the table by size.
    pub fn reasoning_headline(&self) -> ScoresHeadline {
        let lang = self.language();
        let last = self.reports.last();
        let accuracy = |pick: fn(&Report) -> f64| last.map_or(f64::NAN, pick);
        let (distilled, baseline) = (accuracy(|r| r.distilled.test_accuracy), accuracy(|r| r.baseline.test_accuracy));
        let teacher = self.reasoning().and_then(|view| view.teacher.as_ref());
        let pack = self.teacher_pack();
        let sizes = pack.as_ref().zip(teacher).map(|(pack, teacher)| {
            let parameters = REASONING_STUDENT_PARAMETERS;
            let speed = last.map_or(0.0, |r| r.examples_per_second);
            fill(
                Msg::ReasoningSizes.text(lang),
                &[
                    ("parameters", count(parameters)),
                    ("ratio", compression(pack.parameters, parameters)),
                    ("teacher", teacher.teacher.clone()),
                    ("teacher_parameters", count(pack.parameters)),
                    ("longer", (teacher.taught.1 + 1).to_string()),
                    ("speed", format!("{speed:.0}")),
                ],
            )
        });
        let right = |scores: &[SizeScore], bits: usize| {
            scores.iter().find(|s| s.bits == bits).map_or_else(|| "–".to_string(), |s| percent(s.right))
        };
        let by_size = teacher
            .map(|t| {
                t.by_size
                    .iter()
                    .map(|s| {
                        let student = |pick: fn(&Report) -> &StudentReport| {
                            last.map_or_else(|| "–".to_string(), |r| right(pick(r).by_size(), s.bits))
                        };
                        (s.bits, [percent(s.right), student(|r| &r.distilled), student(|r| &r.baseline)])
                    })
                    .collect()
            })
            .unwrap_or_default();
        ScoresHeadline {
            kind: "accuracy",
            baseline_label: Msg::SameStudentAnswersAlone,
            distilled: percent(distilled),
            baseline: percent(baseline),
            teacher: teacher.map(|t| percent(t.accuracy)).unwrap_or_default(),
            verdict: (distilled.is_finite() && baseline.is_finite()).then(|| verdict(lang, distilled, baseline)),
            sizes,
            by_size,
        }
    }

    /// The reasoning task: the solutions the teacher and the students write to `problem` (asked
    /// again after every report while it is shown). A problem that is not one is refused under
    /// the box, and nothing is asked (the worker checks again).
    pub fn solve(&mut self, problem: String) -> Vec<Effect> {
        let Some(view) = self.reasoning_mut() else { return Vec::new() };
        view.problem = problem.trim().to_string();
        view.refusal = Problem::parse(&view.problem).err();
        if view.refusal.is_some() {
            return Vec::new();
        }
        vec![Effect::Send(Command::Solve(view.problem.clone()))]
    }
}

/// Why a typed problem is refused, in `lang`.
pub fn refusal_text(error: &ProblemError, lang: Lang) -> String {
    match error {
        ProblemError::Empty => Msg::TypeSomeBits.text(lang).to_string(),
        ProblemError::NotABit(c) => fill(Msg::NotABit.text(lang), &[("symbol", c.to_string())]),
        ProblemError::TooLong(n) => {
            fill(Msg::TooManyBits.text(lang), &[("bits", n.to_string()), ("most", MAX_BITS.to_string())])
        }
    }
}
