//! What a reasoning student sees of its teacher, as the [`Lesson`] it learns from. The teacher's
//! outputs are cached as pipelines cache them ([`Asked`]): for each problem asked, the solution it
//! sampled at a temperature (some wrong: it is not perfect when it samples) and its k most likely
//! next tokens, with their probabilities, at every token of it. A budget counts problems asked.
//!
//! The modes are every task's, read for this one:
//! - `labels`: no teacher, the problems' true answers (the baseline);
//! - `top1`: the teacher's final answers alone, as an API returns them;
//! - `top2` (`topk`): its answers with its k most likely symbols there and their probabilities;
//! - `text`: its whole written solutions, steps and answer (the R1-distill recipe);
//! - `verified`: only the solutions whose answer checks out (rejection sampling);
//! - `soft`: white box, its solutions with its probabilities at every token.

use super::set::Lesson;
use super::write::{write, Decoding, Written};
use super::{Asked, Reasoner};
use crate::error::TrainError;
use crate::language::targets::{from_top_k, top_k};
use burn::prelude::*;
use distill_data::problems::{check, solution_of, Problem, ANSWER, VOCABULARY};
use distill_spec::Mode;

/// Whether a student of `mode` is taught to write the steps before the answer.
pub fn writes_steps(mode: Mode) -> bool {
    matches!(mode, Mode::Text | Mode::Verified | Mode::Soft)
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

/// The lesson of a `mode` student of the teacher's answers to `asked`, its soft targets softened
/// at `temperature` (a top-k beyond the cache's is cut to it). A problem whose solution the
/// teacher left without a readable answer teaches an answers-only student nothing and is left
/// out of its lesson.
pub fn lesson(asked: &[Asked], mode: Mode, temperature: f32) -> Lesson {
    let mut lesson = Lesson::default();
    for a in asked {
        let prompt = a.problem.prompt();
        let answer = check(&a.problem, &a.solution).answer;
        // The teacher's top `kept` (of the cache's k) at each token `from..to` of its solution.
        let soft = |from: usize, to: usize, kept: usize| {
            let k = a.k();
            let rows =
                |all: &[f32]| all[from * k..to * k].chunks(k).flat_map(|r| r[..kept].to_vec()).collect::<Vec<f32>>();
            let tokens: Vec<u8> = a.top_tokens[from * k..to * k].chunks(k).flat_map(|r| r[..kept].to_vec()).collect();
            from_top_k(&tokens, &rows(&a.top_probabilities), kept, VOCABULARY, temperature)
        };
        match mode {
            Mode::LabelsOnly => lesson.push(&prompt, &a.problem.solution(false), None),
            Mode::TopLabel => {
                if let Some(answer) = answer {
                    lesson.push(&prompt, &solution_of(false, &[], answer), None);
                }
            }
            Mode::TopK(k) => {
                let Some(answer) = answer else { continue };
                // `=` and `.` are certain; the answer's distribution is the teacher's where it wrote it.
                let at = a.solution.iter().position(|&t| t == ANSWER).expect("a read answer follows `=`") + 1;
                let solution = solution_of(false, &[], answer);
                let mut targets = one_hot(solution[0]);
                targets.extend(soft(at, at + 1, k.min(a.k())));
                targets.extend(one_hot(solution[2]));
                lesson.push(&prompt, &solution, Some(targets));
            }
            Mode::Text => lesson.push(&prompt, &a.solution, None),
            Mode::Verified => {
                if a.is_right() {
                    lesson.push(&prompt, &a.solution, None);
                }
            }
            Mode::Soft => lesson.push(&prompt, &a.solution, Some(soft(0, a.solution.len(), a.k()))),
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
        let of = |mode| lesson(&all, mode, 1.0);
        assert_eq!(rows(&of(Mode::LabelsOnly)), ["$1011=1."; 4]);
        // The teacher's answers, wrong ones included; one it never wrote teaches nothing.
        assert_eq!(rows(&of(Mode::TopLabel)), ["$1011=1.", "$1011=0.", "$1011=1."]);
        assert_eq!(rows(&of(Mode::Text)), ["$1011>1101=1.", "$1011>1100=0.", "$1011>0111=1.", "$1011>11"]);
        // Rejection sampling keeps a right answer reached by wrong steps.
        assert_eq!(rows(&of(Mode::Verified)), ["$1011>1101=1.", "$1011>0111=1."]);
        assert!(of(Mode::Text).soft.is_none() && of(Mode::TopLabel).soft.is_none());
        assert_eq!(of(Mode::TopLabel).prompt_lengths, [5, 5, 5]);

        let probabilities = of(Mode::TopK(2));
        assert_eq!(rows(&probabilities), rows(&of(Mode::TopLabel)));
        let soft = &probabilities.soft.as_ref().unwrap()[0];
        // `=` certain; the answer as the teacher gave it (1 at 0.9, 0 at 0.1); `.` certain.
        let expected = [[0., 0., 0., 0., 0., 1.], [0., 0.1, 0.9, 0., 0., 0.], [1., 0., 0., 0., 0., 0.]];
        assert!(soft.iter().zip(expected.iter().flatten()).all(|(a, b)| (a - b).abs() < 1e-6), "{soft:?}");

        let white = of(Mode::Soft);
        assert_eq!(rows(&white), rows(&of(Mode::Text)));
        let soft = &white.soft.as_ref().unwrap()[1];
        assert_eq!(soft.len(), 8 * VOCABULARY);
        // The fifth token written, `0`, had 0.9 + 0.1 on itself.
        assert!((soft[4 * VOCABULARY + 1] - 1.0).abs() < 1e-6, "{soft:?}");
        for mode in [Mode::LabelsOnly, Mode::TopLabel, Mode::TopK(2), Mode::Text, Mode::Verified, Mode::Soft] {
            assert_eq!(of(mode).tokens_learnt(), of(mode).rows.iter().map(|r| r.len() - 5).sum::<usize>());
        }
        // Top-1 of the answer's distribution is the teacher's answer alone, certain.
        let top1 = &of(Mode::TopK(1)).soft.unwrap()[0];
        assert!((top1[VOCABULARY + 2] - 1.0).abs() < 1e-6, "{top1:?}");
    }
}
