//! The live charts: SVG polylines computed by [`crate::chart`].

use super::state::Playground;
use crate::chart::{self, Chart, HEIGHT, WIDTH};
use crate::session::Report;
use leptos::prelude::*;

#[component]
pub fn Charts() -> impl IntoView {
    view! {
        <div class="charts">
            <LineChart title="Test accuracy (%)" make=chart::test_accuracy/>
            <LineChart title="Agreement with the teacher (%)" make=chart::agreement/>
            <LineChart title="Loss" make=chart::losses/>
            <LineChart title="Training-batch accuracy (%)" make=chart::train_accuracy/>
            <LineChart title="Throughput (examples/s, both students)" make=chart::throughput/>
        </div>
    }
}

#[component]
fn LineChart(title: &'static str, make: fn(&[Report]) -> Chart) -> impl IntoView {
    let p = expect_context::<Playground>();
    let chart = Memo::new(move |_| p.reports.with(|r| make(r)));
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=move || chart.with(|c| c.summary(title))>
                {move || chart.with(|c| c.series.iter().map(|s| view! {
                    <polyline class=format!("line {}{}", s.class, if s.dashed { " dashed" } else { "" }) points=c.polyline(s)/>
                }).collect_view())}
            </svg>
            <div class="axis">
                <span>{move || chart.with(|c| format!("{:.2} – {:.2}", c.y_min, c.y_max))}</span>
                <span>{move || chart.with(|c| format!("{} examples", c.x_max))}</span>
            </div>
            <ul class="legend">
                {move || chart.with(|c| c.series.iter().map(|s| view! {
                    <li class=format!("key {}", s.class)>{s.name}</li>
                }).collect_view())}
            </ul>
        </figure>
    }
}
