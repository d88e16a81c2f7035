//! Saving the distilled student's weights (safetensors) and loading them back.

use super::files::read;
use super::state::Playground;
use distill_playground::i18n::Msg;
use distill_playground::page::Phase;
use distill_playground::protocol::Command;
use leptos::prelude::*;

#[component]
pub fn Weights() -> impl IntoView {
    let p = expect_context::<Playground>();
    let phase = p.view(|page| page.phase.clone());
    let import = p.view(|page| page.import.clone());
    let ready = move || !matches!(phase.get(), Phase::Starting | Phase::Loading { .. } | Phase::Failed);
    let pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            match read(&file).await {
                Ok(bytes) => p.send(Command::ImportWeights(bytes)),
                Err(detail) => p.update(|page| page.file_unreadable(detail)),
            }
        });
    };
    view! {
        <section class="weights panel" aria-label=move || p.t(Msg::StudentWeights)>
            <h2>{move || p.t(Msg::StudentWeights)}</h2>
            <p class="help">{move || p.t(Msg::SaveTheDistilledStudentAs)}</p>
            <div class="buttons">
                <button data-testid="export-weights" disabled=move || !ready() || phase.get() == Phase::Training on:click=move |_| p.send(Command::ExportWeights)>
                    {move || p.t(Msg::ExportWeightsSafetensors)}
                </button>
                {move || p.weights_file.get().map(|file| super::files::link(&file, "weights-link"))}
                <label class="file-button">
                    {move || p.t(Msg::LoadWeights)}
                    <input type="file" data-testid="import-weights" accept=".safetensors" disabled=move || !ready() on:change=pick/>
                </label>
            </div>
            {move || import.get().map(|m| match m {
                Ok(()) => view! { <p class="notice" role="status" data-testid="import-message">
                    {move || p.t(Msg::WeightsLoadedIntoTheDistilled)}
                </p> }.into_any(),
                Err(problem) => view! { <p class="error" role="alert" data-testid="import-message">{problem.text(p.lang.get())}</p> }.into_any(),
            })}
        </section>
    }
}
