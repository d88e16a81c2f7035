//! `distill` and `hinton`: a student distilled from a teacher's cached outputs, next to the same
//! student trained on labels alone (same seed, same examples).

use crate::device;
use distill_core::experiment::{compare, Comparison, TrainingData};
use distill_core::metrics::{predictions, Evaluation};
use distill_core::{Architecture, EvalSet, Mode, TrainConfig};
use distill_data::assets::{self, LoadedTeacher};
use distill_data::{Dataset, Split};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

#[derive(clap::Args)]
pub struct DistillArgs {
    /// Defaults to the teacher's dataset; given, it must match it.
    #[arg(long)]
    dataset: Option<String>,
    #[arg(long, default_value = "mnist-cnn")]
    teacher: String,
    /// `mlp:W1-W2...` or `cnn:C1-C2-D`.
    #[arg(long, default_value = "mlp:30-30")]
    student: Architecture,
    /// soft (white box), top1 / topK (black box) or labels.
    #[arg(long, default_value = "soft")]
    mode: Mode,
    #[arg(long, default_value_t = 4.0)]
    temperature: f32,
    /// Weight of the soft loss (1 − α on the true labels).
    #[arg(long, default_value_t = 0.9)]
    alpha: f32,
    #[arg(long, default_value_t = 1e-3)]
    learning_rate: f64,
    #[arg(long, default_value_t = 64)]
    batch_size: usize,
    #[arg(long, default_value_t = 3.0)]
    epochs: f64,
    /// Query budget: the student sees at most this many training examples and teacher outputs.
    #[arg(long)]
    budget: Option<usize>,
    /// Leave every example of this class out of the transfer set.
    #[arg(long)]
    exclude_class: Option<u8>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value = "flex")]
    device: String,
}

#[derive(clap::Args)]
pub struct HintonArgs {
    /// Passes over the 60,000 training images (the paper trained far longer).
    #[arg(long, default_value_t = 10.0)]
    epochs: f64,
    #[arg(long, default_value_t = 20.0)]
    temperature: f32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value = "flex")]
    device: String,
}

struct Loaded {
    train: Dataset,
    test: Dataset,
    teacher: LoadedTeacher,
}

/// The teacher and the dataset its outputs belong to (`dataset`, if given, must be that one).
fn load(web: &Path, dataset: Option<&str>, teacher: &str) -> anyhow::Result<Loaded> {
    let manifest = assets::load_manifest(web, teacher)?;
    if let Some(dataset) = dataset.filter(|d| *d != manifest.dataset) {
        return Err(anyhow::anyhow!("teacher `{teacher}` was trained on `{}`, not `{dataset}`", manifest.dataset));
    }
    let train = assets::load_dataset(web, &manifest.dataset, Split::Train)?;
    let test = assets::load_dataset(web, &manifest.dataset, Split::Test)?;
    let teacher = assets::load_teacher(web, teacher, &train, &test)?;
    Ok(Loaded { train, test, teacher })
}

fn run(loaded: &Loaded, config: &TrainConfig, device: &str) -> anyhow::Result<Comparison> {
    let device = device::parse(device)?;
    let data = TrainingData {
        images: Arc::new(loaded.train.images.clone()),
        labels: &loaded.train.labels,
        teacher_logits: &loaded.teacher.cache.train_logits,
    };
    let test = EvalSet {
        images: Arc::new(loaded.test.images.clone()),
        labels: loaded.test.labels.clone(),
        teacher_predictions: Some(predictions(&loaded.teacher.cache.test_logits)),
    };
    Ok(pollster::block_on(compare(config, &data, &test, &device))?)
}

fn row(name: &str, params: usize, eval: &Evaluation) {
    let agreement = eval.agreement.map(|a| format!("{:.2}%", 100.0 * a)).unwrap_or_else(|| "-".into());
    println!("{name:<44} {params:>10} {:>9.2}% {:>7} {agreement:>10}", 100.0 * eval.accuracy(), eval.errors);
}

fn print_table(loaded: &Loaded, student: &Architecture, result: &Comparison, distilled_name: &str) {
    let m = &loaded.teacher.manifest;
    let teacher_eval = Evaluation::from_logits(&loaded.teacher.cache.test_logits, &loaded.test.labels, None);
    println!("{:<44} {:>10} {:>10} {:>7} {:>10}", "model", "params", "test acc", "errors", "agrees");
    row(&format!("teacher {} ({})", m.id, m.architecture), m.parameters, &teacher_eval);
    row(&format!("student {student}, labels only"), student.parameters(), &result.baseline);
    row(distilled_name, student.parameters(), &result.distilled);
    println!(
        "student is {:.1}x smaller than the teacher; {} training examples seen; distillation {} {} errors",
        m.parameters as f64 / student.parameters() as f64,
        result.transfer_examples,
        if result.distilled.errors <= result.baseline.errors { "saves" } else { "costs" },
        result.distilled.errors.abs_diff(result.baseline.errors)
    );
}

pub fn distill(web: &Path, a: DistillArgs) -> anyhow::Result<()> {
    let loaded = load(web, a.dataset.as_deref(), &a.teacher)?;
    let config = TrainConfig {
        architecture: a.student.clone(),
        mode: a.mode,
        temperature: a.temperature,
        alpha: a.alpha,
        learning_rate: a.learning_rate,
        batch_size: a.batch_size,
        epochs: a.epochs,
        dropout: 0.0,
        jitter: 0,
        budget: a.budget,
        excluded_class: a.exclude_class,
        seed: a.seed,
    };
    let started = Instant::now();
    let result = run(&loaded, &config, &a.device)?;
    let name = format!("student {}, {} T={} α={}", a.student, a.mode, a.temperature, a.alpha);
    print_table(&loaded, &a.student, &result, &name);
    if let Some(class) = a.exclude_class {
        for (label, e) in [("labels only", &result.baseline), ("distilled", &result.distilled)] {
            let c = class as usize;
            println!(
                "class {class} (never seen in training), {label}: {} of {} right",
                e.confusion[c][c],
                e.confusion[c].iter().sum::<u32>()
            );
        }
    }
    println!("({:.0} s)", started.elapsed().as_secs_f64());
    Ok(())
}

pub fn hinton(web: &Path, a: HintonArgs) -> anyhow::Result<()> {
    let loaded = load(web, Some("mnist"), "mnist-mlp")?;
    let student: Architecture = "mlp:800-800".parse()?;
    let config = TrainConfig {
        architecture: student.clone(),
        mode: Mode::Soft,
        temperature: a.temperature,
        alpha: 0.9,
        learning_rate: 1e-3,
        batch_size: 128,
        epochs: a.epochs,
        dropout: 0.0,
        jitter: 0,
        budget: None,
        excluded_class: None,
        seed: a.seed,
    };
    let started = Instant::now();
    let result = run(&loaded, &config, &a.device)?;
    print_table(&loaded, &student, &result, &format!("student {student}, distilled at T={}", a.temperature));
    println!("Hinton et al. 2015 report 67 / 146 / 74 test errors ({:.0} s here)", started.elapsed().as_secs_f64());
    Ok(())
}
