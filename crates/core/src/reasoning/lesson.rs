//! What a reasoning student sees of its teacher, as the [`Lesson`] it learns from. The teacher's
//! outputs are cached as pipelines cache them ([`Asked`]): for each problem asked, the solution it
//! sampled at a temperature (some wrong: it is not perfect when it samples) and its k most likely
//! next tokens, with their probabilities, at every token of it. A budget counts problems asked.
//!
//! - [`Shown::TrueAnswers`]: no teacher, the problems' true answers (the baseline);
//! - [`Shown::Answers`]: the teacher's final answers alone, as an API returns them;
//! - [`Shown::AnswerProbabilities`]: its answers with its probabilities for them (soft targets);
//! - [`Shown::Traces`]: its whole written solutions, steps and answer, as text (the R1-distill
//!   recipe);
//! - [`Shown::VerifiedTraces`]: only the solutions whose answer checks out (rejection sampling);
//! - [`Shown::WhiteBox`]: its solutions with its probabilities at every token.

use super::set::Lesson;
use super::write::{write, Decoding, Written};
use super::{Asked, Reasoner};
use crate::error::TrainError;
use crate::language::targets::{from_top_k, top_k};
use burn::prelude::*;
use distill_data::problems::{check, solution_of, Problem, ANSWER, VOCABULARY};

/// What a student is shown of the teacher's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    TrueAnswers,
    Answers,
    AnswerProbabilities,
    Traces,
    VerifiedTraces,
    WhiteBox,
}

impl Shown {
    pub const ALL: [Shown; 6] = [
        Shown::TrueAnswers,
        Shown::Answers,
        Shown::AnswerProbabilities,
        Shown::Traces,
        Shown::VerifiedTraces,
        Shown::WhiteBox,
    ];

    /// Each one's spelling (the CLI's `--shown`), in the order of [`Shown::ALL`].
    pub const NAMES: [&'static str; 6] = ["truth", "answers", "answer-probs", "traces", "verified", "white-box"];

    pub fn name(self) -> &'static str {
        Shown::NAMES[Shown::ALL.iter().position(|&s| s == self).expect("every one is in ALL")]
    }

    /// Whether the student is taught to write the steps before the answer.
    pub fn with_trace(self) -> bool {
        matches!(self, Shown::Traces | Shown::VerifiedTraces | Shown::WhiteBox)
    }
}

impl std::str::FromStr for Shown {
    type Err = String;
    fn from_str(name: &str) -> Result<Shown, String> {
        let at = Shown::NAMES.iter().position(|&n| n == name);
        at.map(|i| Shown::ALL[i]).ok_or_else(|| format!("“{name}” is none of {}", Shown::NAMES.join(", ")))
    }
}

/// The teacher's cache entry for `problem` from what it wrote, keeping its `k` most likely
/// tokens at each step.
pub fn asked(problem: Problem, written: &Written, k: usize) -> Asked {
    let logits: Vec<f32> = written.distributions.iter().flatten().map(|p| p.max(f32::MIN_POSITIVE).ln()).collect();
    let (top_tokens, top_probabilities) = top_k(&logits, VOCABULARY, k);
    Asked { problem, solution: written.tokens.clone(), top_tokens, top_probabilities }
}

/// Asks `teacher` every problem: its solutions sampled at `temperature` from `seed`, its `k`
/// most likely tokens kept at each step.
pub async fn ask(
    teacher: &Reasoner,
    problems: &[Problem],
    temperature: f32,
    seed: u64,
    k: usize,
    device: &Device,
) -> Result<Vec<Asked>, TrainError> {
    let written = write(teacher, problems, Decoding::Sample { temperature, seed }, device).await?;
    Ok(problems.iter().zip(&written).map(|(p, w)| asked(p.clone(), w, k)).collect())
}

/// The lesson of a student `shown` this much of the teacher's answers to `asked`, its soft
/// targets softened at `temperature`. A problem whose solution the teacher left without a
/// readable answer teaches an answers-only student nothing and is left out of its lesson.
pub fn lesson(asked: &[Asked], shown: Shown, temperature: f32) -> Lesson {
    let mut lesson = Lesson::default();
    for a in asked {
        let prompt = a.problem.prompt();
        let answer = check(&a.problem, &a.solution).answer;
        let soft = |from: usize, to: usize| {
            let k = a.k();
            let (tokens, probabilities) = (&a.top_tokens[from * k..to * k], &a.top_probabilities[from * k..to * k]);
            from_top_k(tokens, probabilities, k, VOCABULARY, temperature)
        };
        match shown {
            Shown::TrueAnswers => lesson.push(&prompt, &a.problem.solution(false), None),
            Shown::Answers => {
                if let Some(answer) = answer {
                    lesson.push(&prompt, &solution_of(false, &[], answer), None);
                }
            }
            Shown::AnswerProbabilities => {
                let Some(answer) = answer else { continue };
                // `=` and `.` are certain; the answer's distribution is the teacher's where it wrote it.
                let at = a.solution.iter().position(|&t| t == ANSWER).expect("a read answer follows `=`") + 1;
                let solution = solution_of(false, &[], answer);
                let mut targets = one_hot(solution[0]);
                targets.extend(soft(at, at + 1));
                targets.extend(one_hot(solution[2]));
                lesson.push(&prompt, &solution, Some(targets));
            }
            Shown::Traces => lesson.push(&prompt, &a.solution, None),
            Shown::VerifiedTraces => {
                if a.is_right() {
                    lesson.push(&prompt, &a.solution, None);
                }
            }
            Shown::WhiteBox => lesson.push(&prompt, &a.solution, Some(soft(0, a.solution.len()))),
        }
    }
    lesson
}

