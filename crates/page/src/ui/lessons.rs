//! The guided lessons: one click loads a preset and says what to look at.

use super::state::Playground;
use distill_playground::i18n::Msg;
use distill_playground::lessons::{self, LESSONS};
use leptos::prelude::*;

#[component]
pub fn Lessons() -> impl IntoView {
    let p = expect_context::<Playground>();
    let lesson = p.view(|page| page.link().lesson.clone());
    let chosen = lesson;
    let active = move || lesson.get().and_then(|id| lessons::find(&id));
    view! {
        <section class="lessons" aria-label=move || p.t(Msg::Lessons)>
            <h2>{move || p.t(Msg::Lessons)}</h2>
            <div class="picks">
                {LESSONS.iter().map(|lesson| view! {
                    <button data-testid=format!("lesson-{}", lesson.id)
                        class:chosen=move || chosen.get().as_deref() == Some(lesson.id)
                        on:click=move |_| p.dispatch(|page| page.start_lesson(lesson.id))>{move || lesson.words(p.lang.get()).title}</button>
                }).collect_view()}
            </div>
            {move || active().map(|lesson| view! {
                <p data-testid="lesson-text"><b>{lesson.words(p.lang.get()).title}</b>" — "{lesson.words(p.lang.get()).text}</p>
            })}
        </section>
    }
}
