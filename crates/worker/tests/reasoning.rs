//! The reasoning task's run loop on the real parity pack (written by `distill pack`), on burn's
//! CPU backend, with a fake clock, as the page drives it: load, configure, start, slices until the
//! run finishes, the "show your work" view.

use burn::prelude::*;
use distill_data::catalog::Catalog;
use distill_playground::protocol::{Command, Event, Scored, Student, TaskScores, WorkerError};
use distill_playground::settings::{find, Settings};
use distill_worker::reasoning::ReasoningData;
use distill_worker::runner::{Clock, Runner};
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

fn parity_pack() -> ReasoningData {
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/packs");
    let catalog =
        std::fs::read_to_string(packs.join("catalog.json")).expect("run `cargo run -p distill-cli -- pack` first");
    let entry = Catalog::parse(&catalog).unwrap().reasoning_pack("parity").unwrap().clone();
    let bytes = std::fs::read(packs.join(&entry.file)).unwrap();
    pollster::block_on(ReasoningData::from_bytes(&entry, &bytes)).unwrap()
}

fn settings(pairs: &[(&str, &str)]) -> Settings {
    let mut s = Settings::default();
    for (key, value) in pairs {
        find(key).unwrap().write(&mut s, value).unwrap();
    }
    s
}

/// Plays a run of `settings` to its end; every event on the way.
fn play(runner: &mut Runner<FakeClock, ReasoningData>, settings: &Settings) -> Vec<Event> {
    let mut events = pollster::block_on(runner.configure(settings, &Device::flex(), "CPU"));
    events.extend(pollster::block_on(runner.handle(Command::Start)));
    while runner.is_busy() {
        events.extend(pollster::block_on(runner.slice()));
    }
    events
}

fn last_scored(events: &[Event], student: Student) -> &Scored {
    events
        .iter()
        .rev()
        .find_map(|e| if let Event::Scored(s) = e { Some(&**s).filter(|s| s.student == student) } else { None })
        .expect("a report")
}

#[test]
fn each_mode_trains_and_is_scored_by_problem_size() {
    let mut runner = Runner::new(FakeClock(Cell::new(0.0)));
    let loaded = runner.load(parity_pack());
    let Event::ReasoningLoaded(teacher) = &loaded[0] else { panic!("{loaded:?}") };
    assert_eq!((teacher.teacher.as_str(), teacher.taught, teacher.asked), ("parity", (5, 8), 2000));
    assert_eq!(teacher.by_size.iter().map(|s| s.bits).collect::<Vec<_>>(), [5, 6, 7, 8, 9], "one size longer");
    assert!(teacher.by_size[..4].iter().all(|s| s.right > 0.95), "{teacher:?}");
    assert!((1000..1600).contains(&teacher.right), "sampled at T = 2.5, some solutions are wrong: {teacher:?}");
    let mut examples = Vec::new();
    for mode in ["labels", "top1", "top2", "text", "verified", "soft"] {
        let run = settings(&[("task", "reasoning"), ("mode", mode), ("budget", "200"), ("epochs", "2")]);
        let events = play(&mut runner, &run);
        let Some(Event::Configured { transfer_examples, queries, .. }) = events.first() else { panic!("{events:?}") };
        assert_eq!(*queries, if mode == "labels" { 0 } else { 200 }, "{mode}: problems asked of the teacher");
        examples.push(*transfer_examples);
        for student in [Student::Distilled, Student::Baseline] {
            let last = last_scored(&events, student);
            assert_eq!(last.step, last.total_steps, "{mode} {student:?}");
            let TaskScores::Reasoning { by_size, traces_right } = &last.report.task else { panic!("{last:?}") };
            assert_eq!(by_size.len(), 5, "{mode}");
            assert!((0.0..=1.0).contains(traces_right) && (0.0..=1.0).contains(&last.report.test_accuracy));
        }
        assert!(events.contains(&Event::Finished), "{mode}");
        let rows = events.iter().filter(|e| matches!(e, Event::Result(_))).count();
        assert_eq!(rows, 2, "{mode}");
    }
    // Labels and the solutions keep every problem; the answer modes those where the sampling
    // teacher wrote an answer at all (measured: 154 of 200); rejection sampling those whose answer
    // checks out (134).
    assert_eq!((examples[0], examples[3], examples[5]), (200, 200, 200), "{examples:?}");
    assert!(examples[1] == examples[2] && examples[4] < examples[1] && examples[4] > 100, "{examples:?}");
}

#[test]
fn taught_the_steps_a_student_solves_problems_its_baseline_cannot() {
    let mut runner = Runner::new(FakeClock(Cell::new(0.0)));
    runner.load(parity_pack());
    let run = settings(&[
        ("task", "reasoning"),
        ("mode", "text"),
        ("budget", "1000"),
        ("epochs", "30"),
        ("lr", "0.003"),
        ("batch", "32"),
    ]);
    let events = play(&mut runner, &run);
    let (steps, answers) = (last_scored(&events, Student::Distilled), last_scored(&events, Student::Baseline));
    let (steps, answers) = (steps.report.test_accuracy, answers.report.test_accuracy);
    println!("1,000 problems, 30 epochs: {steps:.3} right taught the teacher's steps, {answers:.3} the true answers");
    assert!(steps >= 0.9 && answers <= 0.7 && steps - answers >= 0.3, "{steps} against {answers}");
}

#[test]
fn the_show_your_work_view_writes_each_models_solution_and_refuses_a_non_problem() {
    let mut runner = Runner::new(FakeClock(Cell::new(0.0)));
    runner.load(parity_pack());
    let solve = |runner: &mut Runner<FakeClock, ReasoningData>, problem: &str| {
        pollster::block_on(runner.handle(Command::Solve(problem.into())))
    };
    let events = solve(&mut runner, "10110");
    let [Event::Solved(solved)] = &events[..] else { panic!("{events:?}") };
    // 1, 1⊕0, 1⊕0⊕1, …: the running parity, then the answer.
    assert_eq!((solved.problem.as_str(), solved.teacher.text.as_str()), ("10110", ">11011=1."));
    assert!(solved.teacher.answer_right && solved.teacher.trace_right);
    assert_eq!(solved.teacher.probabilities.len(), 9);
    assert!(solved.students.distilled.is_none(), "no students before a run");
    play(&mut runner, &settings(&[("task", "reasoning"), ("budget", "50"), ("epochs", "1")]));
    let events = solve(&mut runner, "10110");
    let [Event::Solved(solved)] = &events[..] else { panic!("{events:?}") };
    assert!(solved.students.distilled.is_some() && solved.students.baseline.is_some());
    let events = solve(&mut runner, "1021");
    assert!(
        matches!(&events[..], [Event::Error(WorkerError::Problem(why))] if why.contains("“2” is not a bit")),
        "{events:?}"
    );
}
