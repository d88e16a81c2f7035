//! The interface in English and Spanish. Every text the page shows is a [`Msg`], declared once
//! below with its English; the Spanish is `web/es.json`, one entry per message in the same order
//! (a test holds the two to each other: every message, no other, the same `{blanks}`). The page's
//! wasm carries only the English: it fetches the Spanish the first time the page speaks it
//! ([`install_spanish`]); native builds read the file in. Templates name their blanks (`{steps}`)
//! so word order can change. The language comes from `lang=` in the URL, else the browser's; a
//! switch in the header changes it.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    /// `es`, `es-MX`, `EN-gb`...; `None` for languages the page does not speak.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.split(['-', '_']).next()?.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }
}

/// Declares [`Msg`] and its English.
macro_rules! messages {
    ($($(#[$doc:meta])* $name:ident => $en:literal;)*) => {
        /// A text of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name),* }

        impl Msg {
            /// Every message, in the order of `web/es.json`.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            fn english(self) -> &'static str {
                match self {
                    $(Msg::$name => $en,)*
                }
            }
        }
    };
}

impl Msg {
    /// This message in `lang`; in English while the Spanish is not here (not fetched yet, or it
    /// did not load).
    pub fn text(self, lang: Lang) -> &'static str {
        match (lang, spanish()) {
            (Lang::Es, Some(texts)) => texts[self as usize],
            _ => self.english(),
        }
    }
}

/// The Spanish texts, once installed.
static SPANISH: OnceLock<Vec<&'static str>> = OnceLock::new();

/// `web/es.json` that does not fit this build's messages.
#[derive(Debug, Error, PartialEq)]
#[error("the Spanish texts hold {found} messages where this build has {expected}")]
pub struct SpanishMismatch {
    pub found: usize,
    pub expected: usize,
}

/// Installs the Spanish texts, `web/es.json`'s values in its order (one per [`Msg::ALL`]). Once
/// for the page's lifetime: a second call changes nothing.
pub fn install_spanish(texts: Vec<String>) -> Result<(), SpanishMismatch> {
    if texts.len() != Msg::ALL.len() {
        return Err(SpanishMismatch { found: texts.len(), expected: Msg::ALL.len() });
    }
    SPANISH.get_or_init(|| texts.into_iter().map(|t| &*t.leak()).collect());
    Ok(())
}

/// Whether [`Msg::text`] speaks Spanish now.
pub fn spanish_ready() -> bool {
    spanish().is_some()
}

#[cfg(target_arch = "wasm32")]
fn spanish() -> Option<&'static [&'static str]> {
    SPANISH.get().map(Vec::as_slice)
}

/// Natively (the CLI, the tests) the file is built in.
#[cfg(not(target_arch = "wasm32"))]
fn spanish() -> Option<&'static [&'static str]> {
    let texts = SPANISH.get_or_init(|| {
        let file: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(include_str!("../../../web/es.json")).expect("web/es.json is JSON");
        let text = |msg: &Msg| file.get(&format!("{msg:?}")).and_then(|t| t.as_str()).unwrap_or_default();
        Msg::ALL.iter().map(|msg| &*text(msg).to_string().leak()).collect()
    });
    Some(texts)
}

/// A template with its `{name}` blanks filled.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

