//! "Test a suspect": under the watermark test of the run's two students, any student's weights
//! file tested the same way, as the teacher's owner would test a model they suspect.

use super::files::on_pick;
use super::state::Playground;
use distill_playground::i18n::Msg;
use leptos::prelude::*;

#[component]
pub fn SuspectTest() -> impl IntoView {
    let p = expect_context::<Playground>();
    let outcome = p.view(|page| page.suspect_text());
    let pick = on_pick(
        move |name, bytes| p.dispatch(|page| page.test_suspect(name, bytes)),
        move |detail| p.update(|page| page.suspect_file_unreadable(detail)),
    );
    view! {
        <div class="suspect" data-testid="suspect">
            <label class="file-button">
                {move || p.t(Msg::TestASuspect)}
                <input type="file" data-testid="suspect-file" accept=".safetensors" on:change=pick/>
            </label>
            <span class="help">{move || p.t(Msg::TestASuspectHelp)}</span>
            {move || outcome.get().map(|m| match m {
                Ok(text) => view! { <p class="queries" role="status" data-testid="suspect-result">{text}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert" data-testid="suspect-result">{text}</p> }.into_any(),
            })}
        </div>
    }
}
