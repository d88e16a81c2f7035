//! The guided lessons: one click loads a preset and says what to look at.

use super::state::Playground;
use crate::lessons::{self, LESSONS};
use leptos::prelude::*;

#[component]
pub fn Lessons() -> impl IntoView {
    let p = expect_context::<Playground>();
    let active = move || p.lesson.get().and_then(|id| lessons::find(&id));
    view! {
        <section class="lessons" aria-label=move || p.t("Lessons")>
            <h2>{move || p.t("Lessons")}</h2>
            <div class="picks">
                {LESSONS.iter().map(|lesson| view! {
                    <button data-testid=format!("lesson-{}", lesson.id)
                        class:chosen=move || p.lesson.get().as_deref() == Some(lesson.id)
                        on:click=move |_| p.start_lesson(lesson.id)>{move || lesson.words(p.language()).title}</button>
                }).collect_view()}
            </div>
            {move || active().map(|lesson| view! {
                <p data-testid="lesson-text"><b>{lesson.words(p.language()).title}</b>" — "{lesson.words(p.language()).text}</p>
            })}
        </section>
    }
}
