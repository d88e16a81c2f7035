//! `web/packs/catalog.json`: the list of playground packs the page offers, with what the page
//! shows before downloading one (teacher, accuracy, size) and the SHA-256 it checks after.

use crate::assets::plain_name;
use distill_spec::CLASSES;
use serde::{Deserialize, Serialize};

/// Why the page cannot use a catalog (the messages follow the file's name): it could not be
/// fetched, it is not one, or an entry is unsafe.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatalogError {
    /// The host answered with an error status.
    #[error("HTTP {0}")]
    Http(u16),
    #[error("the request failed")]
    Request,
    #[error("it is not a valid catalog: {0}")]
    Invalid(String),
    #[error("it lists no packs: run `cargo run -p distill-cli -- pack`")]
    NoPacks,
    #[error("pack `{teacher}` {why}")]
    Pack { teacher: String, why: EntryError },
    #[error("words pack `{teacher}` {why}")]
    WordsPack { teacher: String, why: EntryError },
    #[error("reasoning pack `{teacher}` {why}")]
    ReasoningPack { teacher: String, why: EntryError },
}

/// What is wrong with one entry of the catalog.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EntryError {
    #[error("names {0} classes, not {CLASSES}")]
    Classes(usize),
    #[error("has {train} training and {test} test rows: both must be at least 1")]
    NoRows { train: usize, test: usize },
    #[error("names the teacher `{0}`: a plain file name is expected")]
    TeacherName(String),
    #[error("gives `{file}` {bytes} bytes: a file in packs/ is 1 to {MAX_PACK_BYTES} bytes")]
    Size { file: String, bytes: u64 },
    #[error("names the file `{0}`: a plain file name in packs/ is expected")]
    FileName(String),
    #[error("gives `{file}` the SHA-256 `{sha256}`: 64 hexadecimal digits are expected")]
    Digest { file: String, sha256: String },
    #[error("gives `{file}` parts of {parts} bytes in all, and the file {bytes}")]
    Parts { file: String, parts: u64, bytes: u64 },
}

/// Largest pack the page downloads: the catalog comes from the host, but a wrong `bytes` must
/// not make the worker reserve gigabytes (wasm32 has 4 GiB in all).
pub const MAX_PACK_BYTES: u64 = 64 << 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackEntry {
    /// Teacher id, e.g. `mnist-mlp`; the pack file is `<teacher>.safetensors`.
    pub teacher: String,
    pub dataset: String,
    pub dataset_title: String,
    pub class_names: Vec<String>,
    /// The teacher's architecture string (`mlp:1200-1200`, `cnn:32-64-256`).
    pub architecture: String,
    pub parameters: u64,
    /// On the full 10,000-image test split.
    pub test_accuracy: f64,
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub train_rows: usize,
    pub test_rows: usize,
    /// The teacher's answers about images not its own ([`crate::questions`]), each set fetched
    /// only when a run asks about it; none in a catalog made before they existed.
    #[serde(default)]
    pub questions: Vec<QuestionsEntry>,
    /// The file's parts, in order ([`crate::pack::part_ranges`]): the page checks each against its
    /// SHA-256 as it arrives and hands it to the workers, which train on the first rows while the
    /// rest come. None in a catalog made before them: the file is one part.
    #[serde(default)]
    pub parts: Vec<PartEntry>,
}

/// One part of a pack file: its size and SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartEntry {
    pub bytes: u64,
    pub sha256: String,
}

/// A `<teacher>.ask-<about>.safetensors` file: as many images as the pack's training split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionsEntry {
    /// A dataset id (e.g. `fashion` for an MNIST teacher) or `strokes`.
    pub about: String,
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

impl PackEntry {
    fn check(&self) -> Result<(), EntryError> {
        if self.class_names.len() != CLASSES {
            return Err(EntryError::Classes(self.class_names.len()));
        }
        if self.train_rows == 0 || self.test_rows == 0 {
            return Err(EntryError::NoRows { train: self.train_rows, test: self.test_rows });
        }
        if !plain_name(&self.teacher) {
            return Err(EntryError::TeacherName(self.teacher.clone()));
        }
        check_download(&self.file, self.bytes, &self.sha256)?;
        for part in &self.parts {
            check_download(&self.file, part.bytes, &part.sha256)?;
        }
        let parts = self.parts.iter().map(|p| p.bytes).sum::<u64>();
        if !self.parts.is_empty() && parts != self.bytes {
            return Err(EntryError::Parts { file: self.file.clone(), parts, bytes: self.bytes });
        }
        for questions in &self.questions {
            check_download(&questions.file, questions.bytes, &questions.sha256)?;
        }
        Ok(())
    }
}

