//! `distill` and `hinton`: a student distilled from a teacher's cached outputs, next to the same
//! student trained on labels alone (same seed, same examples). With `--queries`, a black-box
//! copier asks in rounds and the curve of accuracy against queries is printed next to random
//! questions'; the `--round-to`, `--noise` and `--quota` flags are the teacher's defences.

use crate::device;
use distill_core::api::honest_accuracy;
use distill_core::experiment::{campaign, compare, Comparison, RoundScore, TrainingData};
use distill_core::images::predict_logits;
use distill_core::metrics::{predictions, Evaluation};
use distill_core::{Architecture, EvalSet, Mode, TrainConfig};
use distill_data::assets::{self, LoadedTeacher};
use distill_data::{Dataset, Split};
use distill_spec::{BeyondQuota, Defence, QueryRounds, QueryStrategy};
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
    /// Ask in rounds, choosing what to ask: random, uncertainty or diversity (needs --budget).
    /// Prints accuracy after each round, next to random questions' at the same rounds.
    #[arg(long)]
    queries: Option<QueryStrategy>,
    /// Images asked about in the first round (at random).
    #[arg(long, default_value_t = 100)]
    seed_queries: usize,
    /// Images asked about in each later round.
    #[arg(long, default_value_t = 100)]
    round_queries: usize,
    /// Defence: the API rounds its probabilities to this many decimals.
    #[arg(long)]
    round_to: Option<u32>,
    /// Defence: the API adds Gaussian noise of this standard deviation to each probability.
    #[arg(long, default_value_t = 0.0)]
    noise: f32,
    /// Defence: the API answers this many queries honestly, then refuses them (see --beyond-quota).
    #[arg(long)]
    quota: Option<usize>,
    /// What the API does past its quota: refuse, or answer at random.
    #[arg(long, default_value = "refuse", value_parser = ["refuse", "random"])]
    beyond_quota: String,
    /// The images the copier owns and asks about: another dataset's training split (e.g.
    /// `fashion` for an MNIST teacher) or 60,000 pictures of random pen `strokes`, answered by
    /// the teacher's network run here. The copier has no true labels for them: "labels only"
    /// then means the teacher's top labels.
    #[arg(long)]
    ask_about: Option<String>,
}

impl DistillArgs {
    fn config(&self) -> TrainConfig {
        let beyond = if self.beyond_quota == "random" { BeyondQuota::Random } else { BeyondQuota::Refuse };
        TrainConfig {
            architecture: self.student.clone(),
            mode: self.mode,
            temperature: self.temperature,
            alpha: self.alpha,
            learning_rate: self.learning_rate,
            batch_size: self.batch_size,
            epochs: self.epochs,
            dropout: 0.0,
            jitter: 0,
            budget: self.budget,
            excluded_class: self.exclude_class,
            seed: self.seed,
            queries: self.queries.map(|strategy| QueryRounds {
                strategy,
                seed_size: self.seed_queries,
                round_size: self.round_queries,
            }),
            defence: Defence {
                decimals: self.round_to,
                noise: self.noise,
                quota: self.quota.map(|quota| (quota, beyond)),
                ..Defence::default()
            },
        }
    }
}

#[derive(clap::Args)]
pub struct HintonArgs {
    /// Passes over the 60,000 training images (the paper trained far longer).
    #[arg(long, default_value_t = 10.0)]
    epochs: f64,
    #[arg(long, default_value_t = 20.0)]
    temperature: f32,
    /// Examples per step (the benchmark also times 1,024 on a GPU).
    #[arg(long, default_value_t = 128)]
    batch: usize,
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

impl Loaded {
    fn training_data(&self) -> TrainingData<'_> {
        TrainingData {
            images: Arc::new(self.train.images.clone()),
            labels: &self.train.labels,
            teacher_logits: &self.teacher.cache.train_logits,
        }
    }

    fn test_set(&self) -> EvalSet {
        EvalSet {
            images: Arc::new(self.test.images.clone()),
            labels: self.test.labels.clone(),
            teacher_predictions: Some(predictions(&self.teacher.cache.test_logits)),
        }
    }
}

