//! The Leptos page: the state and the worker link ([`state`]), controls, results and the
//! dark-knowledge view. Components only draw the [`Page`] and dispatch changes to it; the logic
//! lives in `distill-playground`.

mod assets;
mod charts;
mod confusion;
mod controls;
mod crash;
mod download;
mod draw;
mod files;
mod inspect;
mod lessons;
mod png;
mod reasoning;
mod results;
mod share;
mod spanish;
mod state;
mod storage;
mod suspect;
mod sweep;
mod table;
mod weights;
mod words;

use distill_data::catalog::{Catalog, CatalogError};
use distill_playground::i18n::{fill, Lang, Msg};
use distill_playground::page::{Page, Phase};
use distill_playground::settings::Task;
use distill_playground::text::{count, percent};
use distill_playground::workers::Gpu;
use leptos::prelude::*;
use state::Playground;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub fn mount() {
    crash::install();
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let page = Page::new(&query, state::browser_language());
    // A page that opens in Spanish waits for its texts (one small request) before it draws.
    wasm_bindgen_futures::spawn_local(async move {
        let spanish_missing = page.language() == Lang::Es && !spanish::load().await;
        leptos::mount::mount_to_body(move || view! { <App page spanish_missing/> });
    });
}

#[component]
fn App(page: Page, spanish_missing: bool) -> impl IntoView {
    let playground = Playground::new(page);
    playground.spanish_missing.set(spanish_missing);
    provide_context(playground);
    if playground.with_untracked(|p| p.link().embed) {
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = body.class_list().add_1("embed");
        }
    }
    // The document's language follows the switch (screen readers pick their voice from it).
    Effect::new(move |_| {
        let code = playground.lang.get().code();
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", code);
        }
    });
    // Every change of a setting is written back to the address bar, so the URL is always a link
    // to the experiment on screen.
    let query = playground.view(|p| p.query());
    Effect::new(move |_| {
        let query = format!("?{}", query.get());
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query));
        }
    });
    // The workers start first, before the page draws (which holds the main thread a while), and
    // load the pack once the catalog is here; the WebGPU adapter's answer replaces them only if
    // it calls for the other build (`Page::set_gpu`).
    playground.dispatch(|p| {
        p.restore_results(storage::restore());
        p.set_cores(web_sys::window().map_or(1, |w| w.navigator().hardware_concurrency() as usize));
        p.start()
    });
    wasm_bindgen_futures::spawn_local(async move {
        let catalog = fetch_catalog().await;
        playground.dispatch(|p| match catalog {
            Ok(catalog) => p.set_catalog(catalog),
            Err(detail) => {
                p.catalog_failed(detail);
                Vec::new()
            }
        });
        // The pack downloads once the workers listen (`state.rs`'s outbox sends them its parts):
        // on a slow link their wasm has the link to itself until then, and the pack's first parts
        // come right after it, not the whole pack beside it.
    });
    wasm_bindgen_futures::spawn_local(async move {
        let gpu = ask_for_webgpu().await;
        playground.dispatch(|p| p.set_gpu(gpu));
    });
    // Each task's own headline and views; drawn again only when the task changes.
    let task = Memo::new(move |_| playground.settings.with(|s| s.task()));
    let headline = move || match task.get() {
        Task::Images => view! { <results::Headline/> }.into_any(),
        Task::Words => view! { <reasoning::ScoresHeadline headline=Page::words_headline/> }.into_any(),
        Task::Reasoning => view! { <reasoning::ScoresHeadline headline=Page::reasoning_headline/> }.into_any(),
    };
    let views = move || match task.get() {
        Task::Images => view! {
            <Show when=move || !playground.hidden("draw")><draw::DrawDigit/></Show>
            <Show when=move || !playground.hidden("dark-knowledge")><inspect::DarkKnowledge/></Show>
            <Show when=move || !playground.hidden("confusion")><confusion::Matrices/></Show>
        }
        .into_any(),
        Task::Words => {
            view! { <Show when=move || !playground.hidden("dark-knowledge")><words::WordsPanel/></Show> }.into_any()
        }
        Task::Reasoning => {
            view! { <Show when=move || !playground.hidden("dark-knowledge")><reasoning::ReasoningPanel/></Show> }
                .into_any()
        }
    };
    view! {
        <header>
            <div class="title-row">
                <h1>"Distill Playground"</h1>
                <LanguageSwitch/>
            </div>
            {move || playground.spanish_missing.get().then(|| view! {
                <p class="notice" role="alert" data-testid="spanish-missing">{Msg::SpanishDidNotLoad.text(Lang::En)}</p>
            })}
            <p class="lede">{move || playground.t(Msg::ABigTeacherNetworkWas)}</p>
        </header>
        <StatusBar/>
        <main>
            <controls::Controls/>
            <section class="results">
                <Show when=move || !playground.hidden("lessons")><lessons::Lessons/></Show>
                {headline}
                <Show when=move || !playground.hidden("charts")><charts::Charts/></Show>
                <Show when=move || !playground.hidden("sweep")><sweep::SweepPanel/></Show>
                {views}
                <Show when=move || !playground.hidden("results")>
                    <table::ResultsTable/>
                    <weights::Weights/>
                </Show>
                <Show when=move || !playground.hidden("share")><share::Share/></Show>
            </section>
        </main>
        <footer>{move || playground.t(Msg::EverythingRunsInThisPage)}</footer>
    }
}

