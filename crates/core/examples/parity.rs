//! Measures what a student learns of parity from each part of a teacher's work (issue 35):
//! `cargo run -p distill-core --example parity -- BUDGET EPOCHS TEMPERATURE`.
use burn::prelude::*;
use distill_core::reasoning::{ask, lesson, score, trainer, write, Decoding, Lesson, Reasoner, Shape, Shown};
use distill_core::Plan;
use distill_data::problems::{draw, Split};
use std::time::Instant;

fn train(shape: &Shape, lesson: Lesson, epochs: f64, seed: u64, device: &Device) -> (Reasoner, f64) {
    let plan = Plan { epochs, batch_size: 32, learning_rate: 3e-3, temperature: 1.0, alpha: 0.5, seed };
    let start = Instant::now();
    let mut t = trainer(shape, lesson, plan, device).unwrap();
    while !t.is_done() {
        t.step();
    }
    pollster::block_on(t.take_metrics()).unwrap();
    (t.model().clone(), start.elapsed().as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: f64| args.get(i).map_or(default, |a| a.parse().unwrap());
    let (budget, epochs, temperature) = (arg(1, 1000.0) as usize, arg(2, 30.0), arg(3, 1.0) as f32);
    let device = Device::flex();
    let test = draw(5..=9, Split::Test, 1000, 2);
    let report = |name: &str, model: &Reasoner, secs: f64| {
        let w = pollster::block_on(write(model, &test, Decoding::Greedy, &device)).unwrap();
        let by: Vec<String> = score(&test, &w).iter().map(|m| format!("{}:{:.2}/{:.2}", m.size, m.accuracy(), m.traces_right as f64 / m.problems as f64)).collect();
        println!("{name:<20} {secs:5.1}s | {}", by.join(" "));
    };
    let teacher_shape = Shape { width: 64, heads: 4, layers: 2, feed_forward: 256 };
    let mut truth = Lesson::default();
    for p in draw(5..=8, Split::Train, 4000, 9) {
        truth.push(&p.prompt(), &p.solution(true), None);
    }
    let (teacher, secs) = train(&teacher_shape, truth, 20.0, 1, &device);
    report("teacher", &teacher, secs);
    let problems = draw(5..=8, Split::Train, budget, 1);
    for t in [temperature, 1.5, 2.0] {
        let asked = pollster::block_on(ask(&teacher, &problems, t, 5, 6, &device)).unwrap();
        let right = asked.iter().filter(|a| a.is_right()).count();
        println!("teacher at T={t}: {right}/{} right", asked.len());
    }
    let asked = pollster::block_on(ask(&teacher, &problems, temperature, 5, 6, &device)).unwrap();
    let shape = Shape { width: 32, heads: 4, layers: 2, feed_forward: 128 };
    for shown in Shown::ALL {
        let (student, secs) = train(&shape, lesson(&asked, shown, 2.0), epochs, 3, &device);
        report(&format!("{shown:?}"), &student, secs);
    }
}
