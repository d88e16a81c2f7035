//! What the page shows of the chosen task's students besides what every task has (reports,
//! results): the image views, the words views or the reasoning views, one at a time. Choosing another task replaces
//! the view whole ([`TaskView::for_task`]), so nothing of the old task's is left on screen, and
//! news from the old task's workers finds nowhere to land.

use super::*;
use distill_data::problems::ProblemError;

#[derive(Debug, Clone, PartialEq)]
pub enum TaskView {
    Images(ImagesView),
    Words(WordsView),
    Reasoning(ReasoningView),
}

/// The image task's views: the ambiguous test images and the inspected one, a drawn digit and
/// both students' logits for it, and every test image's logits (the missing-class slider).
#[derive(Debug, Clone, PartialEq)]
pub struct ImagesView {
    pub curated: Vec<Curated>,
    pub inspected: Pick,
    pub inspection: Option<Inspection>,
    /// The drawn digit (28×28, MNIST-like) and both students' logits for it.
    pub drawing: Option<Vec<u8>>,
    pub prediction: Option<PerStudent<Vec<f32>>>,
    pub test_logits: Option<TestLogits>,
}

/// The words task's views: the loaded pack's teacher, the prefix typed in the next-letter view
/// and what each model says comes after it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WordsView {
    pub teacher: Option<WordsTeacher>,
    pub prefix: String,
    pub next_letters: Option<NextLetters>,
    /// Why the typed prefix cannot be asked about (a character the alphabet lacks).
    pub prefix_problem: Option<WorkerError>,
}

/// The reasoning task's views: the loaded pack's teacher, the problem typed in the "show your
/// work" view and what each model writes after it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasoningView {
    pub teacher: Option<ReasoningTeacher>,
    pub problem: String,
    pub solved: Option<Solved>,
    /// Why the typed problem cannot be asked about.
    pub refusal: Option<ProblemError>,
}

impl Default for ReasoningView {
    /// Seven bits: a size the students are taught.
    fn default() -> ReasoningView {
        ReasoningView { teacher: None, problem: "1101001".into(), solved: None, refusal: None }
    }
}

impl TaskView {
    /// A fresh, empty view for `task`.
    pub fn for_task(task: Task) -> TaskView {
        match task {
            Task::Images => TaskView::Images(ImagesView {
                curated: Vec::new(),
                inspected: Pick::Test(0),
                inspection: None,
                drawing: None,
                prediction: None,
                test_logits: None,
            }),
            Task::Words => TaskView::Words(WordsView::default()),
            Task::Reasoning => TaskView::Reasoning(ReasoningView::default()),
        }
    }

    /// What the page asks the workers about students that changed: the inspected image and the
    /// drawing's prediction, or the next letters after the typed prefix.
    pub(super) fn look_again(&self) -> Vec<Command> {
        match self {
            TaskView::Images(view) => {
                let predict = view.drawing.clone().map(Command::Predict);
                std::iter::once(Command::Inspect(view.inspected)).chain(predict).collect()
            }
            TaskView::Words(view) => vec![Command::NextLetters(view.prefix.clone())],
            TaskView::Reasoning(view) if view.refusal.is_none() => vec![Command::Solve(view.problem.clone())],
            TaskView::Reasoning(_) => Vec::new(),
        }
    }

    /// What belonged to the students just replaced (the new ones are asked again).
    pub(super) fn forget_the_students(&mut self) {
        if let TaskView::Images(view) = self {
            view.test_logits = None;
        }
    }
}

impl Page {
    /// The image task's views (none while another task is chosen).
    pub fn images(&self) -> Option<&ImagesView> {
        match &self.view {
            TaskView::Images(view) => Some(view),
            _ => None,
        }
    }

    /// The words task's views (none while another task is chosen).
    pub fn words(&self) -> Option<&WordsView> {
        match &self.view {
            TaskView::Words(view) => Some(view),
            _ => None,
        }
    }

    /// The reasoning task's views (none while another task is chosen).
    pub fn reasoning(&self) -> Option<&ReasoningView> {
        match &self.view {
            TaskView::Reasoning(view) => Some(view),
            _ => None,
        }
    }

    /// The image views to change; none, and the change is dropped, under another task (late news
    /// from its workers).
    pub(super) fn images_mut(&mut self) -> Option<&mut ImagesView> {
        match &mut self.view {
            TaskView::Images(view) => Some(view),
            _ => None,
        }
    }

    pub(super) fn words_mut(&mut self) -> Option<&mut WordsView> {
        match &mut self.view {
            TaskView::Words(view) => Some(view),
            _ => None,
        }
    }

    pub(super) fn reasoning_mut(&mut self) -> Option<&mut ReasoningView> {
        match &mut self.view {
            TaskView::Reasoning(view) => Some(view),
            _ => None,
        }
    }
}
