//! What the page's outbox sends a worker around a command: the files it needs first. The page
//! downloads every file once for all its workers and sends each worker its own copy
//! ([`Command::File`]) just before the command that unpacks it; this remembers, per worker, which
//! pack it holds and which questions files, so that a `Configure` or `Sweep` whose runs ask about
//! other images comes after an `AddQuestions` for each file that worker lacks, and only then.

use crate::protocol::{questions_for, Command};
use distill_data::catalog::PackEntry;

#[derive(Debug, Clone, Default)]
struct Holds {
    /// The images pack it was sent last (none for the other tasks').
    pack: Option<PackEntry>,
    /// A user's own teacher answers in the pack's place: it is asked about its own images only.
    imported: bool,
    /// The questions files sent since that pack.
    questions: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Deliveries {
    workers: Vec<Holds>,
}

impl Deliveries {
    /// Fresh workers, holding nothing.
    pub fn new(workers: usize) -> Deliveries {
        Deliveries { workers: vec![Holds::default(); workers] }
    }

    /// The commands to post to `worker` for `command`, in order: an `AddQuestions` for each
    /// questions file its runs ask about and the worker lacks, then `command` itself.
    pub fn before(&mut self, worker: usize, command: Command) -> Vec<Command> {
        if worker >= self.workers.len() {
            self.workers.resize(worker + 1, Holds::default());
        }
        let holds = &mut self.workers[worker];
        let asks: Vec<_> = match &command {
            Command::Load(entry) => {
                *holds = Holds { pack: Some(entry.clone()), ..Holds::default() };
                Vec::new()
            }
            Command::LoadWords(_) | Command::LoadReasoning(_) => {
                *holds = Holds::default();
                Vec::new()
            }
            Command::ImportTeacher { .. } => {
                holds.imported = true;
                Vec::new()
            }
            Command::Configure(settings) => vec![settings.api.ask],
            Command::Sweep { points, .. } => points.iter().map(|(_, point)| point.settings.api.ask).collect(),
            _ => Vec::new(),
        };
        let mut commands = Vec::new();
        if let (Some(pack), false) = (&holds.pack, holds.imported) {
            for entry in asks.into_iter().filter_map(|ask| questions_for(pack, ask)) {
                if !holds.questions.contains(&entry.file) {
                    holds.questions.push(entry.file.clone());
                    commands.push(Command::AddQuestions(entry.clone()));
                }
            }
        }
        commands.push(command);
        commands
    }

    /// `file` did not arrive at `worker` (its download failed): a later run asks for it again.
    pub fn not_delivered(&mut self, worker: usize, file: &str) {
        if let Some(holds) = self.workers.get_mut(worker) {
            holds.questions.retain(|f| f != file);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{AskAbout, Settings};
    use crate::sweep::SweepPoint;
    use distill_data::catalog::QuestionsEntry;

    fn pack() -> PackEntry {
        let mut pack = crate::page::tests::catalog(5000).packs.remove(0);
        let questions = |about: &str| QuestionsEntry {
            about: about.into(),
            file: format!("mnist-mlp.ask-{about}.safetensors"),
            bytes: 100,
            sha256: "ab".repeat(32),
        };
        pack.questions = vec![questions("fashion"), questions("strokes")];
        pack
    }

    fn asking(ask: AskAbout) -> Settings {
        let mut settings = Settings::default();
        settings.api.ask = ask;
        settings
    }

    fn names(commands: &[Command]) -> Vec<String> {
        commands
            .iter()
            .map(|c| match c {
                Command::AddQuestions(entry) => entry.file.clone(),
                other => format!("{other:?}").split(['(', ' ']).next().unwrap().to_string(),
            })
            .collect()
    }

    #[test]
    fn questions_go_once_to_each_worker_before_the_runs_that_ask_about_them() {
        let mut deliveries = Deliveries::new(2);
        assert_eq!(names(&deliveries.before(0, Command::Load(pack()))), ["Load"]);
        let own = Command::Configure(asking(AskAbout::Own));
        assert_eq!(names(&deliveries.before(0, own)), ["Configure"], "none for its own images");
        let strokes = Command::Configure(asking(AskAbout::Strokes));
        assert_eq!(names(&deliveries.before(0, strokes.clone())), ["mnist-mlp.ask-strokes.safetensors", "Configure"]);
        assert_eq!(names(&deliveries.before(0, strokes.clone())), ["Configure"], "it has them");
        assert_eq!(names(&deliveries.before(1, strokes.clone())), ["Configure"], "worker 1 has no pack yet");

        let point = |ask| (0, SweepPoint { series: "s".into(), x: 0.0, x_label: "x".into(), settings: asking(ask) });
        let sweep = Command::Sweep {
            name: "sweep 1".into(),
            total: 3,
            points: vec![point(AskAbout::Other), point(AskAbout::Strokes), point(AskAbout::Other)],
        };
        assert_eq!(names(&deliveries.before(0, sweep)), ["mnist-mlp.ask-fashion.safetensors", "Sweep"]);

        deliveries.not_delivered(0, "mnist-mlp.ask-strokes.safetensors");
        let again = deliveries.before(0, strokes.clone());
        assert_eq!(
            names(&again),
            ["mnist-mlp.ask-strokes.safetensors", "Configure"],
            "a failed download is tried again"
        );
        deliveries.before(0, Command::Load(pack()));
        assert_eq!(names(&deliveries.before(0, strokes)).len(), 2, "a new pack holds no questions");
    }

    #[test]
    fn a_users_own_teacher_or_another_task_gets_no_questions() {
        let mut deliveries = Deliveries::new(1);
        let strokes = Command::Configure(asking(AskAbout::Strokes));
        deliveries.before(0, Command::Load(pack()));
        deliveries.before(0, Command::ImportTeacher { file: "mine.safetensors".into(), bytes: Vec::new() });
        assert_eq!(
            names(&deliveries.before(0, strokes.clone())),
            ["Configure"],
            "it answers about its own images only"
        );
        let words = crate::page::tests::with_words(crate::page::tests::catalog(5000)).words.remove(0);
        deliveries.before(0, Command::LoadWords(words));
        assert_eq!(names(&deliveries.before(0, strokes)), ["Configure"]);
    }
}
