//! The workers that train a run. With the CPU backend on a machine with two or more cores the
//! page starts two workers, one per student, so both cores train (a wasm worker has one thread);
//! on WebGPU one worker trains both students (the GPU is parallel already). The crew gives each
//! worker its share of the page's commands ([`Crew::route`]) and pairs what they answer
//! ([`Crew::receive`]), so the rest of the page sees one trainer. Each student's results are the
//! same whichever worker trains it: it has its own seed, shuffling and optimiser.

use crate::protocol::{Command, Event, Inspection, NextLetters, PerStudent, Solved, Student, Students};
use crate::results::ResultRow;
use crate::workers::WorkerKind;
use std::collections::VecDeque;

#[derive(Debug, Clone, PartialEq)]
pub struct Crew {
    size: usize,
    /// Per worker: how many times it built fresh students. Answers about older students are
    /// dropped, never paired with newer ones.
    generation: Vec<usize>,
    ready: Vec<bool>,
    playing: Vec<bool>,
    finished: Vec<bool>,
    swept: Vec<bool>,
    configured: Pairing<Event>,
    scored: Pairing<Event>,
    /// Per worker: its latest report that was paired. Students with more examples take more
    /// steps (the words task's text mode); once both are done, the longer one's last reports are
    /// paired with the shorter one's final report.
    last_scored: Vec<Option<Event>>,
    inspections: Pairing<Inspection>,
    predictions: Pairing<PerStudent<Vec<f32>>>,
    next_letters: Pairing<NextLetters>,
    solutions: Pairing<Solved>,
    test_logits: Pairing<(Vec<u8>, PerStudent<Vec<f32>>)>,
    rows: Pairing<Box<ResultRow>>,
}

impl Crew {
    /// Two workers for the CPU build when there are two cores to give them, else one.
    pub fn for_machine(kind: WorkerKind, cores: usize) -> Crew {
        Crew::new(if kind.is_cpu() && cores >= 2 { 2 } else { 1 })
    }

