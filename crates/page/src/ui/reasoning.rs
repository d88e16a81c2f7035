//! The reasoning task's panels (`task=reasoning`): the headline of the tasks scored in one figure
//! a model (with, for reasoning, answers right by problem size), and "show your work", where each model writes its solution to a
//! typed problem symbol by symbol, each as sure as the model was of it.

use super::state::Playground;
use distill_playground::i18n::{Lang, Msg};
use distill_playground::page::{refusal_text, Page};
use distill_playground::protocol::Solution;
use leptos::prelude::*;

/// The headline of the words and reasoning tasks: each one scored in one figure a model.
#[component]
pub fn ScoresHeadline(headline: fn(&Page) -> distill_playground::page::ScoresHeadline) -> impl IntoView {
    let p = expect_context::<Playground>();
    // One memo of plain text, drawn in one piece at every report.
    let headline = p.view(headline);
    move || {
        let h = headline.get();
        let scores = [
            (Msg::DistilledStudent, "distilled", h.distilled),
            (h.baseline_label, "baseline", h.baseline),
            (Msg::Teacher, "teacher", h.teacher),
        ];
        let lang = p.lang.get();
        let table = (!h.by_size.is_empty()).then(|| {
            view! {
                <table class="by-size" data-testid="by-size" inner_html=by_size_table(&h.by_size, lang)></table>
            }
        });
        view! {
            <div class="headline" aria-live="polite">
                {scores.into_iter().map(|(label, who, value)| view! {
                    <div class=format!("score {who}")>
                        <span class="label">{p.t(label)}</span>
                        <span class="value" data-testid=format!("{}-{who}", h.kind)>{value}</span>
                    </div>
                }).collect_view()}
                <p class="verdict">{h.verdict}</p>
                <p class="sizes">{h.sizes}</p>
                {table}
            </div>
        }
    }
}

/// Answers right by problem size as the rows of a table (plain text in markup the page writes).
fn by_size_table(by_size: &[(usize, [String; 3])], lang: Lang) -> String {
    let mut html = format!("<caption>{}</caption><tr><th></th>", Msg::AccuracyBySize.text(lang));
    for (bits, _) in by_size {
        html += &format!("<th>{bits} bits</th>");
    }
    for (at, who) in [Msg::Teacher, Msg::DistilledStudentLower, Msg::LabelsOnlyStudent].into_iter().enumerate() {
        html += &format!("</tr><tr><th>{}</th>", who.text(lang));
        for (_, right) in by_size {
            html += &format!("<td>{}</td>", right[at]);
        }
    }
    html + "</tr>"
}

/// Each model's solution, a symbol a span, paler the less sure the model was of it (four shades),
/// a wrong answer struck through (plain text in markup the page writes: the symbols are the six
/// of `distill_data::problems`, the names the page's own).
fn solutions(rows: [(&str, &str, Option<Solution>); 3]) -> String {
    let mut html = String::new();
    for (who, class, solution) in rows {
        let Some(solution) = solution else { continue };
        let wrong = if solution.answer_right { "" } else { " wrong" };
        html += &format!(
            "<div class=\"solution {class}\"><span class=\"who\">{who}</span>\
             <span class=\"written{wrong}\" data-testid=\"solution-{class}\">"
        );
        for (symbol, q) in solution.text.chars().zip(solution.probabilities) {
            html += &format!("<span class=\"sure{}\" title=\"{q:.3}\">{symbol}</span>", (q * 3.0).round() as u8);
        }
        html += "</span></div>";
    }
    html
}

/// Show your work: a typed problem, and what each model writes after it.
#[component]
pub fn ReasoningPanel() -> impl IntoView {
    let p = expect_context::<Playground>();
    let problem = p.view(|page| page.reasoning().map(|v| v.problem.clone()).unwrap_or_default());
    let solved = p.view(|page| page.reasoning().and_then(|v| v.solved.clone()));
    let rows = move || {
        let solved = solved.get()?;
        Some(solutions([
            (p.t(Msg::Teacher), "teacher", Some(solved.teacher)),
            (p.t(Msg::DistilledStudentLower), "distilled", solved.students.distilled),
            (p.t(Msg::LabelsOnlyStudent), "baseline", solved.students.baseline),
        ]))
    };
    view! {
        <section class="dark-knowledge show-your-work" aria-label=move || p.t(Msg::ShowYourWork)>
            <h2>{move || p.t(Msg::ShowYourWork)}</h2>
            <p class="help" id="problem-help">{move || p.t(Msg::ShowYourWorkHelp)}</p>
            <label for="problem">{move || p.t(Msg::AProblem)}</label>
            <input type="text" id="problem" data-testid="problem" spellcheck="false" autocomplete="off" maxlength="24"
                inputmode="numeric" aria-describedby="problem-help" prop:value=move || problem.get()
                on:input=move |ev| p.dispatch(|page| page.solve(event_target_value(&ev)))/>
            {move || p.with(|page| page.reasoning().and_then(|v| v.refusal.as_ref()).map(|e| refusal_text(e, page.language()))).map(|text| view! {
                <p class="problem" role="alert" data-testid="problem-refusal">{text}</p>
            })}
            <div class="solutions" data-testid="solutions" inner_html=rows></div>
        </section>
    }
}
