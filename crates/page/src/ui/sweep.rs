//! The Sweep panel: what to vary, one curve per what, a queue of runs in the worker, and a
//! chart of test accuracy (words: bits per character) against the varied value that fills in as
//! runs finish.

use super::charts::figure;
use super::state::Playground;
use distill_playground::chart;
use distill_playground::i18n::{fill, Msg};
use distill_playground::page::SweepProgress;
use distill_playground::sweep::{sweepable_in, Axis, Sweep, SweepError};
use leptos::prelude::*;

#[component]
pub fn SweepPanel() -> impl IntoView {
    let p = expect_context::<Playground>();
    let text = |axis: Option<&Axis>| axis.map(|a| a.to_string()).unwrap_or_default();
    let plan_now = p.view(|page| page.link().sweep.clone());
    let lesson = p.view(|page| page.link().lesson.clone());
    let vary = RwSignal::new(plan_now.with_untracked(|s| text(s.as_ref().map(|s| &s.vary))));
    let by = RwSignal::new(plan_now.with_untracked(|s| text(s.as_ref().and_then(|s| s.by.as_ref()))));
    // A lesson replaces the plan: show its text (only then, so typing is never overwritten).
    Effect::new(move |_| {
        lesson.track();
        plan_now.with_untracked(|s| {
            vary.set(text(s.as_ref().map(|s| &s.vary)));
            by.set(text(s.as_ref().and_then(|s| s.by.as_ref())));
        })
    });
    let problem = RwSignal::new(None::<SweepError>);
    let plan = move || -> Result<Option<Sweep>, SweepError> {
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
            p.update(|page| page.plan_sweep(sweep));
        }
        Err(e) => problem.set(Some(e)),
    };
    // How many runs the plan makes with the current settings, or why it cannot run.
    let runs = p.view(|page| -> Result<usize, Option<SweepError>> {
        let sweep = page.link().sweep.as_ref().ok_or(None)?;
        let rows = page.train_rows().unwrap_or(usize::MAX);
        sweep.points(&page.link().settings, rows).map(|points| points.len()).map_err(Some)
    });
    let progress = p.view(|page| page.sweep_progress());
    let running = move || progress.get().is_some();
    let start = move |_| {
        let mut failure = None;
        p.dispatch(|page| {
            page.run_sweep().unwrap_or_else(|e| {
                failure = Some(e);
                Vec::new()
            })
        });
        if failure.is_some() {
            problem.set(failure);
        }
    };
    // The latest sweep's rows.
    let rows = p.view(|page| {
        let rows = page.results();
        let last = rows.iter().rev().find(|r| r.run.starts_with("sweep")).map(|r| r.run.clone());
        rows.iter().filter(|r| Some(&r.run) == last.as_ref()).cloned().collect::<Vec<_>>()
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
        <section class="sweep panel" aria-label=move || p.t(Msg::Sweep)>
            <h2>{move || p.t(Msg::Sweep)}</h2>
            <p class="help">{move || fill(
                p.t(Msg::TrainOneStudentPerValue),
                &[("settings", p.settings.with(|s| sweepable_in(s)).join(", "))],
            )}</p>
            <div class="sweep-form">
                <label for="sweep-vary">{move || p.t(Msg::Vary)}</label>
                <input id="sweep-vary" data-testid="sweep-vary" placeholder="t:1,2,4,8" prop:value=vary
                    on:change=move |ev| { vary.set(event_target_value(&ev)); edited(); }/>
                <label for="sweep-by">{move || p.t(Msg::OneCurvePer)}</label>
                <input id="sweep-by" data-testid="sweep-by" placeholder="student:mlp:30-30,mlp:800-800" prop:value=by
                    on:change=move |ev| { by.set(event_target_value(&ev)); edited(); }/>
                <Show when=running fallback=move || view! {
                    <button data-testid="run-sweep" disabled=move || runs.get().is_err() on:click=start>
                        {move || match runs.get() { Ok(n) => format!("{} ({n})", p.t(Msg::RunSweep)), Err(_) => p.t(Msg::RunSweep).to_string() }}
                    </button>
                }>
                    <button data-testid="stop-sweep" on:click=move |_| p.dispatch(|page| page.stop_sweep())>{move || p.t(Msg::StopSweep)}</button>
                </Show>
            </div>
            {move || problem.get().or_else(|| runs.get().err().flatten())
                .map(|e| view! { <p class="error" role="alert" data-testid="sweep-problem">{e.text(p.lang.get())}</p> })}
            {move || progress.get().map(|SweepProgress { index, total, step, steps }| view! {
                <p data-testid="sweep-progress" role="status">
                    {fill(p.t(Msg::RunIndexOfTotalStep), &[
                        ("index", (index + 1).min(total).to_string()),
                        ("total", total.to_string()),
                        ("step", step.to_string()),
                        ("steps", steps.to_string()),
                    ])}
                    <progress max=total.max(1) value=index as f64 + step as f64 / steps.max(1) as f64
                        aria-label=move || p.t(Msg::SweepProgress)></progress>
                </p>
            })}
            <Show when=move || rows.with(|r| !r.is_empty())>
                {move || figure(p.settings.with(|s| s.task().spec().sweep_title), chart, ticks)}
            </Show>
        </section>
    }
}
