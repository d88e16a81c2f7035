//! The reasoning task natively (issue 35): `train-teacher parity` trains the parity teacher on
//! worked problems, `pack` bakes its pack (its solutions to the problems a student may ask about,
//! sampled at a temperature so that some are wrong, with its top-k at every token), and
//! `distill reasoning` trains one student per mode on that pack, as the page does, printing each
//! one's accuracy by problem size, the size after the largest taught included.

use crate::device;
use distill_core::reasoning::{
    ask, lesson, score, trainer, write, Decoding, Lesson, Marks, Reasoner, ReasonerShape, ReasonerWeights,
};
use distill_core::{Mode, Plan};
use distill_data::catalog::ReasoningEntry;
use distill_data::checksum::sha256_hex;
use distill_data::manifest::ReasoningTeacherManifest;
use distill_data::model_weights::ModelShape;
use distill_data::problems::{draw, test_problems, Problem, Split};
use distill_data::reasoning_pack::{ReasoningPack, TOP_K};
use distill_data::{assets, DataError};
use std::collections::{BTreeMap, HashMap};
use std::ops::RangeInclusive;
use std::path::Path;
use std::time::Instant;

/// How the parity teacher is trained: on the true traces of `problems` problems of `sizes` bits.
pub struct ReasoningRecipe {
    pub id: &'static str,
    pub shape: ReasonerShape,
    pub sizes: RangeInclusive<usize>,
    pub problems: usize,
    pub epochs: f64,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub seed: u64,
}

/// Twice the width of the page's student, right on every test problem of the sizes it was taught.
pub const TEACHER: ReasoningRecipe = ReasoningRecipe {
    id: "parity",
    shape: ReasonerShape { width: 64, heads: 4, layers: 2, feed_forward: 256 },
    sizes: 5..=8,
    problems: 4000,
    epochs: 20.0,
    batch_size: 32,
    learning_rate: 3e-3,
    seed: 1,
};

/// Problems a pack holds (the most a student may ask), test problems a model is scored on.
pub const PACK_PROBLEMS: usize = 2000;
pub const TEST_PROBLEMS: usize = 1000;
/// The pack's solutions are sampled at this temperature: the teacher gets about 3 in 10 wrong.
pub const SAMPLE_TEMPERATURE: f32 = 2.5;
pub const SAMPLE_SEED: u64 = 1;
/// Seeds of the drawn problems: the teacher's own, the pack's.
const TEACHER_DRAW: u64 = 3;
const PACK_DRAW: u64 = 1;

fn by_size(marks: &[Marks]) -> BTreeMap<String, f64> {
    marks.iter().map(|m| (m.size.to_string(), m.accuracy())).collect()
}

fn marks(
    model: &Reasoner,
    test: &[Problem],
    decoding: Decoding,
    device: &burn::tensor::Device,
) -> anyhow::Result<Vec<Marks>> {
    let written = pollster::block_on(write(model, test, decoding, device))?;
    Ok(score(test, &written))
}

fn train(shape: &ReasonerShape, lesson: Lesson, plan: Plan, device: &burn::tensor::Device) -> anyhow::Result<Reasoner> {
    let mut student = trainer(shape, lesson, plan, device)?;
    while !student.is_done() {
        student.step();
    }
    pollster::block_on(student.take_metrics())?;
    Ok(student.model().clone())
}

