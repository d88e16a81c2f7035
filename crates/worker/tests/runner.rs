//! The worker's run loop on the real MNIST pack (written by `distill pack`, which the test script
//! runs first), on burn's CPU backend, with a fake clock: each reading advances it by a fixed
//! step, so a 50 ms slice holds a known number of steps.

use burn::prelude::*;
use distill_data::dataset::safetensors_metadata;
use distill_data::pack::Delivery;
use distill_playground::crew::Crew;
use distill_playground::protocol::{
    checked_part, questions_for, Command, Downloaded, Event, Pick, Student, Students, WorkerError,
};
use distill_playground::settings::{AskAbout, Settings};
use distill_playground::sweep::{Axis, Sweep};
use distill_playground::workers::WorkerKind;
use distill_worker::pack_data::PackData;
use distill_worker::runner::Runner;
use distill_worker::task::TaskData;
use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;

mod support;
use support::*;

#[test]
fn a_single_run_plays_in_slices_reports_pauses_and_finishes_with_two_rows() {
    let mut runner = runner(5.0);
    let s = settings(&[("budget", "500"), ("epochs", "4")]);
    let events = run(runner.configure(&s, &Device::flex(), "CPU"));
    let [Event::Configured { total_steps: 32, transfer_examples: 500, queries: 500, honest_accuracy, teacher_accuracy }] =
        events[..]
    else {
        panic!("{events:?}")
    };
    assert!(teacher_accuracy > 0.97, "the teacher on the pack's test images: {teacher_accuracy}");
    assert_eq!(honest_accuracy, teacher_accuracy, "no defence: an honest user sees the teacher as it is");
    assert!(!runner.is_busy(), "nothing plays before Start");
    assert_eq!(run(runner.handle(Command::Start)), [Event::Running(true)]);

    // Each step reads the clock twice (10 ms) and each report twice more: a 50 ms slice holds a
    // few steps, never the whole run.
    let first = run(runner.slice());
    let sliced = reports(&first);
    assert!(!sliced.is_empty() && sliced.len() < 32, "{} reports in one slice", sliced.len());
    assert!(sliced[0].examples_per_second > 0.0, "throughput is measured when the report is made");
    assert_eq!(run(runner.handle(Command::Pause)), [Event::Running(false)]);
    assert!(!runner.is_busy());
    assert!(run(runner.slice()).is_empty(), "a paused run does not train");

    run(runner.handle(Command::Start));
    let mut events = Vec::new();
    while runner.is_busy() {
        events.extend(run(runner.slice()));
    }
    let last = reports(&events).pop().unwrap();
    assert_eq!((last.step, last.total_steps, last.examples_seen), (32, 32, 32 * 64));
    for student in [&last.distilled, &last.baseline] {
        assert!(student.test_accuracy > 0.75, "{}", student.test_accuracy);
        assert_eq!(student.confusion().unwrap().0.iter().flatten().sum::<u32>(), 1000);
    }
    assert!(last.baseline.soft_loss == 0.0 && last.distilled.soft_loss > 0.0);
    let rows: Vec<_> = events.iter().filter_map(|e| if let Event::Result(r) = e { Some(r) } else { None }).collect();
    assert_eq!(rows.iter().map(|r| r.series.as_str()).collect::<Vec<_>>(), ["distilled", "labels only"]);
    assert!(rows.iter().all(|r| r.run == "run 1" && r.examples == 500 && r.steps == 32 && r.seconds > 0.0));
    assert_eq!(rows[0].test_accuracy, last.distilled.test_accuracy, "the row is the last report's score");
    assert!(events.contains(&Event::Finished));
    assert!(run(runner.handle(Command::Start)).is_empty(), "a finished run does not start again");
}

#[test]
fn one_step_reports_and_a_left_out_class_sends_the_test_logits() {
    let mut runner = runner(1.0);
    let s = settings(&[("budget", "64"), ("epochs", "1"), ("exclude", "3")]);
    let events = run(runner.configure(&s, &Device::flex(), "CPU"));
    let Event::Configured { transfer_examples, total_steps, .. } = events[0] else { panic!("{events:?}") };
    assert!(transfer_examples == 64 && total_steps == 1, "{events:?}");
    let events = run(runner.handle(Command::Step));
    assert_eq!(reports(&events).len(), 1, "{events:?}");
    assert!(events.contains(&Event::Finished));
    let logits = events.iter().find_map(|e| match e {
        Event::TestLogits { students, .. } => students.distilled.as_ref(),
        _ => None,
    });
    assert_eq!(logits.map(Vec::len), Some(10_000), "1000 test images × 10 classes");
}

