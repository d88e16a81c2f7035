//! Sharing: the link to this experiment, an `<iframe>` snippet for a course page, and the command
//! that runs it with the CLI.

use super::state::Playground;
use distill_playground::i18n::Msg;
use js_sys::{Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

#[component]
pub fn Share() -> impl IntoView {
    let p = expect_context::<Playground>();
    let base = move || {
        let location = web_sys::window().map(|w| w.location());
        let origin = location.as_ref().and_then(|l| l.origin().ok()).unwrap_or_default();
        let path = location.as_ref().and_then(|l| l.pathname().ok()).unwrap_or_default();
        format!("{origin}{path}")
    };
    let query = p.view(|page| page.query());
    let link = move || format!("{}?{}", base(), query.get());
    let snippet = move || {
        let query = query.get();
        let embed = if query.contains("embed=1") { query } else { format!("{query}&embed=1") };
        format!(
            r#"<iframe src="{}?{}" title="Distill Playground" width="100%" height="760" style="border:0"></iframe>"#,
            base(),
            embed.replace('&', "&amp;")
        )
    };
    let command = p.view(|page| page.command());
    let copied = RwSignal::new(false);
    let command_copied = RwSignal::new(false);
    view! {
        <section class="share" aria-label=move || p.t(Msg::ShareThisExperiment)>
            <h2>{move || p.t(Msg::ShareThisExperiment)}</h2>
            <label for="share-link">{move || p.t(Msg::LinkEverySettingIsIn)}</label>
            <div class="copy-row">
                <input id="share-link" data-testid="share-link" readonly prop:value=link/>
                <button on:click=move |_| copied.set(copy(&link()))>{move || p.t(Msg::CopyLink)}</button>
                <span role="status">{move || copied.get().then(|| p.t(Msg::Copied))}</span>
            </div>
            <label for="embed-snippet">{move || p.t(Msg::EmbedInACoursePage)}</label>
            <textarea id="embed-snippet" data-testid="embed-snippet" readonly rows="3" prop:value=snippet></textarea>
            <label for="share-command">{move || p.t(Msg::OnTheCommandLine)}</label>
            <div class="copy-row">
                <input id="share-command" data-testid="share-command" readonly prop:value=move || command.get()/>
                <button on:click=move |_| command_copied.set(copy(&command.get()))>{move || p.t(Msg::CopyAsCommand)}</button>
                <span role="status">{move || command_copied.get().then(|| p.t(Msg::Copied))}</span>
            </div>
        </section>
    }
}

/// `navigator.clipboard.writeText`, where the browser allows it.
fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let clipboard = Reflect::get(&window.navigator(), &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    let Ok(write) = Reflect::get(&clipboard, &"writeText".into()) else { return false };
    let Ok(write) = write.dyn_into::<Function>() else { return false };
    write.call1(&clipboard, &text.into()).is_ok()
}
