//! The Leptos page: state and worker link ([`state`]), controls, results and the dark-knowledge
//! view. Components only display signals and send commands; the logic lives in plain modules.

mod charts;
mod confusion;
mod controls;
mod draw;
mod files;
mod inspect;
mod lessons;
mod png;
mod results;
mod share;
mod state;
mod sweep;
mod table;
mod weights;

use crate::i18n::{fill, Lang};
use crate::text::percent;
use distill_data::catalog::Catalog;
use leptos::prelude::*;
use state::{Phase, Playground};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let playground = Playground::from_query(&query);
    provide_context(playground);
    if playground.layout.with_value(|l| l.embed) {
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = body.class_list().add_1("embed");
        }
    }
    // Every change of a setting is written back to the address bar, so the URL is always a link
    // to the experiment on screen.
    // The document's language follows the switch (screen readers pick their voice from it).
    Effect::new(move |_| {
        let code = playground.language().code();
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", code);
        }
    });
    Effect::new(move |_| {
        let query = format!("?{}", playground.query());
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query));
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        match fetch_catalog().await {
            Ok(catalog) => {
                playground.set_catalog(catalog);
                playground.spawn_worker();
            }
            Err(message) => playground.fail(message),
        }
    });
    view! {
        <header>
            <div class="title-row">
                <h1>"Distill Playground"</h1>
                <LanguageSwitch/>
            </div>
            <p class="lede">{move || playground.t("A big teacher network was trained offline. Here, in your browser, a small student learns to imitate the teacher's full answers — not just the right label but how sure it is of every other one. Next to it, the same student learns from the labels alone. Press Start and watch which one wins.")}</p>
        </header>
        <StatusBar/>
        <main>
            <controls::Controls/>
            <section class="results">
                <Show when=move || !playground.hidden("lessons")><lessons::Lessons/></Show>
                <results::Headline/>
                <Show when=move || !playground.hidden("charts")><charts::Charts/></Show>
                <Show when=move || !playground.hidden("sweep")><sweep::SweepPanel/></Show>
                <Show when=move || !playground.hidden("draw")><draw::DrawDigit/></Show>
                <Show when=move || !playground.hidden("dark-knowledge")><inspect::DarkKnowledge/></Show>
                <Show when=move || !playground.hidden("confusion")><confusion::Matrices/></Show>
                <Show when=move || !playground.hidden("results")>
                    <table::ResultsTable/>
                    <weights::Weights/>
                </Show>
                <Show when=move || !playground.hidden("share")><share::Share/></Show>
            </section>
        </main>
        <footer>{move || playground.t("Everything runs in this page: the data and the teacher's outputs come from this site, nothing else is contacted. Idea: Hinton, Vinyals & Dean, Distilling the Knowledge in a Neural Network (2015).")}</footer>
    }
}

async fn fetch_catalog() -> Result<Catalog, String> {
    let window = web_sys::window().ok_or("no window")?;
    let failed = |e: wasm_bindgen::JsValue| format!("cannot load packs/catalog.json: {e:?}");
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str("packs/catalog.json")).await.map_err(failed)?.unchecked_into();
    if !response.ok() {
        return Err(format!("cannot load packs/catalog.json: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    Catalog::parse(&text.as_string().unwrap_or_default())
}

/// Status, backend and errors: the lines a visitor (and the tests) read first.
#[component]
fn StatusBar() -> impl IntoView {
    let p = expect_context::<Playground>();
    let status = move || match p.phase.get() {
        Phase::Starting => p.t("Starting…").to_string(),
        Phase::Loading { loaded, total } => fill(
            p.t("Loading the teacher's outputs… {percent}"),
            &[("percent", percent(loaded as f64 / total.max(1) as f64))],
        ),
        Phase::Ready => fill(
            p.t("Ready: {steps} steps on {examples} examples. Press Start."),
            &[("steps", p.total_steps.get().to_string()), ("examples", p.transfer_examples.get().to_string())],
        ),
        phase @ (Phase::Training | Phase::Paused | Phase::Finished) => {
            let step = p.reports.with(|r| r.last().map(|r| r.step).unwrap_or(0));
            let template = match phase {
                Phase::Training => "Training: step {step} of {steps}",
                Phase::Paused => "Paused: step {step} of {steps}",
                _ => "Finished: step {step} of {steps}",
            };
            fill(p.t(template), &[("step", step.to_string()), ("steps", p.total_steps.get().to_string())])
        }
        Phase::Failed => p.t("Stopped by an error").to_string(),
    };
    let progress = move || match p.phase.get() {
        Phase::Loading { loaded, total } => Some((loaded as f64, total.max(1) as f64)),
        _ => None,
    };
    view! {
        <div role="region" aria-label=move || p.t("Training status")>
        <div class="status-bar">
            <controls::Buttons/>
            <span data-testid="status" role="status">{status}</span>
            {move || progress().map(|(value, max)| view! { <progress max=max value=value aria-label=move || p.t("download progress")></progress> })}
            <span class="backend">{move || p.t("Backend: ")} <b data-testid="backend">{move || p.backend.get()}</b></span>
        </div>
        {move || p.notice.get().map(|notice| view! { <p class="notice">{notice}</p> })}
        {move || {
            let notices = p.url_notices.get();
            (!notices.is_empty()).then(|| view! {
                <div class="notice" data-testid="url-notice">
                    {p.t("Some settings in the link were not used: ")}
                    <ul>{notices.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                </div>
            })
        }}
        {move || p.error.get().map(|message| view! { <p class="error" data-testid="error" role="alert">{message}</p> })}
        </div>
    }
}

/// English / Español; the choice goes into the URL (`lang=`).
#[component]
fn LanguageSwitch() -> impl IntoView {
    let p = expect_context::<Playground>();
    view! {
        <select class="lang" data-testid="lang" aria-label=move || p.t("Language")
            on:change=move |ev| p.lang.set(Lang::parse(&event_target_value(&ev)))>
            <option value="en" selected=move || p.language() == Lang::En>"English"</option>
            <option value="es" selected=move || p.language() == Lang::Es>"Español"</option>
        </select>
    }
}