#[test]
fn a_sweep_trains_its_points_in_order_and_a_diverging_point_is_a_row_not_the_end() {
    let mut runner = runner(1.0);
    let base = settings(&[("budget", "400"), ("epochs", "2")]);
    let sweep = Sweep { vary: Axis::parse("lr:0.01,1").unwrap(), by: Some(Axis::parse("mode:soft,labels").unwrap()) };
    let mut points = sweep.points(&base, 5000).unwrap();
    // A learning rate far beyond the control's range diverges: it must become a row, not stop the sweep.
    points[1].settings.train.learning_rate = 1e30;
    let events = runner.sweep("sweep 1".into(), 4, points.into_iter().enumerate().collect(), &Device::flex(), "CPU");
    assert!(events.is_empty(), "{events:?}");
    assert!(runner.is_busy());
    let mut events = Vec::new();
    while runner.is_busy() {
        events.extend(run(runner.slice()));
    }
    let rows: Vec<_> = events.iter().filter_map(|e| if let Event::Result(r) = e { Some(r) } else { None }).collect();
    let order: Vec<(&str, &str)> = rows.iter().map(|r| (r.series.as_str(), r.point.as_str())).collect();
    assert_eq!(
        order,
        [("mode=soft", "lr=0.01"), ("mode=soft", "lr=1"), ("mode=labels", "lr=0.01"), ("mode=labels", "lr=1")]
    );
    assert!(rows[1].note.contains("diverged") && rows[1].test_accuracy.is_nan(), "{:?}", rows[1]);
    assert!(rows[0].test_accuracy > 0.5 && rows[2].test_accuracy > 0.5, "{rows:?}");
    assert!(rows.iter().all(|r| r.run == "sweep 1" && r.examples == 400));
    assert!(rows[0].steps > 0 && rows[1].note.contains("diverged by step"), "{:?}", rows[1]);
    // The diverged student went back to its last good weights, so its row counts only good steps.
    assert!(rows[1].steps < rows[0].steps, "{} of {}", rows[1].steps, rows[0].steps);
    assert!(events.iter().any(|e| matches!(e, Event::SweepProgress { index: 3, total: 4, .. })));
    assert_eq!(events.last(), Some(&Event::SweepDone));
}

#[test]
fn a_sweep_can_be_stopped_and_a_new_configure_stops_it_too() {
    let mut runner = runner(1.0);
    let base = settings(&[("budget", "400"), ("epochs", "2")]);
    let points: Vec<_> = Sweep { vary: Axis::parse("seed:1,2,3").unwrap(), by: None }
        .points(&base, 5000)
        .unwrap()
        .into_iter()
        .enumerate()
        .collect();
    runner.sweep("sweep 1".into(), 3, points.clone(), &Device::flex(), "CPU");
    run(runner.slice());
    assert_eq!(run(runner.handle(Command::StopSweep)), [Event::SweepDone]);
    assert!(!runner.is_busy());
    runner.sweep("sweep 2".into(), 3, points, &Device::flex(), "CPU");
    let events = run(runner.configure(&base, &Device::flex(), "CPU"));
    assert_eq!(events[0], Event::SweepDone, "{events:?}");
}

/// The MNIST pack file and its parts as the catalog gives them.
fn pack_parts() -> (PackData, Vec<u8>, Vec<std::ops::Range<usize>>) {
    let data = mnist_pack();
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/packs");
    let bytes = std::fs::read(packs.join(&data.entry.file)).unwrap();
    let mut start = 0;
    let ranges = (data.entry.parts.iter())
        .map(|part| {
            start += part.bytes as usize;
            start - part.bytes as usize..start
        })
        .collect();
    (data, bytes, ranges)
}

