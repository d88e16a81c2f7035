//! `pack`: cut the playground packs the page downloads (see `distill_data::pack`).

use burn::store::{HalfPrecisionAdapter, ModuleSnapshot, SafetensorsStore};
use burn::tensor::Device;
use distill_core::images::predict_logits;
use distill_core::metrics::{predictions, Evaluation};
use distill_core::{Architecture, Network};
use distill_data::catalog::{Catalog, PackEntry, PartEntry, QuestionsEntry};
use distill_data::checksum::sha256_hex;
use distill_data::manifest::manifest_task;
use distill_data::pack::{part_ranges, Delivery, Pack, DEFAULT_TEST_ROWS, DEFAULT_TRAIN_ROWS};
use distill_data::questions::Questions;
use distill_data::teacher::TeacherCache;
use distill_data::{assets, sources, Split};
use distill_playground::settings::Settings;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct PackArgs {
    /// Training rows per pack (the page's transfer set).
    #[arg(long, default_value_t = DEFAULT_TRAIN_ROWS)]
    train: usize,
    /// Test rows per pack.
    #[arg(long, default_value_t = DEFAULT_TEST_ROWS)]
    test: usize,
    /// A teacher of your own instead of those under web/teachers/: a safetensors file with its
    /// `train_logits` and `test_logits` (F32 [N,10]) for the dataset's full splits in their
    /// original order (or their first rows). Cut into `web/packs/<name>.safetensors` and added to
    /// the catalog `pack` wrote before.
    #[arg(long, requires_all = ["name", "dataset", "parameters"])]
    logits: Option<PathBuf>,
    /// The teacher's id in the page (a plain name), with --logits.
    #[arg(long)]
    name: Option<String>,
    /// The dataset its logits are for (`mnist` or `fashion`), with --logits.
    #[arg(long)]
    dataset: Option<String>,
    /// Its parameter count, shown beside the student's, with --logits.
    #[arg(long)]
    parameters: Option<u64>,
    /// How the teacher menu describes it, with --logits.
    #[arg(long, default_value = "own model")]
    architecture: String,
}

/// Writes `web/packs/<teacher>.safetensors` for every teacher under `web/teachers/`, and
/// `web/packs/catalog.json` listing them with their sizes and SHA-256. The pack's logits are the
/// teacher's, run here on the pixels the pack ships (kept to 6 bits); its committed answers for
/// the original pixels check that the right network was loaded.
pub fn pack_all(web: &Path, args: PackArgs) -> anyhow::Result<()> {
    if args.train == 0 || args.test == 0 {
        anyhow::bail!("--train {} --test {}: a pack needs a training and a test row at least", args.train, args.test);
    }
    if let Some(logits) = &args.logits {
        return pack_own(web, logits, &args);
    }
    let teachers =
        std::fs::read_dir(web.join("teachers")).map_err(|e| anyhow::anyhow!("{}/teachers: {e}", web.display()))?;
    let mut ids: Vec<String> =
        teachers.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    ids.sort();
    let mut catalog = Catalog::default();
    let device = Device::flex();
    for id in ids {
        let manifest_path = assets::teacher_dir(web, &id).join("manifest.json");
        let json = std::fs::read(&manifest_path).map_err(|e| anyhow::anyhow!("{}: {e}", manifest_path.display()))?;
        match manifest_task(&json).as_deref() {
            Some("words") => {
                catalog.words.push(crate::words::pack_words(web, &id)?);
                continue;
            }
            Some("reasoning") => {
                catalog.reasoning.push(crate::reasoning::pack_reasoning(web, &id)?);
                continue;
            }
            _ => {}
        }
        let manifest = assets::load_manifest(web, &id)?;
        let train = assets::load_dataset(web, &manifest.dataset, Split::Train)?;
        let test = assets::load_dataset(web, &manifest.dataset, Split::Test)?;
        let teacher = assets::load_teacher(web, &id, &train, &test)?;
        let about = About {
            id: &id,
            dataset: &manifest.dataset,
            architecture: &manifest.architecture,
            parameters: manifest.parameters as u64,
            test_accuracy: manifest.test_accuracy,
        };
        let metadata = about.metadata()?;
        let architecture: Architecture = manifest.architecture.parse()?;
        let network = teacher_network(web, &id, &architecture, &device)?;
        let ask = |images: &[u8]| pollster::block_on(predict_logits(&network, &architecture, images, &device));
        let pack = Pack::cut((&train, &test), (args.train, args.test), ask, metadata)?;
        let cached = predictions(&teacher.cache.test_logits[..pack.teacher.test_logits.len()]);
        let shipped = Evaluation::from_logits(&pack.teacher.test_logits, &pack.test.labels, Some(&cached));
        let agreement = shipped.agreement.unwrap_or(0.0);
        if agreement < 0.99 {
            anyhow::bail!(
                "{id}: the teacher loaded from its weights agrees with its cached answers on only {:.1}% of the pack's test rows",
                100.0 * agreement
            );
        }
        let path = assets::pack_path(web, &id);
        std::fs::create_dir_all(path.parent().unwrap())?;
        let bytes = pack.to_safetensors();
        std::fs::write(&path, &bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        println!(
            "{id}: wrote {} ({} train + {} test rows, {:.1} MB; teacher on the shipped pixels: {:.1}% test accuracy, \
             {:.1}% agreement with its answers on the originals)",
            path.display(),
            pack.train.len(),
            pack.test.len(),
            bytes.len() as f64 / 1e6,
            100.0 * shipped.accuracy(),
            100.0 * agreement,
        );
        let questions = write_questions(web, &id, &manifest.dataset, pack.train.len(), ask)?;
        catalog.packs.push(about.entry(&pack, &path, &bytes, questions)?);
    }
    write_catalog(web, &catalog)
}

/// What the catalog and a pack's metadata say about its teacher.
struct About<'a> {
    id: &'a str,
    dataset: &'a str,
    architecture: &'a str,
    parameters: u64,
    test_accuracy: f64,
}

