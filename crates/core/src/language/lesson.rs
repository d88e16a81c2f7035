//! The four ways a word student can learn (issue 14), as the training set each one gets from a
//! words pack. `words` is the same number in every mode: the real words a student reads, and for
//! all but the baseline the words asked of the teacher — so the modes are compared at one query
//! budget.

use super::{targets, Examples};
use distill_data::words_pack::{positions, WordsPack};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordMode {
    /// The baseline: the real words alone, each next letter a hard label.
    RealWords,
    /// White box: the teacher's whole next-letter distribution at T at every position.
    Soft,
    /// Only the teacher's k most likely next letters and their probabilities (the pack's cache).
    TopK,
    /// Black box, sequence level: words the teacher wrote, as hard labels (the R1-distill recipe).
    TeacherWords,
}

impl WordMode {
    pub const ALL: [WordMode; 4] = [WordMode::RealWords, WordMode::Soft, WordMode::TopK, WordMode::TeacherWords];

    /// The name in a link and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            WordMode::RealWords => "words",
            WordMode::Soft => "soft",
            WordMode::TopK => "topk",
            WordMode::TeacherWords => "text",
        }
    }

    pub fn parse(id: &str) -> Option<WordMode> {
        WordMode::ALL.into_iter().find(|m| m.id() == id)
    }

    /// Whether the student needs the teacher's full logits on the pack's train positions.
    pub fn needs_teacher_logits(self) -> bool {
        self == WordMode::Soft
    }
}

/// The examples a `mode` student learns from with `words` words of `pack`, and its soft targets at
/// `temperature` if it has any. `teacher_logits` are the teacher's over every train position of
/// the pack (needed by [`WordMode::Soft`] only). More words than the pack holds are cut to it.
pub fn training_set(
    pack: &WordsPack,
    mode: WordMode,
    words: usize,
    temperature: f32,
    teacher_logits: Option<&[f32]>,
) -> (Examples, Option<Vec<f32>>) {
    let context = pack.teacher.shape.context;
    let vocabulary = pack.teacher.shape.vocabulary;
    let real = &pack.train[..words.min(pack.train.len())];
    let rows = positions(real);
    match mode {
        WordMode::RealWords => (Examples::of_words(real, context), None),
        WordMode::TeacherWords => (Examples::of_words(&pack.samples[..words.min(pack.samples.len())], context), None),
        WordMode::TopK => {
            let k = pack.top_k;
            let soft = targets::from_top_k(
                &pack.top_tokens[..rows * k],
                &pack.top_probs[..rows * k],
                k,
                vocabulary,
                temperature,
            );
            (Examples::of_words(real, context), Some(soft))
        }
        WordMode::Soft => {
            let logits = teacher_logits.expect("the white box needs the teacher's logits");
            (
                Examples::of_words(real, context),
                Some(targets::full(&logits[..rows * vocabulary], vocabulary, temperature)),
            )
        }
    }
}