#[test]
fn a_damaged_or_truncated_part_is_refused_with_its_name() {
    let (data, bytes, ranges) = pack_parts();
    assert_eq!(ranges.len(), 14, "the test split, labels and logits, 64, 128, 256 and 512 images a part, logits");
    // The page checks each part as it arrives, before any worker gets it.
    let file = Command::Load(data.entry.clone()).needs_file().unwrap();
    for (index, range) in ranges.iter().enumerate() {
        checked_part(&file, index, &bytes[range.clone()]).unwrap();
    }
    let mut damaged = bytes[ranges[3].clone()].to_vec();
    damaged[1000] ^= 1;
    let error = checked_part(&file, 3, &damaged).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("packs/mnist-mlp.safetensors (part 4 of 14)") && text.contains("SHA-256"), "{text}");
    let short = checked_part(&file, 3, &bytes[ranges[3].start..ranges[3].end - 1]).unwrap_err().to_string();
    assert!(short.contains("(part 4 of 14)"), "{short}");
    // A part that did not arrive after the load unloads the pack: the page then asks for
    // students, and the answer is still why.
    let mut runner: Runner<_, PackData> = Runner::new(FakeClock { now: Rc::new(Cell::new(0.0)), step: 1.0 });
    runner.load(PackData::from_first_part(&data.entry, &bytes[ranges[0].clone()]).unwrap());
    assert_eq!(runner.add_part(&data.entry.file, 1, Downloaded::Failed(error.clone())), [Event::Error(error.clone())]);
    assert_eq!(run(runner.handle(Command::Inspect(Pick::Test(0)))), [Event::Error(error.clone())]);
    assert_eq!(run(runner.configure(&Settings::default(), &Device::flex(), "CPU")), [Event::Error(error)]);
    // A page without WebCrypto sends the parts unchecked: the worker refuses a damaged one itself.
    runner.load(PackData::from_first_part(&data.entry, &bytes[ranges[0].clone()]).unwrap());
    let mut damaged = bytes[ranges[1].clone()].to_vec();
    damaged[7] ^= 1;
    let [Event::Error(WorkerError::Pack(why))] =
        &runner.add_part(&data.entry.file, 1, Downloaded::Unchecked(damaged))[..]
    else {
        panic!("a damaged part is refused")
    };
    assert!(why.contains("packs/mnist-mlp.safetensors (part 2 of 14): expected SHA-256"), "{why}");
}

/// A run of `s` on the pack as it arrives, each part sent once the run waits for it (the run
/// configured once the worker is ready for it, as the pump does); its events, and the reports it
/// gave before the last part came.
fn streamed(s: &Settings) -> (Vec<Event>, usize) {
    let (data, bytes, ranges) = pack_parts();
    let mut early: Runner<_, PackData> = Runner::new(FakeClock { now: Rc::new(Cell::new(0.0)), step: 5.0 });
    let loaded = early.load(PackData::from_first_part(&data.entry, &bytes[ranges[0].clone()]).unwrap());
    assert_eq!(loaded[1], Event::Arriving { rows: 0, of: 5000 }, "{loaded:?}");
    let mut events = Vec::new();
    let (mut before_the_last, mut rows_in, mut started) = (0, 0, false);
    for (index, range) in ranges.iter().enumerate().skip(1) {
        if !started && early.ready_for(s) {
            events.extend(run(early.configure(s, &Device::flex(), "CPU")));
            events.extend(run(early.handle(Command::Start)));
            started = true;
        }
        while early.is_busy() {
            events.extend(run(early.slice()));
        }
        let last = index == ranges.len() - 1;
        if last {
            before_the_last = reports(&events).len();
        } else {
            rows_in += range.len() / distill_spec::PIXELS;
        }
        let arrived = early.add_part(&data.entry.file, index, Downloaded::Unchecked(bytes[range.clone()].to_vec()));
        let expected =
            if last { Event::Arriving { rows: 0, of: 0 } } else { Event::Arriving { rows: rows_in, of: 5000 } };
        assert_eq!(arrived, [expected]);
        assert!(
            early.add_part(&data.entry.file, index, Downloaded::Checked(Vec::new())).is_empty(),
            "a part sent again changes nothing"
        );
    }
    if !started {
        events.extend(run(early.configure(s, &Device::flex(), "CPU")));
        events.extend(run(early.handle(Command::Start)));
    }
    while early.is_busy() {
        events.extend(run(early.slice()));
    }
    (events, before_the_last)
}

