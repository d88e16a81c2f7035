//! The watermark tests, as the page says them: after an images run whose API marks its answers,
//! how many of the marked answers each student repeats; after a words run whose teacher marks the
//! words it writes, how green each student's own words are; and how likely that is by chance.

use super::*;
use crate::protocol::{GreenScores, SuspectTest, EARLIER_WORDS};
use distill_spec::MarkTest;

impl Page {
    /// The last report's watermark test of both students, as text (none: nothing was marked).
    pub fn mark_test_text(&self) -> Option<String> {
        let last = self.reports.last()?;
        let lang = self.language();
        if let (Some(distilled), Some(baseline)) = (last.distilled.mark_test(), last.baseline.mark_test()) {
            return Some(mark_test_text(&distilled, &baseline, lang));
        }
        Some(green_test_text(&last.distilled.green_test()?, &last.baseline.green_test()?, lang))
    }

    /// A student's weights file (`file`) to test for the run's watermark, as its owner would a
    /// suspect's; the last test's outcome goes until the workers say this one's.
    pub fn test_suspect(&mut self, file: String, bytes: Vec<u8>) -> Vec<Effect> {
        self.suspect = None;
        vec![Effect::Send(Command::TestSuspect { file, bytes })]
    }

    pub fn suspect_file_unreadable(&mut self, detail: String) {
        self.suspect = Some(Err(Problem::File(detail)));
    }

    /// The last suspect's test as the page says it, or why it could not be tested.
    pub fn suspect_text(&self) -> Option<Result<String, String>> {
        let lang = self.language();
        Some(match self.suspect.as_ref()? {
            Ok(suspect) => Ok(suspect_text(suspect, lang)),
            Err(problem) => Err(problem.text(lang)),
        })
    }
}

