//! Messages between the page and the training worker, and the reports they carry.
//! On the wire ([`encode`], [`decode`]) a message is postcard bytes posted as a `Uint8Array`:
//! a compact binary form keeps the page's and the workers' wasm smaller than building a JS
//! object field by field (serde-wasm-bindgen made the page 9 KB larger, brotli), and byte vectors
//! (`serde_bytes`: a 300 kB weights file, a drawing) travel as they are.

use crate::dark_knowledge::Curated;
use crate::i18n::{fill, Lang, Msg};
use crate::results::{ResultRow, RowScores};
use crate::settings::{AskAbout, Settings, Task};
use crate::sweep::SweepPoint;
use distill_data::catalog::{PackEntry, PartEntry, QuestionsEntry, ReasoningEntry, WordsEntry};
use distill_data::checksum;
use distill_data::questions::STROKES;
use distill_spec::{GreenTest, MarkTest, PIXELS};
use serde::{Deserialize, Serialize};

/// How one student is doing: its losses averaged over the steps since the previous report, and
/// its scores on the test split now (an image's class, a position's next letter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentReport {
    pub soft_loss: f32,
    pub hard_loss: f32,
    pub total_loss: f32,
    /// Mean batch accuracy on the true labels since the previous report.
    pub train_accuracy: f32,
    /// Share of the test split where the student's most likely answer is the true one.
    pub test_accuracy: f64,
    /// Share of the test split where the student's most likely answer is the teacher's.
    pub agreement: f64,
    /// What only its task measures.
    pub task: TaskScores,
}

/// The scores of one task's student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TaskScores {
    Images {
        per_class_accuracy: Vec<f64>,
        /// `confusion[true][predicted]`.
        confusion: Vec<Vec<u32>>,
        /// The watermark test, when the API marks its answers.
        mark: Option<MarkTest>,
    },
    Words {
        /// Mean −log₂ p(true next letter) on the pack's test words (lower is better).
        bits_per_char: f64,
        /// Words the student invents now (sampled at T = 1).
        invented: Vec<String>,
        /// The watermark test, when the teacher marks the words it writes.
        green: Option<GreenScores>,
    },
    Reasoning {
        /// Answers right when it writes its own solutions greedily, by problem size, smallest
        /// first, one size longer than any taught included.
        by_size: Vec<SizeScore>,
        /// Share of the test problems of the sizes taught whose every step is right.
        traces_right: f64,
    },
}

/// The words a student's watermark test is also given after, before all of its words: how the
/// evidence grows with the text.
pub const EARLIER_WORDS: [usize; 3] = [50, 100, 200];

/// The words watermark's tests at a report: of words the student wrote now, and of the teacher's
/// watermarked words it was taught; what the mark costs the teacher.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GreenScores {
    /// Words the student wrote for its test.
    pub words: usize,
    pub student: GreenTest,
    /// The test of its first [`EARLIER_WORDS`] words only.
    pub earlier: [GreenTest; 3],
    pub teacher: GreenTest,
    /// The teacher's bits per letter on the test words, as it is and with the watermark.
    pub plain_bits: f64,
    pub marked_bits: f64,
}

/// A model's share of right answers on the test problems of one size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SizeScore {
    pub bits: usize,
    pub right: f64,
}

impl TaskScores {
    /// What a result row records of them.
    pub fn for_row(&self) -> RowScores {
        match self {
            TaskScores::Images { .. } => RowScores::Images,
            TaskScores::Words { bits_per_char, .. } => RowScores::Words { bits_per_char: *bits_per_char },
            TaskScores::Reasoning { .. } => RowScores::Reasoning,
        }
    }

    /// A word student's bits per character.
    pub fn bits_per_char(&self) -> Option<f64> {
        match self {
            TaskScores::Words { bits_per_char, .. } => Some(*bits_per_char),
            TaskScores::Images { .. } | TaskScores::Reasoning { .. } => None,
        }
    }

    /// The watermark test's statistic and p-value, when something was marked.
    pub fn watermark(&self) -> Option<(f64, f64)> {
        match self {
            TaskScores::Images { mark: Some(test), .. } => Some((test.z(), test.p_value())),
            TaskScores::Words { green: Some(scores), .. } => Some((scores.student.z(), scores.student.p_value())),
            _ => None,
        }
    }
}

