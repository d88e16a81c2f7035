//! The live charts: SVG polylines computed by [`crate::chart`], and a PNG of all of them.

use super::state::Playground;
use distill_playground::chart::{self, Chart, HEIGHT, WIDTH};
use distill_playground::i18n::{fill, Msg};
use distill_playground::protocol::Report;
use distill_playground::text::count;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn Charts() -> impl IntoView {
    let p = expect_context::<Playground>();
    let score_chart = p.view(|page| page.task().spec().score_chart);
    let arriving = p.view(|page| page.arriving());
    view! {
        // A pack arrives in parts: a run trains on the images it reads first while the rest come.
        {move || arriving.get().map(|(rows, of)| view! {
            <p class="arriving" data-testid="arriving">
                {fill(p.t(Msg::TrainingImagesIn), &[("rows", count(rows as u64)), ("of", count(of as u64))])}
            </p>
        })}
        <div class="charts">
            {move || {
                let (title, make) = score_chart.get();
                view! { <LineChart title make/> }
            }}
            <LineChart title=Msg::AgreementWithTheTeacher make=chart::agreement/>
            <LineChart title=Msg::Loss make=chart::losses/>
            // Images: the batches' true classes; words: their true next letters.
            <LineChart title=Msg::TrainingBatchAccuracy make=chart::train_accuracy/>
            <LineChart title=Msg::ThroughputExamplesSBothStudents make=chart::throughput/>
            <Show when=move || p.settings.with(|s| s.train.queries.is_some())><QueriesChart/></Show>
        </div>
        <div class="buttons">
            <button data-testid="export-png" on:click=move |_| {
                wasm_bindgen_futures::spawn_local(super::png::render_charts(p.charts_png))
            }>{move || p.t(Msg::MakeAPNGOfThe)}</button>
            {move || p.charts_png.get().map(|file| super::files::link(&file, "png-link"))}
        </div>
    }
}

#[component]
fn LineChart(title: Msg, make: fn(&[Report]) -> Chart) -> impl IntoView {
    let p = expect_context::<Playground>();
    let chart = p.view(move |page| make(page.reports()));
    figure(title, chart, move || chart.with(|c| fill(p.t(Msg::ExamplesCaption), &[("examples", c.x_max.to_string())])))
}

/// Test accuracy after each round of questions, against the queries spent.
#[component]
fn QueriesChart() -> impl IntoView {
    let p = expect_context::<Playground>();
    let chart = p.view(|page| chart::accuracy_by_queries(page.reports()));
    let caption = move || chart.with(|c| fill(p.t(Msg::QueriesCaption), &[("queries", c.x_max.to_string())]));
    view! { <div data-testid="queries-chart">{figure(Msg::AccuracyByQueries, chart, caption)}</div> }
}

/// A chart with its title, value range, x caption and legend; curves with few points get dots.
/// A crosshair reads the exact values at the point nearest the pointer, or at the one the arrow
/// keys (Home, End) move to once the chart has the focus.
pub fn figure(title: Msg, chart: Memo<Chart>, x_caption: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    let p = expect_context::<Playground>();
    let cursor = RwSignal::new(None::<usize>);
    let readout = move || cursor.get().and_then(|index| chart.with(|c| c.readout(index, p.lang.get())));
    let point = move |ev: leptos::ev::PointerEvent| {
        let Some(svg) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let rect = svg.get_bounding_client_rect();
        let px = (ev.client_x() as f64 - rect.left()) / rect.width().max(1.0) * WIDTH;
        cursor.set(chart.with(|c| c.nearest_stop(px)));
    };
    let key = move |ev: leptos::ev::KeyboardEvent| {
        let stops = chart.with(|c| c.stops().len());
        if stops == 0 {
            return;
        }
        let at = cursor.get().unwrap_or(stops).min(stops - 1);
        let next = match ev.key().as_str() {
            "ArrowLeft" | "ArrowDown" => at.saturating_sub(1),
            "ArrowRight" | "ArrowUp" => (at + 1).min(stops - 1),
            "Home" => 0,
            "End" => stops - 1,
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(if cursor.get().is_none() { stops - 1 } else { next }));
    };
    view! {
        <figure class="chart">
            <figcaption>{move || p.t(title)}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" tabindex="0" aria-keyshortcuts="ArrowLeft ArrowRight Home End"
                aria-label=move || chart.with(|c| c.summary(p.t(title), p.lang.get()))
                on:pointermove=point on:pointerleave=move |_| cursor.set(None) on:keydown=key on:blur=move |_| cursor.set(None)>
                {move || readout().map(|(x, _)| view! {
                    <line class="crosshair" x1=format!("{x:.1}") x2=format!("{x:.1}") y1="0" y2=HEIGHT.to_string()/>
                })}
                {move || chart.with(|c| c.series.iter().map(|s| {
                    let dots = (s.points.len() <= 12).then(|| s.points.iter().map(|&point| {
                        let (x, y) = c.position(point);
                        view! { <circle class=format!("dot {}", s.class) cx=format!("{x:.1}") cy=format!("{y:.1}") r="3"/> }
                    }).collect_view());
                    view! {
                        <polyline class=format!("line {}{}", s.class, if s.dashed { " dashed" } else { "" }) points=c.polyline(s)/>
                        {dots}
                    }
                }).collect_view())}
            </svg>
            <p class="readout" data-testid="chart-readout" aria-live="polite">{move || readout().map(|(_, text)| text)}</p>
            <div class="axis">
                <span>{move || chart.with(|c| format!("{:.2} – {:.2}", c.y_min, c.y_max))}</span>
                <span>{x_caption}</span>
            </div>
            <ul class="legend">
                {move || chart.with(|c| c.series.iter().map(|s| view! {
                    <li class=format!("key {}", s.class)>{s.name.text(p.lang.get())}</li>
                }).collect_view())}
            </ul>
        </figure>
    }
}