impl About<'_> {
    fn source(&self) -> anyhow::Result<sources::DataSource> {
        sources::by_id(self.dataset).ok_or_else(|| anyhow::anyhow!("{}: unknown dataset {}", self.id, self.dataset))
    }

    /// Its metadata, with the order its training rows are stored in: the default link's run reads
    /// them first, in the order it reads them, so a page trains on them while the rest arrive.
    fn metadata(&self) -> anyhow::Result<HashMap<String, String>> {
        let source = self.source()?;
        let default = Settings::default().train;
        let delivery = Delivery { seed: default.seed, budget: default.budget.unwrap_or(usize::MAX) };
        Ok(HashMap::from_iter(delivery.metadata().into_iter().chain([
            ("teacher".to_string(), self.id.to_string()),
            ("dataset".to_string(), self.dataset.to_string()),
            ("dataset_title".to_string(), source.title.to_string()),
            ("class_names".to_string(), serde_json::to_string(&source.class_names).unwrap()),
            ("architecture".to_string(), self.architecture.to_string()),
            ("parameters".to_string(), self.parameters.to_string()),
            ("teacher_test_accuracy".to_string(), self.test_accuracy.to_string()),
        ])))
    }

    fn entry(
        &self,
        pack: &Pack,
        path: &Path,
        bytes: &[u8],
        questions: Vec<QuestionsEntry>,
    ) -> anyhow::Result<PackEntry> {
        let source = self.source()?;
        Ok(PackEntry {
            teacher: self.id.to_string(),
            dataset: self.dataset.to_string(),
            dataset_title: source.title.to_string(),
            class_names: source.class_names.iter().map(|c| c.to_string()).collect(),
            architecture: self.architecture.to_string(),
            parameters: self.parameters,
            test_accuracy: self.test_accuracy,
            file: path.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            train_rows: pack.train.len(),
            test_rows: pack.test.len(),
            questions,
            parts: part_ranges(bytes)
                .ok_or_else(|| anyhow::anyhow!("{}: not laid out in parts", path.display()))?
                .into_iter()
                .map(|range| PartEntry { bytes: range.len() as u64, sha256: sha256_hex(&bytes[range]) })
                .collect(),
        })
    }
}