impl StudentReport {
    pub fn task(&self) -> Task {
        match self.task {
            TaskScores::Images { .. } => Task::Images,
            TaskScores::Words { .. } => Task::Words,
            TaskScores::Reasoning { .. } => Task::Reasoning,
        }
    }

    /// An image student's confusion matrix (`[true][predicted]`) and accuracy per class.
    pub fn confusion(&self) -> Option<(&[Vec<u32>], &[f64])> {
        match &self.task {
            TaskScores::Images { confusion, per_class_accuracy, .. } => Some((confusion, per_class_accuracy)),
            TaskScores::Words { .. } | TaskScores::Reasoning { .. } => None,
        }
    }

    /// A word student's bits per character.
    pub fn bits_per_char(&self) -> Option<f64> {
        self.task.bits_per_char()
    }

    /// The words a word student invents now.
    pub fn invented(&self) -> &[String] {
        match &self.task {
            TaskScores::Words { invented, .. } => invented,
            TaskScores::Images { .. } | TaskScores::Reasoning { .. } => &[],
        }
    }

    /// An image student's watermark test.
    pub fn mark_test(&self) -> Option<MarkTest> {
        match &self.task {
            TaskScores::Images { mark, .. } => *mark,
            TaskScores::Words { .. } | TaskScores::Reasoning { .. } => None,
        }
    }

    /// A word student's watermark test.
    pub fn green_test(&self) -> Option<GreenScores> {
        match &self.task {
            TaskScores::Words { green, .. } => *green,
            TaskScores::Images { .. } | TaskScores::Reasoning { .. } => None,
        }
    }

    /// A reasoning student's answers right by problem size.
    pub fn by_size(&self) -> &[SizeScore] {
        match &self.task {
            TaskScores::Reasoning { by_size, .. } => by_size,
            TaskScores::Images { .. } | TaskScores::Words { .. } => &[],
        }
    }
}

/// One of the two students of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Student {
    Distilled,
    Baseline,
}

/// Which students of a run a worker trains. On a machine with two cores the page starts one
/// worker per student ([`crate::crew`]); each student's results are the same either way, since
/// each has its own seed-driven initialisation, shuffling and optimiser.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Students {
    #[default]
    Both,
    Only(Student),
}

impl Student {
    /// Its curve and result-row name.
    pub fn series(self) -> &'static str {
        match self {
            Student::Distilled => "distilled",
            Student::Baseline => "labels only",
        }
    }
}

impl Students {
    pub fn includes(self, student: Student) -> bool {
        self == Students::Both || self == Students::Only(student)
    }
}

/// One value per student of a run (logits, probabilities). A worker that trains one student fills
/// that side only; the crew merges the workers' answers with [`PerStudent::merge`], the one rule
/// for every such value; a student not trained (yet) has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerStudent<T> {
    pub distilled: Option<T>,
    pub baseline: Option<T>,
}

impl<T> Default for PerStudent<T> {
    fn default() -> Self {
        PerStudent { distilled: None, baseline: None }
    }
}

impl<T> PerStudent<T> {
    pub fn get(&self, student: Student) -> Option<&T> {
        match student {
            Student::Distilled => self.distilled.as_ref(),
            Student::Baseline => self.baseline.as_ref(),
        }
    }

    pub fn set(&mut self, student: Student, value: T) {
        match student {
            Student::Distilled => self.distilled = Some(value),
            Student::Baseline => self.baseline = Some(value),
        }
    }

    /// Each student's value from this answer, else from `other` (another worker's).
    pub fn merge(self, other: PerStudent<T>) -> PerStudent<T> {
        PerStudent { distilled: self.distilled.or(other.distilled), baseline: self.baseline.or(other.baseline) }
    }
}

/// One student of a run scored by its worker: half of a [`Report`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub student: Student,
    pub step: usize,
    pub total_steps: usize,
    pub examples_seen: usize,
    /// This student's training examples per second since its previous report, evaluation included.
    pub examples_per_second: f64,
    /// Questions put to the teacher's API so far, and how many answers this student learns from
    /// (fewer past a refusing quota).
    pub queries: usize,
    pub answered: usize,
    /// The run asks in rounds and this report ends one (the last report ends the last round).
    pub round_done: bool,
    pub report: StudentReport,
}

