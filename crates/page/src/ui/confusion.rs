//! Confusion matrices and per-class accuracy of both students at the latest report.

use super::state::Playground;
use distill_playground::i18n::Msg;
use distill_playground::protocol::{StudentReport, TaskScores};
use distill_playground::text::percent;
use leptos::prelude::*;

#[component]
pub fn Matrices() -> impl IntoView {
    let p = expect_context::<Playground>();
    let latest = move |pick: fn(&distill_playground::protocol::Report) -> &StudentReport| {
        p.view(move |page| page.reports().last().map(|r| pick(r).clone()))
    };
    view! {
        <div class="matrices">
            <Matrix title=Msg::DistilledStudent student=latest(|r| &r.distilled)/>
            <Matrix title=Msg::LabelsOnly student=latest(|r| &r.baseline)/>
        </div>
    }
}

#[component]
fn Matrix(title: Msg, student: Memo<Option<StudentReport>>) -> impl IntoView {
    let p = expect_context::<Playground>();
    let names = p.view(|page| page.class_names());
    let names = move || names.get();
    view! {
        <figure class="matrix">
            <figcaption>{move || p.t(title)} {move || p.t(Msg::RowsAreTheTrueClass)}</figcaption>
            {move || student.get().and_then(|s| {
                let TaskScores::Images { confusion, per_class_accuracy, .. } = s.task else { return None };
                let names = names();
                Some(view! {
                    <table>
                        <thead><tr><th scope="col">{p.t(Msg::TruePredicted)}</th>
                            {(0..10).map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                            <th scope="col">{p.t(Msg::Accuracy)}</th></tr></thead>
                        <tbody>
                            {confusion.iter().enumerate().map(|(t, row)| {
                                let total: u32 = row.iter().sum::<u32>().max(1);
                                view! {
                                    <tr>
                                        <th scope="row">{format!("{t} {}", if names[t] == t.to_string() { String::new() } else { names[t].clone() })}</th>
                                        {row.iter().enumerate().map(|(c, &n)| {
                                            let share = n as f64 / total as f64;
                                            let class = if c == t { "hit" } else { "miss" };
                                            view! { <td class=class style=("--share", format!("{share:.3}"))>{n}</td> }
                                        }).collect_view()}
                                        <td>{percent(per_class_accuracy[t])}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                })
            })}
        </figure>
    }
}