messages! {
    // Page
    ABigTeacherNetworkWas => "A big teacher network was trained offline. Here, in your browser, a small student learns to imitate the teacher's full answers — not just the right label but how sure it is of every other one. Next to it, the same student learns from the labels alone. Press Start and watch which one wins.";
    EverythingRunsInThisPage => "Everything runs in this page: the data and the teacher's outputs come from this site, nothing else is contacted. Idea: Hinton, Vinyals & Dean, Distilling the Knowledge in a Neural Network (2015).";
    Language => "Language";
    SpanishDidNotLoad => "The Spanish texts did not load, so the page stays in English; reload it to try again.";
    // Status
    TrainingStatus => "Training status";
    Starting => "Starting…";
    LoadingTheTeachersOutputsPercent => "Loading the teacher's outputs… {percent}";
    ReadyStepsStepsOnExamples => "Ready: {steps} steps on {examples} examples. Press Start.";
    TrainingStepStepOfSteps => "Training: step {step} of {steps}";
    PausedStepStepOfSteps => "Paused: step {step} of {steps}";
    FinishedStepStepOfSteps => "Finished: step {step} of {steps}";
    StoppedByAnError => "Stopped by an error";
    Backend => "Backend: ";
    SomeSettingsInTheLink => "Some settings in the link were not used: ";
    Start => "Start";
    Pause => "Pause";
    OneStep => "One step";
    Reset => "Reset";
    // Controls
    Settings => "Settings";
    Dataset => "Dataset";
    MNISTHandwrittenDigitsFashionMNIST => "MNIST: handwritten digits. Fashion-MNIST: photos of clothes, harder. 28×28 grey images, 10 classes.";
    Teacher => "Teacher";
    TheBigNetworkTrainedOffline => "The big network trained offline on the full dataset. Its outputs for every training image were saved; the students learn from those.";
    Student => "Student";
    TheSmallNetworkTrainedHere => "The small network trained here. mlp:100 is one hidden layer of 100 units; cnn:8-16-64 is a small convolutional net.";
    WhatTheStudentSeesOf => "What the student sees of the teacher";
    WhiteBoxTheFullProbability => "White box: the full probability of every class. Black box: only what an API would return — the top label, or the top-k probabilities.";
    TemperatureT => "Temperature T";
    DividesTheTeachersLogitsBefore => "Divides the teacher's logits before the softmax. Higher T softens the probabilities and reveals which wrong classes the teacher finds plausible — the 'dark knowledge'. The soft loss is multiplied by T² so its gradients keep their size.";
    THasNoEffectOn => "T has no effect on a top-1 label or on labels alone.";
    WeightOfTheTeacher => "α (weight of the teacher)";
    TheLossIsSoftLoss => "The loss is α × soft loss (match the teacher) + (1 − α) × hard loss (match the true label).";
    LearningRate => "Learning rate";
    StepSizeOfTheAdam => "Step size of the Adam optimiser; it decays to zero along a cosine over the run. Too high and training diverges.";
    BatchSize => "Batch size";
    ExamplesPerOptimiserStep => "Examples per optimiser step.";
    TrainingLengthEpochs => "Training length (epochs)";
    PassesOverTheTransferSet => "Passes over the transfer set.";
    QueryBudgetTrainingExamples => "Query budget (training examples)";
    HowManyTrainingImagesThe => "How many training images the students get — and so how many times the teacher is asked. Both students see the same images.";
    TheTeachersApi => "The teacher's API: the copier's questions and the owner's defences";
    HowTheCopierAsksHelp => "All at once: the whole budget is drawn at random before training. In rounds: a random first round, then after each round of training the student picks the next images among those not asked yet — at random, those it is least sure of, or those least like everything asked so far. Each answer costs one query.";
    AskedAbout => "Images asked about";
    AskedAboutHelp => "The images the copier shows the teacher. Without the teacher's training data it can ask about pictures of another kind, or scribbles it draws itself: the answers still carry some of what the teacher knows. Those images have no true labels, so there the labels-only student learns the teacher's top label.";
    Questions => "Questions";
    FirstRound => "First round (queries)";
    FirstRoundHelp => "Images asked about at random before the student can choose.";
    EachLaterRound => "Each later round (queries)";
    EachLaterRoundHelp => "Images chosen per round. After each round both students train again over every answer so far, for the set number of epochs.";
    RoundedTo => "Defence: probabilities rounded to";
    RoundedToHelp => "The API rounds each probability it returns; small ones become 0.";
    NoiseOnTheAnswers => "Defence: noise on the probabilities";
    NoiseOnTheAnswersHelp => "Standard deviation of random noise added to each returned probability, fresh for every answer.";
    QuotaPerUser => "Defence: honest answers per user (0: no quota)";
    QuotaPerUserHelp => "After this many queries the API stops answering honestly.";
    BeyondTheQuota => "Defence: beyond the quota";
    BeyondTheQuotaHelp => "Refuse: the query is spent and nothing is learnt. At random: an answer that looks like any other.";
    Watermark => "Watermark: share of answers marked";
    WatermarkHelp => "The owner's keyed mark: on this share of the images (picked by a hash of the image and the key), the API answers with the teacher's second choice as if it were its first. An honest user loses about that much accuracy; a copy that learns its answers by heart repeats the lie.";
    WatermarkKey => "Watermark: the owner's key";
    WatermarkKeyHelp => "Any number: another key marks other images. A real owner keeps it secret.";
    GreenStrength => "Words watermark: strength (δ)";
    GreenStrengthHelp => "The words teacher's keyed mark on the words it writes (Kirchenbauer et al. 2023): before each letter, the two before it and the key pick a green part of the alphabet, whose logits get this much more. 0: no watermark. A student taught on those words writes more green letters than chance.";
    GreenGamma => "Words watermark: green share (γ)";
    GreenGammaHelp => "The share of the alphabet that is green after any two letters; by chance, this share of a text's pairs is green.";
    GreenShare => "Words watermark: share of words marked";
    GreenShareHelp => "The share of the words the teacher writes with the watermark; it writes the rest without.";
    MissingClass => "Missing class";
    LeaveEveryExampleOfOne => "Leave every example of one class out of the transfer set. Labels alone can never learn it; the teacher's soft targets on other images still mention it.";
    Seed => "Seed";
    FixesTheInitialWeightsAnd => "Fixes the initial weights and the order of examples: the same seed gives the same curves on the same backend.";
    Backend2 => "Backend";
    WebGPURunsOnYourGraphics => "WebGPU runs on your graphics card; the CPU backend is burn compiled to WebAssembly, one thread per student when there are two cores. Small students are often faster on the CPU.";
    OneWorkerPerStudent => "{backend} × 2: one worker per student";
    // Options and small words
    TheTeachersTrainingImages => "The teacher's training images";
    AnotherDatasetsImages => "Another dataset's (clothes for a digit teacher, digits for a clothes one)";
    RandomPenStrokes => "Random pen strokes, drawn here";
    AllAtOnceAtRandom => "All at once, at random";
    InRoundsAtRandom => "In rounds, at random";
    InRoundsLeastSure => "In rounds: what the student is least sure of (uncertainty)";
    InRoundsUnlikeAsked => "In rounds: unlike what was asked (diversity)";
    ExactProbabilities => "Exact (no rounding)";
    DecimalsCount => "{decimals} decimals";
    RefuseToAnswer => "Refuse";
    AnswerAtRandom => "Answer at random";
    SoftTargetsWhiteBoxAll => "Soft targets (white box: all the teacher's logits)";
    TeachersTop1LabelOnly => "Teacher's top-1 label only (black box)";
    LabelsOnlyNoTeacher => "Labels only (no teacher)";
    AutomaticWebGPUIfAvailable => "Automatic (WebGPU if available)";
    WebGPU => "WebGPU";
    CPUWasm => "CPU (wasm)";
    NoneEveryClassIsIn => "none: every class is in the transfer set";
    LeaveOutEveryName => "leave out every {name}";
    ParametersParametersRatioSmallerThan => "{parameters} parameters, {ratio} smaller than the teacher";
    LabelsOnly => "Labels only";
    RowsAreTheTrueClass => ": rows are the true class, columns the prediction";
    TruePredicted => "true \\ predicted";
    Accuracy => "accuracy";
    DownloadProgress => "download progress";
    SweepProgress => "sweep progress";
    DrawingAreaDrawADigit => "drawing area: draw a digit with a pointer";
    WhatTheStudentsSee => "what the students see";
    TheChosenTestImage => "the chosen test image";
    Run => "Run";
    Curve => "Curve";
    Point => "Point";
    Mode => "Mode";
    Budget => "Budget";
    Epochs => "Epochs";
    Steps => "Steps";
    TestAccuracy => "Test accuracy";
    Agreement => "Agreement";
    Seconds => "Seconds";
    Diverged => "diverged";
    SaveNameSizeKB => "Save {name} ({size} kB)";
    Copied => "copied";
    TeachersTopKProbabilities => "Teacher's top-{k} probabilities (black box)";
    T => "T";
    ResultsTableScrolls => "Results table (scrolls sideways)";
    TeacherOption => "{teacher} — {dataset} {architecture}, {parameters} parameters, {accuracy} test accuracy";
    Alpha => "α";
    Examples => "Examples";
    StudentDropout => "Student dropout";
    DropoutHelp => "While training, each hidden unit of the student is switched off with this probability (never when it is scored). It regularises a large student on little data.";
    // Links, sweeps and errors
    KeyValueIsNotANumber => "{key}={value} is not a number";
    KeyValueExpectedOneOf => "{key}={value}: expected one of {choices}";
    StudentCostsTooMuch => "student={student} at batch {batch} needs about {mib} MiB and {gflop} GFLOP a step; the page gives one student {limit_mib} MiB and {limit_gflop} GFLOP: {hint}";
    ABatchOfOrLessFits => "a batch of {batch} or less fits";
    ChooseASmallerStudent => "choose a smaller student";
    SweepSyntax => "`{text}`: expected setting:value,value,...";
    CannotSweepKey => "cannot sweep `{key}`: choose one of {settings}";
    SweepNoValues => "`{text}`: no values";
    SweepTooMany => "a sweep runs at most {max} students";
    SweepOutOfRange => "sweep: {key}={value} is out of range";
    NothingToSweep => "nothing to sweep: fill in what to vary";
    SweepNotThisTask => "the {task} task does not use `{key}`: sweep one of {settings}";
    OutOfRangeUsing => "{key}={value} is out of range; using {used}";
    BetweenStepsUsing => "{key}={value} falls between the steps of its control; using {used}";
    ErrorIgnored => "{error}; ignored";
    UnknownParameterIgnored => "unknown parameter `{key}` ignored";
    UnknownControlIgnored => "{list}: unknown control `{name}` ignored";
    NoLessonIgnored => "there is no lesson `{id}`; ignored";
    KeyErrorIgnored => "{key}: {error}; ignored";
    ByNeedsASweep => "by= needs a sweep= to go with it; ignored";
    LanguageIgnored => "lang={value}: the page speaks en and es; ignored";
    NoTeacherUsing => "there is no teacher `{given}`; using {used}";
    TeacherOfTask => "teacher={teacher} teaches the {task} task; using task={task}";
    NotForThisTask => "{key}= is not a setting of the {task} task; ignored";
    NoPackIsLoaded => "No pack is loaded.";
    TheTeacherFileCannotBeUsed => "This teacher file was not used (nothing changed): {detail}";
    ThePackCannotBeUsed => "The teacher's pack cannot be used: {detail}";
    TrainingFailed => "Training stopped: {detail}";
    TheGpuDeviceWasLost => "The GPU device was lost ({detail}), and the students on it with it. Your settings and results are kept; press Reset to start again on a fresh device.";
    WorkerMisunderstood => "The worker got a message it does not understand: {detail}";
    NoTestImage => "There is no test image {index}.";
    DrawingPixels => "A drawing has {expected} pixels, not {pixels}.";
    NotALetter => "«{letter}» is not one of this word list's letters ({letters}).";
    WrongTaskFile => "{file} is a student of the {student_of} task, and this run is of the {run} task: choose that task (and its teacher) first.";
    Task => "Task";
    TaskHelp => "Images: the students learn to classify handwritten digits or clothes. Words: the students are small language models that learn to spell, one next letter at a time, from a larger one. Reasoning: a small transformer learns to solve problems step by step from a larger one's worked solutions.";
    TaskImages => "Images (classify)";
    TaskWords => "Words (a language model)";
    DistillationIsAheadByBits => "Distillation is ahead by {bits} bits per character.";
    WordsAloneAreAheadByBits => "The words alone are ahead by {bits} bits per character.";
    SameStudentWordsAlone => "Same student, the words alone";
    BitsPerCharacterLowerIsBetter => "Bits per character on the test words (lower is better)";
    WordsTeacherOption => "{teacher} — {language} words, {architecture}, {parameters} parameters, {bits} bits per character";
    WordsSizes => "Student: {parameters} parameters, {ratio} smaller than {teacher} ({teacher_parameters}). Scored in bits per character on {test_words} test words it never saw (lower is better; guessing among {tokens} tokens costs {uniform}); examples/s (both students): {speed}.";
    WordsTheyInvent => "Words each one invents (new at every report)";
    TheTeacherWrote => "The teacher (the words the text mode learns from)";
    TheNextLetter => "The next letter";
    TheNextLetterHelp => "Type the start of a word: each model's probability for the letter that comes next. The teacher's whole distribution is what the white box shows the student; its top letter alone is what a label shows; the rest is the dark knowledge of text.";
    StartOfAWord => "Start of a word";
    EndOfWord => "end";
    English => "English";
    WordsTeacherHelp => "A character-level language model trained offline on every training word of its list. The pack holds its likeliest next letters at every position of 2,000 words, 2,000 words it wrote, and the (small) teacher itself for the white box.";
    WordsModeHelp => "White box: the teacher's whole next-letter distribution at every letter. Top-k: only its k likeliest letters (what is cached for large models). Text: words it wrote, as plain next letters (the R1-distill recipe). Labels: the real words alone.";
    WordsAsked => "Words read (and asked of the teacher)";
    WordsAskedHelp => "How many of the pack's words the students read. Every mode but the words alone asks the teacher about each: its distribution at every letter, its top letters, or (text) a word it writes. Both students read as many.";
    WordsStudentHelp => "The small network trained here: an MLP that reads the letters before the next one, each as 8 numbers it learns. mlp:64 is one hidden layer of 64 units; mlp:128-128 is two.";
    WordsQueryCounter => "Words put to the teacher: {spent} of {budget}.";
    Spanish => "Spanish";
    TheWordsTheTeacherWrote => "Text: only words the teacher wrote (black box)";
    // The reasoning task
    TaskReasoning => "Reasoning (show your work)";
    ReasoningTeacherOption => "{teacher} — {architecture}, {parameters} parameters, {accuracy} of its answers right";
    ReasoningTeacherHelp => "A transformer trained offline to solve parity: given bits, it writes their running parity step by step, then the answer (1011 → >1101=1.). The pack holds its solutions to 2,000 problems of 5–8 bits, sampled at a temperature so that about a third are wrong, its probability for every symbol at every step, and the teacher itself, for the view below.";
    ReasoningModeHelp => "Labels: the true answers, no teacher. Top-1: the teacher's answers alone. Top-k: its answers with its probabilities. Text: its whole solutions, steps and all (the R1-distill recipe). Verified: only the solutions whose answer checks out (rejection sampling). White box: its solutions with its probabilities at every step.";
    ProblemsAsked => "Problems asked of the teacher";
    ProblemsAskedHelp => "How many of the pack's problems the students learn from; every mode but labels learns from the teacher's solutions to them.";
    ProblemsQueryCounter => "Problems put to the teacher: {spent} of {budget}.";
    AnswersRight => "Answers right on the test problems (%)";
    ReasoningSizes => "Student: a transformer of {parameters} parameters, {ratio} smaller than {teacher} ({teacher_parameters}), scored on test problems it never saw, writing its own solutions; {longer} bits is longer than any it was taught. Examples/s: {speed}.";
    SameStudentAnswersAlone => "Same student, the true answers alone";
    TheTeachersSolutions => "Text: the teacher's solutions, steps and all (black box)";
    OnlyItsRightSolutions => "Verified: only its solutions with a right answer (black box)";
    AccuracyBySize => "Answers right by problem size";
    ShowYourWork => "Show your work";
    ShowYourWorkHelp => "Type some bits: each model writes its solution one symbol at a time (> then the running parity, = then the answer); the paler a symbol, the less sure it was. A wrong answer is struck through.";
    AProblem => "A problem (bits)";
    TypeSomeBits => "Type some bits, e.g. 1011.";
    NotABit => "“{symbol}” is not a bit: a problem is made of 0s and 1s, e.g. 1011.";
    TooManyBits => "{bits} bits is too many: at most {most}.";
    CannotLoadTheCatalog => "Cannot load packs/catalog.json: {detail}";
    NoPackForTeacher => "There is no pack for teacher `{teacher}`.";
    TheTrainingWorkerStopped => "The training worker stopped: {detail}. Your settings are kept; press Reset to start again.";
    TheWorkerIsOfAnotherVersion => "The training worker is from another version of the playground than this page ({detail}): the site was probably updated since this page opened. Reload the page; your settings and results are kept.";
    TheWorkerDidNotLoad => "The training worker could not be loaded (offline, or the site changed since this page opened). Your settings and results are kept; press Reset to try again.";
    ResultsNotKept => "This browser does not let the page keep the results table ({detail}): a reload loses it. Download it as CSV or JSON to keep it.";
    KeptResultsUnreadable => "The results kept from an earlier visit could not be read ({detail}); they were set aside, and this visit's are kept.";
    ThePageStopped => "The page hit an internal error and stopped ({detail}). Your settings are in the address bar: reload to start again with them.";
    Reload => "Reload";
    CannotReadTheFile => "Cannot read the file: {detail}";
    WebGPUFallback => "WebGPU is not available here ({why}); training on the CPU instead.";
    AutomaticSkippedFallbackAdapter => "Automatic chose the CPU: the only WebGPU adapter here ({adapter}) is a software fallback, slower than the CPU. Choose WebGPU to use it anyway.";
    BackendStarting => "starting…";
    // Charts and the dark-knowledge view
    SeriesDistilled => "distilled";
    SeriesLabelsOnly => "labels only";
    SeriesSoftLoss => "soft (T²·KL)";
    SeriesHardLoss => "hard (labels)";
    SeriesTotal => "total";
    SeriesLabelsOnlyLoss => "labels-only loss";
    SeriesExamplesPerSecond => "examples/s";
    ChartNoData => "{what}: no data yet";
    ChartReadout => "at {x}: {values}";
    ChartAfter => "{what} after {examples} examples: {values}";
    ExamplesCaption => "{examples} examples";
    TrainingImagesIn => "Training images in: {rows} of {of}. The run trains on those it reads first while the rest arrive.";
    AccuracyByQueries => "Test accuracy after each round of questions (%)";
    QueriesSpent => "Queries";
    HonestUserColumn => "Honest user";
    QueriesCaption => "{queries} queries";
    QueryCounter => "Queries to the teacher's API: {spent} of {budget} spent, {answered} answered.";
    HonestUser => "Through this defence an honest user gets {accuracy} of the test images right (without it: {teacher}).";
    MarkTest => "Watermark test: the distilled student repeats {repeated} of the {marked} marked answers it was given (p = {p}), the labels-only student {baseline_repeated} (p = {baseline_p}). A model that never saw them gives such an answer on {null} of the images it does not know.";
    GreenTest => "Watermark test on {words} words each student wrote (each pair of two letters and the next counted once): the distilled student z = {z} ({green} of {scored} pairs green, p = {p}; {earlier}), the labels-only student z = {baseline_z} (p = {baseline_p}); by chance {gamma} of the pairs are green. The teacher's own watermarked words: z = {teacher_z}. The mark costs the teacher {cost} bits per letter on real words ({plain} → {marked}).";
    GreenTestEarlier => "z = {a}, {b} and {c} after its first {n}, {m} and {k} words";
    SuspectMarkTest => "{file} repeats {repeated} of the {marked} marked answers this run's copier was given (p = {p}); a model that never saw them gives such an answer on {null} of the images it does not know.";
    SuspectGreenTest => "{file} wrote {words} words: z = {z} ({green} of {scored} pairs green, p = {p}).";
    TestASuspect => "Test a suspect's weights…";
    TestASuspectHelp => "A student's safetensors file (\"Export weights\" writes one), tested the same way: does it carry this run's watermark?";
    TeacherAtOne => "teacher, T = 1";
    TeacherAtT => "teacher, T = {t}";
    DistilledStudentLower => "distilled student";
    LabelsOnlyStudent => "labels-only student";
    LooksLike => "{label} like {other}";
    AskedImage => "asked #{n}";
    NoTrueClass => "No true class: only the teacher's answer.";
    // Headline
    DistilledStudent => "Distilled student";
    SameStudentLabelsOnly => "Same student, labels only";
    TheTwoStudentsAreLevel => "The two students are level.";
    DistillationIsAheadByPoints => "Distillation is ahead by {points} points.";
    LabelsAloneAreAheadBy => "Labels alone are ahead by {points} points.";
    StudentSizeOwnTeacher => "Student: {parameters} parameters, learning from {file} (a file of answers does not say how large its model is). Accuracy on {test_rows} test images; examples/s (both students): {speed}.";
    StudentParametersParametersRatioSmaller => "Student: {parameters} parameters, {ratio} smaller than the teacher {teacher} ({teacher_parameters} parameters). Accuracy on {test_rows} test images; examples/s (both students): {speed}.";
    TestImagesOfClassName => "Test images of class {name}, which neither student ever saw: the distilled student gets {right} of {total} right, labels only {baseline}.";
    AddToTheClassName => "Add to the class-{name} logit (the paper used +3.5)";
    WithShiftTheDistilledStudent => "With +{shift}: the distilled student gets {right} of {total} {name}s right ({accuracy} of all test images), labels only {baseline} ({baseline_accuracy}).";
    // Panels
    Lessons => "Lessons";
    LessonTextMissing => "its text did not load: reload the page to try again";
    LearnMore => "Learn more: this lesson in the book →";
    TestAccuracy2 => "Test accuracy (%)";
    AgreementWithTheTeacher => "Agreement with the teacher (%)";
    Loss => "Loss";
    TrainingBatchAccuracy => "Training-batch accuracy (%)";
    ThroughputExamplesSBothStudents => "Throughput (examples/s, both students)";
    MakeAPNGOfThe => "Make a PNG of the charts";
    Sweep => "Sweep";
    SweepTestAccuracy => "Sweep: test accuracy (%)";
    SweepBitsPerChar => "Sweep: bits per character on the test words (lower is better)";
    Vary => "Vary";
    OneCurvePer => "One curve per";
    RunSweep => "Run sweep";
    StopSweep => "Stop sweep";
    RunIndexOfTotalStep => "Run {index} of {total}: step {step} of {steps}";
    TrainOneStudentPerValue => "Train one student per value of a setting, on top of the settings on the left, and plot test accuracy against it. Write setting:value,value,… with a setting among {settings}. Optionally draw one curve per value of a second setting. When the query budget varies, every run still trains on as many examples (a smaller set gets more epochs).";
    DrawADigit => "Draw a digit";
    DrawWithTheMouseA => "Draw with the mouse, a finger or a pen; both students read it when you lift it. It works best on MNIST (the students learn digits there). The small image is what the students see.";
    Clear => "Clear";
    DarkKnowledge => "Dark knowledge";
    ALabelSaysOnlyThis => "A label says only \"this is a 7\". The teacher's probabilities also say which other classes it resembles. At T = 1 those hints are tiny; a higher T makes them visible, and that is what the distilled student learns from. Pick an ambiguous example:";
    TrueClass => "True class: ";
    Results => "Results";
    ShowingTheLastRows => "Showing the last {shown} of {total} rows; the CSV and JSON downloads hold every one.";
    OneRowPerTrainedStudent => "One row per trained student: each finished run adds two (distilled and labels only), each sweep run one. The files hold every setting, so a row can be reproduced. The table stays in this browser, across reloads, until you clear it.";
    DownloadCSV => "Download CSV";
    DownloadJSON => "Download JSON";
    StudentWeights => "Student weights";
    SaveTheDistilledStudentAs => "Save the distilled student as a safetensors file (the format burn and PyTorch read), or load one saved here for the same student architecture.";
    ExportWeightsSafetensors => "Export weights (.safetensors)";
    LoadWeights => "Load weights… ";
    WeightsLoadedIntoTheDistilled => "Weights loaded into the distilled student; its scores below are re-measured.";
    YourOwnTeacher => "Your own teacher";
    YourOwnTeacherHelp => "Train against a model of yours: a safetensors file with its train_logits and test_logits (F32, [N, 10]) for this dataset's images, in their original order. The book's chapter Asset formats has a Python script that writes one.";
    LoadTeacherLogits => "Load teacher logits… ";
    TeacherFromFile => "The students now learn from {file}: {accuracy} right on the pack's {rows} test images. Choosing a teacher above brings the pack's back.";
    ImportedTeacher => "Teacher ({file})";
    ShareThisExperiment => "Share this experiment";
    LinkEverySettingIsIn => "Link (every setting is in it)";
    CopyLink => "Copy link";
    OnTheCommandLine => "The same experiment on the command line, from a clone of the repository (the book: The command line)";
    CopyAsCommand => "Copy as command";
    EmbedInACoursePage => "Embed in a course page (add hide=… or lock=… to the src to hide or freeze controls)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_from_urls_and_browsers() {
        assert_eq!(Lang::parse("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        for lang in [Lang::En, Lang::Es] {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn templates_fill_and_translations_keep_their_blanks() {
        assert_eq!(fill("step {step} of {steps}", &[("step", "3".into()), ("steps", "9".into())]), "step 3 of 9");
        let blanks = |s: &str| {
            let mut b: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|p| p.0.into()).collect();
            b.sort();
            b
        };
        for &msg in Msg::ALL {
            assert_eq!(blanks(msg.text(Lang::En)), blanks(msg.text(Lang::Es)), "{msg:?}");
            assert!(!msg.text(Lang::Es).is_empty(), "{msg:?}");
        }
        assert_eq!(Msg::Start.text(Lang::Es), "Empezar");
        assert!(spanish_ready());
        assert_eq!(Msg::Start.text(Lang::En), "Start");
    }

    /// The page reads `web/es.json`'s values in order, so the file names every message, no other,
    /// in the order they are declared here.
    #[test]
    fn the_spanish_file_names_every_message_in_order() {
        struct Names(Vec<String>);
        impl<'de> Deserialize<'de> for Names {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct InOrder;
                impl<'de> serde::de::Visitor<'de> for InOrder {
                    type Value = Names;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("an object of texts")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Names, A::Error> {
                        let mut names = Vec::new();
                        while let Some((name, _)) = map.next_entry::<String, String>()? {
                            names.push(name);
                        }
                        Ok(Names(names))
                    }
                }
                d.deserialize_map(InOrder)
            }
        }
        let Names(names) = serde_json::from_str(include_str!("../../../web/es.json")).unwrap();
        let declared: Vec<String> = Msg::ALL.iter().map(|m| format!("{m:?}")).collect();
        for (at, (file, code)) in names.iter().zip(&declared).enumerate() {
            assert_eq!(file, code, "web/es.json's entry {at} is {file}, where i18n.rs declares {code}");
        }
        assert_eq!(
            names.len(),
            declared.len(),
            "web/es.json has {} texts for {} messages",
            names.len(),
            declared.len()
        );
        assert_eq!(install_spanish(vec!["x".into()]), Err(SpanishMismatch { found: 1, expected: Msg::ALL.len() }));
    }
}
