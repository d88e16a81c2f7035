//! Guided lessons: presets (a URL query each) with the words that explain what to look at.
//! `?lesson=<id>` opens one; parameters after it override the preset.

pub struct Lesson {
    pub id: &'static str,
    pub title: &'static str,
    /// What to do and what to look for.
    pub text: &'static str,
    /// The settings, as URL parameters (see [`crate::url`]).
    pub query: &'static str,
}

pub const LESSONS: [Lesson; 4] = [
    Lesson {
        id: "dark-knowledge",
        title: "1. Soft targets carry dark knowledge",
        text: "Pick an ambiguous example in the Dark knowledge panel. At T = 1 the teacher is almost sure of one class; \
               at T = 20 the same logits show which other classes it finds plausible (a 7 that resembles a 1). \
               That hidden similarity structure is what a label cannot carry and what the student learns from.",
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=20&alpha=0.9&lr=0.003&budget=2000&epochs=10",
    },
    Lesson {
        id: "beats-labels",
        title: "2. Distillation beats labels",
        text: "The 2015 MNIST result, scaled to a browser: a student 30 times smaller than the teacher, on 2,000 images. \
               Press Start: both students see the same images from the same starting weights; the distilled one \
               also sees the teacher's probabilities at T = 2, and ends about 1.5 points ahead (measured here: 92.0% vs 90.6%).",
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=2&alpha=0.5&lr=0.01&batch=64&budget=2000&epochs=20",
    },
    Lesson {
        id: "missing-digit",
        title: "4. The missing digit",
        text: "The transfer set contains no 3 at all. Labels alone can never predict a 3 (row 3 of its confusion matrix \
               stays empty). The distilled student has never seen a 3 either, yet it recognises some: the teacher's soft \
               targets on other digits (a 5 or an 8 that looks a little like a 3) taught it what a 3 is. Compare row 3 \
               of the two confusion matrices.",
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=8&alpha=0.9&lr=0.003&batch=64&budget=5000&epochs=10&exclude=3",
    },
    Lesson {
        id: "black-box",
        title: "6. Black box: only the top label",
        text: "An API that returns only the teacher's predicted label, queried 1,000 times. Without the probabilities there \
               is no dark knowledge: the student learns roughly what labels alone teach. Switch the mode to top-3 or soft \
               targets with the same budget to see what the extra information is worth.",
        query: "teacher=mnist-mlp&student=mlp:100&mode=top1&alpha=0.9&lr=0.01&batch=64&budget=1000&epochs=20",
    },
];

pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::PageState;

    #[test]
    fn every_lesson_is_a_valid_experiment() {
        for lesson in &LESSONS {
            let (state, notices) = PageState::from_query(lesson.query);
            assert!(notices.is_empty(), "{}: {notices:?}", lesson.id);
            state.settings.train_config().unwrap_or_else(|e| panic!("{}: {e}", lesson.id));
            assert!(!lesson.query.contains("lesson="), "a preset does not name a lesson");
        }
    }

    #[test]
    fn a_lesson_link_opens_the_preset_and_later_parameters_win() {
        let (state, notices) = PageState::from_query("?lesson=missing-digit&seed=5");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(state.lesson.as_deref(), Some("missing-digit"));
        assert_eq!(state.settings.excluded_class, Some(3));
        assert_eq!(state.settings.seed, 5);
        assert_eq!(PageState::from_query(&state.to_query()).0, state, "round trip");
        let (state, notices) = PageState::from_query("lesson=nope");
        assert_eq!(state.lesson, None);
        assert!(notices[0].contains("no lesson `nope`"), "{notices:?}");
    }
}