/// Trains the parity teacher and writes `web/teachers/parity/`: its weights (F16) and manifest.
pub fn train_reasoning_teacher(web: &Path, epochs: Option<f64>, device_name: &str) -> anyhow::Result<()> {
    let device = device::parse(device_name)?;
    let recipe = &TEACHER;
    let epochs = epochs.unwrap_or(recipe.epochs);
    let mut truth = Lesson::default();
    for p in draw(recipe.sizes.clone(), Split::Train, recipe.problems, TEACHER_DRAW) {
        truth.push(&p.prompt(), &p.solution(true), None);
    }
    println!(
        "training {} ({}, {} parameters) on the traces of {} problems of {:?} bits for {epochs} epochs",
        recipe.id,
        recipe.shape.describe(),
        recipe.shape.parameter_count(),
        recipe.problems,
        recipe.sizes
    );
    let plan = Plan {
        epochs,
        batch_size: recipe.batch_size,
        learning_rate: recipe.learning_rate,
        temperature: 1.0,
        alpha: 0.0,
        seed: recipe.seed,
    };
    let started = Instant::now();
    let model = train(&recipe.shape, truth, plan, &device)?;
    let training_seconds = started.elapsed().as_secs_f64();
    let weights = pollster::block_on(model.weights(recipe.shape))?;
    let bytes = weights.to_safetensors(HashMap::from([("teacher".to_string(), recipe.id.to_string())]));
    // What is committed is the half-precision teacher: score that one.
    let shipped = Reasoner::from_weights(&ReasonerWeights::from_safetensors("weights", &bytes)?, &device);
    let test = test_problems(&recipe.sizes, TEST_PROBLEMS);
    let greedy = marks(&shipped, &test, Decoding::Greedy, &device)?;
    let sampling = Decoding::Sample { temperature: SAMPLE_TEMPERATURE, seed: SAMPLE_SEED };
    let sampled = marks(&shipped, &test, sampling, &device)?;
    let dir = assets::teacher_dir(web, recipe.id);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("weights.safetensors"), &bytes)?;
    let manifest = ReasoningTeacherManifest {
        task: "reasoning".into(),
        id: recipe.id.into(),
        architecture: recipe.shape.describe(),
        parameters: recipe.shape.parameter_count(),
        sizes: format!("{}-{}", recipe.sizes.start(), recipe.sizes.end()),
        test_problems: test.len(),
        test_accuracy: by_size(&greedy),
        sampled_accuracy: by_size(&sampled),
        sample_temperature: SAMPLE_TEMPERATURE,
        problems: recipe.problems,
        epochs,
        batch_size: recipe.batch_size,
        learning_rate: recipe.learning_rate,
        seed: recipe.seed,
        training_seconds,
        device: device_name.into(),
        weights_sha256: sha256_hex(&bytes),
        command: format!("cargo run -p distill-cli -- train-teacher {}", recipe.id),
    };
    std::fs::write(dir.join("manifest.json"), serde_json::to_string_pretty(&manifest)? + "\n")?;
    println!(
        "{}: {training_seconds:.0} s; right, greedy {:?}, sampled at T = {SAMPLE_TEMPERATURE} {:?}",
        recipe.id, manifest.test_accuracy, manifest.sampled_accuracy
    );
    Ok(())
}

