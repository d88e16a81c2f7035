//! Saving the distilled student's weights (safetensors) and loading them back.

use super::files::read;
use super::state::{Phase, Playground};
use crate::protocol::Command;
use leptos::prelude::*;

#[component]
pub fn Weights() -> impl IntoView {
    let p = expect_context::<Playground>();
    let ready = move || !matches!(p.phase.get(), Phase::Starting | Phase::Loading { .. } | Phase::Failed);
    let pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            match read(&file).await {
                Ok(bytes) => p.send(Command::ImportWeights(bytes)),
                Err(e) => p.import_message.set(Some(Err(e))),
            }
        });
    };
    view! {
        <section class="weights panel" aria-label=move || p.t("Student weights")>
            <h2>{move || p.t("Student weights")}</h2>
            <p class="help">{move || p.t("Save the distilled student as a safetensors file (the format burn and PyTorch read), or load one saved here for the same student architecture.")}</p>
            <div class="buttons">
                <button data-testid="export-weights" disabled=move || !ready() || p.phase.get() == Phase::Training on:click=move |_| p.send(Command::ExportWeights)>
                    {move || p.t("Export weights (.safetensors)")}
                </button>
                {move || p.weights_file.get().map(|file| super::files::link(&file, "weights-link"))}
                <label class="file-button">
                    {move || p.t("Load weights… ")}
                    <input type="file" data-testid="import-weights" accept=".safetensors" disabled=move || !ready() on:change=pick/>
                </label>
            </div>
            {move || p.import_message.get().map(|m| match m {
                Ok(()) => view! { <p class="notice" role="status" data-testid="import-message">
                    {move || p.t("Weights loaded into the distilled student; its scores below are re-measured.")}
                </p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert" data-testid="import-message">{text}</p> }.into_any(),
            })}
        </section>
    }
}
