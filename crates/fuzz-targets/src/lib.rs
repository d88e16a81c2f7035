//! The fuzz targets' bodies: one function per parser that takes untrusted input, calling it and
//! checking what must hold whatever the input: it returns (never panics), and what it accepts
//! reads back the same after being written out. Each says whether the input was accepted. `fuzz/` (cargo fuzz, on stable with `-s none`)
//! runs them on generated inputs; `tests/corpus.rs` replays the committed corpus in `cargo test`.
//! Kept apart from the burn crates, so a fuzz build takes a minute, not twenty.

use distill_data::catalog::Catalog;
use distill_data::pack::Pack;
use distill_data::problems::{check, Problem, MAX_BITS};
use distill_data::questions::Questions;
use distill_data::reasoning_pack::ReasoningPack;
use distill_data::weights::{self, Parameter};
use distill_data::words_pack::{positions, WordWeights, WordsPack};
use distill_data::{idx, Dataset, TeacherCache};
use distill_playground::i18n::Lang;
use distill_playground::page::{Effect, Page};
use distill_playground::protocol::{decode, encode, Command, Event};
use distill_playground::sweep::{Axis, Sweep, MAX_POINTS};
use distill_playground::url::Link;
use distill_spec::{Architecture, Mode};

/// A target: whether the input was accepted; it panics where something that must hold did not.
pub type Target = fn(&[u8]) -> bool;

/// Every target, by the name of its folder under `fuzz/corpus/` and its binary in `fuzz/`.
pub const TARGETS: [(&str, Target); 16] = [
    ("idx", idx),
    ("dataset", dataset),
    ("teacher", teacher),
    ("pack", pack),
    ("questions", questions),
    ("catalog", catalog),
    ("weights", weights),
    ("url", url),
    ("architecture", architecture),
    ("mode", mode),
    ("words", words),
    ("messages", messages),
    ("sweep", sweep),
    ("page", page),
    ("problem", problem),
    ("reasoning", reasoning),
];

/// IDX images and labels, gzipped or not: what is accepted has exactly the bytes its header says.
pub fn idx(data: &[u8]) -> bool {
    let Ok(bytes) = idx::maybe_gunzip("fuzz", data.to_vec()) else { return false };
    let images = idx::parse_images("fuzz", &bytes).inspect(|(count, pixels)| {
        assert_eq!(pixels.len(), count * distill_data::PIXELS);
    });
    let labels = idx::parse_labels("fuzz", &bytes).inspect(|labels| {
        assert!(labels.iter().all(|&l| (l as usize) < distill_data::CLASSES));
    });
    images.is_ok() || labels.is_ok()
}

/// A dataset file (`web/data/<id>/<split>.safetensors`).
pub fn dataset(data: &[u8]) -> bool {
    let Ok(read) = Dataset::from_safetensors("fuzz", data) else { return false };
    assert_eq!(Dataset::from_safetensors("again", &read.to_safetensors()).unwrap(), read);
    true
}

/// A teacher's cached logits (`web/teachers/<id>/logits.safetensors`), and the same format from a
/// visitor's own model ("Your own teacher"), cut to a pack's rows.
pub fn teacher(data: &[u8]) -> bool {
    let Ok(read) = TeacherCache::from_safetensors("fuzz", data) else { return false };
    assert!(read.train_logits.iter().chain(&read.test_logits).all(|v| v.is_finite()));
    assert_eq!(TeacherCache::from_safetensors("again", &read.to_safetensors()).unwrap(), read);
    let rows = (read.train_len().min(2), read.test_len().min(1));
    let cut = TeacherCache::for_pack("fuzz", data, rows).expect("a file that reads is cut to its first rows");
    assert_eq!((cut.train_len(), cut.test_len()), rows);
    assert!(TeacherCache::for_pack("fuzz", data, (read.train_len() + 1, 0)).is_err(), "too few rows are refused");
    true
}

/// A playground pack (`web/packs/<teacher>.safetensors`), what the worker downloads.
pub fn pack(data: &[u8]) -> bool {
    let Ok(read) = Pack::from_safetensors("fuzz", data) else { return false };
    assert!(read.teacher.train_logits.iter().chain(&read.teacher.test_logits).all(|v| v.is_finite()));
    assert_eq!(Pack::from_safetensors("again", &read.to_safetensors()).unwrap(), read);
    true
}

/// The teacher's answers about other images (`web/packs/<teacher>.ask-<about>.safetensors`),
/// downloaded when a run asks about them.
pub fn questions(data: &[u8]) -> bool {
    let Ok(read) = Questions::from_safetensors("fuzz", data) else { return false };
    assert!(read.logits.iter().all(|v| v.is_finite()) && read.logits.len() == read.rows() * distill_data::CLASSES);
    assert_eq!(Questions::from_safetensors("again", &read.to_safetensors()).unwrap(), read);
    true
}

