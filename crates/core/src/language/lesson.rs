//! What a word student learns from in each [`Mode`] (issue 14), as the training set it gets from
//! a words pack. `words` is the same number in every mode: the real words a student reads, and
//! for all but the baseline the words asked of the teacher, so the modes compare at one budget.
//!
//! - `labels`: the real words alone, each next letter a hard label (the baseline);
//! - `soft`: white box, the teacher's whole next-letter distribution at T at every position;
//! - `top1`..`top8`: only the k most likely next letters and their probabilities (the pack's
//!   cache; `top1` is the teacher's next letter alone);
//! - `text`: black box, sequence level: words the teacher wrote, as hard labels, no real word.

use super::{targets, Examples};
use distill_data::words_pack::{positions, WordsPack};
use distill_spec::Mode;

/// The examples a `mode` student learns from with `words` words of `pack`, and its soft targets
/// at `temperature` if it has any. `teacher_logits` are the teacher's over every train position
/// of the pack (needed by [`Mode::Soft`] only, see [`needs_teacher_logits`]). More words than
/// the pack holds are cut to it; a k above the cache's is cut to it (settings refuse one first).
pub fn training_set(
    pack: &WordsPack,
    mode: Mode,
    words: usize,
    temperature: f32,
    teacher_logits: Option<&[f32]>,
) -> (Examples, Option<Vec<f32>>) {
    let context = pack.teacher.shape.context;
    let vocabulary = pack.teacher.shape.vocabulary;
    let real = &pack.train[..words.min(pack.train.len())];
    let rows = positions(real);
    let top = |k: usize| {
        let (cached, k) = (pack.top_k, k.min(pack.top_k));
        let pick = |all: &[u8]| all.chunks(cached).take(rows).flat_map(|row| row[..k].to_vec()).collect::<Vec<u8>>();
        let probs: Vec<f32> = pack.top_probs.chunks(cached).take(rows).flat_map(|row| row[..k].to_vec()).collect();
        targets::from_top_k(&pick(&pack.top_tokens), &probs, k, vocabulary, temperature)
    };
    match mode {
        Mode::LabelsOnly => (Examples::of_words(real, context), None),
        Mode::Text => (Examples::of_words(&pack.samples[..words.min(pack.samples.len())], context), None),
        // A word has no answer to check (`TrainConfig::validate_words` refuses it first).
        Mode::Verified => unreachable!("mode=verified is the reasoning task's"),
        Mode::TopLabel => (Examples::of_words(real, context), Some(top(1))),
        Mode::TopK(k) => (Examples::of_words(real, context), Some(top(k))),
        Mode::Soft => {
            let logits = teacher_logits.expect("the white box needs the teacher's logits");
            (
                Examples::of_words(real, context),
                Some(targets::full(&logits[..rows * vocabulary], vocabulary, temperature)),
            )
        }
    }
}

/// Whether a `mode` student needs the teacher's full logits on the pack's train positions.
pub fn needs_teacher_logits(mode: Mode) -> bool {
    mode == Mode::Soft
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_data::words_pack::{WordShape, WordWeights};
    use std::collections::HashMap;

    /// Two words (3 + 2 positions), top-2 cached: token 5 then 6 at every position.
    fn pack() -> WordsPack {
        let shape = WordShape { vocabulary: 8, context: 2, embedding: 1, hidden: vec![1] };
        WordsPack {
            train: vec![vec![1, 2], vec![3]],
            test: vec![vec![1]],
            top_k: 2,
            top_tokens: [5, 6].repeat(5),
            top_probs: [0.6, 0.2].repeat(5),
            samples: vec![vec![4, 4, 4]],
            teacher: WordWeights { shape, tensors: Default::default() },
            metadata: HashMap::new(),
        }
    }

    #[test]
    fn each_mode_reads_what_it_is_allowed_to() {
        let pack = pack();
        let (examples, soft) = training_set(&pack, Mode::LabelsOnly, 1, 1.0, None);
        assert_eq!((examples.targets, soft), (vec![1, 2, 0], None), "the first word's letters and its end");
        let (examples, soft) = training_set(&pack, Mode::Text, 5, 1.0, None);
        assert_eq!((examples.targets, soft), (vec![4, 4, 4, 0], None), "the teacher's word, cut to what there is");
        let (_, soft) = training_set(&pack, Mode::TopK(2), 1, 1.0, None);
        let soft = soft.unwrap();
        assert_eq!(soft.len(), 3 * 8);
        assert!((soft[5] - 0.75).abs() < 1e-6 && (soft[6] - 0.25).abs() < 1e-6, "0.6 : 0.2 renormalised");
        let (_, top1) = training_set(&pack, Mode::TopLabel, 1, 4.0, None);
        assert_eq!(&top1.unwrap()[..8], &[0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0], "the next letter alone");
        let logits: Vec<f32> = (0..5 * 8).map(|i| (i % 8) as f32).collect();
        let (examples, soft) = training_set(&pack, Mode::Soft, 2, 2.0, Some(&logits));
        assert_eq!(examples.len(), 5);
        assert_eq!(soft.unwrap()[..8], targets::full(&logits[..8], 8, 2.0)[..]);
        assert!(needs_teacher_logits(Mode::Soft) && !needs_teacher_logits(Mode::TopK(8)));
    }
}
