//! The real word lists (written by `distill fetch-data`, which the test script runs first): what
//! the language-model task keeps of them, and how many next-letter examples that makes.

use distill_data::assets::load_words;
use distill_data::words::{examples, ENGLISH, SPANISH};
use std::path::Path;

#[test]
fn the_word_lists_keep_their_lowercase_words_split_one_in_ten_for_testing() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    for (source, kept) in [(ENGLISH, 63_875), (SPANISH, 86_014)] {
        let words = load_words(&web, &source).expect("run `cargo run -p distill-cli -- fetch-data` first");
        let all = words.train.len() + words.test.len();
        assert_eq!(all, kept, "{}", source.language);
        let share = words.test.len() as f64 / all as f64;
        assert!((0.09..0.11).contains(&share), "{}: {share}", source.language);
        let positions: usize = words.train.iter().map(|w| examples(w, 8).count()).sum();
        let letters: usize = words.train.iter().map(Vec::len).sum();
        assert_eq!(positions, letters + words.train.len(), "one example per letter and one end of word");
        let vocabulary = source.vocabulary() as u8;
        assert!(
            words.train.iter().flatten().all(|&t| (1..vocabulary).contains(&t)),
            "letters only, no boundary inside"
        );
        println!(
            "{}: {} training words, {positions} examples; {} test words",
            source.language,
            words.train.len(),
            words.test.len()
        );
    }
}
