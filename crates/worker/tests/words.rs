//! The words task's run loop on the real English words pack (written by `distill pack`), on
//! burn's CPU backend, with a fake clock, as the page drives it: load, configure, start, slices
//! until the run finishes, the next-letter view.

use burn::prelude::*;
use distill_data::catalog::Catalog;
use distill_playground::protocol::{Command, Event, PerStudent, Scored, Student, Students, SuspectTest, WorkerError};
use distill_playground::results::ResultRow;
use distill_playground::settings::{find, Settings};
use distill_playground::sweep::{Axis, Sweep};
use distill_worker::runner::{Clock, Runner};
use distill_worker::words::WordsData;
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
fn play(runner: &mut Runner<FakeClock, WordsData>, settings: &Settings) -> Vec<Event> {
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
    let mut runner = Runner::new(FakeClock(Cell::new(0.0)));
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
        assert!(rows.iter().all(|r| r.task.bits_per_char().unwrap() < uniform && r.steps > 0), "{rows:?}");
        assert_eq!(rows[1].queries, 0, "the baseline asks nothing");
        assert!(events.contains(&Event::Finished));
    }
}

#[test]
fn the_next_letter_view_gives_each_models_distribution_and_refuses_foreign_letters() {
    let mut runner = Runner::new(FakeClock(Cell::new(0.0)));
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
    let mut runner = Runner::new(FakeClock(Cell::new(0.0)));
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

fn rows(events: &[Event]) -> Vec<&ResultRow> {
    events.iter().filter_map(|e| if let Event::Result(r) = e { Some(&**r) } else { None }).collect()
}

#[test]
fn a_words_sweep_trains_each_point_as_its_single_run_gives_the_run_back_and_refuses_image_only_axes() {
    let mut runner = Runner::new(FakeClock(Cell::new(0.0)));
    runner.load(words_pack());
    let base = settings(&[("task", "words"), ("budget", "100"), ("epochs", "1")]);
    let sweep = Sweep { vary: Axis::parse("t:1,4").unwrap(), by: Some(Axis::parse("mode:soft,text").unwrap()) };
    let points = sweep.points(&base, 2000).unwrap();
    pollster::block_on(runner.configure(&base, &Device::flex(), "CPU"));
    let mut events =
        runner.sweep("sweep 1".into(), 4, points.clone().into_iter().enumerate().collect(), &Device::flex(), "CPU");
    while runner.is_busy() {
        events.extend(pollster::block_on(runner.slice()));
    }
    let found = rows(&events);
    let summary: Vec<(&str, &str, &str)> =
        found.iter().map(|r| (r.run.as_str(), r.series.as_str(), r.point.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("sweep 1", "mode=soft", "t=1"),
            ("sweep 1", "mode=soft", "t=4"),
            ("sweep 1", "mode=text", "t=1"),
            ("sweep 1", "mode=text", "t=4")
        ]
    );
    let uniform = 27f64.log2();
    assert!(
        found.iter().all(|r| r.task.bits_per_char().unwrap() < uniform && r.steps > 0 && r.queries == 100),
        "{found:?}"
    );
    assert_eq!(events.last(), Some(&Event::SweepDone));
    // The single run configured before the sweep is back when it ends, and plays.
    let mut resumed = pollster::block_on(runner.handle(Command::Start));
    while runner.is_busy() {
        resumed.extend(pollster::block_on(runner.slice()));
    }
    assert_eq!(rows(&resumed).iter().map(|r| r.run.as_str()).collect::<Vec<_>>(), ["run 1", "run 1"]);
    // A point trains what a single run of its settings trains: the same figures.
    let single = play(&mut runner, &points[1].settings);
    let distilled = rows(&single)[0];
    assert_eq!(
        (distilled.task.bits_per_char().unwrap(), distilled.test_accuracy, distilled.agreement, distilled.steps),
        (found[1].task.bits_per_char().unwrap(), found[1].test_accuracy, found[1].agreement, found[1].steps)
    );
    // A setting the words task does not use cannot be swept.
    let noise = Sweep { vary: Axis::parse("noise:0,0.5").unwrap(), by: None };
    let refused = noise.points(&base, 2000).unwrap_err().to_string();
    assert!(refused.starts_with("the words task does not use `noise`: sweep one of student, mode, t,"), "{refused}");
}

#[test]
fn a_words_student_exported_then_imported_gives_the_same_scores_and_a_foreign_file_changes_nothing() {
    let mut runner = Runner::new(FakeClock(Cell::new(0.0)));
    runner.load(words_pack());
    let run = settings(&[("task", "words"), ("budget", "200"), ("epochs", "2")]);
    let trained = play(&mut runner, &run);
    let bits = rows(&trained)[0].task.bits_per_char().unwrap();
    let [Event::Weights(bytes)] = &pollster::block_on(runner.handle(Command::ExportWeights))[..] else {
        panic!("no weights")
    };
    let metadata = distill_data::dataset::safetensors_metadata(bytes);
    let answers = &metadata["test_predictions"];
    assert_eq!(metadata["pack"], "words-en.safetensors");
    assert_eq!(
        (metadata["letters"].as_str(), metadata["architecture"].as_str()),
        ("abcdefghijklmnopqrstuvwxyz", "mlp:100")
    );
    assert!(answers.len() > 1000 && answers.chars().all(|c| c == '.' || c.is_ascii_lowercase()), "{answers}");
    // The first test word's first letter follows the empty context: what the view says after "".
    let events = pollster::block_on(runner.handle(Command::NextLetters(String::new())));
    let [Event::NextLetters(found)] = &events[..] else { panic!("{events:?}") };
    let after_nothing = distill_spec::argmax(found.students.distilled.as_deref().unwrap());
    let letter = |token: usize| if token == 0 { '.' } else { char::from(b'a' + token as u8 - 1) };
    assert_eq!(answers.chars().next(), Some(letter(after_nothing)));

    pollster::block_on(runner.configure(&run, &Device::flex(), "CPU"));
    let imported = pollster::block_on(runner.handle(Command::ImportWeights(bytes.clone())));
    assert_eq!(imported, [Event::Imported(Ok(()))]);
    let events = pollster::block_on(runner.handle(Command::Score));
    let distilled = scored(&events, Student::Distilled);
    assert_eq!(distilled[0].report.bits_per_char(), Some(bits), "the imported student is the trained one");

    // A student of another shape: refused, with both shapes named.
    let other = settings(&[("task", "words"), ("budget", "200"), ("student", "mlp:64")]);
    pollster::block_on(runner.configure(&other, &Device::flex(), "CPU"));
    let refused = pollster::block_on(runner.handle(Command::ImportWeights(bytes.clone())));
    let [Event::Imported(Err(WorkerError::Training(why)))] = &refused[..] else { panic!("{refused:?}") };
    assert!(
        why.contains("they are for a student of context") && why.contains("· 100,") && why.ends_with("· 64"),
        "{why}"
    );
    let refused = pollster::block_on(runner.handle(Command::ImportWeights(b"not weights".to_vec())));
    assert!(matches!(&refused[..], [Event::Imported(Err(_))]), "{refused:?}");
}

#[test]
fn a_words_rehearsal_compiles_each_part_once_and_leaves_the_run_as_it_would_have_been() {
    let run = settings(&[("task", "words"), ("budget", "100"), ("epochs", "1")]);
    let mut plain = Runner::new(FakeClock(Cell::new(0.0)));
    plain.load(words_pack());
    let expected = play(&mut plain, &run);

    let mut rehearsed = Runner::new(FakeClock(Cell::new(0.0)));
    rehearsed.load(words_pack());
    pollster::block_on(rehearsed.configure(&run, &Device::flex(), "CPU"));
    let mut parts = 0;
    while pollster::block_on(rehearsed.rehearse_next()).unwrap() {
        parts += 1;
    }
    assert_eq!(parts, 3, "the distilled student's step, the labels-only student's and scoring");
    assert!(!pollster::block_on(rehearsed.rehearse_next()).unwrap(), "each once");
    let mut events = pollster::block_on(rehearsed.handle(Command::Start));
    while rehearsed.is_busy() {
        events.extend(pollster::block_on(rehearsed.slice()));
    }
    let bits = |events: &[Event]| rows(events).iter().map(|r| r.task.bits_per_char().unwrap()).collect::<Vec<_>>();
    assert_eq!(bits(&events), bits(&expected));
}

/// Lesson 16 natively: the teacher watermarks the 2,000 words it writes (δ = 2, γ = 0.25, key
/// 36); the student taught on them writes green pairs far above chance, the student of the real
/// words does not. Measured (this test's run, as `distill run --query lesson=radioactive-words`):
/// the copy z = 6.4 (409 of 1,247 pairs green, p = 4.0e-10), the labels-only student z = 0.2
/// (p = 0.42), the teacher's own words z = 14.9; the mark costs the teacher 0.36 bits per letter.
#[test]
fn a_student_of_watermarked_words_carries_the_mark_and_one_of_real_words_does_not() {
    let mut runner = Runner::new(FakeClock(Cell::new(0.0)));
    runner.load(words_pack());
    let lesson = distill_playground::lessons::find("radioactive-words").unwrap();
    let (link, _) = distill_playground::url::Link::from_query(lesson.query);
    let events = play(&mut runner, &link.settings);
    let last = |student| scored(&events, student).last().unwrap().report.green_test().expect("a watermark test");
    let (copy, honest) = (last(Student::Distilled), last(Student::Baseline));
    assert!(copy.student.z() > 4.0 && copy.student.p_value() < 1e-6, "{copy:?}");
    assert!(honest.student.p_value() > 0.01, "{honest:?}");
    assert!(copy.teacher.z() > 10.0, "the teacher's own words: {copy:?}");
    let cost = copy.marked_bits - copy.plain_bits;
    assert!((0.2..0.6).contains(&cost), "the mark costs {cost} bits per letter");
    assert_eq!(copy.words, 300);
    // The copy's weights file, tested as a suspect, is the copy; an images student is refused.
    let [Event::Weights(file)] = &pollster::block_on(runner.handle(Command::ExportWeights))[..] else { panic!() };
    let mut suspect = |bytes: Vec<u8>| {
        let command = Command::TestSuspect { file: "copy.safetensors".into(), bytes };
        match pollster::block_on(runner.handle(command)).pop() {
            Some(Event::SuspectTested(tested)) => tested,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(suspect(file.clone()).unwrap().test, SuspectTest::Words(copy), "the file is the copy");
    let metadata = std::collections::HashMap::from([("task".to_string(), "images".to_string())]);
    let images_student = distill_data::tensors::serialize(std::iter::empty(), &metadata).unwrap();
    let refused = suspect(images_student).unwrap_err().to_string();
    assert!(refused.contains("is a student of the images task, and this run is of the words task"), "{refused}");
    // No watermark, no test.
    let plain = settings(&[("task", "words"), ("mode", "text"), ("budget", "50"), ("epochs", "0.5"), ("key", "36")]);
    let events = play(&mut runner, &plain);
    assert!(scored(&events, Student::Distilled).iter().all(|s| s.report.green_test().is_none()));
}
