//! The words task's part of the page: its headline.

use super::*;

impl Page {
    /// The words task's headline, as text: both students' and the teacher's bits per character
    /// (`–` before any), which is ahead, and the sizes line.
    pub fn words_headline(&self) -> ScoresHeadline {
        let lang = self.language();
        let last = self
            .reports
            .last()
            .map(|r| (r.distilled.bits_per_char().unwrap_or(f64::NAN), r.baseline.bits_per_char().unwrap_or(f64::NAN)));
        let (distilled, baseline) = last.unwrap_or((f64::NAN, f64::NAN));
        let teacher = self.words().and_then(|view| view.teacher.as_ref());
        let sizes = self.words_pack().zip(teacher).map(|(entry, teacher)| {
            let hidden = match &self.settings().train.architecture {
                distill_spec::Architecture::Mlp { hidden } => hidden.clone(),
                distill_spec::Architecture::Cnn { .. } => Vec::new(),
            };
            let tokens = teacher.vocabulary();
            let parameters = word_student_parameters(&hidden, teacher.context, tokens);
            let speed = self.reports.last().map_or(0.0, |r| r.examples_per_second);
            fill(
                Msg::WordsSizes.text(lang),
                &[
                    ("parameters", count(parameters)),
                    ("ratio", compression(entry.parameters, parameters)),
                    ("teacher", entry.teacher.clone()),
                    ("teacher_parameters", count(entry.parameters)),
                    ("test_words", entry.test_words.to_string()),
                    ("tokens", tokens.to_string()),
                    ("uniform", format!("{:.2}", (tokens as f64).log2())),
                    ("speed", format!("{speed:.0}")),
                ],
            )
        });
        ScoresHeadline {
            kind: "bits",
            baseline_label: Msg::SameStudentWordsAlone,
            distilled: bits(distilled),
            baseline: bits(baseline),
            teacher: teacher.map(|t| bits(t.test_bits_per_char)).unwrap_or_default(),
            verdict: (distilled.is_finite() && baseline.is_finite()).then(|| words_verdict(lang, distilled, baseline)),
            sizes,
            by_size: Vec::new(),
        }
    }
}
