//! The words task's panels (`task=words`): the words each model invents, and the next-letter view, where a typed prefix shows each model's distribution
//! over the letter that comes next (the dark knowledge of text).

use super::inspect::bar_row;
use super::state::Playground;
use distill_playground::i18n::Msg;
use leptos::prelude::*;

/// Words each model invents, and the next-letter view.
#[component]
pub fn WordsPanel() -> impl IntoView {
    let p = expect_context::<Playground>();
    let invented = p.view(|page| {
        let last = page.reports().last();
        [
            (Msg::DistilledStudent, "distilled", last.map(|r| r.distilled.invented().join(" · "))),
            (Msg::SameStudentWordsAlone, "baseline", last.map(|r| r.baseline.invented().join(" · "))),
            (
                Msg::TheTeacherWrote,
                "teacher",
                page.words().and_then(|v| v.teacher.as_ref()).map(|t| t.wrote.join(" · ")),
            ),
        ]
    });
    let names = p.view(|page| {
        let letters = page.words().and_then(|v| v.teacher.as_ref()).map(|t| t.letters.clone()).unwrap_or_default();
        let end = Msg::EndOfWord.text(page.language()).to_string();
        std::iter::once(end).chain(letters.chars().map(String::from)).collect::<Vec<String>>()
    });
    let found = p.view(|page| page.words().and_then(|v| v.next_letters.clone()));
    let prefix = p.view(|page| page.words().map(|v| v.prefix.clone()).unwrap_or_default());
    let rows = move || {
        let found = found.get()?;
        let names = names.get();
        let rows = [
            (p.t(Msg::Teacher), "teacher", found.teacher),
            (p.t(Msg::DistilledStudentLower), "distilled", found.students.distilled.unwrap_or_default()),
            (p.t(Msg::LabelsOnlyStudent), "baseline", found.students.baseline.unwrap_or_default()),
        ];
        Some(
            rows.into_iter()
                .filter(|(_, _, probs)| probs.len() == names.len())
                .map(|(title, class, probs)| bar_row(title.to_string(), class, &probs, &names))
                .collect_view(),
        )
    };
    view! {
        <section class="words panel" aria-label=move || p.t(Msg::WordsTheyInvent)>
            <h2>{move || p.t(Msg::WordsTheyInvent)}</h2>
            <div class="invented-words">
                {move || invented.get().into_iter().map(|(title, class, words)| {
                    let testid = if class == "teacher" { "teacher-wrote".to_string() } else { format!("invented-{class}") };
                    view! {
                        <h3 class=class>{p.t(title)}</h3>
                        <p class="invented" data-testid=testid>{words.unwrap_or_default()}</p>
                    }
                }).collect_view()}
            </div>
        </section>
        <section class="dark-knowledge next-letter" aria-label=move || p.t(Msg::TheNextLetter)>
            <h2>{move || p.t(Msg::TheNextLetter)}</h2>
            <p class="help" id="prefix-help">{move || p.t(Msg::TheNextLetterHelp)}</p>
            <label for="prefix">{move || p.t(Msg::StartOfAWord)}</label>
            <input type="text" id="prefix" data-testid="prefix" spellcheck="false" autocomplete="off" maxlength="24"
                aria-describedby="prefix-help" prop:value=move || prefix.get()
                on:input=move |ev| {
                    // The browser's lower case (Ñ → ñ), not Rust's Unicode tables in the page's wasm.
                    let typed: String = js_sys::JsString::from(event_target_value(&ev)).to_lower_case().into();
                    p.dispatch(|page| page.ask_next_letters(typed));
                }/>
            {move || p.with(|page| page.words().and_then(|v| v.prefix_problem.as_ref()).map(|e| e.text(page.language()))).map(|text| view! {
                <p class="problem" role="alert" data-testid="prefix-problem">{text}</p>
            })}
            <div class="bars" data-testid="next-letters">{rows}</div>
        </section>
    }
}
