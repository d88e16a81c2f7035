//! Guided lessons: presets (a URL query each) with the words that explain what to look at.
//! `?lesson=<id>` opens one; parameters after it override the preset. Each lesson's text (what to
//! do and look for, in each language) is in `web/lessons.json`, which the page fetches the first
//! time it shows a lesson: the words of sixteen lessons in two languages stay out of the first
//! visit's wasm.

use crate::i18n::Lang;

pub struct Lesson {
    pub id: &'static str,
    pub en: Words,
    pub es: Words,
    /// The settings, as URL parameters (see [`crate::url`]).
    pub query: &'static str,
}

/// A lesson's title in one language (its text is in `web/lessons.json`).
pub struct Words {
    pub title: &'static str,
}

impl Lesson {
    pub fn words(&self, lang: Lang) -> &Words {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
        }
    }
}

pub const LESSONS: [Lesson; 16] = [
    Lesson {
        id: "dark-knowledge",
        en: Words {
            title: "1. Soft targets carry dark knowledge",
        },
        es: Words {
            title: "1. Los objetivos suaves llevan conocimiento oscuro",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=20&alpha=0.9&lr=0.003&budget=2000&epochs=10",
    },
    Lesson {
        id: "beats-labels",
        en: Words {
            title: "2. Distillation beats labels",
        },
        es: Words {
            title: "2. La destilación gana a las etiquetas",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=2&alpha=0.5&lr=0.01&batch=64&budget=2000&epochs=20",
    },
    Lesson {
        id: "temperature",
        en: Words {
            title: "3. Temperature and student size",
        },
        es: Words {
            title: "3. Temperatura y tamaño de la alumna",
        },
        query: "teacher=mnist-mlp&student=mlp:30-30&mode=soft&alpha=0.9&lr=0.01&batch=64&budget=2000&epochs=5\
                &sweep=t:1,2,3,4,8,20&by=student:mlp:30-30,mlp:800-800",
    },
    Lesson {
        id: "missing-digit",
        en: Words {
            title: "4. The missing digit",
        },
        es: Words {
            title: "4. El dígito ausente",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=8&alpha=0.9&lr=0.003&batch=64&budget=5000&epochs=10&exclude=3",
    },
    Lesson {
        id: "less-data",
        en: Words {
            title: "5. Better with less data",
        },
        es: Words {
            title: "5. Mejor con menos datos",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=2&alpha=0.5&lr=0.01&batch=64&budget=5000&epochs=8\
                &sweep=budget:50,500,5000&by=mode:soft,labels",
    },
    Lesson {
        id: "black-box",
        en: Words {
            title: "6. Black box: what an API's answers are worth",
        },
        es: Words {
            title: "6. Caja negra: lo que valen las respuestas de una API",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=2&alpha=0.5&lr=0.01&batch=64&budget=4000&epochs=8\
                &sweep=budget:250,500,1000,2000,4000&by=mode:soft,top3,top1,labels",
    },
    Lesson {
        id: "asking-questions",
        en: Words {
            title: "7. Asking the right questions",
        },
        es: Words {
            title: "7. Hacer las preguntas adecuadas",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=top1&t=4&alpha=0.9&lr=0.003&batch=64&epochs=30&budget=1000\
                &queries=random&first=100&round=100&sweep=budget:100,300,1000&by=queries:random,uncertainty,diversity",
    },
    Lesson {
        id: "defending-the-teacher",
        en: Words {
            title: "8. Defending the teacher",
        },
        es: Words {
            title: "8. Defender a la maestra",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=4&alpha=0.9&lr=0.003&batch=64&epochs=30&budget=1000\
                &sweep=noise:0,0.05,0.1,0.2,0.3,0.5&by=mode:soft,top1",
    },
    Lesson {
        id: "need-the-data",
        en: Words {
            title: "9. Do you even need the data?",
        },
        es: Words {
            title: "9. ¿Hacen falta los datos?",
        },
        query: "teacher=mnist-cnn&student=mlp:100&mode=soft&t=4&alpha=0.9&lr=0.01&batch=64&epochs=20&budget=5000&ask=strokes\
                &sweep=ask:own,other,strokes&by=mode:soft,top1",
    },
    Lesson {
        id: "dark-knowledge-in-text",
        en: Words {
            title: "10. Dark knowledge in text",
        },
        es: Words {
            title: "10. Conocimiento oscuro en el texto",
        },
        query: "task=words&teacher=words-en&student=mlp:64&mode=soft&t=1&alpha=0.9&lr=0.003&batch=64&budget=1000&epochs=30",
    },
    Lesson {
        id: "logits-or-text",
        en: Words {
            title: "11. Logits or text?",
        },
        es: Words {
            title: "11. ¿Logits o texto?",
        },
        query: "task=words&teacher=words-en&student=mlp:64&mode=text&t=1&alpha=0.9&lr=0.003&batch=64&budget=1000&epochs=30",
    },
    Lesson {
        id: "show-your-work",
        en: Words {
            title: "12. Show your work",
        },
        es: Words {
            title: "12. Muestra tu trabajo",
        },
        query: "task=reasoning&teacher=parity&mode=text&lr=0.003&batch=32&budget=1000&epochs=30\
                &sweep=budget:250,500,1000&by=mode:text,top1",
    },
    Lesson {
        id: "check-the-work",
        en: Words {
            title: "13. Check the teacher's work",
        },
        es: Words {
            title: "13. Revisa el trabajo de la maestra",
        },
        query: "task=reasoning&teacher=parity&mode=verified&lr=0.003&batch=32&budget=1000&epochs=30\
                &sweep=budget:250,500,1000&by=mode:text,verified",
    },
    Lesson {
        id: "every-step",
        en: Words {
            title: "14. Every step's probabilities",
        },
        es: Words {
            title: "14. Las probabilidades de cada paso",
        },
        query: "task=reasoning&teacher=parity&mode=soft&t=2&alpha=0.5&lr=0.003&batch=32&budget=1000&epochs=30\
                &sweep=budget:250,500,1000&by=mode:soft,text",
    },
    Lesson {
        id: "prove-you-copied",
        en: Words {
            title: "15. Can the teacher prove you copied it?",
        },
        es: Words {
            title: "15. ¿Puede la maestra demostrar que la copiaste?",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=top1&alpha=1&lr=0.01&batch=64&budget=2000&epochs=20&mark=0.01&key=36",
    },
    Lesson {
        id: "radioactive-words",
        en: Words {
            title: "16. Radioactive words",
        },
        es: Words {
            title: "16. Palabras radiactivas",
        },
        query: "task=words&teacher=words-en&student=mlp:64&mode=text&t=1&alpha=0.9&lr=0.003&batch=64&budget=2000&epochs=30\
                &green=2&gamma=0.25&key=36",
    },
];

pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

/// Where the book (`docs/`, built beside the page into `book/` by scripts/site.sh) tells more
/// of lesson `id`: its section of the lessons' chapter.
pub fn chapter(id: &str) -> String {
    format!("book/visitors/lessons.html#{id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::Link;

    #[test]
    fn every_lesson_is_a_valid_experiment() {
        for lesson in &LESSONS {
            let (state, notices) = Link::from_query(lesson.query);
            assert!(notices.is_empty(), "{}: {notices:?}", lesson.id);
            state.settings.check().unwrap_or_else(|e| panic!("{}: {e}", lesson.id));
            if let Some(sweep) = &state.sweep {
                sweep.points(&state.settings, 5000).unwrap_or_else(|e| panic!("{}: {e}", lesson.id));
            }
            assert!(!lesson.query.contains("lesson="), "a preset does not name a lesson");
        }
    }

    #[test]
    fn index_html_knows_which_lessons_train_another_task_than_images() {
        // Its inline script asks for the images CPU worker's wasm at once, except for these.
        let html = include_str!("../../../index.html");
        let list = html.split("const otherTaskLessons = [").nth(1).and_then(|rest| rest.split(']').next());
        let listed: Vec<&str> = list.unwrap().split(',').map(|id| id.trim().trim_matches('\'')).collect();
        let other: Vec<&str> = (LESSONS.iter())
            .filter(|lesson| Link::from_query(lesson.query).0.settings.task() != crate::settings::Task::Images)
            .map(|lesson| lesson.id)
            .collect();
        assert_eq!(listed, other);
    }

    #[test]
    fn every_lesson_has_its_text_in_both_languages_and_the_file_no_other() {
        let texts: serde_json::Value = serde_json::from_str(include_str!("../../../web/lessons.json")).unwrap();
        let texts = texts.as_object().expect("an object of lessons");
        let ids: Vec<&str> = LESSONS.iter().map(|l| l.id).collect();
        assert_eq!(texts.keys().map(String::as_str).collect::<Vec<_>>().len(), ids.len(), "{:?}", texts.keys());
        for id in ids {
            for lang in [Lang::En, Lang::Es] {
                let text = texts.get(id).and_then(|t| t.get(lang.code())).and_then(|t| t.as_str());
                assert!(text.is_some_and(|t| t.len() > 40), "{id} has no {} text in web/lessons.json", lang.code());
            }
        }
    }

    #[test]
    fn every_lesson_has_its_section_in_the_book() {
        let book = include_str!("../../../docs/src/visitors/lessons.md");
        for (n, lesson) in LESSONS.iter().enumerate() {
            let anchor = format!("<a id=\"{}\"></a>\n## {}. ", lesson.id, n + 1);
            let section = book.find(&anchor).map(|at| &book[at..]);
            assert!(section.is_some(), "docs/src/visitors/lessons.md has no section {anchor:?}");
            assert!(book.contains(&format!("## {}\n", lesson.en.title)), "{}: the book's title differs", lesson.id);
            assert!(section.unwrap().contains(&format!("`lesson={}`", lesson.id)), "{}: its link", lesson.id);
        }
        assert_eq!(chapter("every-step"), "book/visitors/lessons.html#every-step");
    }

    #[test]
    fn a_lesson_link_opens_the_preset_and_later_parameters_win() {
        let (state, notices) = Link::from_query("?lesson=missing-digit&seed=5");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(state.lesson.as_deref(), Some("missing-digit"));
        assert_eq!(state.settings.train.excluded_class, Some(3));
        assert_eq!(state.settings.train.seed, 5);
        assert_eq!(Link::from_query(&state.to_query()).0, state, "round trip");
        let (state, notices) = Link::from_query("lesson=nope");
        assert_eq!(state.lesson, None);
        assert!(notices[0].text(Lang::En).contains("no lesson `nope`"), "{notices:?}");
    }
}