fn one_hot(token: u8) -> Vec<f32> {
    (0..VOCABULARY).map(|t| if t == token as usize { 1.0 } else { 0.0 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_data::problems::text;

    /// The teacher's cache entry for 1011 (answer 1) with a sampled `solution` and, at every
    /// step, 90% on the token it wrote and 10% on `0`.
    fn asked(solution: &str) -> Asked {
        let problem = Problem::parse("1011").unwrap();
        let tokens: Vec<u8> = solution
            .chars()
            .map(|c| distill_data::problems::SYMBOLS.iter().position(|&s| s == c).unwrap() as u8)
            .collect();
        let distributions = tokens
            .iter()
            .map(|&t| {
                (0..VOCABULARY)
                    .map(|v| {
                        if v == t as usize {
                            0.9
                        } else if v == 1 {
                            0.1
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        super::asked(problem, &Written { tokens, distributions }, 2)
    }

    #[test]
    fn a_teachers_samples_are_the_same_for_a_seed_and_keep_k_tokens_a_step() {
        let device = Device::flex();
        let shape = super::super::ReasonerShape { width: 16, heads: 2, layers: 1, feed_forward: 32 };
        let teacher = Reasoner::init(&shape, 4, &device);
        let problems: Vec<Problem> = ["101", "0110", "11", "1"].iter().map(|p| Problem::parse(p).unwrap()).collect();
        let asked = |seed| pollster::block_on(ask(&teacher, &problems, 1.5, seed, 3, &device)).unwrap();
        let (a, b) = (asked(7), asked(7));
        assert_eq!(a, b);
        assert_ne!(
            a.iter().map(|a| &a.solution).collect::<Vec<_>>(),
            asked(8).iter().map(|a| &a.solution).collect::<Vec<_>>()
        );
        for (a, p) in a.iter().zip(&problems) {
            assert_eq!(&a.problem, p, "in the problems' order");
            // An untrained model rarely ends early: it writes as much as a solution can have.
            assert!(!a.solution.is_empty() && a.solution.len() <= p.size() + 4, "{:?}", a.solution);
            assert_eq!((a.k(), a.top_probabilities.len()), (3, 3 * a.solution.len()));
            assert!(a.top_probabilities.chunks(3).all(|top| top[0] >= top[1] && top[1] >= top[2]));
        }
        let greedy = || pollster::block_on(write(&teacher, &problems, Decoding::Greedy, &device)).unwrap();
        let written = greedy();
        assert_eq!(written, greedy());
        for w in &written {
            assert!(w.distributions.iter().all(|p| (p.iter().sum::<f32>() - 1.0).abs() < 1e-4));
            assert!(
                w.probabilities().iter().zip(&w.distributions).all(|(q, p)| p.iter().all(|x| x <= q)),
                "greedy takes the most likely"
            );
        }
    }

    fn rows(lesson: &Lesson) -> Vec<String> {
        lesson.rows.iter().map(|r| text(r)).collect()
    }

    #[test]
    fn each_mode_shows_its_part_of_the_teachers_work() {
        // One right solution, one with a wrong step and answer, one with two wrong steps that cancel.
        let all = [asked(">1101=1."), asked(">1100=0."), asked(">0111=1."), asked(">11")];
        assert_eq!(all.iter().map(Asked::is_right).collect::<Vec<_>>(), [true, false, true, false]);
        let of = |shown| lesson(&all, shown, 1.0);
        assert_eq!(rows(&of(Shown::TrueAnswers)), ["$1011=1."; 4]);
        // The teacher's answers, wrong ones included; one it never wrote teaches nothing.
        assert_eq!(rows(&of(Shown::Answers)), ["$1011=1.", "$1011=0.", "$1011=1."]);
        assert_eq!(rows(&of(Shown::Traces)), ["$1011>1101=1.", "$1011>1100=0.", "$1011>0111=1.", "$1011>11"]);
        // Rejection sampling keeps a right answer reached by wrong steps.
        assert_eq!(rows(&of(Shown::VerifiedTraces)), ["$1011>1101=1.", "$1011>0111=1."]);
        assert!(of(Shown::Traces).soft.is_none() && of(Shown::Answers).soft.is_none());
        assert_eq!(of(Shown::Answers).prompt_lengths, [5, 5, 5]);

        let probabilities = of(Shown::AnswerProbabilities);
        assert_eq!(rows(&probabilities), rows(&of(Shown::Answers)));
        let soft = &probabilities.soft.as_ref().unwrap()[0];
        // `=` certain; the answer as the teacher gave it (1 at 0.9, 0 at 0.1); `.` certain.
        let expected = [[0., 0., 0., 0., 0., 1.], [0., 0.1, 0.9, 0., 0., 0.], [1., 0., 0., 0., 0., 0.]];
        assert!(soft.iter().zip(expected.iter().flatten()).all(|(a, b)| (a - b).abs() < 1e-6), "{soft:?}");

        let white = of(Shown::WhiteBox);
        assert_eq!(rows(&white), rows(&of(Shown::Traces)));
        let soft = &white.soft.as_ref().unwrap()[1];
        assert_eq!(soft.len(), 8 * VOCABULARY);
        // The fifth token written, `0`, had 0.9 + 0.1 on itself.
        assert!((soft[4 * VOCABULARY + 1] - 1.0).abs() < 1e-6, "{soft:?}");
        for shown in Shown::ALL {
            assert_eq!(of(shown).tokens_learnt(), of(shown).rows.iter().map(|r| r.len() - 5).sum::<usize>());
        }
    }
}
