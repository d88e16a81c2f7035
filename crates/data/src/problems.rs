//! The reasoning task's problems (issue 35): the parity of k bits, a problem whose answer is
//! hopeless to guess from examples of answers alone and easy one step at a time. They are made in
//! code, not downloaded: a problem is its bits, its answer is whether an odd number of them is 1,
//! and its **trace** (the step-by-step work a teacher writes) is the running parity, one step per
//! bit. Written as text over six symbols, one token each:
//!
//! ```text
//! $1011>1101=1.     the bits 1 0 1 1, the running parity 1 1 0 1, the answer 1
//! $1011=1.          the same problem answered without its work
//! ```
//!
//! `$` starts a problem, `>` its trace, `=` its answer, `.` ends it (and pads). A model is shown
//! the prompt (`$1011`) and writes the rest; [`check`] reads what it wrote. A problem belongs to
//! the test split by a hash of its bits, so a student is never scored on a problem it was taught.

use std::fmt;

/// The symbols, in token order: token `i` is `SYMBOLS[i]`.
pub const SYMBOLS: [char; 6] = ['.', '0', '1', '$', '>', '='];
/// Ends a solution; also the padding after it.
pub const END: u8 = 0;
const ZERO: u8 = 1;
const ONE: u8 = 2;
/// Starts a problem.
pub const START: u8 = 3;
/// Starts the trace.
pub const TRACE: u8 = 4;
/// Starts the answer.
pub const ANSWER: u8 = 5;
pub const VOCABULARY: usize = SYMBOLS.len();
/// The most bits a problem has (a typed one included).
pub const MAX_BITS: usize = 16;
/// The longest text of a solved problem: `$`, the bits, `>`, the trace, `=`, the answer, `.`.
pub const MAX_TOKENS: usize = 2 * MAX_BITS + 4;
/// One problem in this many is kept for testing.
const TEST_SHARE: u64 = 4;

/// A parity problem: its bits, most significant first (the order it is written in).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Problem {
    bits: Vec<bool>,
}

/// Why a typed problem cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProblemError {
    #[error("type some bits, e.g. 1011")]
    Empty,
    #[error("“{0}” is not a bit: a problem is made of 0s and 1s, e.g. 1011")]
    NotABit(char),
    #[error("{0} bits is too many: at most {MAX_BITS}")]
    TooLong(usize),
}

/// Which problems a model learns from, and which it is scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Train,
    Test,
}

impl Problem {
    /// The problem of `bits` (1 to [`MAX_BITS`] of them).
    pub fn new(bits: Vec<bool>) -> Result<Problem, ProblemError> {
        match bits.len() {
            0 => Err(ProblemError::Empty),
            n if n > MAX_BITS => Err(ProblemError::TooLong(n)),
            _ => Ok(Problem { bits }),
        }
    }

    /// A problem as a visitor types it: its bits, with any spaces (`1011`, `1 0 1 1`).
    pub fn parse(text: &str) -> Result<Problem, ProblemError> {
        let bits = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '0' => Ok(false),
                '1' => Ok(true),
                other => Err(ProblemError::NotABit(other)),
            })
            .collect::<Result<Vec<bool>, _>>()?;
        Problem::new(bits)
    }

    pub fn bits(&self) -> &[bool] {
        &self.bits
    }

    /// Its size: how many bits.
    pub fn size(&self) -> usize {
        self.bits.len()
    }

    /// Whether an odd number of its bits is 1.
    pub fn answer(&self) -> bool {
        self.bits.iter().filter(|&&b| b).count() % 2 == 1
    }

    /// The running parity: the parity of each prefix, ending on the answer.
    pub fn trace(&self) -> Vec<bool> {
        self.bits
            .iter()
            .scan(false, |odd, &b| {
                *odd ^= b;
                Some(*odd)
            })
            .collect()
    }

    /// What a model is shown: `$` and the bits.
    pub fn prompt(&self) -> Vec<u8> {
        std::iter::once(START).chain(self.bits.iter().map(|&b| bit(b))).collect()
    }

    /// The right solution after the prompt: `>` the trace (when `with_trace`), `=` the answer, `.`.
    pub fn solution(&self, with_trace: bool) -> Vec<u8> {
        let trace = with_trace.then(|| self.trace()).unwrap_or_default();
        solution_of(with_trace, &trace, self.answer())
    }

    /// The split it belongs to, by a hash of its bits: the same for every run and every machine.
    pub fn split(&self) -> Split {
        // FNV-1a's low bits are a function of the tokens' low bits alone, which here would be the
        // parity itself: mixed, every bit of the hash depends on every bit of the problem.
        if splitmix(fnv1a(&self.prompt())) % TEST_SHARE == 0 {
            Split::Test
        } else {
            Split::Train
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text(&self.prompt()[1..]))
    }
}