/// Bakes `web/packs/<id>.safetensors`: the teacher's solutions to [`PACK_PROBLEMS`] training
/// problems, sampled at [`SAMPLE_TEMPERATURE`], with its top-k at every token, and its weights.
pub fn pack_reasoning(web: &Path, id: &str) -> anyhow::Result<ReasoningEntry> {
    let (manifest, weights) =
        crate::teachers::load_model_teacher(web, id, |m: &ReasoningTeacherManifest| &m.weights_sha256)?;
    let device = burn::tensor::Device::flex();
    let teacher = Reasoner::from_weights(&weights, &device);
    let problems = draw(TEACHER.sizes, Split::Train, PACK_PROBLEMS, PACK_DRAW);
    let asked = pollster::block_on(ask(&teacher, &problems, SAMPLE_TEMPERATURE, SAMPLE_SEED, TOP_K, &device))?;
    let right = asked.iter().filter(|a| a.is_right()).count();
    let metadata = HashMap::from([
        ("teacher".to_string(), id.to_string()),
        ("sizes".to_string(), manifest.sizes.clone()),
        ("sample_temperature".to_string(), SAMPLE_TEMPERATURE.to_string()),
        ("sample_seed".to_string(), SAMPLE_SEED.to_string()),
    ]);
    let pack = ReasoningPack { teacher: weights, asked, metadata };
    let bytes = pack.to_safetensors();
    let path = assets::pack_path(web, id);
    std::fs::create_dir_all(path.parent().unwrap())?;
    std::fs::write(&path, &bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    println!(
        "{id}: wrote {} ({} problems, {right} of the teacher's answers right at T = {SAMPLE_TEMPERATURE}, {:.2} MB)",
        path.display(),
        pack.asked.len(),
        bytes.len() as f64 / 1e6
    );
    // The menu's figure: right on the test problems of the sizes it was taught.
    let taught: Vec<Problem> = test_problems(&TEACHER.sizes, TEST_PROBLEMS)
        .into_iter()
        .filter(|p| TEACHER.sizes.contains(&p.size()))
        .collect();
    let marks = marks(&teacher, &taught, Decoding::Greedy, &device)?;
    let right: usize = marks.iter().map(|m| m.answers_right).sum();
    Ok(ReasoningEntry {
        teacher: id.to_string(),
        architecture: manifest.architecture.clone(),
        parameters: manifest.parameters as u64,
        test_accuracy: right as f64 / taught.len() as f64,
        problems: pack.asked.len(),
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    })
}

#[derive(clap::Args)]
pub struct ReasoningArgs {
    /// The reasoning teacher whose pack to learn from.
    #[arg(long, default_value = "parity")]
    teacher: String,
    /// Modes to train, side by side: labels (the true answers, no teacher), top1 (the teacher's
    /// answers), top2 (with its probabilities), text (its solutions, steps and all), verified (those
    /// whose answer checks out), soft (white box: its probabilities at every token).
    #[arg(long, value_delimiter = ',', default_value = "labels,top1,top2,text,verified,soft")]
    modes: Vec<Mode>,
    /// Problems asked of the teacher per student (the pack's first N), one run per budget.
    #[arg(long, value_delimiter = ',', default_value = "1000")]
    budgets: Vec<usize>,
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
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// flex (CPU), wgpu or cuda (when built with the feature).
    #[arg(long, default_value = "flex")]
    device: String,
}

pub fn reasoning(web: &Path, args: ReasoningArgs) -> anyhow::Result<()> {
    let device = device::parse(&args.device)?;
    let path = assets::pack_path(web, &args.teacher);
    let file = path.display().to_string();
    let pack = ReasoningPack::from_safetensors(&file, &std::fs::read(&path).map_err(|e| DataError::io(&file, e))?)?;
    let test = test_problems(&pack.sizes(), TEST_PROBLEMS);
    let percent =
        |marks: &[Marks]| marks.iter().map(|m| format!("{:>6.1}%", 100.0 * m.accuracy())).collect::<Vec<_>>().join(" ");
    let teacher = Reasoner::from_weights(&pack.teacher, &device);
    let teacher_marks = marks(&teacher, &test, Decoding::Greedy, &device)?;
    let shape = ReasonerShape { width: args.width, heads: 4, layers: 2, feed_forward: 4 * args.width };
    println!(
        "accuracy by problem size (bits; {} is longer than any taught) on {} test problems; student: {}",
        pack.sizes().end() + 1,
        test.len(),
        shape.describe()
    );
    let sizes: Vec<String> = teacher_marks.iter().map(|m| format!("{:>4} b", m.size)).collect();
    println!("{:<26} {:>7} {:>8}  {}", "", "seconds", "tokens/s", sizes.join("   "));
    println!("{:<26} {:>16}  {}", format!("teacher {} (greedy)", args.teacher), "", percent(&teacher_marks));
    for &budget in &args.budgets {
        anyhow::ensure!(
            budget <= pack.asked.len(),
            "a budget of {budget}: the pack holds {} problems",
            pack.asked.len()
        );
        let asked = &pack.asked[..budget];
        let right = asked.iter().filter(|a| a.is_right()).count();
        let temperature = pack.metadata.get("sample_temperature").map_or("?", String::as_str);
        println!(
            "{budget} problems asked; the teacher's solutions, sampled at T = {temperature}: {right} answers right"
        );
        for &mode in &args.modes {
            let started = Instant::now();
            let lesson = lesson(asked, mode, args.t);
            let alpha = if lesson.soft.is_some() { args.alpha } else { 0.0 };
            // The tokens the network reads in a pass over its lesson (each row but its last).
            let tokens: usize = lesson.rows.iter().map(|r| r.len() - 1).sum();
            let plan = Plan {
                epochs: args.epochs,
                batch_size: args.batch,
                learning_rate: args.lr,
                temperature: args.t,
                alpha,
                seed: args.seed,
            };
            let student = train(&shape, lesson, plan, &device)?;
            let seconds = started.elapsed().as_secs_f64();
            let per_second = tokens as f64 * args.epochs / seconds;
            let marks = marks(&student, &test, Decoding::Greedy, &device)?;
            println!("{:<26} {seconds:>7.1} {per_second:>8.0}  {}", mode.name(), percent(&marks));
        }
    }
    Ok(())
}
