//! The words task's run loop on the real English words pack (written by `distill pack`), on
//! burn's CPU backend, with a fake clock, as the page drives it: load, configure, start, slices
//! until the run finishes, the next-letter view.

use burn::prelude::*;
use distill_data::catalog::Catalog;
use distill_playground::protocol::{Command, Event, PerStudent, Scored, Student, Students, WorkerError};
use distill_playground::settings::{find, Settings};
use distill_worker::runner::Clock;
use distill_worker::words::{WordsData, WordsRunner};
use std::cell::Cell;
use std::path::Path;

/// Advances by 1 ms every time it is read.
struct FakeClock(Cell<f64>);

impl Clock for FakeClock {
    fn now(&self) -> f64 {
        self.0.set(self.0.get() + 1.0);
        self.0.get()
    }
}

fn words_pack() -> WordsData {
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/packs");
    let catalog =
        std::fs::read_to_string(packs.join("catalog.json")).expect("run `cargo run -p distill-cli -- pack` first");
    let entry = Catalog::parse(&catalog).unwrap().words_pack("words-en").unwrap().clone();
    let bytes = std::fs::read(packs.join(&entry.file)).unwrap();
    pollster::block_on(WordsData::from_bytes(&entry, &bytes)).unwrap()
}

fn settings(pairs: &[(&str, &str)]) -> Settings {
    let mut s = Settings::default();
    for (key, value) in pairs {
        find(key).unwrap().write(&mut s, value).unwrap();
    }
    s
}

/// Plays a run of `settings` to its end; every event on the way.
fn play(runner: &mut WordsRunner<FakeClock>, settings: &Settings) -> Vec<Event> {
    let mut events = pollster::block_on(runner.configure(settings, &Device::flex(), "CPU"));
    events.extend(pollster::block_on(runner.handle(Command::Start)));
    while runner.is_busy() {
        events.extend(pollster::block_on(runner.slice()));
    }
    events
}

fn scored(events: &[Event], student: Student) -> Vec<&Scored> {
    events
        .iter()
        .filter_map(|e| if let Event::Scored(s) = e { Some(&**s) } else { None })
        .filter(|s| s.student == student)
        .collect()
}

#[test]
fn a_words_run_learns_invents_words_and_adds_its_rows() {
    let mut runner = WordsRunner::new(FakeClock(Cell::new(0.0)));
    let loaded = runner.load(words_pack());
    let Event::WordsLoaded(teacher) = &loaded[0] else { panic!("{loaded:?}") };
    assert_eq!((teacher.teacher.as_str(), teacher.letters.len(), teacher.train_words), ("words-en", 26, 2000));
    assert!(teacher.test_bits_per_char < 2.6 && teacher.wrote.iter().all(|w| !w.is_empty()), "{teacher:?}");
    let uniform = 27f64.log2();
    for mode in ["soft", "top8", "text"] {
        let run = settings(&[("task", "words"), ("mode", mode), ("budget", "300"), ("epochs", "3"), ("t", "1")]);
        let events = play(&mut runner, &run);
        let Some(Event::Configured { transfer_examples, queries, total_steps, .. }) = events.first() else {
            panic!("{events:?}")
        };
        assert_eq!(*queries, 300, "{mode}: 300 words asked of the teacher");
        assert!(*transfer_examples > 2000, "{mode}: every position of 300 words ({transfer_examples})");
        for student in [Student::Distilled, Student::Baseline] {
            let reports = scored(&events, student);
            assert!(reports.len() > 10, "{mode}: {} reports", reports.len());
            let last = reports.last().unwrap();
            assert_eq!(last.step, last.total_steps, "{mode} {student:?}: the last report is at the end");
            if student == Student::Distilled {
                assert_eq!(last.total_steps, *total_steps, "{mode}: the page's step count is the distilled student's");
            }
            let bits = last.report.bits_per_char().unwrap();
            assert!(bits < uniform - 0.7, "{mode} {student:?}: {bits} bits after 3 epochs ({uniform} for a guess)");
            assert_eq!(last.report.invented().len(), 6, "{mode}");
            assert!(last.report.test_accuracy > 0.2 && last.report.agreement > 0.2, "{mode}: {:?}", last.report);
        }
        let rows: Vec<_> =
            events.iter().filter_map(|e| if let Event::Result(r) = e { Some(r) } else { None }).collect();
        assert_eq!(rows.iter().map(|r| r.series.as_str()).collect::<Vec<_>>(), ["distilled", "labels only"]);
        assert!(rows.iter().all(|r| r.bits_per_char < uniform && r.steps > 0), "{rows:?}");
        assert_eq!(rows[1].queries, 0, "the baseline asks nothing");
        assert!(events.contains(&Event::Finished));
    }
}

#[test]
fn the_next_letter_view_gives_each_models_distribution_and_refuses_foreign_letters() {
    let mut runner = WordsRunner::new(FakeClock(Cell::new(0.0)));
    runner.load(words_pack());
    let sum = |p: &[f32]| p.iter().sum::<f32>();
    // Before any run: the teacher alone. After "distillatio" it is sure of the n.
    let events = pollster::block_on(runner.handle(Command::NextLetters("distillatio".into())));
    let [Event::NextLetters(found)] = &events[..] else { panic!("{events:?}") };
    assert!((sum(&found.teacher) - 1.0).abs() < 1e-4 && found.students == PerStudent::default());
    let n = 14; // a = 1, …, n = 14
    assert!(found.teacher[n] > 0.8, "p(n | distillatio) = {}", found.teacher[n]);
    // One worker of two: only its student's.
    runner.assign(Students::Only(Student::Baseline));
    let run = settings(&[("task", "words"), ("budget", "50"), ("epochs", "0.5")]);
    pollster::block_on(runner.configure(&run, &Device::flex(), "CPU"));
    let events = pollster::block_on(runner.handle(Command::NextLetters(String::new())));
    let [Event::NextLetters(found)] = &events[..] else { panic!("{events:?}") };
    let baseline = found.students.baseline.as_deref().unwrap_or_default();
    assert!(found.students.distilled.is_none() && (sum(baseline) - 1.0).abs() < 1e-4, "{found:?}");
    let events = pollster::block_on(runner.handle(Command::NextLetters("Paris".into())));
    assert_eq!(events, [Event::Error(WorkerError::Letter("P".into(), "abcdefghijklmnopqrstuvwxyz".into()))]);
}

#[test]
fn image_only_settings_are_refused_with_the_reason() {
    let mut runner = WordsRunner::new(FakeClock(Cell::new(0.0)));
    runner.load(words_pack());
    for (pairs, why) in
        [(vec![("student", "cnn:4-8-16")], "MLPs over letter embeddings"), (vec![("mode", "top9")], "top1 to top8")]
    {
        let mut run = settings(&[("task", "words")]);
        for (key, value) in pairs {
            find(key).unwrap().write(&mut run, value).unwrap();
        }
        let events = pollster::block_on(runner.configure(&run, &Device::flex(), "CPU"));
        assert!(matches!(&events[..], [Event::Error(WorkerError::Training(e))] if e.contains(why)), "{events:?}");
    }
}
