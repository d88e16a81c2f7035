//! Confusion matrices and per-class accuracy of both students at the latest report.

use super::state::Playground;
use crate::session::StudentReport;
use crate::text::percent;
use leptos::prelude::*;

#[component]
pub fn Matrices() -> impl IntoView {
    let p = expect_context::<Playground>();
    let latest = move |pick: fn(&crate::session::Report) -> &StudentReport| {
        move || p.reports.with(|r| r.last().map(|r| pick(r).clone()))
    };
    view! {
        <div class="matrices">
            <Matrix title="Distilled student" student=Signal::derive(latest(|r| &r.distilled))/>
            <Matrix title="Labels only" student=Signal::derive(latest(|r| &r.baseline))/>
        </div>
    }
}

#[component]
fn Matrix(title: &'static str, student: Signal<Option<StudentReport>>) -> impl IntoView {
    let p = expect_context::<Playground>();
    let names = move || p.class_names();
    view! {
        <figure class="matrix">
            <figcaption>{move || p.t(title)} {move || p.t(": rows are the true class, columns the prediction")}</figcaption>
            {move || student.get().map(|s| {
                let names = names();
                view! {
                    <table>
                        <thead><tr><th scope="col">{p.t("true \\ predicted")}</th>
                            {(0..10).map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                            <th scope="col">{p.t("accuracy")}</th></tr></thead>
                        <tbody>
                            {s.confusion.iter().enumerate().map(|(t, row)| {
                                let total: u32 = row.iter().sum::<u32>().max(1);
                                view! {
                                    <tr>
                                        <th scope="row">{format!("{t} {}", if names[t] == t.to_string() { String::new() } else { names[t].clone() })}</th>
                                        {row.iter().enumerate().map(|(c, &n)| {
                                            let share = n as f64 / total as f64;
                                            let class = if c == t { "hit" } else { "miss" };
                                            view! { <td class=class style=format!("--share: {share:.3}")>{n}</td> }
                                        }).collect_view()}
                                        <td>{percent(s.per_class_accuracy[t])}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </figure>
    }
}