/// Both students of a run, scored on the test split (the page pairs two [`Scored`] halves).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub step: usize,
    pub total_steps: usize,
    /// Training examples each student has processed so far.
    pub examples_seen: usize,
    pub distilled: StudentReport,
    pub baseline: StudentReport,
    /// Training examples per second of both students together since the previous report,
    /// evaluation included.
    pub examples_per_second: f64,
    /// The distilled student's [`Scored::queries`], [`Scored::answered`] and [`Scored::round_done`].
    pub queries: usize,
    pub answered: usize,
    pub round_done: bool,
}

impl Report {
    /// The two halves of a report; the step is the distilled student's (two workers paused
    /// apart can be a few steps apart until the next report step).
    pub fn pair(distilled: Scored, baseline: Scored) -> Report {
        Report {
            step: distilled.step,
            total_steps: distilled.total_steps,
            examples_seen: distilled.examples_seen,
            examples_per_second: distilled.examples_per_second + baseline.examples_per_second,
            queries: distilled.queries,
            answered: distilled.answered,
            round_done: distilled.round_done,
            distilled: distilled.report,
            baseline: baseline.report,
        }
    }
}

/// What went wrong in the worker. The details come from the libraries, which name the file or
/// the setting; the page words the rest in its language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum WorkerError {
    #[error("no pack is loaded")]
    NoPack,
    #[error("{0}")]
    Pack(String),
    /// A user's teacher-logits file that cannot be used.
    #[error("{0}")]
    Teacher(String),
    #[error("{0}")]
    Training(String),
    /// The WebGPU device went away (a driver reset, a GPU removed, `device.destroy()`).
    #[error("the GPU device was lost: {0}")]
    DeviceLost(String),
    #[error("the worker got a message it does not understand: {0}")]
    Protocol(String),
    #[error("there is no test image {0}")]
    NoTestImage(usize),
    #[error("a drawing has {PIXELS} pixels, not {0}")]
    Drawing(usize),
    /// A typed prefix with a character the words pack's alphabet lacks: (it, the alphabet).
    #[error("«{0}» is not one of the letters {1}")]
    Letter(String, String),
    /// A typed problem that is not one (the page checks it first: [`distill_data::problems`]).
    #[error("{0}")]
    Problem(String),
    /// A student's file of another task than the run's.
    #[error("{file} is a student of the {student_of} task, and this run is of the {run} task")]
    WrongTask { file: String, student_of: String, run: String },
}

impl WorkerError {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            WorkerError::NoPack => Msg::NoPackIsLoaded.text(lang).to_string(),
            WorkerError::Pack(detail) => fill(Msg::ThePackCannotBeUsed.text(lang), &[("detail", detail.clone())]),
            WorkerError::Teacher(detail) => {
                fill(Msg::TheTeacherFileCannotBeUsed.text(lang), &[("detail", detail.clone())])
            }
            WorkerError::Training(detail) => fill(Msg::TrainingFailed.text(lang), &[("detail", detail.clone())]),
            WorkerError::DeviceLost(detail) => fill(Msg::TheGpuDeviceWasLost.text(lang), &[("detail", detail.clone())]),
            WorkerError::Protocol(detail) => fill(Msg::WorkerMisunderstood.text(lang), &[("detail", detail.clone())]),
            WorkerError::NoTestImage(index) => fill(Msg::NoTestImage.text(lang), &[("index", index.to_string())]),
            WorkerError::Drawing(pixels) => {
                fill(Msg::DrawingPixels.text(lang), &[("pixels", pixels.to_string()), ("expected", PIXELS.to_string())])
            }
            WorkerError::Letter(letter, letters) => {
                fill(Msg::NotALetter.text(lang), &[("letter", letter.clone()), ("letters", letters.clone())])
            }
            WorkerError::Problem(detail) => detail.clone(),
            WorkerError::WrongTask { file, student_of, run } => fill(
                Msg::WrongTaskFile.text(lang),
                &[("file", file.clone()), ("student_of", student_of.clone()), ("run", run.clone())],
            ),
        }
    }
}