    fn new(size: usize) -> Crew {
        Crew {
            size,
            generation: vec![0; size],
            ready: vec![false; size],
            playing: vec![false; size],
            finished: vec![false; size],
            swept: vec![false; size],
            configured: Pairing::new(size),
            scored: Pairing::new(size),
            last_scored: vec![None; size],
            inspections: Pairing::new(size),
            predictions: Pairing::new(size),
            next_letters: Pairing::new(size),
            solutions: Pairing::new(size),
            test_logits: Pairing::new(size),
            rows: Pairing::new(size),
        }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// The students of a run that worker `index` trains.
    pub fn students(&self, index: usize) -> Students {
        match (self.size, index) {
            (1, _) => Students::Both,
            (_, 0) => Students::Only(Student::Distilled),
            _ => Students::Only(Student::Baseline),
        }
    }

    /// Marks worker `index` as listening; true once all are.
    pub fn ready(&mut self, index: usize) -> bool {
        self.ready[index] = true;
        self.ready.iter().all(|&r| r)
    }

    /// The page's command as each worker gets it: the distilled student's weights (and a suspect,
    /// tested against what it was given) go to its worker, a sweep's points are dealt out in
    /// turn, the rest goes to every worker.
    pub fn route(&self, command: Command) -> Vec<(usize, Command)> {
        match command {
            Command::ExportWeights | Command::ImportWeights(_) | Command::TestSuspect { .. } => vec![(0, command)],
            Command::Sweep { name, total, points } => (0..self.size)
                .map(|worker| {
                    let share = points.iter().filter(|(index, _)| index % self.size == worker).cloned().collect();
                    (worker, Command::Sweep { name: name.clone(), total, points: share })
                })
                .collect(),
            other => (0..self.size).map(|worker| (worker, other.clone())).collect(),
        }
    }

    /// What worker `from` said, as the page should hear it: nothing until the other worker's
    /// half has come too; halves come out in worker order (the distilled student first).
    pub fn receive(&mut self, from: usize, event: Event) -> Vec<Event> {
        if self.size == 1 {
            return vec![event];
        }
        let generation = self.generation[from];
        match event {
            Event::Configured { .. } => {
                self.generation[from] += 1;
                self.finished[from] = false;
                self.playing[from] = false;
                self.last_scored[from] = None;
                self.configured.add(from, generation + 1, event).map(|mut all| all.swap_remove(0)).into_iter().collect()
            }
            Event::Scored(_) => {
                let paired = self.scored.add(from, generation, event).unwrap_or_default();
                for (last, half) in self.last_scored.iter_mut().zip(&paired) {
                    *last = Some(half.clone());
                }
                paired
            }
            // The workers' answers about the same students, each side from the worker that has it.
            Event::Inspection(inspection) => {
                let all = self.inspections.add(from, generation, inspection);
                all.map(|all| merged(all, |i| &mut i.students)).map(Event::Inspection).into_iter().collect()
            }
            Event::Prediction(students) => {
                let all = self.predictions.add(from, generation, students);
                all.map(|all| merged(all, |s| s)).map(Event::Prediction).into_iter().collect()
            }
            Event::NextLetters(found) => {
                let all = self.next_letters.add(from, generation, found);
                all.map(|all| merged(all, |f| &mut f.students)).map(Event::NextLetters).into_iter().collect()
            }
            Event::Solved(solved) => {
                let all = self.solutions.add(from, generation, solved);
                all.map(|all| merged(all, |s| &mut s.students)).map(Event::Solved).into_iter().collect()
            }
            Event::TestLogits { labels, students } => {
                let all = self.test_logits.add(from, generation, (labels, students));
                let merged = all.map(|all| merged(all, |(_, students)| students));
                merged.map(|(labels, students)| Event::TestLogits { labels, students }).into_iter().collect()
            }
            Event::Result(row) => {
                self.rows.add(from, generation, row).unwrap_or_default().into_iter().map(Event::Result).collect()
            }
            Event::Running(true) => {
                let first = !self.playing.iter().any(|&p| p);
                self.playing[from] = true;
                if first {
                    vec![Event::Running(true)]
                } else {
                    Vec::new()
                }
            }
            Event::Running(false) => {
                let was = self.playing.iter().any(|&p| p);
                self.playing[from] = false;
                if was && !self.playing.iter().any(|&p| p) {
                    vec![Event::Running(false)]
                } else {
                    Vec::new()
                }
            }
            Event::Finished => {
                if !all_then_reset(&mut self.finished, from) {
                    return Vec::new();
                }
                let mut events = self.reports_after_the_other_finished();
                events.push(Event::Finished);
                events
            }
            Event::SweepDone => {
                if !all_then_reset(&mut self.swept, from) {
                    return Vec::new();
                }
                // An odd number of points leaves the last row without a partner.
                let mut events: Vec<Event> = self.rows.drain().into_iter().flatten().map(Event::Result).collect();
                events.push(Event::SweepDone);
                events
            }
            // One worker speaks for all: they load the same pack on the same device.
            Event::Loaded { .. }
            | Event::Arriving { .. }
            | Event::WordsLoaded(_)
            | Event::ReasoningLoaded(_)
            | Event::Backend { .. }
            | Event::TeacherImported(_)
                if from != 0 =>
            {
                Vec::new()
            }
            other => vec![other],
        }
    }

    /// Reports still waiting when every worker has finished: each paired, in worker order, with
    /// the other workers' last reports.
    fn reports_after_the_other_finished(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        for (from, reports) in self.scored.drain().into_iter().enumerate() {
            for report in reports {
                self.last_scored[from] = Some(report);
                events.extend(self.last_scored.iter().flatten().cloned());
            }
        }
        events
    }
}

/// The first worker's answer, with the students' values of every worker's ([`PerStudent::merge`]).
fn merged<T, V>(all: Vec<T>, students: impl Fn(&mut T) -> &mut PerStudent<V>) -> T {
    all.into_iter()
        .reduce(|mut first, mut other| {
            let mine = std::mem::take(students(&mut first));
            *students(&mut first) = mine.merge(std::mem::take(students(&mut other)));
            first
        })
        .expect("a crew has workers")
}

/// Sets `flags[from]`; when every flag is set, clears them all and returns true.
fn all_then_reset(flags: &mut [bool], from: usize) -> bool {
    flags[from] = true;
    let all = flags.iter().all(|&f| f);
    if all {
        flags.fill(false);
    }
    all
}

/// Answers of one kind waiting for the other workers' answers to the same command, per worker
/// in arrival order (each worker answers the commands in the order they were sent).
#[derive(Debug, Clone, PartialEq)]
struct Pairing<T> {
    waiting: Vec<VecDeque<(usize, T)>>,
}

impl<T> Pairing<T> {
    fn new(size: usize) -> Pairing<T> {
        Pairing { waiting: (0..size).map(|_| VecDeque::new()).collect() }
    }