/// Where the page and the workers fetch a file of `packs/`: with its SHA-256 (the first 16 digits)
/// in the URL, so that a pack that changes is a new URL to every cache on the way.
pub fn download_url(file: &str, sha256: &str) -> String {
    format!("packs/{file}?v={}", sha256.get(..16).unwrap_or(sha256))
}

/// A file the worker downloads from `packs/`: a plain name, a size it can hold, and a SHA-256 to
/// check it against (and to name its URL by).
fn check_download(file: &str, bytes: u64, sha256: &str) -> Result<(), EntryError> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(EntryError::Digest { file: file.to_string(), sha256: sha256.to_string() });
    }
    if bytes == 0 || bytes > MAX_PACK_BYTES {
        return Err(EntryError::Size { file: file.to_string(), bytes });
    }
    if !plain_name(file) {
        return Err(EntryError::FileName(file.to_string()));
    }
    Ok(())
}

/// A words pack (`distill_data::words_pack`) of the language-model task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordsEntry {
    /// `words-en`; the pack file is `<teacher>.safetensors`.
    pub teacher: String,
    pub language: String,
    pub architecture: String,
    pub parameters: u64,
    /// On every test word of its list.
    pub test_bits_per_char: f64,
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub train_words: usize,
    pub test_words: usize,
}

/// A reasoning pack (`distill_data::reasoning_pack`) of the reasoning task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasoningEntry {
    /// `parity`; the pack file is `<teacher>.safetensors`.
    pub teacher: String,
    pub architecture: String,
    pub parameters: u64,
    /// Its answers right when it writes greedily, on the test problems of the sizes it was taught.
    pub test_accuracy: f64,
    /// Problems it was asked (the most a budget may ask).
    pub problems: usize,
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Catalog {
    pub packs: Vec<PackEntry>,
    /// The language-model task's packs; none in a catalog made before they existed.
    #[serde(default)]
    pub words: Vec<WordsEntry>,
    /// The reasoning task's packs; none in a catalog made before they existed.
    #[serde(default)]
    pub reasoning: Vec<ReasoningEntry>,
}

impl Catalog {
    /// Reads the catalog and refuses one the page could not use safely, naming the pack and why.
    pub fn parse(json: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog = serde_json::from_str(json).map_err(|e| CatalogError::Invalid(e.to_string()))?;
        catalog.checked()
    }

    /// A catalog read some other way (the page uses the browser's `JSON.parse`, so its wasm holds
    /// no JSON library), held to the same checks as [`Catalog::parse`].
    pub fn checked(self) -> Result<Catalog, CatalogError> {
        let catalog = self;
        if catalog.packs.is_empty() {
            return Err(CatalogError::NoPacks);
        }
        for entry in &catalog.packs {
            entry.check().map_err(|why| CatalogError::Pack { teacher: entry.teacher.clone(), why })?;
        }
        // A task's pack beyond the images': a plain name and a download the page can make.
        let download = |teacher: &str, file: &str, bytes: u64, sha256: &str| {
            let named = plain_name(teacher).then_some(()).ok_or(EntryError::TeacherName(teacher.to_string()));
            named.and_then(|()| check_download(file, bytes, sha256))
        };
        for e in &catalog.words {
            download(&e.teacher, &e.file, e.bytes, &e.sha256)
                .map_err(|why| CatalogError::WordsPack { teacher: e.teacher.clone(), why })?;
        }
        for e in &catalog.reasoning {
            download(&e.teacher, &e.file, e.bytes, &e.sha256)
                .map_err(|why| CatalogError::ReasoningPack { teacher: e.teacher.clone(), why })?;
        }
        Ok(catalog)
    }

    pub fn get(&self, teacher: &str) -> Option<&PackEntry> {
        self.packs.iter().find(|p| p.teacher == teacher)
    }

    /// The words pack of `teacher` (`words-en`), if the catalog has one.
    pub fn words_pack(&self, teacher: &str) -> Option<&WordsEntry> {
        self.words.iter().find(|p| p.teacher == teacher)
    }

