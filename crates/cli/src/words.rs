//! The language-model task natively (issue 14): `train-teacher words-en` trains a words teacher,
//! `pack` bakes its words pack ([`pack_words`]), and `distill words` trains students of every
//! mode on that pack, as the page does, and prints their test bits per character side by side.

use crate::device;
use distill_core::language::{
    bits_per_char, logits, needs_teacher_logits, sample_words, teacher_text, top1_agreement, training_set, Examples,
    WordModel,
};
use distill_core::{language, Plan};
use distill_data::assets;
use distill_data::catalog::WordsEntry;
use distill_data::checksum::sha256_hex;
use distill_data::manifest::WordTeacherManifest;
use distill_data::words::{self, WordSource};
use distill_data::words_pack::{positions, WordShape, WordWeights, WordsPack, TOP_K};
use distill_spec::{GreenList, Mode};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

/// How a words teacher is trained.
pub struct WordRecipe {
    pub id: &'static str,
    pub source: WordSource,
    pub context: usize,
    pub embedding: usize,
    pub hidden: &'static [usize],
    pub epochs: usize,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub seed: u64,
}

/// Bengio-style MLP language models, wide enough to be clearly better than a student the page
/// can train in seconds, small enough to ship in the pack (its weights give the white box).
pub const WORD_TEACHERS: [WordRecipe; 2] =
    [WordRecipe::of("words-en", words::ENGLISH), WordRecipe::of("words-es", words::SPANISH)];

impl WordRecipe {
    /// The project's recipe (the same for both lists) for the list `source`.
    const fn of(id: &'static str, source: WordSource) -> WordRecipe {
        WordRecipe {
            id,
            source,
            context: 8,
            embedding: 24,
            hidden: &[256, 256],
            epochs: 8,
            batch_size: 256,
            learning_rate: 3e-3,
            seed: 1,
        }
    }
}

/// Words of the training list a pack keeps (the most a student may read), test words, cached
/// next tokens per position, and words the teacher writes for the black-box mode.
pub const PACK_TRAIN_WORDS: usize = 2000;
pub const PACK_TEST_WORDS: usize = 500;
pub const SAMPLES: usize = 2000;
pub const SAMPLE_TEMPERATURE: f32 = 1.0;
pub const SAMPLE_SEED: u64 = 1;
/// No word the teacher writes is longer (the lists' longest kept words are about this long).
pub const LONGEST_WORD: usize = 24;

pub fn recipe(id: &str) -> Option<&'static WordRecipe> {
    WORD_TEACHERS.iter().find(|r| r.id == id)
}

fn shape(recipe: &WordRecipe) -> WordShape {
    let (vocabulary, context, embedding) = (recipe.source.vocabulary(), recipe.context, recipe.embedding);
    WordShape { vocabulary, context, embedding, hidden: recipe.hidden.to_vec() }
}

/// Trains `recipe` on every training word of its list and writes `web/teachers/<id>/`: the
/// weights (F16) and the manifest.
pub fn train_word_teacher(
    web: &Path,
    recipe: &WordRecipe,
    epochs: Option<usize>,
    device_name: &str,
) -> anyhow::Result<()> {
    let device = device::parse(device_name)?;
    let list = assets::load_words(web, &recipe.source)?;
    let shape = shape(recipe);
    let train = Examples::of_words(&list.train, recipe.context);
    let test = Examples::of_words(&list.test, recipe.context);
    let epochs = epochs.unwrap_or(recipe.epochs);
    let plan = Plan {
        epochs: epochs as f64,
        batch_size: recipe.batch_size,
        learning_rate: recipe.learning_rate,
        temperature: 1.0,
        alpha: 0.0,
        seed: recipe.seed,
    };
    println!(
        "training {} ({}, {} parameters) on {} training words ({} positions) for {epochs} epochs",
        recipe.id,
        shape.describe(),
        shape.parameter_count(),
        list.train.len(),
        train.len()
    );
    let mut trainer = language::trainer(&shape, train.clone(), None, plan, &device)?;
    let per_epoch = trainer.total_steps() / epochs;
    let started = Instant::now();
    while !trainer.is_done() {
        trainer.step();
        if trainer.steps_done() % per_epoch == 0 {
            let metrics = pollster::block_on(trainer.take_metrics())?;
            let bits = pollster::block_on(bits_per_char(trainer.model(), &test, &device))?;
            println!(
                "epoch {:>2}  loss {:.3} nats  test {bits:.3} bits/char  ({:.0} s)",
                trainer.steps_done() / per_epoch,
                metrics.total_loss,
                started.elapsed().as_secs_f64()
            );
        }
    }
    let training_seconds = started.elapsed().as_secs_f64();
    let model = trainer.model();
    let weights = pollster::block_on(model.weights(shape.clone()))?;
    let bytes = weights.to_safetensors(HashMap::from([("teacher".to_string(), recipe.id.to_string())]));
    // What is committed is the half-precision teacher: score that one.
    let shipped = WordModel::from_weights(&WordWeights::from_safetensors("weights", &bytes)?, &device);
    let test_bits = pollster::block_on(bits_per_char(&shipped, &test, &device))?;
    let train_bits = pollster::block_on(bits_per_char(&shipped, &train, &device))?;
    let dir = assets::teacher_dir(web, recipe.id);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("weights.safetensors"), &bytes)?;
    let manifest = WordTeacherManifest {
        task: "words".into(),
        id: recipe.id.into(),
        language: recipe.source.language.into(),
        architecture: shape.describe(),
        parameters: shape.parameter_count(),
        test_bits_per_char: test_bits,
        train_bits_per_char: train_bits,
        test_words: list.test.len(),
        test_positions: test.len(),
        epochs,
        batch_size: recipe.batch_size,
        learning_rate: recipe.learning_rate,
        seed: recipe.seed,
        training_seconds,
        device: device_name.into(),
        data_sha256: BTreeMap::from([(recipe.source.path.to_string(), recipe.source.sha256.to_string())]),
        weights_sha256: sha256_hex(&bytes),
        command: format!("cargo run -p distill-cli -- train-teacher {}", recipe.id),
    };
    std::fs::write(dir.join("manifest.json"), serde_json::to_string_pretty(&manifest)? + "\n")?;
    println!(
        "{}: {test_bits:.3} test bits/char ({train_bits:.3} on its training words), {training_seconds:.0} s; wrote {}",
        recipe.id,
        dir.display()
    );
    Ok(())
}