    /// Queues `item` from worker `from` (about students of `generation`); once every worker
    /// has an answer of the same generation waiting, returns one from each, in worker order.
    fn add(&mut self, from: usize, generation: usize, item: T) -> Option<Vec<T>> {
        self.waiting[from].push_back((generation, item));
        let newest = self.waiting.iter().filter_map(|q| q.front()).map(|(g, _)| *g).max()?;
        for queue in &mut self.waiting {
            while queue.front().is_some_and(|(g, _)| *g < newest) {
                queue.pop_front();
            }
        }
        if self.waiting.iter().any(|q| q.front().is_none_or(|(g, _)| *g != newest)) {
            return None;
        }
        Some(self.waiting.iter_mut().filter_map(|q| q.pop_front()).map(|(_, item)| item).collect())
    }

    /// Everything still waiting, per worker.
    fn drain(&mut self) -> Vec<Vec<T>> {
        self.waiting.iter_mut().map(|q| q.drain(..).map(|(_, item)| item).collect()).collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::protocol::{Pick, Scored};
    use crate::settings::Settings;
    use crate::sweep::SweepPoint;

    pub(crate) fn scored(student: Student, step: usize) -> Event {
        Event::Scored(Box::new(Scored {
            student,
            step,
            total_steps: 10,
            examples_seen: step * 64,
            examples_per_second: 1.0,
            queries: 500,
            answered: 500,
            round_done: false,
            report: crate::chart::tests::student(0.5),
        }))
    }

    /// What the events are, without the NaNs that make them unequal to themselves.
    fn names(events: Vec<Event>) -> Vec<String> {
        events
            .into_iter()
            .map(|event| match event {
                Event::Scored(s) => format!("{:?}@{}", s.student, s.step),
                Event::Result(row) => format!("row {}", row.point),
                other => format!("{other:?}"),
            })
            .collect()
    }

    /// A worker's answer to Configure, for the reducer tests here and in `page`.
    pub(crate) fn configured() -> Event {
        Event::Configured {
            total_steps: 10,
            transfer_examples: 500,
            queries: 500,
            honest_accuracy: 0.99,
            teacher_accuracy: 0.99,
        }
    }

    /// An inspection with the students' logits this worker has (`None`: not its student).
    fn inspection(distilled: Option<f32>, baseline: Option<f32>) -> Event {
        Event::Inspection(Inspection {
            pick: Pick::Test(0),
            label: Some(1),
            pixels: vec![0; 4],
            teacher_logits: vec![0.0; 10],
            students: PerStudent { distilled: distilled.map(|v| vec![v]), baseline: baseline.map(|v| vec![v]) },
        })
    }

    #[test]
    fn two_cores_on_the_cpu_get_a_worker_per_student() {
        assert_eq!(Crew::for_machine(WorkerKind::Cpu, 2).size(), 2);
        assert_eq!(Crew::for_machine(WorkerKind::Cpu, 1).size(), 1);
        assert_eq!(Crew::for_machine(WorkerKind::WebGpu, 8).size(), 1, "the GPU trains both in one worker");
        let crew = Crew::new(2);
        assert_eq!(crew.students(0), Students::Only(Student::Distilled));
        assert_eq!(crew.students(1), Students::Only(Student::Baseline));
        assert_eq!(Crew::new(1).students(0), Students::Both);
    }

    #[test]
    fn commands_go_where_their_student_is_and_a_sweep_is_dealt_out() {
        let crew = Crew::new(2);
        assert_eq!(crew.route(Command::Start), [(0, Command::Start), (1, Command::Start)]);
        assert_eq!(crew.route(Command::ExportWeights), [(0, Command::ExportWeights)]);
        let suspect = Command::TestSuspect { file: "s.safetensors".into(), bytes: vec![1] };
        assert_eq!(crew.route(suspect.clone()), [(0, suspect)]);
        let point =
            |x| SweepPoint { series: "all".into(), x, x_label: format!("t={x}"), settings: Settings::default() };
        let points: Vec<_> = (0..5).map(|i| (i, point(i as f64))).collect();
        let routed = crew.route(Command::Sweep { name: "sweep 1".into(), total: 5, points });
        let dealt: Vec<(usize, Vec<usize>)> = routed
            .into_iter()
            .map(|(worker, command)| match command {
                Command::Sweep { total: 5, points, .. } => (worker, points.iter().map(|(i, _)| *i).collect()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(dealt, [(0, vec![0, 2, 4]), (1, vec![1, 3])]);
    }

    #[test]
    fn halves_are_paired_in_order_whichever_worker_runs_ahead() {
        let mut crew = Crew::new(2);
        assert_eq!(crew.receive(1, configured()), []);
        assert_eq!(crew.receive(0, configured()), [configured()]);
        assert_eq!(crew.receive(0, scored(Student::Distilled, 2)), []);
        assert_eq!(crew.receive(0, scored(Student::Distilled, 4)), []);
        assert_eq!(names(crew.receive(1, scored(Student::Baseline, 2))), ["Distilled@2", "Baseline@2"]);
        assert_eq!(names(crew.receive(1, scored(Student::Baseline, 4))), ["Distilled@4", "Baseline@4"]);
        assert_eq!(crew.receive(1, inspection(None, Some(2.0))), []);
        assert_eq!(crew.receive(0, inspection(Some(1.0), None)), [inspection(Some(1.0), Some(2.0))]);
        let prediction = |d: Option<f32>, b: Option<f32>| {
            Event::Prediction(PerStudent { distilled: d.map(|v| vec![v]), baseline: b.map(|v| vec![v]) })
        };
        assert_eq!(crew.receive(0, prediction(Some(1.0), None)), []);
        assert_eq!(crew.receive(1, prediction(None, Some(2.0))), [prediction(Some(1.0), Some(2.0))]);
    }

    #[test]
    fn the_longer_students_last_reports_pair_with_the_others_final_one() {
        let mut crew = Crew::new(2);
        crew.receive(0, configured());
        crew.receive(1, configured());
        assert_eq!(names(crew.receive(0, scored(Student::Distilled, 2))), [] as [&str; 0]);
        assert_eq!(names(crew.receive(1, scored(Student::Baseline, 2))), ["Distilled@2", "Baseline@2"]);
        assert_eq!(crew.receive(0, scored(Student::Distilled, 3)), [], "one step more to go than the baseline");
        assert_eq!(crew.receive(1, Event::Finished), []);
        assert_eq!(names(crew.receive(0, Event::Finished)), ["Distilled@3", "Baseline@2", "Finished"]);
    }

    #[test]
    fn answers_about_old_students_are_never_paired_with_new_ones() {
        let mut crew = Crew::new(2);
        crew.receive(0, configured());
        crew.receive(1, configured());
        // Worker 0 already has fresh students; worker 1 still answers about its old one.
        assert_eq!(crew.receive(0, configured()), []);
        assert_eq!(crew.receive(0, inspection(Some(1.0), None)), []);
        assert_eq!(crew.receive(1, inspection(None, Some(9.0))), [], "stale: dropped");
        assert_eq!(crew.receive(1, configured()), [configured()]);
        assert_eq!(crew.receive(1, inspection(None, Some(2.0))), [inspection(Some(1.0), Some(2.0))]);
    }

    #[test]
    fn the_run_plays_while_any_worker_does_and_ends_when_all_have() {
        let mut crew = Crew::new(2);
        assert_eq!(crew.receive(0, Event::Running(true)), [Event::Running(true)]);
        assert_eq!(crew.receive(1, Event::Running(true)), []);
        assert_eq!(crew.receive(0, Event::Running(false)), []);
        assert_eq!(crew.receive(0, Event::Finished), []);
        assert_eq!(crew.receive(1, Event::Running(false)), [Event::Running(false)]);
        assert_eq!(crew.receive(1, Event::Finished), [Event::Finished]);
        assert_eq!(crew.receive(1, Event::Loaded { curated: Vec::new() }), [], "worker 0 speaks for the pack");
        assert_eq!(crew.receive(1, Event::Error(crate::protocol::WorkerError::NoPack)).len(), 1);
    }

    #[test]
    fn a_sweeps_rows_come_out_in_point_order_and_the_last_odd_one_at_the_end() {
        let mut crew = Crew::new(2);
        let row = |point: &str| {
            let mut row = ResultRow::new("sweep 1", "all", None, &Settings::default());
            row.point = point.into();
            Event::Result(Box::new(row))
        };
        assert!(crew.receive(0, row("0")).is_empty());
        assert_eq!(names(crew.receive(1, row("1"))), ["row 0", "row 1"]);
        assert!(crew.receive(0, row("2")).is_empty());
        assert!(crew.receive(1, Event::SweepDone).is_empty());
        assert_eq!(names(crew.receive(0, Event::SweepDone)), ["row 2", "SweepDone"]);
    }
}
