//! Files the visitor takes home or brings: the distilled student's weights (safetensors), saved
//! and loaded back, and a teacher of their own (its logits) in place of the pack's.

use super::files::on_pick;
use super::state::Playground;
use distill_playground::i18n::{fill, Msg};
use distill_playground::page::Phase;
use distill_playground::text::percent;
use leptos::prelude::*;

#[component]
pub fn Weights() -> impl IntoView {
    let p = expect_context::<Playground>();
    let phase = p.view(|page| page.phase().clone());
    let import = p.view(|page| page.weights_import().cloned());
    let ready = move || !matches!(phase.get(), Phase::Starting | Phase::Loading { .. } | Phase::Failed);
    let pick = on_pick(
        move |_, bytes| p.dispatch(|page| page.import_weights(bytes)),
        move |detail| p.update(|page| page.file_unreadable(detail)),
    );
    view! {
        <section class="weights panel" aria-label=move || p.t(Msg::StudentWeights)>
            <h2>{move || p.t(Msg::StudentWeights)}</h2>
            <p class="help">{move || p.t(Msg::SaveTheDistilledStudentAs)}</p>
            <div class="buttons">
                <button data-testid="export-weights" disabled=move || !ready() || phase.get() == Phase::Training on:click=move |_| p.dispatch(|page| page.export_weights())>
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
            <Show when=move || p.settings.with(|s| s.task().spec().datasets)><OwnTeacher/></Show>
        </section>
    }
}

/// A teacher of the visitor's own: its logits file in place of the pack's teacher.
#[component]
fn OwnTeacher() -> impl IntoView {
    let p = expect_context::<Playground>();
    let phase = p.view(|page| page.phase().clone());
    let outcome = p.view(|page| page.teacher_import().cloned());
    let rows = p.view(|page| page.pack().map(|e| e.test_rows).unwrap_or(0));
    let ready = move || !matches!(phase.get(), Phase::Starting | Phase::Loading { .. } | Phase::Failed);
    let pick = on_pick(
        move |name, bytes| p.dispatch(|page| page.import_teacher(name, bytes)),
        move |detail| p.update(|page| page.teacher_file_unreadable(detail)),
    );
    view! {
        <h3>{move || p.t(Msg::YourOwnTeacher)}</h3>
        <p class="help">{move || p.t(Msg::YourOwnTeacherHelp)}</p>
        <div class="buttons">
            <label class="file-button">
                {move || p.t(Msg::LoadTeacherLogits)}
                <input type="file" data-testid="import-teacher" accept=".safetensors" disabled=move || !ready() on:change=pick/>
            </label>
        </div>
        {move || outcome.get().map(|m| match m {
            Ok(teacher) => {
                let values = [("file", teacher.file), ("accuracy", percent(teacher.test_accuracy)), ("rows", rows.get().to_string())];
                view! { <p class="notice" role="status" data-testid="teacher-message">{fill(p.t(Msg::TeacherFromFile), &values)}</p> }.into_any()
            }
            Err(problem) => view! { <p class="error" role="alert" data-testid="teacher-message">{problem.text(p.lang.get())}</p> }.into_any(),
        })}
    }
}