/// The version of the messages' wire form: a worker says it first ([`Event::Ready`]), and a page
/// that speaks another (an old page, a new worker from a host's cache after a deploy) stops with a
/// clear message instead of misreading it. It is the wire form's digest, so it cannot be left
/// behind: a test traces the messages' types and fails, naming the new number, when they change.
pub const PROTOCOL: u32 = 0x91d1_f2e8;

/// A message as the page and the workers post it.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, postcard::Error> {
    postcard::to_allocvec(message)
}

/// A message [`encode`] wrote; anything else (truncated, from another version) is an error.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, postcard::Error> {
    match postcard::take_from_bytes(bytes)? {
        (message, []) => Ok(message),
        _ => Err(postcard::Error::DeserializeBadEncoding),
    }
}

/// Page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Which students of a run this worker trains; sent once, before anything else.
    Assign(Students),
    /// Unpack this pack (the [`Command::File`] before it); replaces any previous one.
    Load(PackEntry),
    /// The same for the words task's pack (`task=words`).
    LoadWords(WordsEntry),
    /// The words task: the teacher's and the students' next-letter distributions after this prefix.
    NextLetters(String),
    /// The same for the reasoning task's pack (`task=reasoning`).
    LoadReasoning(ReasoningEntry),
    /// The reasoning task: the teacher's and the students' solutions to this problem (its bits).
    Solve(String),
    /// Build both students afresh from these settings (a reset); the pack must be loaded.
    Configure(Settings),
    Start,
    Pause,
    /// One step of each student, then a report.
    Step,
    /// Score the students as they are (after an import), without training.
    Score,
    /// The teacher's and both students' logits for one image.
    Inspect(Pick),
    /// Both students' logits for a drawn 28×28 image (ink 0–255).
    Predict(#[serde(with = "serde_bytes")] Vec<u8>),
    /// Train these students one after the other (stops a single run); each adds a result row
    /// tagged `name` (the page numbers its sweeps, so a new worker cannot reuse a name). Each
    /// point comes with its place among the sweep's `total` (a worker may get only some).
    Sweep {
        name: String,
        total: usize,
        points: Vec<(usize, SweepPoint)>,
    },
    StopSweep,
    /// The distilled student's weights, as a safetensors file.
    ExportWeights,
    /// Load a safetensors file into the distilled student.
    ImportWeights(#[serde(with = "serde_bytes")] Vec<u8>),
    /// Test a student's weights file (called `file`) for the run's watermark, as the owner tests
    /// a suspect: answered by the worker that holds the run's distilled student.
    TestSuspect {
        file: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// A user's own teacher's logits (a safetensors file called `file`) in place of the pack's
    /// teacher, until the next `Load`.
    ImportTeacher {
        file: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// Part `index` of the pack file `file`, which the page downloads once and checks part by part
    /// against the catalog's SHA-256s; the first came with the `Load` (as its [`Command::File`]).
    Part {
        file: String,
        index: usize,
        download: Downloaded,
    },
    /// Questions about other images (the [`Command::File`] before it) join the loaded pack: sent
    /// before a `Configure` or `Sweep` whose runs ask about them.
    AddQuestions(QuestionsEntry),
    /// A file the page downloaded once for all its workers and checked ([`checked_part`]),
    /// for the command after it that names it (a `Load…` or `AddQuestions`), or why there is none.
    /// Only the page's outbox sends it, never the reducer.
    File {
        name: String,
        download: Downloaded,
    },
}

/// What the page's download of a file (or of one of its parts) gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Downloaded {
    /// Its bytes, whose SHA-256 the page found to be the catalog's.
    Checked(#[serde(with = "serde_bytes")] Vec<u8>),
    /// Its bytes, unchecked: the page has no WebCrypto (served over plain HTTP, not from this
    /// machine), so the worker checks them ([`Downloaded::bytes`]).
    Unchecked(#[serde(with = "serde_bytes")] Vec<u8>),
    /// Why there are none.
    Failed(WorkerError),
}

impl Downloaded {
    /// The bytes of part `index` of `file`, checked against the catalog's SHA-256 here where the
    /// page could not (so each download is checked once, by the page or by the worker).
    pub fn bytes(self, file: &NeededFile, index: usize) -> Result<Vec<u8>, WorkerError> {
        match self {
            Downloaded::Checked(bytes) => Ok(bytes),
            Downloaded::Unchecked(bytes) => checked_part(file, index, &bytes).map(|()| bytes),
            Downloaded::Failed(error) => Err(error),
        }
    }
}

/// A file of the packs folder a command needs downloaded first: its name, SHA-256, size and
/// parts as the catalog gives them (none: the file is one part).
#[derive(Debug, Clone, PartialEq)]
pub struct NeededFile {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
    pub parts: Vec<PartEntry>,
}

impl NeededFile {
    /// An images pack's file, in its parts.
    pub fn pack(entry: &PackEntry) -> NeededFile {
        let (name, sha256) = (entry.file.clone(), entry.sha256.clone());
        NeededFile { name, sha256, bytes: entry.bytes, parts: entry.parts.clone() }
    }

    /// Each part's size and SHA-256, in order: the file's own when it has no parts.
    pub fn parts(&self) -> Vec<PartEntry> {
        match self.parts.is_empty() {
            true => vec![PartEntry { bytes: self.bytes, sha256: self.sha256.clone() }],
            false => self.parts.clone(),
        }
    }
}

impl Command {
    /// The file this command unpacks, which the page downloads and sends before it.
    pub fn needs_file(&self) -> Option<NeededFile> {
        let (name, sha256, bytes, parts) = match self {
            Command::Load(e) => return Some(NeededFile::pack(e)),
            Command::LoadWords(e) => (&e.file, &e.sha256, e.bytes, Vec::new()),
            Command::LoadReasoning(e) => (&e.file, &e.sha256, e.bytes, Vec::new()),
            Command::AddQuestions(e) => (&e.file, &e.sha256, e.bytes, Vec::new()),
            _ => return None,
        };
        Some(NeededFile { name: name.clone(), sha256: sha256.clone(), bytes, parts })
    }
}

/// The catalog's file of questions about what `ask` names, for runs of `pack`'s teacher.
pub fn questions_for(pack: &PackEntry, ask: AskAbout) -> Option<&QuestionsEntry> {
    pack.questions.iter().find(|q| match ask {
        AskAbout::Own => false,
        AskAbout::Other => q.about != STROKES && q.about != pack.dataset,
        AskAbout::Strokes => q.about == STROKES,
    })
}

/// Part `index` of a download of `packs/<file>` (0 for a file in one part) refused unless its
/// SHA-256 is the catalog's: what the page checks, once, before any worker gets the bytes. The
/// error names the file, and the part.
pub fn checked_part(file: &NeededFile, index: usize, bytes: &[u8]) -> Result<(), WorkerError> {
    match checksum::sha256_hex(bytes) {
        actual if Some(&actual) == file.parts().get(index).map(|p| &p.sha256) => Ok(()),
        actual => Err(part_mismatch(file, index, actual)),
    }
}

/// Why part `index` of `file`, whose SHA-256 is `actual`, is refused (the page checks with the
/// browser's SHA-256, and words it so).
pub fn part_mismatch(file: &NeededFile, index: usize, actual: String) -> WorkerError {
    let expected = file.parts().get(index).map(|p| p.sha256.clone()).unwrap_or_default();
    let mismatch = distill_data::DataError::Checksum { file: part_name(file, index), expected, actual };
    WorkerError::Pack(format!(
        "{mismatch}: the download is damaged or the pack was rebuilt without its catalog; reload, or run `cargo run -p \
         distill-cli -- pack`"
    ))
}

/// `packs/<file>`, or `packs/<file> (part 3 of 13)` for one of its parts.
pub fn part_name(file: &NeededFile, index: usize) -> String {
    match file.parts.len() {
        0 | 1 => format!("packs/{}", file.name),
        parts => format!("packs/{} (part {} of {parts})", file.name, index + 1),
    }
}

/// A user's own teacher, in place of the pack's: its file and its accuracy on the pack's test images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedTeacher {
    pub file: String,
    pub test_accuracy: f64,
}

/// A words pack's teacher, as the page shows it before any run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WordsTeacher {
    pub teacher: String,
    /// The alphabet, in token order (token 1 is the first letter; 0 is the end of a word).
    pub letters: String,
    /// Letters of context each model reads.
    pub context: usize,
    pub test_bits_per_char: f64,
    /// Share of the pack's test positions whose next letter is the teacher's most likely.
    pub test_accuracy: f64,
    /// A few of the words it wrote (the `text` mode's words).
    pub wrote: Vec<String>,
    pub train_words: usize,
}

impl WordsTeacher {
    /// Tokens a model predicts among: the letters and the end of a word.
    pub fn vocabulary(&self) -> usize {
        self.letters.chars().count() + 1
    }
}

/// A reasoning pack's teacher, as the page shows it before any run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReasoningTeacher {
    pub teacher: String,
    /// The smallest and largest problem sizes (bits) it was taught, and the pack asks about.
    pub taught: (usize, usize),
    /// Its answers right when it writes greedily on the test problems of the sizes taught (the
    /// figure the students' test accuracy is), and by size (one longer than taught included).
    pub accuracy: f64,
    pub by_size: Vec<SizeScore>,
    /// Problems in the pack (the most a budget asks), and how many of its sampled solutions to
    /// them have the right answer.
    pub asked: usize,
    pub right: usize,
    /// The temperature the pack's solutions were sampled at.
    pub temperature: f32,
}

/// What a model wrote after a problem's prompt.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// One symbol a token: `>`, the steps (the running parity), `=`, the answer, `.`.
    pub text: String,
    /// The probability the model gave each symbol it wrote.
    pub probabilities: Vec<f32>,
    pub answer_right: bool,
    pub trace_right: bool,
}