#[test]
fn a_run_that_starts_on_the_first_parts_ends_as_one_that_waited_for_the_last() {
    let rows = |events: &[Event]| -> Vec<(String, f64, f64)> {
        let rows = events.iter().filter_map(|e| if let Event::Result(r) = e { Some(r) } else { None });
        rows.map(|r| (r.series.clone(), r.test_accuracy, r.agreement)).collect()
    };
    // The default run's 2,000 images are the first seven parts after the first (64, 128, 256, then
    // 512 images a part): it is over before the rest arrive. A run of 3,000 also asks about rows
    // whose logits come in the last part, and waits for the whole pack.
    for (s, all_before_the_last) in [(settings(&[("epochs", "2")]), true), (settings(&[("budget", "3000")]), false)] {
        let mut waited = runner(5.0);
        let mut events = run(waited.configure(&s, &Device::flex(), "CPU"));
        events.extend(play(&mut waited));
        let (early, before_the_last) = streamed(&s);
        assert_eq!(scores(&early), scores(&events), "the same students, step for step");
        assert_eq!(rows(&early).len(), 2);
        assert_eq!(rows(&early), rows(&events), "the same result rows");
        let reports = scores(&events).len();
        let ok = if all_before_the_last { before_the_last == reports } else { before_the_last < reports };
        assert!(ok, "{before_the_last} of {reports} reports before the last part");
    }
    let (data, bytes, ranges) = pack_parts();
    let mut runner: Runner<_, PackData> = Runner::new(FakeClock { now: Rc::new(Cell::new(0.0)), step: 5.0 });
    runner.load(PackData::from_first_part(&data.entry, &bytes[ranges[0].clone()]).unwrap());
    assert!(runner.ready_for(&Settings::default()));
    for waits in [[("mark", "0.01")], [("ask", "strokes")], [("queries", "uncertainty")]] {
        assert!(!runner.ready_for(&settings(&waits)), "{waits:?}: its answers depend on images it lacks: it waits");
    }
    for waits in [[("budget", "3000")], [("seed", "2")]] {
        assert!(!runner.ready_for(&settings(&waits)), "{waits:?}: it asks about rows whose logits come last");
    }
    assert!(runner.ready_for(&settings(&[("budget", "1000")])), "the default run's first 1,000 questions");
}

#[test]
fn a_copier_without_the_teachers_images_asks_about_strokes_once_their_answers_are_in() {
    let mut runner = runner(1.0);
    let s = settings(&[("ask", "strokes"), ("budget", "2000"), ("epochs", "20"), ("t", "4"), ("alpha", "0.9")]);
    let strokes = questions_for(&mnist_pack().entry, AskAbout::Strokes).unwrap().clone();
    let [Event::Error(WorkerError::Pack(why))] = &run(runner.configure(&s, &Device::flex(), "CPU"))[..] else {
        panic!()
    };
    assert!(why.contains("packs/mnist-mlp.ask-strokes.safetensors is not downloaded"), "{why}");

    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/packs");
    let mut bytes = std::fs::read(packs.join(&strokes.file)).unwrap();
    bytes[500] ^= 1;
    let file = Command::AddQuestions(strokes.clone()).needs_file().unwrap();
    let damaged = checked_part(&file, 0, &bytes).unwrap_err().to_string();
    assert!(damaged.contains("packs/mnist-mlp.ask-strokes.safetensors") && damaged.contains("SHA-256"), "{damaged}");
    bytes[500] ^= 1;
    checked_part(&file, 0, &bytes).unwrap();
    runner.add_questions(&strokes, &bytes).unwrap();

    run(runner.configure(&s, &Device::flex(), "CPU"));
    let last = reports(&play(&mut runner)).pop().unwrap();
    // Measured: 74.0% from answers about scribbles, 50.3% for the student of the teacher's top labels.
    let (copy, labels) = (last.distilled.test_accuracy, last.baseline.test_accuracy);
    assert!(copy > 0.6 && copy > labels + 0.1, "the soft answers about strokes: {copy}; their top labels: {labels}");

    // The dark-knowledge panel shows a stroke asked about: no true class, the teacher's answer.
    let [Event::Inspection(shown)] = &run(runner.handle(Command::Inspect(Pick::Asked(0))))[..] else { panic!() };
    assert_eq!((shown.label, &shown.pixels), (None, &distill_data::strokes::strokes(1, 1)));
    assert!(shown.teacher_logits.len() == 10 && shown.students.distilled.as_ref().map(Vec::len) == Some(10));
}

