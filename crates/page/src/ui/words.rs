//! The words task's panels (`task=words`): the headline in bits per character, the words each
//! model invents, and the next-letter view, where a typed prefix shows each model's distribution
//! over the letter that comes next (the dark knowledge of text).

use super::inspect::bar_row;
use super::state::Playground;
use distill_playground::i18n::{fill, Msg};
use distill_playground::settings::word_student_parameters;
use distill_playground::text::{bits, compression, count, words_verdict};
use leptos::prelude::*;

#[component]
pub fn WordsHeadline() -> impl IntoView {
    let p = expect_context::<Playground>();
    let last = p.view(|page| {
        page.reports
            .last()
            .map(|r| (r.distilled.bits_per_char.unwrap_or(f64::NAN), r.baseline.bits_per_char.unwrap_or(f64::NAN)))
    });
    let last = move || last.get();
    let value = move |pick: fn((f64, f64)) -> f64| {
        move || last().map(|pair| bits(pick(pair))).unwrap_or_else(|| bits(f64::NAN))
    };
    let teacher = p.view(|page| page.words_teacher.as_ref().map(|t| (t.test_bits_per_char, t.vocabulary())));
    let entry = p.view(|page| page.words_pack().map(|e| (e.teacher.clone(), e.parameters, e.test_words)));
    let speed = p.view(|page| page.reports.last().map(|r| r.examples_per_second).unwrap_or(0.0));
    let student_parameters = move || {
        p.with(|page| {
            let (context, tokens) = page.words_teacher.as_ref().map_or((8, 27), |t| (t.context, t.vocabulary()));
            let hidden = match &page.settings().train.architecture {
                distill_spec::Architecture::Mlp { hidden } => hidden.clone(),
                _ => Vec::new(),
            };
            word_student_parameters(&hidden, context, tokens)
        })
    };
    let sizes = move || {
        let (id, teacher_parameters, test_words) = entry.get()?;
        let tokens = teacher.get().map_or(27, |(_, tokens)| tokens);
        Some(fill(
            p.t(Msg::WordsSizes),
            &[
                ("parameters", count(student_parameters())),
                ("ratio", compression(teacher_parameters, student_parameters())),
                ("teacher", id),
                ("teacher_parameters", count(teacher_parameters)),
                ("test_words", test_words.to_string()),
                ("tokens", tokens.to_string()),
                ("uniform", format!("{:.2}", (tokens as f64).log2())),
                ("speed", format!("{:.0}", speed.get())),
            ],
        ))
    };
    view! {
        <div class="headline" aria-live="polite">
            <div class="score distilled">
                <span class="label">{move || p.t(Msg::DistilledStudent)}</span>
                <span class="value" data-testid="bits-distilled">{value(|pair| pair.0)}</span>
            </div>
            <div class="score baseline">
                <span class="label">{move || p.t(Msg::SameStudentWordsAlone)}</span>
                <span class="value" data-testid="bits-baseline">{value(|pair| pair.1)}</span>
            </div>
            <div class="score teacher">
                <span class="label">{move || p.t(Msg::Teacher)}</span>
                <span class="value" data-testid="bits-teacher">{move || teacher.get().map(|(b, _)| bits(b)).unwrap_or_default()}</span>
            </div>
            <p class="verdict">{move || last().filter(|(d, b)| d.is_finite() && b.is_finite()).map(|(d, b)| words_verdict(p.lang.get(), d, b))}</p>
            <p class="sizes">{sizes}</p>
        </div>
    }
}

/// Words each model invents, and the next-letter view.
#[component]
pub fn WordsPanel() -> impl IntoView {
    let p = expect_context::<Playground>();
    let invented = p.view(|page| {
        let last = page.reports.last();
        (
            last.map(|r| r.distilled.invented.clone()).unwrap_or_default(),
            last.map(|r| r.baseline.invented.clone()).unwrap_or_default(),
            page.words_teacher.as_ref().map(|t| t.wrote.clone()).unwrap_or_default(),
        )
    });
    let list = move |words: Vec<String>, testid: &'static str| {
        view! { <p class="invented" data-testid=testid>{words.join(" · ")}</p> }
    };
    let names = p.view(|page| {
        let letters = page.words_teacher.as_ref().map(|t| t.letters.clone()).unwrap_or_default();
        let end = Msg::EndOfWord.text(page.language()).to_string();
        std::iter::once(end).chain(letters.chars().map(String::from)).collect::<Vec<String>>()
    });
    let found = p.view(|page| page.next_letters.clone());
    let prefix = p.view(|page| page.prefix.clone());
    let rows = move || {
        let found = found.get()?;
        let names = names.get();
        let rows = [
            (p.t(Msg::Teacher), "teacher", found.teacher),
            (p.t(Msg::DistilledStudentLower), "distilled", found.distilled),
            (p.t(Msg::LabelsOnlyStudent), "baseline", found.baseline),
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
                <h3 class="distilled">{move || p.t(Msg::DistilledStudent)}</h3>
                {move || list(invented.get().0, "invented-distilled")}
                <h3 class="baseline">{move || p.t(Msg::SameStudentWordsAlone)}</h3>
                {move || list(invented.get().1, "invented-baseline")}
                <h3 class="teacher">{move || p.t(Msg::TheTeacherWrote)}</h3>
                {move || list(invented.get().2, "teacher-wrote")}
            </div>
        </section>
        <section class="dark-knowledge next-letter" aria-label=move || p.t(Msg::TheNextLetter)>
            <h2>{move || p.t(Msg::TheNextLetter)}</h2>
            <p class="help" id="prefix-help">{move || p.t(Msg::TheNextLetterHelp)}</p>
            <label for="prefix">{move || p.t(Msg::StartOfAWord)}</label>
            <input type="text" id="prefix" data-testid="prefix" spellcheck="false" autocomplete="off" maxlength="24"
                aria-describedby="prefix-help" prop:value=move || prefix.get()
                on:input=move |ev| {
                    let typed = event_target_value(&ev).to_lowercase();
                    p.dispatch(|page| page.ask_next_letters(typed));
                }/>
            {move || p.with(|page| page.prefix_problem.as_ref().map(|e| e.text(page.language()))).map(|text| view! {
                <p class="problem" role="alert" data-testid="prefix-problem">{text}</p>
            })}
            <div class="bars" data-testid="next-letters">{rows}</div>
        </section>
    }
}
