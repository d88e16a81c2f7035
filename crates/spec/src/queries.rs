//! Black-box distillation as a copier meets it: every answer of the teacher's API costs one query,
//! so the copier asks in rounds and chooses what to ask ([`QueryRounds`]), and the API's owner
//! can make each answer say less ([`Defence`]). Settings only; the selection and the answers are
//! computed in `distill_core`.

use crate::{GreenList, Mark};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the copier picks the images of its next round among those not yet asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum QueryStrategy {
    /// A seeded random draw: what a copier does without a plan.
    Random,
    /// The images the student is least sure of: the smallest gap between its two most probable
    /// classes (margin sampling).
    Uncertainty,
    /// Images far from everything asked so far, so the questions cover the whole data: k-means++
    /// seeding (Arthur & Vassilvitskii 2007) on the pixels averaged over 4×4 blocks.
    Diversity,
}

impl QueryStrategy {
    pub const ALL: [QueryStrategy; 3] = [QueryStrategy::Random, QueryStrategy::Uncertainty, QueryStrategy::Diversity];
    /// Each strategy's one spelling, in the order of [`QueryStrategy::ALL`].
    pub const NAMES: [&'static str; 3] = ["random", "uncertainty", "diversity"];

    pub fn name(self) -> &'static str {
        QueryStrategy::NAMES[self as usize]
    }
}

impl fmt::Display for QueryStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A strategy name that is not one of the strategies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query strategy `{0}`: expected random, uncertainty or diversity")]
pub struct QueryStrategyError(pub String);

impl FromStr for QueryStrategy {
    type Err = QueryStrategyError;
    fn from_str(s: &str) -> Result<Self, QueryStrategyError> {
        QueryStrategy::ALL.into_iter().find(|q| q.name() == s).ok_or_else(|| QueryStrategyError(s.to_string()))
    }
}

impl From<QueryStrategy> for String {
    fn from(q: QueryStrategy) -> String {
        q.to_string()
    }
}

impl TryFrom<String> for QueryStrategy {
    type Error = QueryStrategyError;
    fn try_from(s: String) -> Result<Self, QueryStrategyError> {
        s.parse()
    }
}

/// Asking in rounds: a random first round of `seed_size` images, then rounds of `round_size`
/// chosen by `strategy`, until the run's budget is spent. Between rounds the student trains on
/// everything answered so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryRounds {
    pub strategy: QueryStrategy,
    pub seed_size: usize,
    pub round_size: usize,
}

/// What the API gives beyond its quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BeyondQuota {
    /// No answer: the query is spent and the copier learns nothing from it.
    Refuse,
    /// An answer that looks like any other but is drawn at random.
    Random,
}

impl BeyondQuota {
    pub const ALL: [BeyondQuota; 2] = [BeyondQuota::Refuse, BeyondQuota::Random];
    /// Each one's spelling, in the order of [`BeyondQuota::ALL`].
    pub const NAMES: [&'static str; 2] = ["refuse", "random"];

    pub fn name(self) -> &'static str {
        BeyondQuota::NAMES[self as usize]
    }
}

/// What the teacher's API does to its answers. The default changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Defence {
    /// Probabilities rounded to this many decimals (a class may round to 0 and drop out).
    pub decimals: Option<u32>,
    /// Standard deviation of Gaussian noise added to each probability (then clipped at 0 and
    /// renormalised), fresh for every answer.
    pub noise: f32,
    /// Answers the API gives honestly to one user, and what it does after them.
    pub quota: Option<(usize, BeyondQuota)>,
    /// Its keyed watermark: a few answers are a plausible lie the owner can look for later.
    pub mark: Mark,
    /// The words teacher's watermark on the words it writes, keyed by the same key as `mark`.
    pub green: GreenList,
}

impl Defence {
    /// Nothing done to any answer.
    pub fn is_none(&self) -> bool {
        self.answers_exactly() && !self.mark.is_on() && !self.green.is_on()
    }

    /// The owner's secret key, one for both watermarks.
    pub fn set_key(&mut self, key: u64) {
        (self.mark.key, self.green.key) = (key, key);
    }

    /// Every answer is the teacher's own (a marked one too: the teacher's logits, trading two
    /// classes): no rounding, noise or quota.
    pub fn answers_exactly(&self) -> bool {
        self.decimals.is_none() && self.noise == 0.0 && self.quota.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies_parse_and_print() {
        for q in QueryStrategy::ALL {
            assert_eq!(q.to_string().parse::<QueryStrategy>(), Ok(q));
        }
        let err = "entropy".parse::<QueryStrategy>().unwrap_err();
        assert!(err.to_string().contains("expected random, uncertainty or diversity"), "{err}");
    }

    #[test]
    fn no_defence_is_the_default() {
        assert!(Defence::default().is_none());
        assert!(!Defence { noise: 0.1, ..Defence::default() }.is_none());
        let marked = Defence { mark: Mark { key: 3, rate: 0.01 }, ..Defence::default() };
        assert!(!marked.is_none() && marked.answers_exactly());
        assert!(
            Defence { mark: Mark { key: 3, rate: 0.0 }, ..Defence::default() }.is_none(),
            "a key alone marks nothing"
        );
        let green = Defence { green: GreenList { delta: 2.0, ..GreenList::default() }, ..Defence::default() };
        assert!(!green.is_none() && green.answers_exactly());
        let mut keyed = Defence::default();
        keyed.set_key(7);
        assert_eq!((keyed.mark.key, keyed.green.key), (7, 7));
    }
}
