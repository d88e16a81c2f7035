//! The images task's watermark test, as the page says it: after a run whose API marks its answers,
//! how many of the marked answers each student repeats, and how likely that is by chance.

use super::*;
use distill_spec::MarkTest;

impl Page {
    /// The last report's watermark test of both students, as text (none: the API marks nothing).
    pub fn mark_test_text(&self) -> Option<String> {
        let last = self.reports.last()?;
        Some(mark_test_text(&last.distilled.mark_test()?, &last.baseline.mark_test()?, self.language()))
    }
}

/// A p-value as the page writes it: three decimals, or a power of ten when it is that small.
fn p_text(p: f64) -> String {
    if p >= 0.001 {
        format!("{p:.3}")
    } else {
        format!("{p:.1e}")
    }
}

/// Both students' tests in `lang` (they were asked about the same images).
pub fn mark_test_text(distilled: &MarkTest, baseline: &MarkTest, lang: Lang) -> String {
    let values = [
        ("repeated", distilled.repeated.to_string()),
        ("marked", distilled.marked.to_string()),
        ("p", p_text(distilled.p_value())),
        ("null", percent(distilled.null_rate)),
        ("baseline_repeated", baseline.repeated.to_string()),
        ("baseline_p", p_text(baseline.p_value())),
    ];
    fill(Msg::MarkTest.text(lang), &values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watermark_test_says_who_repeats_the_lies_and_how_likely_that_is_by_chance() {
        let copy = MarkTest { marked: 20, repeated: 20, null_rate: 0.0489 };
        let honest = MarkTest { marked: 20, repeated: 1, null_rate: 0.0479 };
        assert_eq!(
            mark_test_text(&copy, &honest, Lang::En),
            "Watermark test: the distilled student repeats 20 of the 20 marked answers it was given \
             (p = 6.1e-27), the labels-only student 1 (p = 0.625). A model that never saw them gives \
             such an answer on 4.89% of the images it does not know."
        );
        assert!(mark_test_text(&copy, &honest, Lang::Es)
            .starts_with("Prueba de la marca de agua: la alumna destilada repite 20 de las 20"));
    }
}