fn bit(b: bool) -> u8 {
    if b {
        ONE
    } else {
        ZERO
    }
}

/// The tokens of a solution: `>` and `trace` (when `with_trace`), `=`, the answer, `.`.
pub fn solution_of(with_trace: bool, trace: &[bool], answer: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if with_trace {
        out.push(TRACE);
        out.extend(trace.iter().map(|&b| bit(b)));
    }
    out.extend([ANSWER, bit(answer), END]);
    out
}

/// Tokens as text (a token outside the vocabulary shows as `?`).
pub fn text(tokens: &[u8]) -> String {
    tokens.iter().map(|&t| SYMBOLS.get(t as usize).copied().unwrap_or('?')).collect()
}

/// `count` problems of the `split`, of sizes drawn evenly from `sizes`, the same ones for the same
/// `seed`. Small sizes have few problems (2ᵏ), so they repeat: each draw is a problem asked.
pub fn draw(sizes: std::ops::RangeInclusive<usize>, split: Split, count: usize, seed: u64) -> Vec<Problem> {
    assert!(*sizes.start() >= 1 && *sizes.end() <= MAX_BITS && !sizes.is_empty(), "sizes {sizes:?}");
    let mut state = seed ^ 0x5eed_0f_b175;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        splitmix(state)
    };
    let span = (sizes.end() - sizes.start() + 1) as u64;
    let mut problems = Vec::with_capacity(count);
    while problems.len() < count {
        let size = sizes.start() + (next() % span) as usize;
        let word = next();
        let problem = Problem { bits: (0..size).map(|i| word >> i & 1 == 1).collect() };
        // A size whose every problem is in the other split draws again at another size.
        if problem.split() == split {
            problems.push(problem);
        }
    }
    problems
}

/// The seed of every test set: students and teachers are scored on the same problems.
const TEST_SEED: u64 = 2;

/// `count` test problems of the sizes `taught` and of one size more (longer than any taught: do
/// the steps generalise?), the same everywhere.
pub fn test_problems(taught: &std::ops::RangeInclusive<usize>, count: usize) -> Vec<Problem> {
    draw(*taught.start()..=(taught.end() + 1).min(MAX_BITS), Split::Test, count, TEST_SEED)
}

/// What a model wrote after a prompt, as read by the checking rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The answer after `=`, if it wrote one (a bit, then `.`).
    pub answer: Option<bool>,
    /// Its answer is the problem's.
    pub answer_right: bool,
    /// It wrote a trace and every step of it is right (false without a trace).
    pub trace_right: bool,
}

/// Reads `written` (the tokens after the prompt, up to and including `.`; anything after is
/// ignored) against `problem`. The answer counts only when the solution is well formed: an
/// optional `>` trace, then `=`, one bit and `.`, as a grader of final answers reads them.
pub fn check(problem: &Problem, written: &[u8]) -> Verdict {
    let end = written.iter().position(|&t| t == END).map_or(written.len(), |i| i + 1);
    let written = &written[..end];
    let bits = |tokens: &[u8]| -> Option<Vec<bool>> {
        tokens.iter().map(|&t| (t == ZERO || t == ONE).then_some(t == ONE)).collect()
    };
    let (trace, rest) = match written.first() {
        Some(&TRACE) => {
            let at = written.iter().position(|&t| t == ANSWER).unwrap_or(written.len());
            (bits(&written[1..at]), &written[at..])
        }
        _ => (None, written),
    };
    let answer = match rest {
        [ANSWER, b, END] => bits(&[*b]).map(|b| b[0]),
        _ => None,
    };
    Verdict {
        answer,
        answer_right: answer == Some(problem.answer()),
        trace_right: trace.is_some_and(|t| t == problem.trace()),
    }
}

