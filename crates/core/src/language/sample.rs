//! Words a model invents: start from an empty context, draw each next token from the model's
//! distribution at a temperature, stop at the boundary (end of word). Drawn on the CPU from the
//! project's seeded [`Rng`], so the same model, seed and temperature give the same words on every
//! platform; the words of one call are drawn side by side, one forward pass (and one read-back)
//! per letter position. A teacher that watermarks its words ([`GreenList`]) boosts the green
//! letters of the words it marks before each draw.

use super::WordModel;
use crate::error::TrainError;
use crate::rng::Rng;
use burn::prelude::*;
use distill_data::words::{context_before, BOUNDARY};
use distill_spec::green::{GreenList, GREEN_CONTEXT};
use distill_spec::softmax;

/// `count` words sampled from `model` (`context` tokens of context, `vocabulary` tokens) at
/// `temperature`, each cut at `longest` letters, the words `green` marks watermarked. Tokens
/// only: no boundary inside a word.
#[allow(clippy::too_many_arguments)]
pub async fn sample_words(
    model: &WordModel,
    (context, vocabulary): (usize, usize),
    (count, longest): (usize, usize),
    temperature: f32,
    green: &GreenList,
    seed: u64,
    device: &Device,
) -> Result<Vec<Vec<u8>>, TrainError> {
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let mut rng = Rng::new(seed);
    let mut words: Vec<Vec<u8>> = vec![Vec::new(); count];
    let mut open: Vec<usize> = (0..count).collect();
    while !open.is_empty() {
        let contexts: Vec<i64> = open
            .iter()
            .flat_map(|&w| context_before(&words[w], words[w].len(), context).into_iter().map(i64::from))
            .collect();
        let contexts = Tensor::<2, Int>::from_data(TensorData::new(contexts, [open.len(), context]), &device);
        let read = TrainError::read_back("the next letter");
        let logits = model.forward(contexts).into_data_async().await.map_err(|e| read(&e))?;
        let logits = logits.try_to_vec::<f32>().map_err(|e| read(&e))?;
        let mut still_open = Vec::new();
        for (&w, row) in open.iter().zip(logits.chunks_exact(vocabulary)) {
            let mut row = row.to_vec();
            if green.writes(w) {
                let before = context_before(&words[w], words[w].len(), GREEN_CONTEXT);
                green.boost([before[0], before[1]], &mut row);
            }
            let token = rng.pick(&softmax(&row, temperature)) as u8;
            if token != BOUNDARY {
                words[w].push(token);
            }
            if token != BOUNDARY && words[w].len() < longest {
                still_open.push(w);
            }
        }
        open = still_open;
    }
    Ok(words)
}

/// The words a teacher writes for its students (a pack's `samples`, or with a watermark the
/// worker's): `count` non-empty words, drawn as [`sample_words`] draws them from a tenth more (the
/// teacher may end a word before its first letter; a few in a hundred), fewer if too many were empty.
#[allow(clippy::too_many_arguments)]
pub async fn teacher_text(
    teacher: &WordModel,
    shape: (usize, usize),
    (count, longest): (usize, usize),
    temperature: f32,
    green: &GreenList,
    seed: u64,
    device: &Device,
) -> Result<Vec<Vec<u8>>, TrainError> {
    let drawn = sample_words(teacher, shape, (count + count / 10, longest), temperature, green, seed, device).await?;
    Ok(drawn.into_iter().filter(|w| !w.is_empty()).take(count).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::WordModel;
    use distill_data::words_pack::WordShape;

    #[test]
    fn the_same_seed_gives_the_same_words_and_another_seed_others() {
        let device = Device::flex();
        let shape = WordShape { vocabulary: 6, context: 3, embedding: 4, hidden: vec![16] };
        let model = WordModel::init(&shape, 1, &device);
        let sample = |seed| {
            pollster::block_on(sample_words(&model, (3, 6), (20, 12), 1.0, &GreenList::default(), seed, &device))
                .unwrap()
        };
        let words = sample(5);
        assert_eq!(words.len(), 20);
        assert!(words.iter().all(|w| w.len() <= 12 && w.iter().all(|&t| (1..6).contains(&t))), "{words:?}");
        assert_eq!(sample(5), words, "a seed fixes the words");
        assert_ne!(sample(6), words, "another seed, other words");
    }

    #[test]
    fn a_cold_temperature_picks_the_most_likely_letter() {
        let device = Device::flex();
        let shape = WordShape { vocabulary: 6, context: 3, embedding: 4, hidden: vec![16] };
        let model = WordModel::init(&shape, 2, &device);
        let cold =
            pollster::block_on(sample_words(&model, (3, 6), (8, 5), 0.01, &GreenList::default(), 1, &device)).unwrap();
        assert!(cold.windows(2).all(|w| w[0] == w[1]), "near T = 0 every word is the greedy one: {cold:?}");
    }
}
