//! Draw a digit: both students read it live, with their probability bars. The drawing is made
//! MNIST-like ([`crate::drawing`]) before the students see it; the small image shows what they see.

use super::inspect::{bar_row, draw};
use super::state::Playground;
use distill_playground::dark_knowledge::probabilities;
use distill_playground::drawing::to_mnist;
use distill_playground::i18n::Msg;
use distill_spec::argmax;
use distill_spec::PIXELS;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, PointerEvent};

/// The drawing canvas's resolution (shown at its CSS size).
const SIDE: u32 = 196;

#[component]
pub fn DrawDigit() -> impl IntoView {
    let p = expect_context::<Playground>();
    let pad = NodeRef::<leptos::html::Canvas>::new();
    let seen = NodeRef::<leptos::html::Canvas>::new();
    let drawing = RwSignal::new(false);
    let context = move || -> Option<CanvasRenderingContext2d> {
        let canvas: HtmlCanvasElement = pad.get()?;
        Some(canvas.get_context("2d").ok()??.unchecked_into())
    };
    let point = move |ev: &PointerEvent| -> Option<(f64, f64)> {
        let canvas: HtmlCanvasElement = pad.get()?;
        let rect = canvas.get_bounding_client_rect();
        let scale = SIDE as f64 / rect.width().max(1.0);
        Some(((ev.client_x() as f64 - rect.left()) * scale, (ev.client_y() as f64 - rect.top()) * scale))
    };
    let down = move |ev: PointerEvent| {
        let (Some(c), Some((x, y))) = (context(), point(&ev)) else { return };
        drawing.set(true);
        c.set_line_width(14.0);
        c.set_line_cap("round");
        c.set_line_join("round");
        c.set_stroke_style_str("black");
        c.begin_path();
        c.move_to(x, y);
        c.line_to(x + 0.1, y);
        c.stroke();
    };
    let moved = move |ev: PointerEvent| {
        if !drawing.get_untracked() {
            return;
        }
        if let (Some(c), Some((x, y))) = (context(), point(&ev)) {
            c.line_to(x, y);
            c.stroke();
        }
    };
    let up = move |_| {
        if !drawing.get_untracked() {
            return;
        }
        drawing.set(false);
        let Some(c) = context() else { return };
        let Ok(image) = c.get_image_data(0.0, 0.0, SIDE as f64, SIDE as f64) else { return };
        let ink: Vec<u8> = image.data().0.chunks_exact(4).map(|px| px[3]).collect();
        let pixels = to_mnist(&ink, SIDE as usize);
        p.dispatch(|page| page.predict(Some(pixels)));
    };
    let clear = move |_| {
        if let Some(c) = context() {
            c.clear_rect(0.0, 0.0, SIDE as f64, SIDE as f64);
        }
        p.dispatch(|page| page.predict(None));
    };
    let drawn = p.view(|page| page.images().and_then(|v| v.drawing.clone()));
    let prediction = p.view(|page| page.images().and_then(|v| v.prediction.clone()));
    Effect::new(move |_| {
        let pixels = drawn.get().unwrap_or_else(|| vec![0; PIXELS]);
        if let Some(canvas) = seen.get() {
            draw(&canvas, &pixels);
        }
    });
    let bars = move || {
        let names = p.with(|page| page.class_names());
        let students = prediction.get()?;
        let (distilled, baseline) = (students.distilled?, students.baseline?);
        Some({
            let best = |logits: &[f32]| {
                let probs = probabilities(logits, 1.0);
                let top = argmax(&probs);
                (probs, names[top].clone())
            };
            let (d, d_top) = best(&distilled);
            let (b, b_top) = best(&baseline);
            view! {
                <p data-testid="drawn-prediction">
                    {p.t(Msg::DistilledStudent)} ": " <b>{d_top}</b> " · " {p.t(Msg::SameStudentLabelsOnly)} ": " <b>{b_top}</b>
                </p>
                {bar_row(p.t(Msg::DistilledStudent).into(), "distilled", &d, &names)}
                {bar_row(p.t(Msg::SameStudentLabelsOnly).into(), "baseline", &b, &names)}
            }
        })
    };
    view! {
        <section class="draw panel" aria-label=move || p.t(Msg::DrawADigit)>
            <h2>{move || p.t(Msg::DrawADigit)}</h2>
            <p class="help">{move || p.t(Msg::DrawWithTheMouseA)}</p>
            <div class="inspection">
                <canvas class="pad" node_ref=pad width=SIDE height=SIDE data-testid="draw-pad"
                    aria-label=move || p.t(Msg::DrawingAreaDrawADigit)
                    on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointerleave=up></canvas>
                <div>
                    <canvas node_ref=seen width="28" height="28" aria-label=move || p.t(Msg::WhatTheStudentsSee)></canvas>
                    <div><button on:click=clear>{move || p.t(Msg::Clear)}</button></div>
                </div>
                <div class="bars">{bars}</div>
            </div>
        </section>
    }
}