/// A run of `s` played to the end by one worker training both students, and by two workers with
/// one student each whose answers the page's crew pairs.
fn alone_and_paired(s: &Settings) -> (Vec<Event>, Vec<Event>) {
    let mut alone = runner(5.0);
    let mut together = run(alone.configure(s, &Device::flex(), "CPU"));
    together.extend(play(&mut alone));

    // Two workers, each with one student, their answers paired by the page's crew.
    let mut crew = Crew::for_machine(WorkerKind::Cpu, 2);
    let mut paired = Vec::new();
    let mut workers: Vec<_> = (0..2).map(|_| runner(5.0)).collect();
    for (index, worker) in workers.iter_mut().enumerate() {
        assert_eq!(run(worker.handle(Command::Assign(crew.students(index)))), []);
        let mut events = run(worker.configure(s, &Device::flex(), "CPU"));
        events.extend(play(worker));
        paired.push(events);
    }
    assert_eq!(crew.students(1), Students::Only(Student::Baseline));
    let mut merged = Vec::new();
    // The baseline's worker answers first: the crew still puts the distilled student first.
    for (index, events) in [(1, &paired[1]), (0, &paired[0])] {
        for event in events.iter().cloned() {
            merged.extend(crew.receive(index, event));
        }
    }
    (together, merged)
}

#[test]
fn a_worker_per_student_trains_exactly_what_one_worker_trains() {
    let s = settings(&[("budget", "500"), ("epochs", "2"), ("exclude", "3")]);
    let (together, merged) = alone_and_paired(&s);

    assert_eq!(scores(&merged), scores(&together), "the same seed gives the same students, step for step");
    assert_eq!(scores(&merged).len(), 16);
    let rows = |events: &[Event]| -> Vec<(String, f64)> {
        events
            .iter()
            .filter_map(|e| if let Event::Result(r) = e { Some((r.series.clone(), r.test_accuracy)) } else { None })
            .collect()
    };
    assert_eq!(rows(&merged), rows(&together));
    let logits =
        |events: &[Event]| {
            events.iter().find_map(|e| {
                if let Event::TestLogits { students, .. } = e {
                    Some(students.clone())
                } else {
                    None
                }
            })
        };
    assert_eq!(logits(&merged), logits(&together));
    assert_eq!(merged.iter().filter(|e| **e == Event::Finished).count(), 1);
}

#[test]
fn a_diverging_run_stops_at_its_report_with_one_error() {
    let mut runner = runner(1.0);
    let mut s = settings(&[("budget", "500"), ("epochs", "4")]);
    s.train.learning_rate = 1e30; // beyond the control's range, as a tampered message could send
    run(runner.configure(&s, &Device::flex(), "CPU"));
    let events = play(&mut runner);
    let errors: Vec<_> = events.iter().filter(|e| matches!(e, Event::Error(_))).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(format!("{errors:?}").contains("diverged by step"), "{errors:?}");
    assert_eq!(events.last(), Some(&Event::Running(false)), "the run pauses");
    assert!(!events.contains(&Event::Finished));
}