/// `packs/catalog.json`, from the host.
pub fn catalog(data: &[u8]) -> bool {
    let Ok(read) = Catalog::parse(&String::from_utf8_lossy(data)) else { return false };
    assert_eq!(Catalog::parse(&serde_json::to_string(&read).unwrap()).unwrap(), read);
    true
}

/// The parameters of an `mlp:2` student, as `distill_core` names them (a core test checks).
pub const WEIGHTS_ARCHITECTURE: &str = "mlp:2";

pub fn weights_parameters() -> Vec<Parameter> {
    let parameter = |name: &str, shape: &[usize]| Parameter { name: name.into(), shape: shape.to_vec() };
    vec![
        parameter("Mlp.hidden.0.weight", &[784, 2]),
        parameter("Mlp.hidden.0.bias", &[2]),
        parameter("Mlp.output.weight", &[2, 10]),
        parameter("Mlp.output.bias", &[10]),
    ]
}

/// A weights file picked by a visitor for an `mlp:2` student: what is accepted is finite and
/// has every parameter's shape.
pub fn weights(data: &[u8]) -> bool {
    let architecture: Architecture = WEIGHTS_ARCHITECTURE.parse().unwrap();
    let parameters = weights_parameters();
    let Ok(values) = weights::read(data, &architecture, &parameters) else { return false };
    for Parameter { name, shape } in &parameters {
        let read = &values[name];
        assert_eq!(read.len(), shape.iter().product::<usize>());
        assert!(read.iter().all(|v| v.is_finite()));
    }
    true
}

/// A link's query string, from anyone: the link it gives writes a query that reads back as the
/// same link, with nothing to say about it. Accepted: read without a notice.
pub fn url(data: &[u8]) -> bool {
    let (link, notices) = Link::from_query(&String::from_utf8_lossy(data));
    let written = link.to_query();
    let (again, again_notices) = Link::from_query(&written);
    assert_eq!(again, link, "{written}");
    assert!(again_notices.is_empty(), "{written}: {again_notices:?}");
    notices.is_empty()
}

/// A student's architecture (`mlp:800-800`, `cnn:8-16-32`): accepted ones print and read back,
/// and their size and cost are computed without overflow.
pub fn architecture(data: &[u8]) -> bool {
    let Ok(read) = String::from_utf8_lossy(data).parse::<Architecture>() else { return false };
    assert_eq!(read.to_string().parse::<Architecture>().unwrap(), read);
    let _ = (read.parameters(), read.activations_per_image(), read.forward_flops_per_image());
    true
}

/// What the student sees of the teacher (`soft`, `top3`, ...).
pub fn mode(data: &[u8]) -> bool {
    let Ok(read) = String::from_utf8_lossy(data).parse::<Mode>() else { return false };
    assert_eq!(read.to_string().parse::<Mode>().unwrap(), read);
    true
}

/// A problem as a visitor types it (its first line) and a solution a model wrote for it (the bytes
/// after, as tokens): what is read back prints the same, and the checking rule reads any tokens.
pub fn problem(data: &[u8]) -> bool {
    let at = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let Ok(read) = Problem::parse(&String::from_utf8_lossy(&data[..at])) else { return false };
    assert_eq!(Problem::parse(&read.to_string()).unwrap(), read);
    assert!(read.size() <= MAX_BITS && read.trace().last() == Some(&read.answer()));
    let written = data.get(at + 1..).unwrap_or_default();
    let verdict = check(&read, written);
    assert!(!verdict.answer_right || verdict.answer == Some(read.answer()));
    assert!(check(&read, &read.solution(true)).trace_right && check(&read, &read.solution(false)).answer_right);
    true
}

/// A reasoning pack (`web/packs/parity.safetensors`): what is accepted holds problems, solutions
/// a teacher can write, answers marked as the checking rule reads them, and reads back the same.
pub fn reasoning(data: &[u8]) -> bool {
    let Ok(read) = ReasoningPack::from_safetensors("fuzz", data) else { return false };
    for a in &read.asked {
        assert!(a.solution.len() <= a.problem.size() + 4 && a.top_tokens.len() == a.k() * a.solution.len());
    }
    assert_eq!(ReasoningPack::from_safetensors("again", &read.to_safetensors()).unwrap(), read);
    true
}

