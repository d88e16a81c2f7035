//! The reasoning task natively (issue 35): `distill reasoning` trains a parity teacher on worked
//! problems, asks it the students' problems at a sampling temperature (so it makes mistakes),
//! and trains one student per mode at each budget, printing each one's accuracy by problem
//! size, the size after the largest taught included. What the page will do, as one table.

use crate::device;
use distill_core::reasoning::{ask, lesson, score, trainer, write, Decoding, Lesson, Marks, Reasoner, Shape, Shown};
use distill_core::Plan;
use distill_data::problems::{draw, Split};
use std::ops::RangeInclusive;
use std::time::Instant;

/// The sizes taught (the test adds one more).
const SIZES: RangeInclusive<usize> = 5..=8;
/// The teacher: twice the student's width, taught the true traces of `TEACHER_PROBLEMS` problems.
const TEACHER: Shape = Shape { width: 64, heads: 4, layers: 2, feed_forward: 256 };
const TEACHER_PROBLEMS: usize = 4000;
const TEACHER_EPOCHS: f64 = 20.0;
/// The top-k next tokens cached at each step of the teacher's solutions (all six symbols).
const TOP_K: usize = 6;

#[derive(clap::Args)]
pub struct ReasoningArgs {
    /// What each student is shown: truth (the true answers, no teacher), answers, answer-probs,
    /// traces, verified (the traces whose answer checks out), white-box.
    #[arg(long, value_delimiter = ',', default_value = "truth,answers,answer-probs,traces,verified,white-box")]
    shown: Vec<Shown>,
    /// Problems asked of the teacher per student, one run per budget.
    #[arg(long, value_delimiter = ',', default_value = "1000")]
    budgets: Vec<usize>,
    /// The teacher's sampling temperature: above 1 it makes mistakes.
    #[arg(long, default_value_t = 2.0)]
    sampling: f32,
    /// The student's width (4 heads, 2 layers, a feed-forward part 4× as wide).
    #[arg(long, default_value_t = 32)]
    width: usize,
    #[arg(long, default_value_t = 30.0)]
    epochs: f64,
    #[arg(long, default_value_t = 32)]
    batch: usize,
    #[arg(long, default_value_t = 3e-3)]
    lr: f64,
    /// Temperature of the soft targets (answer-probs, white-box).
    #[arg(long, default_value_t = 2.0)]
    t: f32,
    /// Weight of the soft targets against the written tokens.
    #[arg(long, default_value_t = 0.5)]
    alpha: f32,
    /// Test problems, of every size taught and one more.
    #[arg(long, default_value_t = 1000)]
    test: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// flex (CPU), wgpu or cuda (when built with the feature).
    #[arg(long, default_value = "flex")]
    device: String,
}

fn train(shape: &Shape, lesson: Lesson, plan: Plan, device: &burn::tensor::Device) -> anyhow::Result<Reasoner> {
    let mut student = trainer(shape, lesson, plan, device)?;
    while !student.is_done() {
        student.step();
    }
    pollster::block_on(student.take_metrics())?;
    Ok(student.model().clone())
}

fn by_size(marks: &[Marks]) -> String {
    marks.iter().map(|m| format!("{:>6.1}%", 100.0 * m.accuracy())).collect::<Vec<_>>().join(" ")
}

pub fn reasoning(args: ReasoningArgs) -> anyhow::Result<()> {
    let device = device::parse(&args.device)?;
    let test = draw(*SIZES.start()..=SIZES.end() + 1, Split::Test, args.test, args.seed + 1);
    let marks = |model: &Reasoner| -> anyhow::Result<Vec<Marks>> {
        let written = pollster::block_on(write(model, &test, Decoding::Greedy, &device))?;
        Ok(score(&test, &written))
    };
    let shape = Shape { width: args.width, heads: 4, layers: 2, feed_forward: 4 * args.width };
    let started = Instant::now();
    let mut truth = Lesson::default();
    for p in draw(SIZES, Split::Train, TEACHER_PROBLEMS, args.seed + 2) {
        truth.push(&p.prompt(), &p.solution(true), None);
    }
    let plan = |epochs, alpha| Plan {
        epochs,
        batch_size: args.batch,
        learning_rate: args.lr,
        temperature: args.t,
        alpha,
        seed: args.seed,
    };
    let teacher = train(&TEACHER, truth, plan(TEACHER_EPOCHS, 0.0), &device)?;
    let sizes: Vec<String> = marks(&teacher)?.iter().map(|m| format!("{:>4} b", m.size)).collect();
    println!(
        "accuracy by problem size (bits; {} is longer than any taught), {} test problems",
        SIZES.end() + 1,
        test.len()
    );
    println!("{:<26} {:>7}  {}", "student", "seconds", sizes.join("   "));
    println!("{:<26} {:>7.1}  {}", "teacher (greedy)", started.elapsed().as_secs_f64(), by_size(&marks(&teacher)?));
    for &budget in &args.budgets {
        let problems = draw(SIZES, Split::Train, budget, args.seed);
        let asked = pollster::block_on(ask(&teacher, &problems, args.sampling, args.seed, TOP_K, &device))?;
        let right = asked.iter().filter(|a| a.is_right()).count();
        println!("{budget} problems asked; the teacher sampled at T = {}: {right} answers right", args.sampling);
        for &shown in &args.shown {
            let started = Instant::now();
            let lesson = lesson(&asked, shown, args.t);
            let alpha = if lesson.soft.is_some() { args.alpha } else { 0.0 };
            let student = train(&shape, lesson, plan(args.epochs, alpha), &device)?;
            let seconds = started.elapsed().as_secs_f64();
            println!("{:<26} {seconds:>7.1}  {}", shown.name(), by_size(&marks(&student)?));
        }
    }
    Ok(())
}
