//! The word lists of the language-model task (issue 14): Debian's `wamerican` and `wspanish`, one
//! word a line, pinned by SHA-256 like the image sets. A word is a sequence of letter tokens; token
//! 0 is the boundary, both the padding before a word's first letter and the end-of-word a model
//! must predict after its last, so every position of a word is one next-token example with a
//! fixed window of context.

use crate::checksum::verify;
use crate::DataError;
use std::collections::BTreeSet;

/// The boundary token: before a word (padding the context) and after it (end of word).
pub const BOUNDARY: u8 = 0;

/// A word list as a Debian package ships it.
#[derive(Debug, Clone, Copy)]
pub struct WordSource {
    /// `en`, `es`: the page's language codes, and the file name under `web/data/words/`.
    pub language: &'static str,
    pub title: &'static str,
    pub package: &'static str,
    pub version: &'static str,
    /// File name of the archive `apt-get download` writes.
    pub archive: &'static str,
    pub archive_sha256: &'static str,
    /// Path of the list inside the unpacked archive.
    pub path: &'static str,
    pub sha256: &'static str,
    /// The letters a kept word is made of, in token order (token 1 is the first).
    pub letters: &'static str,
}

pub const ENGLISH: WordSource = WordSource {
    language: "en",
    title: "SCOWL American English word list (Kevin Atkinson et al.), Debian wamerican",
    package: "wamerican",
    version: "2020.12.07-2",
    archive: "wamerican_2020.12.07-2_all.deb",
    archive_sha256: "c8f8e2b2ad0d37bfdd41f0e40f1e4c8e5f907467d768a1d3698b164e9617f0b4",
    path: "usr/share/dict/american-english",
    sha256: "9f513f1ceadb6a01c5485b7dbdfd5118dc66cd70b59cae2851292112d4066a32",
    letters: "abcdefghijklmnopqrstuvwxyz",
};

pub const SPANISH: WordSource = WordSource {
    language: "es",
    title: "Spanish word list (public domain), Debian wspanish",
    package: "wspanish",
    version: "1.0.30",
    archive: "wspanish_1.0.30_all.deb",
    archive_sha256: "a2b7504fb8c12deaf6c4e868f749a3d05a42caee348f0f5bb006238e925cde18",
    path: "usr/share/dict/spanish",
    sha256: "6b26adc955ec682e41e98d626d0ed1f778511065ee1f7f19c28e8b3cb574b9b6",
    letters: "abcdefghijklmnopqrstuvwxyzáéíñóúü",
};

pub const ALL: [WordSource; 2] = [ENGLISH, SPANISH];

/// Fewer words than this is not the list the task was measured on.
const MIN_WORDS: usize = 10_000;

/// One test word in `TEST_EVERY`, chosen by a hash of the word, so the split does not depend on
/// the list's order or on what else it holds.
const TEST_EVERY: u64 = 10;

impl WordSource {
    /// Tokens a model predicts among: the boundary and every letter.
    pub fn vocabulary(&self) -> usize {
        1 + self.letters.chars().count()
    }

    /// A letter's token (1-based), if the alphabet has it.
    pub fn token(&self, letter: char) -> Option<u8> {
        self.letters.chars().position(|c| c == letter).map(|i| i as u8 + 1)
    }

    /// What a token stands for: `None` for the boundary (and for no token of this alphabet).
    pub fn letter(&self, token: u8) -> Option<char> {
        (token as usize).checked_sub(1).and_then(|i| self.letters.chars().nth(i))
    }
}

/// A word list split into training and test words, each word kept as its tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    pub train: Vec<Vec<u8>>,
    pub test: Vec<Vec<u8>>,
}

impl Words {
    /// Reads a list (`file` names it in messages): its SHA-256 must be the pinned one; the words
    /// kept are those made only of the alphabet's letters (no capitals, so no proper nouns, and no
    /// `'s`), each once, in the list's order.
    pub fn parse(file: &str, bytes: &[u8], source: &WordSource) -> Result<Words, DataError> {
        verify(file, bytes, source.sha256)?;
        let text = std::str::from_utf8(bytes).map_err(|e| DataError::corrupt(file, format!("not UTF-8: {e}")))?;
        let mut seen = BTreeSet::new();
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for word in text.lines().map(str::trim) {
            let Some(tokens) = word.chars().map(|c| source.token(c)).collect::<Option<Vec<u8>>>() else { continue };
            if tokens.is_empty() || !seen.insert(word) {
                continue;
            }
            if fnv1a(word.as_bytes()).is_multiple_of(TEST_EVERY) { &mut test } else { &mut train }.push(tokens);
        }
        let kept = train.len() + test.len();
        if kept < MIN_WORDS {
            return Err(DataError::mismatch(
                file,
                format!("{kept} words of the alphabet, expected at least {MIN_WORDS}"),
            ));
        }
        Ok(Words { train, test })
    }
}