/// A words pack (`web/packs/words-<language>.safetensors`) or a words teacher's weights file:
/// what is accepted holds only tokens of its alphabet, one top-k row per train position, and reads
/// back the same after being written out.
pub fn words(data: &[u8]) -> bool {
    let weights = WordWeights::from_safetensors("fuzz", data).inspect(|read| {
        let again = WordWeights::from_safetensors("again", &read.to_safetensors(Default::default())).unwrap();
        assert_eq!(again.shape, read.shape);
        assert_eq!(read.tensors.len(), read.shape.parameters().len());
    });
    let pack = WordsPack::from_safetensors("fuzz", data).inspect(|read| {
        let vocabulary = read.source().vocabulary();
        assert_eq!(read.teacher.shape.vocabulary, vocabulary);
        assert_eq!(read.top_tokens.len(), positions(&read.train) * read.top_k);
        assert!(read
            .train
            .iter()
            .chain(&read.test)
            .chain(&read.samples)
            .flatten()
            .all(|&t| t > 0 && (t as usize) < vocabulary));
        let again = WordsPack::from_safetensors("again", &read.to_safetensors()).unwrap();
        assert_eq!(
            (&again.train, &again.test, &again.samples, &again.top_tokens),
            (&read.train, &read.test, &read.samples, &read.top_tokens)
        );
    });
    weights.is_ok() || pack.is_ok()
}

/// A message between the page and a worker, as either reads it from the other (a worker of another
/// build, a bug): what decodes is written back to a message that decodes the same.
pub fn messages(data: &[u8]) -> bool {
    fn same<T: serde::Serialize + for<'a> serde::Deserialize<'a> + std::fmt::Debug>(data: &[u8]) -> bool {
        let Ok(read) = decode::<T>(data) else { return false };
        let again = decode::<T>(&encode(&read).unwrap()).unwrap();
        assert_eq!(format!("{again:?}"), format!("{read:?}"), "Debug text: a NaN is unequal to itself");
        true
    }
    let command = same::<Command>(data);
    same::<Event>(data) || command
}

/// A sweep from a link (`sweep=`, `by=`) over its settings, against a pack of some size. The input:
/// the link's query, the varied axis and the `by` axis, a line each. Every point it gives is a run
/// the page and the CLI can start: within the point limit, its budget held to the pack, its
/// settings valid and written to a link that reads back the same without a notice.
pub fn sweep(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let (base, _) = Link::from_query(lines.next().unwrap_or_default());
    let Some(Ok(vary)) = lines.next().map(Axis::parse) else { return false };
    let by = match lines.next().map(Axis::parse) {
        Some(Ok(by)) => Some(by),
        Some(Err(_)) => return false,
        None => None,
    };
    let train_rows = 1 + data.len() * 97 % 6000;
    let Ok(points) = (Sweep { vary, by }).points(&base.settings, train_rows) else { return false };
    assert!(!points.is_empty() && points.len() <= MAX_POINTS);
    for point in &points {
        assert!(point.settings.budget() <= train_rows, "{point:?}");
        assert!(point.settings.train_config().is_ok());
        let written = Link { settings: point.settings.clone(), ..Link::default() }.to_query();
        let (again, notices) = Link::from_query(&written);
        assert_eq!((again.settings, notices), (point.settings.clone(), Vec::new()), "{written}");
    }
    true
}

/// The page with a catalog from the host, opened by any link (the input: the query, a line, then
/// the catalog's JSON): what the workers are told to load is a pack of that catalog for the page's
/// task, and every task's teacher menu is drawn from it.
pub fn page(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let (query, json) = text.split_once('\n').unwrap_or(("", &text));
    let Ok(catalog) = Catalog::parse(json) else { return false };
    let mut page = Page::new(query, Lang::En);
    page.set_cores(1);
    page.start();
    page.set_catalog(catalog.clone());
    let task = page.settings().task();
    for effect in page.apply(0, Event::ready()) {
        match effect {
            Effect::Post { command: Command::Load(entry), .. } => assert!(catalog.packs.contains(&entry)),
            Effect::Post { command: Command::LoadWords(entry), .. } => assert!(catalog.words.contains(&entry)),
            Effect::Post { command: Command::LoadReasoning(entry), .. } => assert!(catalog.reasoning.contains(&entry)),
            _ => {}
        }
    }
    match page.teacher_pack() {
        Some(pack) => assert!(pack.url.starts_with("packs/") && pack.bytes > 0),
        None => assert!(page.problem().is_some(), "a page with no pack for {task} says so"),
    }
    for lang in [Lang::En, Lang::Es] {
        for other in distill_playground::settings::Task::ALL {
            let _ = (other.spec().teachers)(&catalog, &page.settings().teacher, lang);
        }
    }
    true
}