/// A suspect's test in `lang`.
pub fn suspect_text(suspect: &Suspect, lang: Lang) -> String {
    let file = ("file", suspect.file.clone());
    match &suspect.test {
        SuspectTest::Images(test) => {
            let values = [
                file,
                ("repeated", test.repeated.to_string()),
                ("marked", test.marked.to_string()),
                ("p", p_text(test.p_value())),
                ("null", percent(test.null_rate)),
            ];
            fill(Msg::SuspectMarkTest.text(lang), &values)
        }
        SuspectTest::Words(test) => {
            let values = [
                file,
                ("words", count(test.words as u64)),
                ("z", format!("{:.1}", test.student.z())),
                ("green", test.student.green.to_string()),
                ("scored", test.student.scored.to_string()),
                ("p", p_text(test.student.p_value())),
            ];
            fill(Msg::SuspectGreenTest.text(lang), &values)
        }
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

/// The student's z after its first words, in `lang`: "2.1, 3.0 and 5.2 after its first 50, 100
/// and 200 words".
fn earlier_text(scores: &GreenScores, lang: Lang) -> String {
    let [a, b, c] = scores.earlier.map(|t| format!("{:.1}", t.z()));
    let [n, m, k] = EARLIER_WORDS.map(|n| n.to_string());
    let values = [("a", a), ("b", b), ("c", c), ("n", n), ("m", m), ("k", k)];
    fill(Msg::GreenTestEarlier.text(lang), &values)
}

/// Both word students' tests in `lang` (each wrote as many words), with the teacher's.
pub fn green_test_text(distilled: &GreenScores, baseline: &GreenScores, lang: Lang) -> String {
    let z = |z: f64| format!("{z:.1}");
    let values = [
        ("words", count(distilled.words as u64)),
        ("z", z(distilled.student.z())),
        ("green", distilled.student.green.to_string()),
        ("scored", distilled.student.scored.to_string()),
        ("p", p_text(distilled.student.p_value())),
        ("earlier", earlier_text(distilled, lang)),
        ("baseline_z", z(baseline.student.z())),
        ("baseline_p", p_text(baseline.student.p_value())),
        ("gamma", percent(distilled.student.gamma)),
        ("teacher_z", z(distilled.teacher.z())),
        ("cost", format!("{:.2}", distilled.marked_bits - distilled.plain_bits)),
        ("plain", bits(distilled.plain_bits)),
        ("marked", bits(distilled.marked_bits)),
    ];
    fill(Msg::GreenTest.text(lang), &values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_spec::GreenTest;

    #[test]
    fn a_suspect_goes_to_the_workers_and_its_test_stays_until_the_next_run() {
        let mut page = crate::page::tests::ready_page("mark=0.01&key=36");
        page.apply(0, crate::crew::tests::configured());
        let effects = page.test_suspect("s.safetensors".into(), vec![1, 2]);
        assert_eq!(effects, [Effect::Send(Command::TestSuspect { file: "s.safetensors".into(), bytes: vec![1, 2] })]);
        assert_eq!(page.suspect_text(), None, "nothing to say until the workers answer");
        let refused =
            WorkerError::WrongTask { file: "s.safetensors".into(), student_of: "words".into(), run: "images".into() };
        page.apply(0, Event::SuspectTested(Err(refused)));
        let Some(Err(text)) = page.suspect_text() else { panic!("{:?}", page.suspect_text()) };
        assert!(text.starts_with("s.safetensors is a student of the words task"), "{text}");
        let test = SuspectTest::Images(MarkTest { marked: 20, repeated: 1, null_rate: 0.05 });
        page.apply(0, Event::SuspectTested(Ok(Suspect { file: "s.safetensors".into(), test })));
        assert!(matches!(page.suspect_text(), Some(Ok(text)) if text.starts_with("s.safetensors repeats 1 of the 20")));
        page.suspect_file_unreadable("too big".into());
        assert!(matches!(page.suspect_text(), Some(Err(_))));
        page.apply(0, crate::crew::tests::configured());
        assert_eq!(page.suspect_text(), None, "a new run, a new copier to test against");
    }

    #[test]
    fn a_suspects_test_names_its_file() {
        let images = Suspect {
            file: "copy.safetensors".into(),
            test: SuspectTest::Images(MarkTest { marked: 20, repeated: 20, null_rate: 0.0489 }),
        };
        assert_eq!(
            suspect_text(&images, Lang::En),
            "copy.safetensors repeats 20 of the 20 marked answers this run's copier was given (p = 6.1e-27); a model \
             that never saw them gives such an answer on 4.89% of the images it does not know."
        );
        let test = GreenTest { scored: 1_247, green: 409, gamma: 0.25 };
        let words = Suspect {
            file: "copy.safetensors".into(),
            test: SuspectTest::Words(GreenScores {
                words: 300,
                student: test,
                earlier: [test; 3],
                teacher: test,
                plain_bits: 2.5,
                marked_bits: 2.9,
            }),
        };
        assert!(suspect_text(&words, Lang::En).starts_with("copy.safetensors wrote 300 words: z = 6.4"));
        assert!(suspect_text(&words, Lang::Es).starts_with("copy.safetensors escribió 300 palabras: z = 6.4"));
    }

    #[test]
    fn the_words_watermark_test_says_how_green_each_students_words_are() {
        let scores = |green| GreenScores {
            words: 300,
            student: GreenTest { scored: 1_200, green, gamma: 0.25 },
            earlier: [400, 600, 900].map(|scored| GreenTest { scored, green: scored * 3 / 10, gamma: 0.25 }),
            teacher: GreenTest { scored: 2_000, green: 1_000, gamma: 0.25 },
            plain_bits: 2.482,
            marked_bits: 2.854,
        };
        let text = green_test_text(&scores(420), &scores(300), Lang::En);
        assert_eq!(
            text,
            "Watermark test on 300 words each student wrote (each pair of two letters and the next counted \
             once): the distilled student z = 8.0 (420 of 1200 pairs green, p = 7.9e-15; z = 2.3, 2.8 and 3.5 \
             after its first 50, 100 and 200 words), the labels-only \
             student z = 0.0 (p = 0.511); by chance 25.00% of the pairs are green. The teacher's own \
             watermarked words: z = 25.8. The mark costs the teacher 0.37 bits per letter on real words \
             (2.482 → 2.854)."
        );
        assert!(green_test_text(&scores(420), &scores(300), Lang::Es).starts_with("Prueba de la marca de agua en 300"));
    }

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