    /// The reasoning pack of `teacher` (`parity`), if the catalog has one.
    pub fn reasoning_pack(&self, teacher: &str) -> Option<&ReasoningEntry> {
        self.reasoning.iter().find(|p| p.teacher == teacher)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_is_fetched_by_a_url_that_changes_with_its_content() {
        let digest = "0123456789abcdef".repeat(4);
        assert_eq!(download_url("t.safetensors", &digest), "packs/t.safetensors?v=0123456789abcdef");
        assert_ne!(download_url("t.safetensors", &digest), download_url("t.safetensors", &"1".repeat(64)));
    }

    #[test]
    fn empty_or_malformed_catalogs_are_refused_with_advice() {
        assert!(Catalog::parse("{\"packs\": []}").unwrap_err().to_string().contains("distill-cli -- pack"));
        let invalid = Catalog::parse("{\"packs\": [{\"teacher\": 3}]}").unwrap_err().to_string();
        assert!(invalid.contains("not a valid catalog"), "{invalid}");
    }

    #[test]
    fn a_catalog_the_page_cannot_use_safely_is_refused_naming_the_pack() {
        let entry = || PackEntry {
            teacher: "mnist-mlp".into(),
            dataset: "mnist".into(),
            dataset_title: "MNIST".into(),
            class_names: (0..10).map(|c| c.to_string()).collect(),
            architecture: "mlp:1200-1200".into(),
            parameters: 1,
            test_accuracy: 0.99,
            file: "mnist-mlp.safetensors".into(),
            bytes: 4_830_768,
            sha256: "ab".repeat(32),
            train_rows: 5000,
            test_rows: 1000,
            questions: vec![QuestionsEntry {
                about: "strokes".into(),
                file: "mnist-mlp.ask-strokes.safetensors".into(),
                bytes: 100_000,
                sha256: "ab".repeat(32),
            }],
            parts: [1_000_000, 3_830_768].map(|bytes| PartEntry { bytes, sha256: "cd".repeat(32) }).to_vec(),
        };
        let part = |bytes, sha256: &str| {
            let mut parts = entry().parts;
            parts[1] = PartEntry { bytes, sha256: sha256.into() };
            parts
        };
        let questions =
            |file: &str, bytes| vec![QuestionsEntry { file: file.into(), bytes, ..entry().questions[0].clone() }];
        let parse = |entry: PackEntry| {
            Catalog::parse(&serde_json::to_string(&Catalog { packs: vec![entry], ..Catalog::default() }).unwrap())
        };
        assert!(parse(entry()).is_ok());
        assert!(parse(PackEntry { questions: Vec::new(), ..entry() }).is_ok(), "questions are optional");
        assert!(parse(PackEntry { parts: Vec::new(), ..entry() }).is_ok(), "and parts: the file is one");
        let refused = [
            (PackEntry { class_names: vec!["a".into(); 9], ..entry() }, "names 9 classes, not 10"),
            (PackEntry { class_names: vec!["a".into(); 11], ..entry() }, "names 11 classes"),
            (PackEntry { test_rows: 0, ..entry() }, "0 test rows"),
            (PackEntry { bytes: 1 << 40, ..entry() }, "gives `mnist-mlp.safetensors` 1099511627776 bytes: a file in"),
            (PackEntry { file: "../secret".into(), ..entry() }, "plain file name"),
            (PackEntry { questions: questions("q", 1 << 40), ..entry() }, "gives `q` 1099511627776 bytes"),
            (PackEntry { questions: questions("/etc/passwd", 10), ..entry() }, "names the file `/etc/passwd`"),
            (PackEntry { sha256: "ab".into(), ..entry() }, "the SHA-256 `ab`: 64 hexadecimal digits"),
            (PackEntry { sha256: "zz".repeat(32), ..entry() }, "64 hexadecimal digits are expected"),
            (PackEntry { parts: part(3_830_767, &"cd".repeat(32)), ..entry() }, "parts of 4830767 bytes in all"),
            (PackEntry { parts: part(3_830_768, "cd"), ..entry() }, "the SHA-256 `cd`"),
            (PackEntry { parts: part(1 << 40, &"cd".repeat(32)), ..entry() }, "1099511627776 bytes"),
        ];
        for (bad, why) in refused {
            let error = parse(bad).unwrap_err().to_string();
            assert!(error.contains("pack `mnist-mlp`") && error.contains(why), "{error}");
        }
        let error = parse(PackEntry { teacher: "../t".into(), ..entry() }).unwrap_err().to_string();
        assert!(error.contains("names the teacher `../t`"), "{error}");
    }
}
