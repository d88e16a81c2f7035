//! "Dark knowledge": one test image, the teacher's probabilities at T = 1 and at the chosen T,
//! and what each student currently believes.

use super::state::Playground;
use crate::dark_knowledge::probabilities;
use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, ImageData};

#[component]
pub fn DarkKnowledge() -> impl IntoView {
    let p = expect_context::<Playground>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        let (Some(canvas), Some(pixels)) = (canvas.get(), p.inspection.with(|i| i.as_ref().map(|i| i.pixels.clone())))
        else {
            return;
        };
        draw(&canvas, &pixels);
    });
    let names = move || p.class_names();
    let temperature = move || p.settings.with(|s| s.temperature);
    let rows = move || {
        p.inspection.with(|i| {
            let i = i.as_ref()?;
            let t = temperature();
            let mut rows = vec![
                ("teacher, T = 1".to_string(), "teacher", probabilities(&i.teacher_logits, 1.0)),
                (format!("teacher, T = {t}"), "soft", probabilities(&i.teacher_logits, t)),
            ];
            if !i.distilled_logits.is_empty() {
                rows.push(("distilled student".to_string(), "distilled", probabilities(&i.distilled_logits, 1.0)));
                rows.push(("labels-only student".to_string(), "baseline", probabilities(&i.baseline_logits, 1.0)));
            }
            Some((i.label, rows))
        })
    };
    view! {
        <section class="dark-knowledge" aria-label=move || p.t("Dark knowledge")>
            <h2>{move || p.t("Dark knowledge")}</h2>
            <p class="help">{move || p.t("A label says only \"this is a 7\". The teacher's probabilities also say which other classes it resembles. At T = 1 those hints are tiny; a higher T makes them visible, and that is what the distilled student learns from. Pick an ambiguous example:")}</p>
            <div class="picks">
                {move || {
                    let names = names();
                    p.curated.get().into_iter().map(|c| {
                        let text = format!("{} like {}", names[c.label as usize], names[c.looks_like as usize]);
                        view! {
                            <button class:chosen=move || p.inspected.get() == c.index on:click=move |_| p.inspect(c.index)>{text}</button>
                        }
                    }).collect_view()
                }}
            </div>
            <div class="inspection">
                <canvas node_ref=canvas width="28" height="28" aria-label=move || p.t("the chosen test image")></canvas>
                <div class="bars">
                    {move || rows().map(|(label, rows)| {
                        let names = names();
                        view! {
                            <p>{p.t("True class: ")} <b>{names[label as usize].clone()}</b></p>
                            {rows.into_iter().map(|(title, class, probs)| bar_row(title, class, &probs, &names)).collect_view()}
                        }
                    })}
                </div>
            </div>
        </section>
    }
}

/// One row of probability bars, one bar per class.
pub fn bar_row(title: String, class: &'static str, probs: &[f32], names: &[String]) -> impl IntoView {
    view! {
        <div class=format!("bar-row {class}")>
            <span class="who">{title}</span>
            <div class="bar-set">
                {probs.iter().zip(names).map(|(&q, name)| view! {
                    <span class="bar" title=format!("{name}: {q:.4}")>
                        <span class="fill" style=format!("height: {:.1}%", 100.0 * q)></span>
                        <span class="class">{name.chars().take(3).collect::<String>()}</span>
                    </span>
                }).collect_view()}
            </div>
        </div>
    }
}

/// Paints a 28×28 grey image, ink dark on light.
pub fn draw(canvas: &web_sys::HtmlCanvasElement, pixels: &[u8]) {
    let Ok(Some(context)) = canvas.get_context("2d") else { return };
    let context: CanvasRenderingContext2d = context.unchecked_into();
    let rgba: Vec<u8> = pixels.iter().flat_map(|&v| [255 - v, 255 - v, 255 - v, 255]).collect();
    if let Ok(image) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), 28, 28) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}
