//! "Dark knowledge": one test image (or, when the copier asks about images from elsewhere, one of
//! those), the teacher's probabilities at T = 1 and at the chosen T, and what each student
//! currently believes.

use super::state::Playground;
use distill_playground::dark_knowledge::probabilities;
use distill_playground::i18n::{fill, Msg};
use distill_playground::protocol::Pick;
use distill_playground::settings::AskAbout;
use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, ImageData};

#[component]
pub fn DarkKnowledge() -> impl IntoView {
    let p = expect_context::<Playground>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let inspection = p.view(|page| page.images().and_then(|v| v.inspection.clone()));
    let curated = p.view(|page| page.images().map(|v| v.curated.clone()).unwrap_or_default());
    let inspected = p.view(|page| page.images().map_or(Pick::Test(0), |v| v.inspected));
    // Repaint the image whenever another one is inspected.
    Effect::new(move |_| {
        let (Some(canvas), Some(pixels)) = (canvas.get(), inspection.with(|i| i.as_ref().map(|i| i.pixels.clone())))
        else {
            return;
        };
        draw(&canvas, &pixels);
    });
    let names = p.view(|page| page.class_names());
    let names = move || names.get();
    let temperature = move || p.settings.with(|s| s.train.temperature);
    let asks_elsewhere = move || p.settings.with(|s| s.api.ask != AskAbout::Own);
    let rows = move || {
        inspection.with(|i| {
            let i = i.as_ref()?;
            let t = temperature();
            let mut rows = vec![
                (p.t(Msg::TeacherAtOne).to_string(), "teacher", probabilities(&i.teacher_logits, 1.0)),
                (fill(p.t(Msg::TeacherAtT), &[("t", t.to_string())]), "soft", probabilities(&i.teacher_logits, t)),
            ];
            if let Some(logits) = &i.students.distilled {
                rows.push((p.t(Msg::DistilledStudentLower).to_string(), "distilled", probabilities(logits, 1.0)));
            }
            if let Some(logits) = &i.students.baseline {
                rows.push((p.t(Msg::LabelsOnlyStudent).to_string(), "baseline", probabilities(logits, 1.0)));
            }
            Some((i.label, rows))
        })
    };
    view! {
        <section class="dark-knowledge" aria-label=move || p.t(Msg::DarkKnowledge)>
            <h2>{move || p.t(Msg::DarkKnowledge)}</h2>
            <p class="help">{move || p.t(Msg::ALabelSaysOnlyThis)}</p>
            <div class="picks">
                {move || {
                    let names = names();
                    curated.get().into_iter().map(|c| {
                        let text = fill(p.t(Msg::LooksLike), &[
                            ("label", names[c.label as usize].clone()),
                            ("other", names[c.looks_like as usize].clone()),
                        ]);
                        let pick = Pick::Test(c.index);
                        view! {
                            <button class:chosen=move || inspected.get() == pick on:click=move |_| p.dispatch(|page| page.inspect(pick))>{text}</button>
                        }
                    }).collect_view()
                }}
                // The images from elsewhere the copier asks about, and what the teacher says of them.
                {move || asks_elsewhere().then(|| (0..3).map(|n| {
                    let pick = Pick::Asked(n);
                    let text = fill(p.t(Msg::AskedImage), &[("n", (n + 1).to_string())]);
                    view! {
                        <button data-testid="asked-image" class:chosen=move || inspected.get() == pick on:click=move |_| p.dispatch(|page| page.inspect(pick))>{text}</button>
                    }
                }).collect_view())}
            </div>
            <div class="inspection">
                <canvas node_ref=canvas width="28" height="28" aria-label=move || p.t(Msg::TheChosenTestImage)></canvas>
                <div class="bars">
                    {move || rows().map(|(label, rows)| {
                        let names = names();
                        view! {
                            <p>{match label {
                                Some(label) => view! { {p.t(Msg::TrueClass)} <b>{names[label as usize].clone()}</b> }.into_any(),
                                None => p.t(Msg::NoTrueClass).into_any(),
                            }}</p>
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
                        <span class="fill" style=("height", format!("{:.1}%", 100.0 * q))></span>
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