/// The teacher's and the students' solutions to a typed problem, each written greedily.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Solved {
    pub problem: String,
    pub teacher: Solution,
    pub students: PerStudent<Solution>,
}

/// Next-letter probabilities after a prefix, over the vocabulary (index 0: the word ends).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NextLetters {
    pub prefix: String,
    pub teacher: Vec<f32>,
    pub students: PerStudent<Vec<f32>>,
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The worker listens, and speaks this [`PROTOCOL`]; commands sent before this are lost.
    /// Always the first variant, with this one field: every version of the page reads it alike.
    Ready {
        protocol: u32,
    },
    /// The pack is in: its most ambiguous test images, for the dark-knowledge view.
    Loaded {
        curated: Vec<Curated>,
    },
    /// The pack's training examples in so far, `rows` of `of`, while its parts arrive (runs that
    /// can train on the first ones do, and wait for the others); `of` is 0 once it is whole.
    Arriving {
        rows: usize,
        of: usize,
    },
    /// A words pack is in: its teacher.
    WordsLoaded(WordsTeacher),
    NextLetters(NextLetters),
    /// A reasoning pack is in: its teacher.
    ReasoningLoaded(ReasoningTeacher),
    Solved(Solved),
    /// Where training runs: `name` is shown as is; `fallback` says why WebGPU was not used.
    Backend {
        name: String,
        fallback: Option<String>,
    },
    /// Fresh students are built: `transfer_examples` is what they really learn from (the budget,
    /// held to the pack, less a left-out class; in rounds, the first round's answers), after
    /// `queries` questions; `honest_accuracy` is the teacher's test accuracy as an honest user of
    /// its API sees it through the run's defence, `teacher_accuracy` the same without one.
    Configured {
        total_steps: usize,
        transfer_examples: usize,
        queries: usize,
        honest_accuracy: f64,
        teacher_accuracy: f64,
    },
    /// A student scored (at a report step, after one step, or when asked to score).
    Scored(Box<Scored>),
    Running(bool),
    Finished,
    Inspection(Inspection),
    /// The students' logits for a drawn image.
    Prediction(PerStudent<Vec<f32>>),
    /// The students' logits on the whole test split, sent when a run with an excluded class
    /// ends, so the page can shift that class's bias without asking again.
    TestLogits {
        #[serde(with = "serde_bytes")]
        labels: Vec<u8>,
        students: PerStudent<Vec<f32>>,
    },
    /// Sweep run `index` (of `total`) at `step` of `total_steps`.
    SweepProgress {
        index: usize,
        total: usize,
        step: usize,
        total_steps: usize,
    },
    /// A finished student: a row of the results table.
    Result(Box<ResultRow>),
    SweepDone,
    Weights(#[serde(with = "serde_bytes")] Vec<u8>),
    /// Whether weights were loaded into the distilled student, or why not; a refused file
    /// changes nothing.
    Imported(Result<(), WorkerError>),
    /// Whether a teacher's logits replaced the pack's teacher, or why not (nothing changes then).
    TeacherImported(Result<ImportedTeacher, WorkerError>),
    /// A suspect's watermark test, or why its file cannot be tested.
    SuspectTested(Result<Suspect, WorkerError>),
    Error(WorkerError),
}

