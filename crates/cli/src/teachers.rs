//! `train-teacher`: the project's teachers, each reproducible with one command.

use crate::device;
use burn::module::Module;
use burn::store::{HalfPrecisionAdapter, ModuleSnapshot, SafetensorsStore};
use distill_core::images::{self, evaluate, predict_logits};
use distill_core::metrics::Evaluation;
use distill_core::{Architecture, EvalSet, Mode, TrainConfig, TransferSet};
use distill_data::model_weights::{ModelShape, Weights};
use distill_data::{assets, sources, DataError, Split, TeacherCache, TeacherManifest};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// How a teacher is trained.
pub struct TeacherRecipe {
    pub id: &'static str,
    pub dataset: &'static str,
    pub architecture: &'static str,
    pub epochs: f64,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub dropout: f64,
    pub jitter: usize,
    pub seed: u64,
}

pub const RECIPES: [TeacherRecipe; 3] = [
    // A compact CNN: the strong MNIST teacher.
    TeacherRecipe {
        id: "mnist-cnn",
        dataset: "mnist",
        architecture: "cnn:32-64-256",
        epochs: 6.0,
        batch_size: 64,
        learning_rate: 1e-3,
        dropout: 0.4,
        jitter: 1,
        seed: 1,
    },
    // Hinton et al.'s MLP teacher: 784-1200-1200-10, dropout, inputs jittered by up to 2 pixels.
    TeacherRecipe {
        id: "mnist-mlp",
        dataset: "mnist",
        architecture: "mlp:1200-1200",
        epochs: 30.0,
        batch_size: 128,
        learning_rate: 1e-3,
        dropout: 0.5,
        jitter: 2,
        seed: 1,
    },
    TeacherRecipe {
        id: "fashion-cnn",
        dataset: "fashion",
        architecture: "cnn:32-64-256",
        epochs: 5.0,
        batch_size: 64,
        learning_rate: 1e-3,
        dropout: 0.4,
        jitter: 0,
        seed: 1,
    },
];

#[derive(clap::Args)]
pub struct TrainTeacherArgs {
    /// mnist-cnn, mnist-mlp, fashion-cnn, a words teacher (words-en, words-es), or parity.
    teacher: String,
    /// Override the recipe's number of epochs (for a quick try; the committed teachers use the recipe).
    #[arg(long)]
    epochs: Option<f64>,
    #[arg(long, default_value = "flex")]
    device: String,
}

