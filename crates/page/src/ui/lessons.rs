//! The guided lessons: one click loads a preset and says what to look at. The lessons' texts
//! (`lessons.json`, named by its content like the workers) are fetched the first time one is shown.

use super::assets;
use super::state::Playground;
use distill_playground::i18n::{Lang, Msg};
use distill_playground::lessons::{self, LESSONS};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The lessons' texts: not asked for yet, on their way, the file's JSON, or it did not come.
#[derive(Clone, PartialEq)]
enum Texts {
    NotAsked,
    Coming,
    Loaded(String),
    Failed,
}

/// `lessons.json`'s text, or none (a failed request or an error status).
async fn fetch_texts() -> Option<String> {
    let response = JsFuture::from(web_sys::window()?.fetch_with_str(&assets::versioned("lessons.json"))).await.ok()?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}

/// Lesson `id`'s text in `lang` from the file's JSON (the browser's parser: no JSON library here).
fn text_of(json: &str, id: &str, lang: Lang) -> Option<String> {
    let all = js_sys::JSON::parse(json).ok()?;
    let lesson = js_sys::Reflect::get(&all, &id.into()).ok()?;
    js_sys::Reflect::get(&lesson, &lang.code().into()).ok()?.as_string()
}

#[component]
pub fn Lessons() -> impl IntoView {
    let p = expect_context::<Playground>();
    let lesson = p.view(|page| page.link().lesson.clone());
    let chosen = lesson;
    let active = move || lesson.get().and_then(|id| lessons::find(&id));
    let texts = RwSignal::new(Texts::NotAsked);
    Effect::new(move |_| {
        if lesson.get().is_some() && texts.get_untracked() == Texts::NotAsked {
            texts.set(Texts::Coming);
            leptos::task::spawn_local(async move {
                texts.set(fetch_texts().await.map_or(Texts::Failed, Texts::Loaded));
            });
        }
    });
    let text = move |id: &str| match texts.get() {
        Texts::Loaded(json) => text_of(&json, id, p.lang.get()).unwrap_or_default(),
        Texts::Failed => p.t(Msg::LessonTextMissing).to_string(),
        Texts::NotAsked | Texts::Coming => String::new(),
    };
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
                <p data-testid="lesson-text"><b>{lesson.words(p.lang.get()).title}</b>" — "{text(lesson.id)}</p>
                <p class="help"><a data-testid="learn-more" href=lessons::chapter(lesson.id)>{move || p.t(Msg::LearnMore)}</a></p>
            })}
        </section>
    }
}
