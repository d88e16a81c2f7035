//! The Sweep panel: what to vary, one curve per what, a queue of runs in the worker, and a
//! chart of test accuracy against the varied value that fills in as runs finish.

use super::charts::figure;
use super::state::Playground;
use crate::chart;
use crate::i18n::fill;
use crate::sweep::{Axis, Sweep, SWEEPABLE};
use leptos::prelude::*;

#[component]
pub fn SweepPanel() -> impl IntoView {
    let p = expect_context::<Playground>();
    let text = |axis: Option<&Axis>| axis.map(|a| a.to_string()).unwrap_or_default();
    let vary = RwSignal::new(p.sweep.with_untracked(|s| text(s.as_ref().map(|s| &s.vary))));
    let by = RwSignal::new(p.sweep.with_untracked(|s| text(s.as_ref().and_then(|s| s.by.as_ref()))));
    // A lesson replaces the plan: show its text (only then, so typing is never overwritten).
    Effect::new(move |_| {
        p.lesson.track();
        p.sweep.with_untracked(|s| {
            vary.set(text(s.as_ref().map(|s| &s.vary)));
            by.set(text(s.as_ref().and_then(|s| s.by.as_ref())));
        })
    });
    let problem = RwSignal::new(None::<String>);
    let plan = move || -> Result<Option<Sweep>, String> {
        let vary = vary.get();
        if vary.trim().is_empty() {
            return Ok(None);
        }
        let by = by.get();
        let by = if by.trim().is_empty() { None } else { Some(Axis::parse(by.trim())?) };
        Ok(Some(Sweep { vary: Axis::parse(vary.trim())?, by }))
    };
    let edited = move || match plan() {
        Ok(sweep) => {
            problem.set(None);
            p.sweep.set(sweep);
        }
        Err(e) => problem.set(Some(e)),
    };
    // How many runs the plan makes with the current settings, or why it cannot run.
    let runs = move || -> Result<usize, String> {
        let sweep = p.sweep.get().ok_or("")?;
        p.settings.with(|s| sweep.points(s)).map(|points| points.len())
    };
    let running = move || p.sweep_progress.get().is_some();
    let start = move |_| {
        if let Err(e) = p.run_sweep() {
            problem.set(Some(e));
        }
    };
    // The latest sweep's rows.
    let rows = Memo::new(move |_| {
        p.results.with(|rows| {
            let last = rows.iter().rev().find(|r| r.run.starts_with("sweep")).map(|r| r.run.clone());
            rows.iter().filter(|r| Some(&r.run) == last.as_ref()).cloned().collect::<Vec<_>>()
        })
    });
    let chart = Memo::new(move |_| rows.with(|r| chart::sweep(r)));
    let ticks = move || {
        rows.with(|r| {
            let mut labels: Vec<String> = Vec::new();
            for row in r {
                if !labels.contains(&row.point) {
                    labels.push(row.point.clone());
                }
            }
            labels.join(" · ")
        })
    };
    view! {
        <section class="sweep panel" aria-label=move || p.t("Sweep")>
            <h2>{move || p.t("Sweep")}</h2>
            <p class="help">{move || fill(
                p.t("Train one student per value of a setting, on top of the settings on the left, and plot test accuracy against it. Write setting:value,value,… with a setting among {settings}. Optionally draw one curve per value of a second setting. When the query budget varies, every run still trains on as many examples (a smaller set gets more epochs)."),
                &[("settings", SWEEPABLE.join(", "))],
            )}</p>
            <div class="sweep-form">
                <label for="sweep-vary">{move || p.t("Vary")}</label>
                <input id="sweep-vary" data-testid="sweep-vary" placeholder="t:1,2,4,8" prop:value=vary
                    on:change=move |ev| { vary.set(event_target_value(&ev)); edited(); }/>
                <label for="sweep-by">{move || p.t("One curve per")}</label>
                <input id="sweep-by" data-testid="sweep-by" placeholder="student:mlp:30-30,mlp:800-800" prop:value=by
                    on:change=move |ev| { by.set(event_target_value(&ev)); edited(); }/>
                <Show when=running fallback=move || view! {
                    <button data-testid="run-sweep" disabled=move || runs().is_err() on:click=start>
                        {move || match runs() { Ok(n) => format!("{} ({n})", p.t("Run sweep")), Err(_) => p.t("Run sweep").to_string() }}
                    </button>
                }>
                    <button data-testid="stop-sweep" on:click=move |_| p.send(crate::protocol::Command::StopSweep)>{move || p.t("Stop sweep")}</button>
                </Show>
            </div>
            {move || problem.get().or_else(|| runs().err().filter(|e| !e.is_empty()))
                .map(|e| view! { <p class="error" role="alert" data-testid="sweep-problem">{e}</p> })}
            {move || p.sweep_progress.get().map(|(index, total, step, steps)| view! {
                <p data-testid="sweep-progress" role="status">
                    {fill(p.t("Run {index} of {total}: step {step} of {steps}"), &[
                        ("index", (index + 1).min(total).to_string()),
                        ("total", total.to_string()),
                        ("step", step.to_string()),
                        ("steps", steps.to_string()),
                    ])}
                    <progress max=total.max(1) value=index as f64 + step as f64 / steps.max(1) as f64
                        aria-label=move || p.t("sweep progress")></progress>
                </p>
            })}
            <Show when=move || rows.with(|r| !r.is_empty())>
                {figure("Sweep: test accuracy (%)", chart, move || ticks())}
            </Show>
        </section>
    }
}