/// 64-bit FNV-1a: a fixed hash (std's is seeded per process).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<u8> {
        s.chars().map(|c| SYMBOLS.iter().position(|&x| x == c).unwrap() as u8).collect()
    }

    #[test]
    fn a_problem_is_written_with_its_running_parity_and_read_back() {
        let p = Problem::parse("1 011").unwrap();
        assert_eq!(text(&p.prompt()), "$1011");
        assert_eq!(text(&p.solution(true)), ">1101=1.");
        assert_eq!(text(&p.solution(false)), "=1.");
        assert_eq!(p.to_string(), "1011");
        assert_eq!(Problem::parse(&p.to_string()).unwrap(), p);
        assert!(!Problem::parse("0110").unwrap().answer());
        assert!(text(&p.prompt()).len() + text(&p.solution(true)).len() <= MAX_TOKENS);
    }

    #[test]
    fn a_malformed_problem_says_what_is_wrong() {
        assert_eq!(Problem::parse(" "), Err(ProblemError::Empty));
        assert_eq!(Problem::parse("10a1"), Err(ProblemError::NotABit('a')));
        assert_eq!(Problem::parse(&"1".repeat(17)), Err(ProblemError::TooLong(17)));
        assert_eq!(
            ProblemError::NotABit('a').to_string(),
            "“a” is not a bit: a problem is made of 0s and 1s, e.g. 1011"
        );
        assert!(Problem::parse(&"1".repeat(16)).is_ok());
    }

    #[test]
    fn the_checking_rule_reads_the_answer_and_the_work() {
        let p = Problem::parse("1011").unwrap();
        let verdict = |s: &str| check(&p, &tokens(s));
        assert_eq!(verdict(">1101=1."), Verdict { answer: Some(true), answer_right: true, trace_right: true });
        assert_eq!(verdict("=1."), Verdict { answer: Some(true), answer_right: true, trace_right: false });
        // Two wrong steps that cancel: the answer checks out, the work does not (what rejection
        // sampling on answers lets through).
        assert_eq!(verdict(">1011=1."), Verdict { answer: Some(true), answer_right: true, trace_right: false });
        assert_eq!(verdict(">1100=0."), Verdict { answer: Some(false), answer_right: false, trace_right: false });
        // Only a well-formed ending counts; what follows the first `.` does not.
        for bad in ["=1", "=11.", "1.", ">1101=.", "", ">1101=$."] {
            assert_eq!(verdict(bad).answer, None, "{bad}");
        }
        assert!(verdict(">1101=1.=0.").answer_right);
    }

    #[test]
    fn draws_are_the_same_for_a_seed_and_never_cross_the_split() {
        let train = draw(2..=10, Split::Train, 500, 7);
        assert_eq!(train, draw(2..=10, Split::Train, 500, 7));
        assert_ne!(train, draw(2..=10, Split::Train, 500, 8));
        let test = draw(2..=10, Split::Test, 200, 7);
        assert!(train.iter().all(|p| p.split() == Split::Train) && test.iter().all(|p| p.split() == Split::Test));
        for size in 2..=10 {
            let n = train.iter().filter(|p| p.size() == size).count();
            assert!((30..=85).contains(&n), "{n} problems of {size} bits in 500");
        }
        // About one problem in four is a test problem.
        let all: Vec<Problem> =
            (0..1u32 << 12).map(|w| Problem { bits: (0..12).map(|i| w >> i & 1 == 1).collect() }).collect();
        let tested: Vec<&Problem> = all.iter().filter(|p| p.split() == Split::Test).collect();
        assert!((900..1150).contains(&tested.len()), "{} of 4096", tested.len());
        // …and the split says nothing about the answer.
        let odd = tested.iter().filter(|p| p.answer()).count();
        assert!((tested.len() * 2 / 5..tested.len() * 3 / 5).contains(&odd), "{odd} odd of {}", tested.len());
    }
}