pub fn train_teacher(web: &Path, args: TrainTeacherArgs) -> anyhow::Result<()> {
    if args.teacher == crate::reasoning::TEACHER.id {
        return crate::reasoning::train_reasoning_teacher(web, args.epochs, &args.device);
    }
    if let Some(recipe) = crate::words::recipe(&args.teacher) {
        return crate::words::train_word_teacher(web, recipe, args.epochs.map(|e| e as usize), &args.device);
    }
    let recipe = RECIPES.iter().find(|r| r.id == args.teacher).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown teacher `{}`: one of mnist-cnn, mnist-mlp, fashion-cnn, words-en, words-es",
            args.teacher
        )
    })?;
    let device = device::parse(&args.device)?;
    let train = assets::load_dataset(web, recipe.dataset, Split::Train)?;
    let test = assets::load_dataset(web, recipe.dataset, Split::Test)?;
    let architecture: Architecture = recipe.architecture.parse()?;
    let config = TrainConfig {
        architecture: architecture.clone(),
        mode: Mode::LabelsOnly,
        temperature: 1.0,
        alpha: 0.0,
        learning_rate: recipe.learning_rate,
        batch_size: recipe.batch_size,
        epochs: args.epochs.unwrap_or(recipe.epochs),
        dropout: recipe.dropout,
        jitter: recipe.jitter,
        budget: None,
        excluded_class: None,
        seed: recipe.seed,
        queries: None,
        defence: Default::default(),
    };
    let images = Arc::new(train.images.clone());
    let transfer = TransferSet::build(&config, &train.labels, &[]);
    let test_set =
        EvalSet { images: Arc::new(test.images.clone()), labels: test.labels.clone(), teacher_predictions: None };
    let mut trainer = images::trainer(&config, images, transfer, &device)?;
    let steps_per_epoch = config.total_steps(train.len()).div_ceil(config.epochs.ceil() as usize);
    println!(
        "training {} ({architecture}, {} parameters) on {} for {} steps",
        recipe.id,
        architecture.parameters(),
        args.device,
        trainer.total_steps()
    );
    let started = Instant::now();
    while !trainer.is_done() {
        trainer.step();
        if trainer.steps_done() % steps_per_epoch == 0 || trainer.is_done() {
            let metrics = pollster::block_on(trainer.take_metrics())?;
            let eval = pollster::block_on(evaluate(trainer.model(), &architecture, &test_set, &device))?;
            println!(
                "step {:>6}  loss {:.4}  test accuracy {:.2}%  ({:.0} s)",
                trainer.steps_done(),
                metrics.total_loss,
                100.0 * eval.accuracy(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    let training_seconds = started.elapsed().as_secs_f64();

    // Bake: logits for every train and test example, in the files' order.
    let model = trainer.model().valid();
    let train_logits = pollster::block_on(predict_logits(&model, &architecture, &train.images, &device))?;
    let test_logits = pollster::block_on(predict_logits(&model, &architecture, &test.images, &device))?;
    let eval = Evaluation::from_logits(&test_logits, &test.labels, None);
    let cache = TeacherCache {
        train_logits,
        test_logits,
        metadata: HashMap::from([
            ("teacher".to_string(), recipe.id.to_string()),
            ("dataset".to_string(), recipe.dataset.to_string()),
        ]),
    };
    let dir = assets::teacher_dir(web, recipe.id);
    std::fs::create_dir_all(&dir)?;
    let logits_bytes = cache.to_safetensors();
    std::fs::write(dir.join("logits.safetensors"), &logits_bytes)?;
    let weights = dir.join("weights.safetensors");
    let _ = std::fs::remove_file(&weights);
    let mut store = SafetensorsStore::from_file(&weights).with_to_adapter(HalfPrecisionAdapter::new());
    model.save_into(&mut store).map_err(|e| anyhow::anyhow!("saving weights: {e:?}"))?;

    let source = sources::by_id(recipe.dataset).expect("recipes name known datasets");
    let manifest = TeacherManifest {
        id: recipe.id.to_string(),
        dataset: recipe.dataset.to_string(),
        architecture: architecture.to_string(),
        parameters: architecture.parameters(),
        test_accuracy: eval.accuracy(),
        test_errors: eval.errors,
        test_examples: eval.examples,
        epochs: config.epochs,
        batch_size: config.batch_size,
        learning_rate: config.learning_rate,
        dropout: config.dropout,
        jitter_pixels: config.jitter,
        seed: config.seed,
        training_seconds,
        device: args.device.clone(),
        data_sha256: source
            .files
            .iter()
            .map(|f| (f.path.to_string(), f.sha256.to_string()))
            .collect::<BTreeMap<_, _>>(),
        logits_sha256: distill_data::checksum::sha256_hex(&logits_bytes),
        command: format!("cargo run -p distill-cli -- train-teacher {}", recipe.id),
    };
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(dir.join("manifest.json"), json + "\n")?;
    println!(
        "{}: {} test errors of {} ({:.2}%), {:.0} s; wrote {}",
        recipe.id,
        eval.errors,
        eval.examples,
        100.0 * eval.accuracy(),
        training_seconds,
        dir.display()
    );
    Ok(())
}

/// A committed teacher `id` whose outputs `pack` computes from its weights (words, reasoning): its
/// manifest, and its weights checked against the SHA-256 the manifest gives (`weights_sha256`).
pub fn load_model_teacher<M: serde::de::DeserializeOwned, S: ModelShape>(
    web: &Path,
    id: &str,
    weights_sha256: fn(&M) -> &str,
) -> anyhow::Result<(M, Weights<S>)> {
    let dir = assets::teacher_dir(web, id);
    let path = dir.join("manifest.json");
    let manifest: M = serde_json::from_slice(&std::fs::read(&path)?)
        .map_err(|e| anyhow::anyhow!("{} is corrupt: {e}", path.display()))?;
    let path = dir.join("weights.safetensors");
    let file = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| DataError::io(&file, e))?;
    distill_data::checksum::verify(&file, &bytes, weights_sha256(&manifest))?;
    Ok((manifest, Weights::from_safetensors(&file, &bytes)?))
}