#[test]
fn a_copier_asking_in_rounds_reports_every_round_and_two_workers_ask_the_same_questions() {
    // Top-1 answers, the student's least sure images first, a quota that refuses the last 50.
    let s = settings(&[
        ("mode", "top1"),
        ("budget", "300"),
        ("epochs", "2"),
        ("queries", "uncertainty"),
        ("first", "100"),
        ("round", "100"),
        ("quota", "250"),
    ]);
    let (together, merged) = alone_and_paired(&s);
    // Planned: 2 passes over 100, 200 and 300 answers at batch 64 = 4 + 7 + 10 steps.
    let Event::Configured { total_steps: 21, transfer_examples: 100, queries: 100, .. } = together[0] else {
        panic!("{:?}", together[0])
    };
    let rounds = |events: &[Event]| -> Vec<(usize, usize, f64, f64)> {
        reports(events)
            .iter()
            .filter(|r| r.round_done)
            .map(|r| (r.queries, r.answered, r.distilled.test_accuracy, r.baseline.test_accuracy))
            .collect()
    };
    let curve = rounds(&together);
    let spent: Vec<(usize, usize)> = curve.iter().map(|&(q, a, _, _)| (q, a)).collect();
    assert_eq!(spent, [(100, 100), (200, 200), (300, 250)], "a report per round; past the quota, no answers");
    assert!(curve[2].2 > curve[0].2, "more answers, a better copy: {curve:?}");
    assert_eq!(rounds(&merged), curve, "the labels-only student's worker asks what the distilled student asks");
    let rows: Vec<(String, usize, usize)> = together
        .iter()
        .filter_map(|e| if let Event::Result(r) = e { Some((r.series.clone(), r.queries, r.examples)) } else { None })
        .collect();
    assert_eq!(rows, [("distilled".into(), 300, 250), ("labels only".into(), 300, 250)]);
    assert_eq!(merged.iter().filter(|e| **e == Event::Finished).count(), 1);
}

#[test]
fn a_sweep_point_asks_in_rounds_too() {
    let mut runner = runner(1.0);
    let base = settings(&[("mode", "top3"), ("budget", "200"), ("epochs", "1"), ("first", "100"), ("round", "50")]);
    let sweep = Sweep { vary: Axis::parse("queries:random,diversity").unwrap(), by: None };
    let points = sweep.points(&base, 5000).unwrap();
    runner.sweep("sweep 1".into(), 2, points.into_iter().enumerate().collect(), &Device::flex(), "CPU");
    let mut events = Vec::new();
    while runner.is_busy() {
        events.extend(run(runner.slice()));
    }
    let rows: Vec<_> = events.iter().filter_map(|e| if let Event::Result(r) = e { Some(r) } else { None }).collect();
    assert_eq!(rows.len(), 2, "{events:?}");
    for row in rows {
        // 1 pass over 100, then 150, then 200 answers: 2 + 3 + 4 steps.
        assert_eq!((row.queries, row.examples, row.steps), (200, 200, 9), "{}", row.point);
        assert!(row.test_accuracy > 0.5, "{}: {}", row.point, row.test_accuracy);
    }
}

/// Logits that say `labels` (a margin of `margin`), as a teacher-logits file writes them.
fn saying(labels: &[u8], margin: f32) -> Vec<f32> {
    labels.iter().flat_map(|&l| (0..10).map(move |c| if c == l { margin } else { 0.0 })).collect()
}