/// Bakes `web/packs/<id>.safetensors` for a words teacher: the first words of its list in
/// [`words::mixed`] order, its top-k for each of their positions, words it writes, its weights.
pub fn pack_words(web: &Path, id: &str) -> anyhow::Result<WordsEntry> {
    let (manifest, weights) =
        crate::teachers::load_model_teacher(web, id, |m: &WordTeacherManifest| &m.weights_sha256)?;
    let source = words::ALL
        .into_iter()
        .find(|s| s.language == manifest.language)
        .ok_or_else(|| anyhow::anyhow!("{id}: unknown language {}", manifest.language))?;
    let list = assets::load_words(web, &source)?;
    let device = burn::tensor::Device::flex();
    let teacher = WordModel::from_weights(&weights, &device);
    let context = weights.shape.context;
    let train: Vec<Vec<u8>> = words::mixed(&list.train).into_iter().take(PACK_TRAIN_WORDS).collect();
    let test: Vec<Vec<u8>> = words::mixed(&list.test).into_iter().take(PACK_TEST_WORDS).collect();
    let train_logits = pollster::block_on(logits(&teacher, &Examples::of_words(&train, context), &device))?;
    let (top_tokens, top_probs) = distill_core::language::targets::top_k(&train_logits, source.vocabulary(), TOP_K);
    let samples = pollster::block_on(teacher_text(
        &teacher,
        (context, source.vocabulary()),
        (SAMPLES, LONGEST_WORD),
        SAMPLE_TEMPERATURE,
        &GreenList::default(),
        SAMPLE_SEED,
        &device,
    ))?;
    anyhow::ensure!(samples.len() == SAMPLES, "{id}: the teacher wrote too many empty words");
    let test_bits = pollster::block_on(bits_per_char(&teacher, &Examples::of_words(&test, context), &device))?;
    let metadata = HashMap::from([
        ("teacher".to_string(), id.to_string()),
        ("language".to_string(), source.language.to_string()),
        ("word_list".to_string(), source.title.to_string()),
        ("sample_temperature".to_string(), SAMPLE_TEMPERATURE.to_string()),
        ("sample_seed".to_string(), SAMPLE_SEED.to_string()),
        ("teacher_test_bits_per_char".to_string(), manifest.test_bits_per_char.to_string()),
    ]);
    let pack = WordsPack { train, test, top_k: TOP_K, top_tokens, top_probs, samples, teacher: weights, metadata };
    let bytes = pack.to_safetensors();
    let path = assets::pack_path(web, id);
    std::fs::create_dir_all(path.parent().unwrap())?;
    std::fs::write(&path, &bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let spell = |w: &Vec<u8>| w.iter().filter_map(|&t| source.letter(t)).collect::<String>();
    println!(
        "{id}: wrote {} ({} train words, {} positions with top-{TOP_K}, {} test words, {} teacher's words, {:.2} MB; \
         teacher {test_bits:.3} bits/char on the pack's test words); it writes: {}",
        path.display(),
        pack.train.len(),
        positions(&pack.train),
        pack.test.len(),
        pack.samples.len(),
        bytes.len() as f64 / 1e6,
        pack.samples.iter().take(8).map(spell).collect::<Vec<_>>().join(" ")
    );
    Ok(WordsEntry {
        teacher: id.to_string(),
        language: source.language.to_string(),
        architecture: manifest.architecture.clone(),
        parameters: manifest.parameters as u64,
        test_bits_per_char: manifest.test_bits_per_char,
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
        train_words: pack.train.len(),
        test_words: pack.test.len(),
    })
}

#[derive(clap::Args)]
pub struct WordsArgs {
    /// The words teacher whose pack to learn from (`words-en`, `words-es`).
    #[arg(long, default_value = "words-en")]
    teacher: String,
    /// Modes to train, side by side: labels (the real words alone), soft, top1..top8, text.
    #[arg(long, value_delimiter = ',', default_value = "labels,soft,top8,text")]
    modes: Vec<Mode>,
    /// Words each student reads (and asks the teacher about).
    #[arg(long, default_value_t = 500)]
    words: usize,
    /// The student's hidden widths.
    #[arg(long, value_delimiter = '-', default_value = "64")]
    hidden: Vec<usize>,
    #[arg(long, default_value_t = 8)]
    embedding: usize,
    #[arg(long, default_value_t = 20)]
    epochs: usize,
    #[arg(long, default_value_t = 64)]
    batch: usize,
    #[arg(long, default_value_t = 3e-3)]
    lr: f64,
    #[arg(long, default_value_t = 2.0)]
    t: f32,
    #[arg(long, default_value_t = 0.9)]
    alpha: f32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// One student's figures on the pack's test words.
pub struct WordsRow {
    pub mode: Mode,
    pub test_bits: f64,
    pub agreement: f64,
    pub seconds: f64,
    pub invented: Vec<String>,
}

/// Trains one student per mode on the pack at `web/packs/<teacher>.safetensors`.
pub fn compare(web: &Path, args: &WordsArgs) -> anyhow::Result<(f64, Vec<WordsRow>)> {
    let path = assets::pack_path(web, &args.teacher);
    let file = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| anyhow::anyhow!("{file}: {e} (run `distill pack` first)"))?;
    let pack = WordsPack::from_safetensors(&file, &bytes)?;
    let device = burn::tensor::Device::flex();
    let teacher = WordModel::from_weights(&pack.teacher, &device);
    let shape = &pack.teacher.shape;
    let test = Examples::of_words(&pack.test, shape.context);
    let teacher_test = pollster::block_on(logits(&teacher, &test, &device))?;
    let teacher_bits = pollster::block_on(bits_per_char(&teacher, &test, &device))?;
    let mut teacher_logits = None;
    let student = WordShape { embedding: args.embedding, hidden: args.hidden.clone(), ..shape.clone() };
    let mut rows = Vec::new();
    for &mode in &args.modes {
        if needs_teacher_logits(mode) && teacher_logits.is_none() {
            let all = Examples::of_words(&pack.train, shape.context);
            teacher_logits = Some(pollster::block_on(logits(&teacher, &all, &device))?);
        }
        let (examples, soft) = training_set(&pack, mode, args.words, args.t, teacher_logits.as_deref());
        let plan = Plan {
            epochs: args.epochs as f64,
            batch_size: args.batch,
            learning_rate: args.lr,
            temperature: mode.target_temperature(args.t),
            alpha: args.alpha,
            seed: args.seed,
        };
        let started = Instant::now();
        let mut trainer = language::trainer(&student, examples, soft, plan, &device)?;
        while !trainer.is_done() {
            trainer.step();
        }
        pollster::block_on(trainer.take_metrics())?;
        let seconds = started.elapsed().as_secs_f64();
        let model = trainer.model();
        let test_bits = pollster::block_on(bits_per_char(model, &test, &device))?;
        let agreement =
            top1_agreement(&pollster::block_on(logits(model, &test, &device))?, &teacher_test, shape.vocabulary);
        let source = pack.source();
        let invented = pollster::block_on(sample_words(
            model,
            (shape.context, shape.vocabulary),
            (6, LONGEST_WORD),
            1.0,
            &GreenList::default(),
            7,
            &device,
        ))?
        .iter()
        .map(|w| w.iter().filter_map(|&t| source.letter(t)).collect())
        .collect();
        rows.push(WordsRow { mode, test_bits, agreement, seconds, invented });
    }
    Ok((teacher_bits, rows))
}

pub fn words(web: &Path, args: WordsArgs) -> anyhow::Result<()> {
    let (teacher_bits, rows) = compare(web, &args)?;
    println!("teacher {}: {teacher_bits:.3} bits/char on the pack's test words", args.teacher);
    println!("{:<6} {:>10} {:>10} {:>8}  invented words", "mode", "bits/char", "agreement", "seconds");
    for row in rows {
        println!(
            "{:<6} {:>10.3} {:>9.1}% {:>8.1}  {}",
            row.mode.to_string(),
            row.test_bits,
            100.0 * row.agreement,
            row.seconds,
            row.invented.join(" ")
        );
    }
    Ok(())
}