fn run(loaded: &Loaded, config: &TrainConfig, device: &str) -> anyhow::Result<Comparison> {
    let device = device::parse(device)?;
    Ok(pollster::block_on(compare(config, &loaded.training_data(), &loaded.test_set(), &device))?)
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
    let mut loaded = load(web, a.dataset.as_deref(), &a.teacher)?;
    if let Some(dataset) = a.ask_about.as_deref().filter(|d| *d != loaded.teacher.manifest.dataset) {
        loaded = ask_about(web, loaded, dataset)?;
    }
    let config = a.config();
    config.validate()?;
    if !config.defence.is_none() {
        let (cache, labels) = (&loaded.teacher.cache.test_logits, &loaded.test.labels);
        println!(
            "the teacher's API, defended: {:.2}% right on the test set for an honest user ({:.2}% undefended)",
            100.0 * honest_accuracy(&config.defence, cache, labels, config.seed),
            100.0 * honest_accuracy(&Defence::default(), cache, labels, config.seed),
        );
    }
    if let Some(rounds) = config.queries {
        return compare_strategies(&loaded, &config, rounds, &a.device);
    }
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

/// The teacher's answers on another dataset's training images replace its own: the copier asks
/// about those, with the teacher's top labels as their only labels.
fn ask_about(web: &Path, mut loaded: Loaded, dataset: &str) -> anyhow::Result<Loaded> {
    let started = Instant::now();
    let device = burn::tensor::Device::flex();
    let manifest = &loaded.teacher.manifest;
    let architecture: Architecture = manifest.architecture.parse()?;
    let network = crate::pack::teacher_network(web, &manifest.id, &architecture, &device)?;
    let mut images = match dataset {
        "strokes" => {
            let pixels = distill_data::strokes::strokes(60_000, 1);
            Dataset::new("strokes", pixels, vec![0; 60_000], Default::default())?
        }
        _ => assets::load_dataset(web, dataset, Split::Train)?,
    };
    let logits = pollster::block_on(predict_logits(&network, &architecture, &images.images, &device))?;
    images.labels = predictions(&logits);
    println!(
        "asking about {} {dataset} training images; the teacher answered them in {:.0} s",
        images.len(),
        started.elapsed().as_secs_f64()
    );
    loaded.train = images;
    loaded.teacher.cache.train_logits = logits;
    Ok(loaded)
}

/// The copier's curve for `rounds.strategy` next to random questions' in the same rounds, each
/// with the labels-only student on the same images.
fn compare_strategies(loaded: &Loaded, config: &TrainConfig, rounds: QueryRounds, device: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let device = device::parse(device)?;
    let (data, test) = (loaded.training_data(), loaded.test_set());
    let mut strategies = vec![rounds.strategy];
    if rounds.strategy != QueryStrategy::Random {
        strategies.push(QueryStrategy::Random);
    }
    let mut curves = Vec::new();
    for &strategy in &strategies {
        let rounds = QueryRounds { strategy, ..rounds };
        curves.push(pollster::block_on(campaign(config, rounds, &data, &test, &device))?);
    }
    let mut header = format!("{:>8}", "queries");
    for s in &strategies {
        header += &format!(" {:>13} {:>22}", format!("{s} ({})", config.mode), format!("labels only, {s}'s"));
    }
    println!("{header}");
    for round in 0..curves[0].len() {
        let mut line = format!("{:>8}", curves[0][round].queries);
        for curve in &curves {
            let RoundScore { distilled, baseline, answered, queries } = &curve[round];
            let refused = if answered < queries { format!(" ({} answered)", answered) } else { String::new() };
            line +=
                &format!(" {:>12.2}% {:>21.2}%{refused}", 100.0 * distilled.accuracy(), 100.0 * baseline.accuracy());
        }
        println!("{line}");
    }
    for (s, curve) in strategies.iter().zip(&curves) {
        let reached = curve.iter().find(|r| r.distilled.accuracy() >= 0.9).map(|r| r.queries.to_string());
        println!("{s}: {} queries to reach 90%", reached.unwrap_or_else(|| "more than the budget's".into()));
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
        batch_size: a.batch,
        epochs: a.epochs,
        dropout: 0.0,
        jitter: 0,
        budget: None,
        excluded_class: None,
        seed: a.seed,
        queries: None,
        defence: Default::default(),
    };
    let started = Instant::now();
    let result = run(&loaded, &config, &a.device)?;
    print_table(&loaded, &student, &result, &format!("student {student}, distilled at T={}", a.temperature));
    let seconds = started.elapsed().as_secs_f64();
    let examples = 2.0 * result.transfer_examples as f64 * a.epochs; // both students, scoring included
    println!(
        "Hinton et al. 2015 report 67 / 146 / 74 test errors ({seconds:.1} s here, {:.0} examples/s)",
        examples / seconds
    );
    Ok(())
}
