//! The results table: every finished student (the newest drawn), downloadable as CSV or JSON.

use super::files::save;
use super::state::Playground;
use distill_playground::i18n::{fill, Msg};
use distill_playground::page::SHOWN_ROWS;
use distill_playground::results::{json_rows, to_csv, ResultRow};
use distill_playground::settings::SCHEMA;
use distill_playground::text::{count, percent};
use leptos::prelude::*;

/// The JSON export, written by the browser's `JSON.stringify` (the page links no JSON library).
fn to_json(rows: &[ResultRow]) -> String {
    use serde::Serialize;
    let value = json_rows(rows).serialize(&serde_wasm_bindgen::Serializer::json_compatible());
    let indent = wasm_bindgen::JsValue::from(2);
    value
        .ok()
        .and_then(|v| js_sys::JSON::stringify_with_replacer_and_space(&v, &wasm_bindgen::JsValue::NULL, &indent).ok())
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

#[component]
pub fn ResultsTable() -> impl IntoView {
    let p = expect_context::<Playground>();
    let download = move |name: &'static str, mime: &'static str, make: fn(&[ResultRow]) -> String| {
        move |_| p.with_untracked(|page| save(name, make(page.results()).as_bytes(), mime))
    };
    let results = p.view(|page| page.shown_results().to_vec());
    let total = p.view(|page| page.results().len());
    let empty = move || total.get() == 0;
    view! {
        <section class="results-table panel" aria-label=move || p.t(Msg::Results)>
            <h2>{move || p.t(Msg::Results)}</h2>
            <p class="help">{move || p.t(Msg::OneRowPerTrainedStudent)}</p>
            <div class="buttons">
                <button data-testid="export-csv" disabled=empty on:click=download("distill-results.csv", "text/csv", to_csv)>{move || p.t(Msg::DownloadCSV)}</button>
                <button data-testid="export-json" disabled=empty on:click=download("distill-results.json", "application/json", to_json)>{move || p.t(Msg::DownloadJSON)}</button>
                <button data-testid="clear-results" disabled=empty on:click=move |_| p.dispatch(|page| page.clear_results())>{move || p.t(Msg::Clear)}</button>
            </div>
            {move || p.with(|page| page.keep_problem().map(|e| e.text(page.language()))).map(|text| view! {
                <p class="notice" role="status" data-testid="results-not-kept">{text}</p>
            })}
            <div class="scroll" tabindex="0" role="region" aria-label=move || p.t(Msg::ResultsTableScrolls)>
                <table data-testid="results-table" data-rows=move || total.get()>
                    <thead><tr>
                        {move || {
                            let leading = [Msg::Run, Msg::Curve, Msg::Point];
                            let settings = SCHEMA.iter().filter_map(|s| s.column);
                            let trailing = [Msg::Examples, Msg::QueriesSpent, Msg::HonestUserColumn, Msg::Steps, Msg::TestAccuracy, Msg::Agreement, Msg::Seconds];
                            leading.into_iter().chain(settings).chain(trailing)
                                .map(|h| view! { <th scope="col">{p.t(h)}</th> }).collect_view()
                        }}
                    </tr></thead>
                    <tbody>
                        {move || results.get().into_iter().map(|r| {
                            let settings = SCHEMA.iter().filter(|s| s.column.is_some())
                                .map(|s| view! { <td>{r.settings.recorded(s).unwrap_or_default()}</td> }).collect_view();
                            view! { <tr title=r.note.clone()>
                                <td>{r.run.clone()}</td><td>{r.series.clone()}</td><td>{r.point.clone()}</td>
                                {settings}
                                <td>{r.examples}</td><td>{r.queries}</td><td>{percent(r.honest_accuracy)}</td><td>{r.steps}</td>
                                <td>{if r.note.is_empty() { percent(r.test_accuracy) } else { p.t(Msg::Diverged).to_string() }}</td>
                                <td>{percent(r.agreement)}</td><td>{format!("{:.1}", r.seconds)}</td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || (total.get() > SHOWN_ROWS).then(|| {
                let numbers = [("shown", count(SHOWN_ROWS as u64)), ("total", count(total.get() as u64))];
                view! { <p class="help" data-testid="rows-not-shown">{fill(p.t(Msg::ShowingTheLastRows), &numbers)}</p> }
            })}
        </section>
    }
}