/// Writes the catalog, which must be one the page takes: it refuses a catalog whole for one bad entry.
fn write_catalog(web: &Path, catalog: &Catalog) -> anyhow::Result<()> {
    let path = web.join("packs").join("catalog.json");
    let json = serde_json::to_string_pretty(catalog).unwrap();
    Catalog::parse(&json)
        .map_err(|e| anyhow::anyhow!("not writing {}: the page would refuse it: {e}", path.display()))?;
    std::fs::write(&path, json).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// `pack --logits`: a pack for a teacher of the user's own, from its logits file, added to (or
/// replacing its namesake in) the catalog. No questions about other images: its answers to those
/// are not in the file.
fn pack_own(web: &Path, logits: &Path, args: &PackArgs) -> anyhow::Result<()> {
    let (Some(id), Some(dataset), Some(parameters)) = (&args.name, &args.dataset, args.parameters) else {
        anyhow::bail!("--logits needs --name, --dataset and --parameters");
    };
    anyhow::ensure!(assets::plain_name(id), "--name {id}: a plain name is expected (letters, digits, - _ .)");
    let catalog_path = web.join("packs").join("catalog.json");
    let mut catalog = match std::fs::read_to_string(&catalog_path) {
        Ok(text) => Catalog::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", catalog_path.display()))?,
        Err(_) => Catalog::default(),
    };
    let train = assets::load_dataset(web, dataset, Split::Train)?;
    let test = assets::load_dataset(web, dataset, Split::Test)?;
    let file = logits.display().to_string();
    let bytes = std::fs::read(logits).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    let cache = TeacherCache::for_pack(&file, &bytes, (args.train.min(train.len()), args.test.min(test.len())))?;
    let test_accuracy = Evaluation::from_logits(&cache.test_logits, &test.labels[..cache.test_len()], None).accuracy();
    let about = About { id, dataset, architecture: &args.architecture, parameters, test_accuracy };
    let pack = Pack::of_cached((&train, &test), cache, about.metadata()?);
    let path = assets::pack_path(web, id);
    std::fs::create_dir_all(path.parent().unwrap())?;
    let bytes = pack.to_safetensors();
    std::fs::write(&path, &bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    println!(
        "{id}: wrote {} ({} train + {} test rows, {:.1} MB; {:.1}% right on the pack's test rows)",
        path.display(),
        pack.train.len(),
        pack.test.len(),
        bytes.len() as f64 / 1e6,
        100.0 * test_accuracy
    );
    catalog.packs.retain(|entry| entry.teacher != *id);
    catalog.packs.push(about.entry(&pack, &path, &bytes, Vec::new())?);
    write_catalog(web, &catalog)
}

/// Writes the teacher's answers about `rows` training images of the other dataset and as many
/// pictures of random strokes, one file each (`distill_data::questions`).
fn write_questions(
    web: &Path,
    id: &str,
    dataset: &str,
    rows: usize,
    ask: impl Fn(&[u8]) -> Result<Vec<f32>, distill_core::TrainError>,
) -> anyhow::Result<Vec<QuestionsEntry>> {
    let other = sources::ALL
        .into_iter()
        .find(|source| source.id != dataset)
        .ok_or_else(|| anyhow::anyhow!("{id}: no dataset other than {dataset} to ask about"))?;
    let images = assets::load_dataset(web, other.id, Split::Train)?;
    let sets = [Questions::of_dataset(other.id, &images, rows, &ask)?, Questions::of_strokes(rows, &ask)?];
    let mut entries = Vec::new();
    for questions in sets {
        let path = web.join("packs").join(format!("{id}.ask-{}.safetensors", questions.about));
        let bytes = questions.to_safetensors();
        std::fs::write(&path, &bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let answers = predictions(&questions.logits);
        let most = (0..10u8).map(|c| answers.iter().filter(|&&a| a == c).count()).max().unwrap_or(0);
        println!(
            "{id}: wrote {} ({} {} images, {:.2} MB; its most frequent answer is given to {:.0}% of them)",
            path.display(),
            questions.rows(),
            questions.about,
            bytes.len() as f64 / 1e6,
            100.0 * most as f64 / answers.len().max(1) as f64,
        );
        entries.push(QuestionsEntry {
            about: questions.about,
            file: path.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        });
    }
    Ok(entries)
}

/// The teacher's network from its committed weights (`weights.safetensors`, F16 on disk), every
/// tensor of the file applied and none missing.
pub fn teacher_network(web: &Path, id: &str, architecture: &Architecture, device: &Device) -> anyhow::Result<Network> {
    let path = assets::teacher_dir(web, id).join("weights.safetensors");
    let mut network = Network::seeded(architecture, 0.0, 0, device);
    let mut store = SafetensorsStore::from_file(&path).with_from_adapter(HalfPrecisionAdapter::new());
    let applied = network.load_from(&mut store).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if !(applied.missing.is_empty() && applied.unused.is_empty() && applied.errors.is_empty()) {
        anyhow::bail!(
            "{}: not the weights of a {architecture}: missing {:?}, unused {:?}, errors {:?}",
            path.display(),
            applied.missing,
            applied.unused,
            applied.errors
        );
    }
    Ok(network)
}