/// A student's weights file tested for the run's watermark ([`Command::TestSuspect`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suspect {
    pub file: String,
    pub test: SuspectTest,
}

/// The test of each task's watermark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum SuspectTest {
    /// Asked about the marked images the run's copier was given.
    Images(MarkTest),
    /// The words it writes.
    Words(GreenScores),
}

impl Event {
    /// What a worker of this build says first.
    pub fn ready() -> Event {
        Event::Ready { protocol: PROTOCOL }
    }

    /// The task whose pack a load event announces.
    pub fn loaded_task(&self) -> Option<Task> {
        match self {
            Event::Loaded { .. } => Some(Task::Images),
            Event::WordsLoaded(_) => Some(Task::Words),
            Event::ReasoningLoaded(_) => Some(Task::Reasoning),
            _ => None,
        }
    }
}

/// An image the dark-knowledge panel shows: a test image, or one of those the run's copier can ask
/// about (its training images, or the other images it asks about instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pick {
    Test(usize),
    Asked(usize),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub pick: Pick,
    /// `None` for an image with no true label (one from elsewhere, which only the teacher labels).
    pub label: Option<u8>,
    #[serde(with = "serde_bytes")]
    pub pixels: Vec<u8>,
    pub teacher_logits: Vec<f32>,
    /// None until there are students.
    pub students: PerStudent<Vec<f32>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crew::tests::scored;
    use crate::url::Link;

    /// Messages are compared by their Debug text: a report's NaNs are unequal to themselves.
    fn round_trip<T: Serialize + for<'a> Deserialize<'a> + std::fmt::Debug>(message: T) {
        let bytes = encode(&message).unwrap();
        assert_eq!(format!("{:?}", decode::<T>(&bytes).unwrap()), format!("{message:?}"));
    }

    #[test]
    fn every_kind_of_message_arrives_as_it_was_sent() {
        let (link, notices) =
            Link::from_query("student=mlp:30-30&t=4&budget=1000&ask=other&queries=uncertainty&quota=300");
        assert!(notices.is_empty(), "{notices:?}");
        let settings = link.settings;
        let pack = crate::page::tests::catalog(5000).packs.remove(0);
        let point = SweepPoint { series: "all".into(), x: 4.0, x_label: "t=4".into(), settings: settings.clone() };
        for command in [
            Command::Assign(Students::Only(Student::Baseline)),
            Command::Load(pack.clone()),
            Command::File { name: pack.file.clone(), download: Downloaded::Checked(vec![1, 2, 3]) },
            Command::File {
                name: pack.file.clone(),
                download: Downloaded::Failed(WorkerError::Pack("HTTP 404".into())),
            },
            Command::Part { file: pack.file.clone(), index: 3, download: Downloaded::Unchecked(vec![4; 5]) },
            Command::AddQuestions(QuestionsEntry {
                about: "strokes".into(),
                file: "q".into(),
                bytes: 3,
                sha256: "ab".repeat(32),
            }),
            Command::NextLetters("ab".into()),
            Command::Configure(settings.clone()),
            Command::Predict((0..=255).collect()),
            Command::Sweep { name: "sweep 1".into(), total: 3, points: vec![(2, point)] },
            Command::ImportTeacher { file: "mine.safetensors".into(), bytes: vec![0, 1, 2] },
            Command::TestSuspect { file: "suspect.safetensors".into(), bytes: vec![3, 4] },
        ] {
            round_trip(command);
        }
        let row = ResultRow::new("run 1", "distilled", None, &settings);
        assert_eq!(row.task, RowScores::Images, "an image row has no bits per character");
        for event in [
            Event::Arriving { rows: 1500, of: 5000 },
            scored(Student::Distilled, 3),
            Event::Result(Box::new(row)),
            Event::Backend { name: "CPU".into(), fallback: Some("no adapter".into()) },
            Event::Imported(Err(WorkerError::Letter("ñ".into(), "abc".into()))),
            Event::TeacherImported(Ok(ImportedTeacher { file: "t.safetensors".into(), test_accuracy: 0.9 })),
            Event::SuspectTested(Ok(Suspect {
                file: "s.safetensors".into(),
                test: SuspectTest::Images(MarkTest { marked: 20, repeated: 19, null_rate: 0.05 }),
            })),
            Event::SuspectTested(Err(WorkerError::WrongTask {
                file: "s.safetensors".into(),
                student_of: "words".into(),
                run: "images".into(),
            })),
            Event::TestLogits {
                labels: vec![7; 10],
                students: PerStudent { distilled: Some(vec![f32::MIN, 0.5]), baseline: None },
            },
        ] {
            round_trip(event);
        }
    }

    /// The messages' wire form, traced from their types: every enum, struct and field, in order.
    fn wire_form() -> String {
        use serde_reflection::{Samples, Tracer, TracerConfig};
        // Types that check what they read (an architecture, a mode) are read from a real value.
        let mut tracer = Tracer::new(TracerConfig::default().record_samples_for_structs(true));
        let mut samples = Samples::new();
        // A run's settings with every optional part given (a questions strategy, a left-out class).
        let (link, _) = Link::from_query("queries=uncertainty&exclude=3");
        tracer.trace_value(&mut samples, &link.settings).unwrap();
        let defence = distill_spec::Defence {
            decimals: Some(2),
            noise: 0.1,
            quota: Some((10, distill_spec::BeyondQuota::Refuse)),
            mark: distill_spec::Mark { key: 36, rate: 0.01 },
            green: distill_spec::GreenList { key: 36, gamma: 0.25, delta: 2.0, share: 1.0 },
        };
        tracer.trace_value(&mut samples, &defence).unwrap();
        tracer.trace_type::<Command>(&samples).unwrap();
        tracer.trace_type::<Event>(&samples).unwrap();
        // Enums met inside a message: every variant of each.
        tracer.trace_type::<Pick>(&samples).unwrap();
        tracer.trace_type::<RowScores>(&samples).unwrap();
        tracer.trace_type::<Student>(&samples).unwrap();
        tracer.trace_type::<Students>(&samples).unwrap();
        tracer.trace_type::<TaskScores>(&samples).unwrap();
        tracer.trace_type::<SuspectTest>(&samples).unwrap();
        tracer.trace_type::<WorkerError>(&samples).unwrap();
        tracer.trace_type::<Downloaded>(&samples).unwrap();
        tracer.trace_type::<Result<(), WorkerError>>(&samples).unwrap();
        format!("{:?}", tracer.registry().unwrap())
    }

    #[test]
    fn the_wire_form_changes_only_with_the_protocol_number() {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(wire_form().as_bytes());
        let number = u32::from_be_bytes(digest[..4].try_into().unwrap());
        assert_eq!(PROTOCOL, number, "the messages' wire form changed: set PROTOCOL to {number:#010x}");
    }

    #[test]
    fn a_workers_first_message_reads_alike_in_every_version() {
        assert_eq!(encode(&Event::Ready { protocol: 7 }).unwrap(), [0, 7], "variant 0, then the number");
        let [variant, number @ ..] = &encode(&Event::ready()).unwrap()[..] else { unreachable!() };
        assert_eq!((*variant, postcard::from_bytes::<u32>(number).unwrap()), (0, PROTOCOL));
    }

    #[test]
    fn a_message_cut_short_or_with_more_after_it_is_refused() {
        let bytes = encode(&Command::NextLetters("abc".into())).unwrap();
        assert!(decode::<Command>(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode::<Command>(&[&bytes[..], &[0]].concat()).is_err());
        assert!(decode::<Command>(&[]).is_err());
        assert!(decode::<Command>(&[200, 1, 2]).is_err(), "no command has that number");
    }
}
