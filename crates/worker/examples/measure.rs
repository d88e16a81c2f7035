//! Measures a playground link natively: the same worker code and the same pack as the page, on
//! burn's CPU backend, so a lesson's figures can be checked (and rewritten) without a browser.
//!
//! ```text
//! cargo run -q -p distill-worker --example measure -- 'lesson=asking-questions'
//! cargo run -q -p distill-worker --example measure -- 'mode=top1&budget=1000&queries=uncertainty'
//! ```
//!
//! A link with a sweep prints one row per point; a single run prints its rounds of questions (when
//! the copier asks in rounds) and its two result rows. Run `cargo run -p distill-cli -- pack` first.

use burn::prelude::*;
use distill_data::catalog::Catalog;
use distill_playground::protocol::{Command, Event, Report, Scored};
use distill_playground::results::ResultRow;
use distill_playground::settings::Settings;
use distill_playground::url::Link;
use distill_worker::pack_data::PackData;
use distill_worker::runner::{Clock, Runner};
use std::path::Path;
use std::time::Instant;

struct WallClock(Instant);

impl Clock for WallClock {
    fn now(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }
}

fn main() {
    let Some(query) = std::env::args().nth(1) else {
        eprintln!("usage: measure '<link query, e.g. lesson=asking-questions>'");
        std::process::exit(2);
    };
    let (link, notices) = Link::from_query(&query);
    for notice in &notices {
        eprintln!("note: {}", notice.text(distill_playground::i18n::Lang::En));
    }
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/packs");
    let catalog =
        std::fs::read_to_string(packs.join("catalog.json")).expect("run `cargo run -p distill-cli -- pack` first");
    let catalog = Catalog::parse(&catalog).expect("catalog.json");
    let entry = catalog.get(&link.settings.teacher).expect("the link's teacher is in the catalog").clone();
    let bytes = std::fs::read(packs.join(&entry.file)).expect("the teacher's pack");
    let data = PackData::from_bytes(&entry, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let train_rows = entry.train_rows;

    let started = Instant::now();
    let mut runner = Runner::new(WallClock(started));
    runner.load(data);
    let device = Device::flex();
    let mut events = Vec::new();
    match &link.sweep {
        Some(sweep) => {
            let points = sweep.points(&link.settings, train_rows).unwrap_or_else(|e| panic!("{e}"));
            add_questions(&mut runner, &packs, points.iter().map(|p| &p.settings));
            let total = points.len();
            events.extend(runner.sweep(
                "sweep".into(),
                total,
                points.into_iter().enumerate().collect(),
                &device,
                "CPU",
            ));
        }
        None => {
            add_questions(&mut runner, &packs, [&link.settings]);
            events.extend(runner.configure(&link.settings, &device, "CPU"));
            events.extend(pollster::block_on(runner.handle(Command::Start)));
        }
    }
    while runner.is_busy() {
        events.extend(pollster::block_on(runner.slice()));
    }
    print_rounds(&events);
    print_rows(&events);
    println!("{:.1} s in all", started.elapsed().as_secs_f64());
}

/// The questions about other images the runs ask about, read from `web/packs` as the worker
/// would download them.
fn add_questions<'a>(runner: &mut Runner<WallClock>, packs: &Path, settings: impl IntoIterator<Item = &'a Settings>) {
    for entry in runner.to_fetch(settings) {
        let bytes = std::fs::read(packs.join(&entry.file)).expect("the questions file");
        runner.add_questions(&entry, &bytes).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Test accuracy after each round of questions (single runs that ask in rounds).
fn print_rounds(events: &[Event]) {
    let halves: Vec<Scored> =
        events.iter().filter_map(|e| if let Event::Scored(s) = e { Some((**s).clone()) } else { None }).collect();
    let rounds: Vec<Report> = halves
        .chunks_exact(2)
        .map(|pair| Report::pair(pair[0].clone(), pair[1].clone()))
        .filter(|r| r.round_done)
        .collect();
    if rounds.len() < 2 {
        return;
    }
    println!("{:>8} {:>9} {:>10} {:>12}", "queries", "answered", "distilled", "labels only");
    for r in &rounds {
        let percent = |a: f64| format!("{:.1}%", 100.0 * a);
        println!(
            "{:>8} {:>9} {:>10} {:>12}",
            r.queries,
            r.answered,
            percent(r.distilled.test_accuracy),
            percent(r.baseline.test_accuracy)
        );
    }
    for target in [0.85, 0.9] {
        let reached = rounds.iter().find(|r| r.distilled.test_accuracy >= target).map(|r| r.queries.to_string());
        println!(
            "queries to reach {:.0}%: {}",
            100.0 * target,
            reached.unwrap_or_else(|| "not within the budget".into())
        );
    }
}

fn print_rows(events: &[Event]) {
    let rows: Vec<&ResultRow> =
        events.iter().filter_map(|e| if let Event::Result(r) = e { Some(&**r) } else { None }).collect();
    println!(
        "{:<22} {:<22} {:>8} {:>8} {:>9} {:>7} {:>7}",
        "series", "point", "accuracy", "queries", "answered", "honest", "seconds"
    );
    for r in rows {
        println!(
            "{:<22} {:<22} {:>7.1}% {:>8} {:>9} {:>6.1}% {:>7.1}{}",
            r.series,
            r.point,
            100.0 * r.test_accuracy,
            r.queries,
            r.examples,
            100.0 * r.honest_accuracy,
            r.seconds,
            if r.note.is_empty() { String::new() } else { format!("  ({})", r.note) }
        );
    }
    for event in events {
        if let Event::Error(e) = event {
            println!("error: {e}");
        }
    }
}
