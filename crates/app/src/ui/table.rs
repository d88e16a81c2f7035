//! The results table: every finished student, downloadable as CSV or JSON.

use super::files::save;
use super::state::Playground;
use crate::results::{to_csv, to_json};
use crate::text::percent;
use leptos::prelude::*;

#[component]
pub fn ResultsTable() -> impl IntoView {
    let p = expect_context::<Playground>();
    let download = move |name: &'static str, mime: &'static str, make: fn(&[crate::results::ResultRow]) -> String| {
        move |_| p.results.with_untracked(|rows| save(name, make(rows).as_bytes(), mime))
    };
    let empty = move || p.results.with(|r| r.is_empty());
    view! {
        <section class="results-table panel" aria-label=move || p.t("Results")>
            <h2>{move || p.t("Results")}</h2>
            <p class="help">{move || p.t("One row per trained student: each finished run adds two (distilled and labels only), each sweep run one. The files hold every setting, so a row can be reproduced.")}</p>
            <div class="buttons">
                <button data-testid="export-csv" disabled=empty on:click=download("distill-results.csv", "text/csv", to_csv)>{move || p.t("Download CSV")}</button>
                <button data-testid="export-json" disabled=empty on:click=download("distill-results.json", "application/json", to_json)>{move || p.t("Download JSON")}</button>
                <button disabled=empty on:click=move |_| p.results.set(Vec::new())>{move || p.t("Clear")}</button>
            </div>
            <div class="scroll">
                <table data-testid="results-table">
                    <thead><tr>
                        {move || ["Run", "Curve", "Point", "Student", "Mode", "T", "α", "Budget", "Epochs", "Steps",
                            "Test accuracy", "Agreement", "Seconds"]
                            .map(|h| view! { <th scope="col">{p.t(h)}</th> }).into_iter().collect_view()}
                    </tr></thead>
                    <tbody>
                        {move || p.results.get().into_iter().map(|r| {
                            let s = &r.settings;
                            view! { <tr title=r.note.clone()>
                                <td>{r.run.clone()}</td><td>{r.series.clone()}</td><td>{r.point.clone()}</td>
                                <td>{s.student.clone()}</td><td>{s.mode.to_string()}</td><td>{s.temperature}</td>
                                <td>{s.alpha}</td><td>{s.budget}</td><td>{format!("{:.1}", s.epochs)}</td>
                                <td>{r.steps}</td>
                                <td>{if r.note.is_empty() { percent(r.test_accuracy) } else { p.t("diverged").to_string() }}</td>
                                <td>{percent(r.agreement)}</td><td>{format!("{:.1}", r.seconds)}</td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