async fn ask_for_webgpu() -> Gpu {
    let navigator = web_sys::window().map(|w| JsValue::from(w.navigator())).unwrap_or(JsValue::UNDEFINED);
    match distill_browser::request_adapter(&navigator).await {
        Ok(info) => Gpu::Adapter { name: info.label(), fallback: info.fallback },
        Err(why) => Gpu::Missing(why.to_string()),
    }
}

async fn fetch_catalog() -> Result<Catalog, CatalogError> {
    let window = web_sys::window().ok_or(CatalogError::Request)?;
    let failed = |_| CatalogError::Request;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&assets::versioned("packs/catalog.json")))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        return Err(CatalogError::Http(response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    // The browser's JSON parser, not a JSON library linked into the page (`Catalog::checked`).
    let value = js_sys::JSON::parse(&text.as_string().unwrap_or_default())
        .map_err(|_| CatalogError::Invalid("it is not JSON".into()))?;
    serde_wasm_bindgen::from_value::<Catalog>(value).map_err(|e| CatalogError::Invalid(e.to_string()))?.checked()
}

/// Status, backend and errors: the lines a visitor (and the tests) read first.
#[component]
fn StatusBar() -> impl IntoView {
    let p = expect_context::<Playground>();
    let phase = p.view(|page| page.phase().clone());
    let counts = p.view(|page| {
        (page.reports().last().map(|r| r.step).unwrap_or(0), page.total_steps(), page.transfer_examples())
    });
    let status = move || {
        let (step, steps, examples) = counts.get();
        let lang = p.lang.get();
        let template = |m: Msg| m.text(lang);
        let numbers = [("step", step.to_string()), ("steps", steps.to_string()), ("examples", examples.to_string())];
        match phase.get() {
            Phase::Starting => template(Msg::Starting).to_string(),
            Phase::Loading { loaded, total } => fill(
                template(Msg::LoadingTheTeachersOutputsPercent),
                &[("percent", percent(loaded as f64 / total.max(1) as f64))],
            ),
            Phase::Ready => fill(template(Msg::ReadyStepsStepsOnExamples), &numbers),
            Phase::Training => fill(template(Msg::TrainingStepStepOfSteps), &numbers),
            Phase::Paused => fill(template(Msg::PausedStepStepOfSteps), &numbers),
            Phase::Finished => fill(template(Msg::FinishedStepStepOfSteps), &numbers),
            Phase::Failed => template(Msg::StoppedByAnError).to_string(),
        }
    };
    let progress = move || match phase.get() {
        Phase::Loading { loaded, total } => Some((loaded as f64, total.max(1) as f64)),
        _ => None,
    };
    let backend = p.view(|page| page.backend_label(page.language()));
    let note = p.view(|page| page.backend_note().cloned());
    let notices = p.view(|page| page.notices().to_vec());
    let problem = p.view(|page| page.problem().cloned());
    view! {
        <div role="region" aria-label=move || p.t(Msg::TrainingStatus)>
        <div class="status-bar">
            <controls::Buttons/>
            <span data-testid="status" role="status">{status}</span>
            {move || progress().map(|(value, max)| view! { <progress max=max value=value aria-label=move || p.t(Msg::DownloadProgress)></progress> })}
            <span class="backend">{move || p.t(Msg::Backend)} <b data-testid="backend">{move || {
                let name = backend.get();
                if name.is_empty() { p.t(Msg::BackendStarting).to_string() } else { name }
            }}</b></span>
        </div>
        <QueryCounter/>
        {move || note.get().map(|note| view! { <p class="notice">{note.text(p.lang.get())}</p> })}
        {move || {
            let notices = notices.get();
            let lang = p.lang.get();
            (!notices.is_empty()).then(|| view! {
                <div class="notice" data-testid="url-notice">
                    {p.t(Msg::SomeSettingsInTheLink)}
                    <ul>{notices.into_iter().map(|n| view! { <li>{n.text(lang)}</li> }).collect_view()}</ul>
                </div>
            })
        }}
        {move || problem.get().map(|problem| view! { <p class="error" data-testid="error" role="alert">{problem.text(p.lang.get())}</p> })}
        </div>
    }
}

/// The questions put to the teacher's API so far, whenever the distilled student asks it
/// anything, what the API's defence costs its honest users, and its watermark test.
#[component]
fn QueryCounter() -> impl IntoView {
    let p = expect_context::<Playground>();
    let counts = p.view(|page| {
        let settings = page.settings();
        let asks = settings.train.mode != distill_spec::Mode::LabelsOnly && *page.phase() != Phase::Starting;
        // What the words watermark costs is the watermark test's line (bits per letter).
        let defence = &settings.train.defence;
        let defended = !defence.answers_exactly() || defence.mark.is_on();
        let honest = defended.then_some((page.honest_accuracy(), page.teacher_accuracy()));
        // The words task asks about words and is answered at every letter: it counts words only.
        let counter = settings.task().spec().query_counter;
        asks.then(|| (page.queries(), settings.budget(), honest, counter))
    });
    let mark_test = p.view(|page| page.mark_test_text());
    move || {
        counts.get().map(|((spent, answered), budget, honest, counter)| {
            let numbers = [
                ("spent", count(spent as u64)),
                ("budget", count(budget as u64)),
                ("answered", count(answered as u64)),
            ];
            let honest = honest.map(|(accuracy, teacher)| {
                fill(p.t(Msg::HonestUser), &[("accuracy", percent(accuracy)), ("teacher", percent(teacher))])
            });
            view! {
                <p class="queries" data-testid="query-counter">{fill(p.t(counter), &numbers)}</p>
                {honest.map(|text| view! { <p class="queries" data-testid="honest-user">{text}</p> })}
                {mark_test.get().map(|text| view! {
                    <p class="queries" data-testid="mark-test">{text}</p>
                    <suspect::SuspectTest/>
                })}
            }
        })
    }
}

/// English / Español; the choice goes into the URL (`lang=`).
#[component]
fn LanguageSwitch() -> impl IntoView {
    let p = expect_context::<Playground>();
    view! {
        <select class="lang" data-testid="lang" aria-label=move || p.t(Msg::Language)
            on:change=move |ev| {
                let lang = Lang::parse(&event_target_value(&ev));
                leptos::task::spawn_local(async move {
                    if lang == Some(Lang::Es) {
                        p.spanish_missing.set(!spanish::load().await);
                    }
                    p.update(|page| page.set_language(lang));
                });
            }>
            <option value="en" selected=move || p.lang.get() == Lang::En>"English"</option>
            <option value="es" selected=move || p.lang.get() == Lang::Es>"Español"</option>
        </select>
    }
}
