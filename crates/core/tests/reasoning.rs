//! Issue 35's claim, end to end and deterministic: at the same budget of worked problems, a
//! student taught the steps (the running parity) solves new problems almost always, while the same
//! student taught the answers alone does worse than a coin (each new problem is one bit away
//! from one it learnt by heart, and one bit flips the answer).
//!
//! Measured with `cargo run -p distill-core --example parity` (2 cores): traces 98–100% on 5–8 bits,
//! answers 20–45%; a margin of 0.4 leaves room for another machine's float rounding.

use burn::prelude::*;
use distill_core::reasoning::{score, trainer, write, Decoding, Lesson, ReasonerShape};
use distill_core::Plan;
use distill_data::problems::{draw, Split};

fn accuracy_on_5_to_8_bits(with_trace: bool) -> f64 {
    let device = Device::flex();
    let mut lesson = Lesson::default();
    for p in draw(5..=8, Split::Train, 1000, 1) {
        lesson.push(&p.prompt(), &p.solution(with_trace), None);
    }
    let plan = Plan { epochs: 30.0, batch_size: 32, learning_rate: 3e-3, temperature: 1.0, alpha: 0.0, seed: 3 };
    let shape = ReasonerShape { width: 32, heads: 4, layers: 2, feed_forward: 128 };
    let mut student = trainer(&shape, lesson, plan, &device).unwrap();
    while !student.is_done() {
        student.step();
    }
    pollster::block_on(student.take_metrics()).unwrap();
    let test = draw(5..=8, Split::Test, 400, 2);
    let written = pollster::block_on(write(student.model(), &test, Decoding::Greedy, &device)).unwrap();
    let marks = score(&test, &written);
    let right: usize = marks.iter().map(|m| m.answers_right).sum();
    right as f64 / test.len() as f64
}

#[test]
fn taught_the_steps_a_student_solves_parity_taught_the_answers_it_does_not() {
    // The two students side by side, one a core (each draws its weights under the seeding lock, so
    // each is the same as alone): half the test's time on 2 cores.
    let (steps, answers) = std::thread::scope(|side| {
        let steps = side.spawn(|| accuracy_on_5_to_8_bits(true));
        let answers = accuracy_on_5_to_8_bits(false);
        (steps.join().expect("the steps student"), answers)
    });
    println!("1,000 problems of 5–8 bits: {steps:.3} right taught the steps, {answers:.3} taught the answers");
    assert!(steps >= 0.9, "taught the steps: {steps}");
    assert!(answers <= 0.6, "taught the answers: {answers}");
    assert!(steps - answers >= 0.4, "{steps} against {answers}");
}