#[test]
fn a_teacher_of_ones_own_replaces_the_packs_and_a_file_in_another_order_changes_nothing() {
    use distill_data::teacher::TeacherCache;
    use distill_playground::protocol::ImportedTeacher;
    let mut runner = runner(5.0);
    let data = mnist_pack();
    // A teacher right on every training image and on 4 of 5 test images (the rest it calls 0 or 1).
    let wrong: Vec<u8> =
        data.test.labels.iter().enumerate().map(|(i, &l)| if i % 5 == 0 { (l + 1) % 2 } else { l }).collect();
    let right = wrong.iter().zip(&data.test.labels).filter(|(w, l)| w == l).count() as f64 / 1000.0;
    let file = |train: Vec<f32>, test: Vec<f32>| {
        TeacherCache { train_logits: train, test_logits: test, metadata: Default::default() }.to_safetensors()
    };
    let mine = file(saying(&data.own.labels, 5.0), saying(&wrong, 5.0));
    let events = run(runner.handle(Command::ImportTeacher { file: "mine.safetensors".into(), bytes: mine }));
    assert_eq!(
        events,
        [Event::TeacherImported(Ok(ImportedTeacher { file: "mine.safetensors".into(), test_accuracy: right }))]
    );

    let mut reversed = saying(&wrong, 5.0);
    reversed.reverse(); // the rows (and each row's classes) in another order
    let refused = run(runner.handle(Command::ImportTeacher {
        file: "shuffled.safetensors".into(),
        bytes: file(saying(&data.own.labels, 5.0), reversed),
    }));
    let [Event::TeacherImported(Err(WorkerError::Teacher(why)))] = &refused[..] else { panic!("{refused:?}") };
    assert!(
        why.contains("shuffled.safetensors: its answers match the true class of only")
            && why.contains("original order"),
        "{why}"
    );
    let mut training = saying(&data.own.labels, 5.0);
    training.rotate_left(10); // each training row one image late: the students would learn the wrong answers
    let refused = run(runner.handle(Command::ImportTeacher {
        file: "late.safetensors".into(),
        bytes: file(training, saying(&wrong, 5.0)),
    }));
    assert!(format!("{refused:?}").contains("true class of only"), "{refused:?}");
    assert!(format!("{refused:?}").contains("5000 training images"), "{refused:?}");
    let few = run(runner.handle(Command::ImportTeacher {
        file: "few.safetensors".into(),
        bytes: file(vec![0.0; 100], vec![0.0; 100]),
    }));
    assert!(format!("{few:?}").contains("`train_logits` has 10 rows, the pack 5000"), "{few:?}");

    let strokes = run(runner.configure(&settings(&[("ask", "strokes")]), &Device::flex(), "CPU"));
    assert!(format!("{strokes:?}").contains("answers about the pack's own images only"), "{strokes:?}");
    let events = run(runner.configure(&settings(&[("budget", "500"), ("epochs", "2")]), &Device::flex(), "CPU"));
    let [Event::Configured { teacher_accuracy, .. }] = events[..] else { panic!("{events:?}") };
    assert_eq!(teacher_accuracy, right, "the refused files changed nothing");
    let mut events = run(runner.handle(Command::Start));
    while runner.is_busy() {
        events.extend(run(runner.slice()));
    }
    let last = reports(&events).pop().unwrap();
    // Agreement is measured against the imported teacher, wrong on every fifth test image.
    let (accuracy, agreement) = (last.distilled.test_accuracy, last.distilled.agreement);
    assert!(accuracy > 0.7 && agreement < accuracy - 0.1, "accuracy {accuracy}, agreement {agreement}");
    let rows: Vec<_> = events.iter().filter_map(|e| if let Event::Result(r) = e { Some(r) } else { None }).collect();
    assert!(rows.len() == 2 && rows.iter().all(|r| r.note == "teacher imported from mine.safetensors"), "{rows:?}");

    // The exported student carries its answers for the pack's test images.
    let [Event::Weights(bytes)] = &run(runner.handle(Command::ExportWeights))[..] else { panic!("no weights") };
    let metadata = distill_data::dataset::safetensors_metadata(bytes);
    let answers = metadata["test_predictions"].as_bytes();
    assert_eq!((answers.len(), metadata["pack"].as_str()), (1000, "mnist-mlp.safetensors"));
    for index in [0, 17, 999] {
        let events = run(runner.handle(Command::Inspect(Pick::Test(index))));
        let [Event::Inspection(inspection)] = &events[..] else { panic!("{events:?}") };
        let logits = inspection.students.distilled.as_ref().unwrap();
        let top = (0..10).max_by(|&a, &b| logits[a].total_cmp(&logits[b]));
        assert_eq!(top.map(|c| b'0' + c as u8), Some(answers[index]), "image {index}");
    }
}

#[test]
fn the_pack_stores_first_the_images_the_default_run_reads_in_the_order_it_reads_them() {
    let (data, bytes, _) = pack_parts();
    let delivery = Delivery::of(&safetensors_metadata(&bytes)).expect("the pack says its order");
    let s = Settings::default();
    assert_eq!((delivery.seed, Some(delivery.budget)), (s.train.seed, s.train.budget), "the default link's run");
    let mut student = run(data.student("distilled", &s, None, &Device::flex())).unwrap();
    let rows = student.trainer.set().transfer.indices.clone();
    let mut read = Vec::new();
    while let Some(positions) = student.trainer.upcoming() {
        read.extend(positions.iter().map(|&p| rows[p]));
        student.trainer.step();
    }
    assert!(read.len() > 1900, "its first pass: {}", read.len());
    assert_eq!(read, delivery.order(data.entry.train_rows)[..read.len()]);
}