/// Every next-token example of `word`: the `context` tokens before each position (the boundary
/// where the word has not begun) and the token there, the boundary last (end of word).
pub fn examples(word: &[u8], context: usize) -> impl Iterator<Item = (Vec<u8>, u8)> + '_ {
    (0..=word.len()).map(move |at| (context_before(word, at, context), word.get(at).copied().unwrap_or(BOUNDARY)))
}

/// The `context` tokens before position `at` of `word`, the boundary where the word has not begun:
/// what a model reads to predict the token at `at` (at `word.len()`, the one after a prefix).
pub fn context_before(word: &[u8], at: usize, context: usize) -> Vec<u8> {
    (1..=context).rev().map(|back| at.checked_sub(back).map_or(BOUNDARY, |i| word[i])).collect()
}

/// `words` in the order of their hash: a fixed order that mixes the list's alphabetical one, so
/// the first N words of it (a pack's) are a sample of the whole list, not the words beginning with a.
pub fn mixed(words: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut keyed: Vec<(u64, &Vec<u8>)> = words.iter().map(|w| (fnv1a(&[w.as_slice(), b"mix"].concat()), w)).collect();
    keyed.sort();
    keyed.into_iter().map(|(_, w)| w.clone()).collect()
}

/// 64-bit FNV-1a: a fixed hash (std's is seeded per process).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::sha256_hex;

    /// A source whose pinned hash is that of `text`, so any list can be parsed.
    fn pinned(text: &str) -> WordSource {
        WordSource { sha256: Box::leak(sha256_hex(text.as_bytes()).into_boxed_str()), ..ENGLISH }
    }

    #[test]
    fn tokens_and_letters_round_trip_and_the_boundary_is_zero() {
        for source in ALL {
            assert_eq!(source.vocabulary(), source.letters.chars().count() + 1);
            for (i, c) in source.letters.chars().enumerate() {
                assert_eq!(source.token(c), Some(i as u8 + 1));
                assert_eq!(source.letter(i as u8 + 1), Some(c));
            }
            assert_eq!(source.letter(BOUNDARY), None);
        }
        assert_eq!((ENGLISH.vocabulary(), SPANISH.vocabulary()), (27, 34));
        assert_eq!((ENGLISH.token('ñ'), SPANISH.token('ñ')), (None, Some(30)));
    }

    #[test]
    fn a_list_keeps_alphabet_words_once_and_splits_them_by_hash() {
        let mut text: String = (0..12_000).map(|i| format!("w{}\n", to_letters(i))).collect();
        text.push_str("Paris\ncat's\nwagon\nwagon\n\n");
        let words = Words::parse("list", text.as_bytes(), &pinned(&text)).unwrap();
        assert_eq!(words.train.len() + words.test.len(), 12_000 + 1, "no capitals, no apostrophes, no repeats");
        let share = words.test.len() as f64 / 12_001.0;
        assert!((0.08..0.12).contains(&share), "about one word in ten is a test word: {share}");
        let reordered: String = text.lines().rev().map(|l| format!("{l}\n")).collect();
        let again = Words::parse("list", reordered.as_bytes(), &pinned(&reordered)).unwrap();
        let sorted = |mut v: Vec<Vec<u8>>| {
            v.sort();
            v
        };
        assert_eq!(sorted(again.test), sorted(words.test), "the split does not depend on the order");
    }

    #[test]
    fn a_changed_or_short_list_is_refused_naming_the_file() {
        let err = Words::parse("words/en.txt", b"cat\n", &ENGLISH).unwrap_err().to_string();
        assert!(err.starts_with("checksum mismatch for words/en.txt"), "{err}");
        let err = Words::parse("words/en.txt", b"cat\ndog\n", &pinned("cat\ndog\n")).unwrap_err().to_string();
        assert!(err.contains("2 words of the alphabet, expected at least 10000"), "{err}");
    }

    #[test]
    fn every_position_of_a_word_is_an_example_ending_with_the_boundary() {
        let cat = [3, 1, 20];
        let all: Vec<(Vec<u8>, u8)> = examples(&cat, 2).collect();
        assert_eq!(all, [(vec![0, 0], 3), (vec![0, 3], 1), (vec![3, 1], 20), (vec![1, 20], BOUNDARY)]);
        assert_eq!(examples(&cat, 8).last(), Some((vec![0, 0, 0, 0, 0, 3, 1, 20], BOUNDARY)));
    }

    /// `i` written in base 26 with the letters a–z.
    fn to_letters(mut i: usize) -> String {
        let mut s = Vec::new();
        loop {
            s.push(b'a' + (i % 26) as u8);
            i /= 26;
            if i == 0 {
                break;
            }
        }
        String::from_utf8(s).unwrap()
    }
}
