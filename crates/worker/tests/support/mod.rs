//! What the run loop's tests share: the real MNIST pack, a fake clock, settings from URL pairs,
//! and the reports in a run's events.

use distill_data::catalog::Catalog;
use distill_playground::protocol::{Command, Event, Report, Scored, Student};
use distill_playground::settings::{find, Settings};
use distill_worker::pack_data::PackData;
use distill_worker::runner::{Clock, Runner};
use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;

/// Advances by `step` ms every time it is read.
pub struct FakeClock {
    pub now: Rc<Cell<f64>>,
    pub step: f64,
}

impl Clock for FakeClock {
    fn now(&self) -> f64 {
        self.now.set(self.now.get() + self.step);
        self.now.get()
    }
}

pub fn mnist_pack() -> PackData {
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/packs");
    let catalog =
        std::fs::read_to_string(packs.join("catalog.json")).expect("run `cargo run -p distill-cli -- pack` first");
    let entry = Catalog::parse(&catalog).unwrap().get("mnist-mlp").unwrap().clone();
    let bytes = std::fs::read(packs.join(&entry.file)).unwrap();
    PackData::from_bytes(&entry, &bytes).unwrap()
}

pub fn settings(pairs: &[(&str, &str)]) -> Settings {
    let mut s = Settings::default();
    for (key, value) in pairs {
        find(key).unwrap().write(&mut s, value).unwrap();
    }
    s
}

pub fn runner(step_ms: f64) -> Runner<FakeClock, PackData> {
    let mut runner = Runner::new(FakeClock { now: Rc::new(Cell::new(0.0)), step: step_ms });
    let events = runner.load(mnist_pack());
    assert!(matches!(&events[..], [Event::Loaded { curated }] if curated.len() == 10), "{events:?}");
    runner
}

pub fn run<T>(future: impl std::future::Future<Output = T>) -> T {
    pollster::block_on(future)
}

/// The reports in `events`, each made of its distilled and baseline halves.
pub fn reports(events: &[Event]) -> Vec<Report> {
    let halves: Vec<&Scored> =
        events.iter().filter_map(|e| if let Event::Scored(s) = e { Some(&**s) } else { None }).collect();
    halves
        .chunks(2)
        .map(|pair| {
            assert_eq!((pair[0].student, pair[1].student), (Student::Distilled, Student::Baseline), "{pair:?}");
            Report::pair(pair[0].clone(), pair[1].clone())
        })
        .collect()
}

/// Each report's step, the two students' test accuracies and their total losses: what two runs
/// that train the same students share, step for step.
pub fn scores(events: &[Event]) -> Vec<(usize, f64, f64, f32, f32)> {
    reports(events)
        .iter()
        .map(|r| {
            let (d, b) = (&r.distilled, &r.baseline);
            (r.step, d.test_accuracy, b.test_accuracy, d.total_loss, b.total_loss)
        })
        .collect()
}

/// Starts the configured run and plays it to the end.
pub fn play(runner: &mut Runner<FakeClock, PackData>) -> Vec<Event> {
    let mut events = run(runner.handle(Command::Start));
    while runner.is_busy() {
        events.extend(run(runner.slice()));
    }
    events
}
