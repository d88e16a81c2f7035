//! The headline: both students' test accuracy side by side, the teacher's, and the sizes.

use super::state::Playground;
use crate::bias_shift::shift_bias;
use crate::i18n::fill;
use crate::text::{compression, count, percent, verdict};
use distill_core::Architecture;
use leptos::prelude::*;

#[component]
pub fn Headline() -> impl IntoView {
    let p = expect_context::<Playground>();
    let last = move || p.reports.with(|r| r.last().map(|r| (r.distilled.test_accuracy, r.baseline.test_accuracy)));
    let accuracy = move |pick: fn((f64, f64)) -> f64| {
        move || last().map(|pair| percent(pick(pair))).unwrap_or_else(|| "–".to_string())
    };
    let student_parameters =
        move || p.settings.with(|s| s.student.parse::<Architecture>().map(|a| a.parameters() as u64).unwrap_or(0));
    let teacher = move || p.pack().map(|e| (e.teacher, percent(e.test_accuracy), e.parameters, e.test_rows));
    // With a class left out of training: how many test images of it each student gets right.
    let missing = move || {
        let class = p.settings.with(|s| s.excluded_class)? as usize;
        let name = p.class_names()[class].clone();
        p.reports.with(|r| {
            let r = r.last()?;
            let total: u32 = r.distilled.confusion[class].iter().sum();
            Some(fill(
                p.t("Test images of class {name}, which neither student ever saw: the distilled student gets {right} of {total} right, labels only {baseline}."),
                &[
                    ("name", name),
                    ("right", r.distilled.confusion[class][class].to_string()),
                    ("total", total.to_string()),
                    ("baseline", r.baseline.confusion[class][class].to_string()),
                ],
            ))
        })
    };
    view! {
        <div class="headline" aria-live="polite">
            <div class="score distilled">
                <span class="label">{move || p.t("Distilled student")}</span>
                <span class="value" data-testid="test-accuracy-distilled">{accuracy(|pair| pair.0)}</span>
            </div>
            <div class="score baseline">
                <span class="label">{move || p.t("Same student, labels only")}</span>
                <span class="value" data-testid="test-accuracy-baseline">{accuracy(|pair| pair.1)}</span>
            </div>
            <div class="score teacher">
                <span class="label">{move || p.t("Teacher")}</span>
                <span class="value">{move || teacher().map(|t| t.1).unwrap_or_default()}</span>
            </div>
            <p class="verdict">{move || last().map(|(d, b)| verdict(p.language(), d, b))}</p>
            {move || missing().map(|text| view! { <p class="verdict" data-testid="missing-class">{text}</p> })}
            <BiasShift/>
            <p class="sizes">
                {move || teacher().map(|(id, _, teacher_parameters, test_rows)| fill(
                    p.t("Student: {parameters} parameters, {ratio} smaller than the teacher {teacher} ({teacher_parameters} parameters). Accuracy on {test_rows} test images; examples/s (both students): {speed}."),
                    &[
                        ("parameters", count(student_parameters())),
                        ("ratio", compression(teacher_parameters, student_parameters())),
                        ("teacher", id),
                        ("teacher_parameters", count(teacher_parameters)),
                        ("test_rows", test_rows.to_string()),
                        ("speed", format!("{:.0}", p.reports.with(|r| r.last().map(|r| r.examples_per_second).unwrap_or(0.0)))),
                    ],
                ))}
            </p>
        </div>
    }
}

/// After a run with a class left out: a slider that adds a constant to that class's logit, and
/// how many of its test images each student then gets right (computed here, no retraining).
#[component]
fn BiasShift() -> impl IntoView {
    let p = expect_context::<Playground>();
    let outcome = move || {
        let class = p.settings.with(|s| s.excluded_class)? as usize;
        let shift = p.bias_shift.get();
        p.test_logits.with(|t| {
            let (labels, distilled, baseline) = t.as_ref()?;
            Some((
                class,
                shift,
                shift_bias(distilled, labels, class, shift),
                shift_bias(baseline, labels, class, shift),
            ))
        })
    };
    move || {
        outcome().map(|(class, shift, d, b)| {
            let name = p.class_names()[class].clone();
            view! {
                <div class="shift">
                    <label for="bias-shift">{fill(p.t("Add to the class-{name} logit (the paper used +3.5)"), &[("name", name.clone())])}</label>
                    <div class="slider">
                        <input type="range" id="bias-shift" data-testid="bias-shift" min="0" max="10" step="0.5"
                            prop:value=shift.to_string()
                            on:input=move |ev| if let Ok(v) = event_target_value(&ev).parse() { p.bias_shift.set(v) }/>
                        <output for="bias-shift">{format!("+{shift}")}</output>
                    </div>
                    <p data-testid="shifted-count">{fill(
                        p.t("With +{shift}: the distilled student gets {right} of {total} {name}s right ({accuracy} of all test images), labels only {baseline} ({baseline_accuracy})."),
                        &[
                            ("shift", shift.to_string()),
                            ("right", d.class_correct.to_string()),
                            ("total", d.class_total.to_string()),
                            ("name", name),
                            ("accuracy", percent(d.accuracy)),
                            ("baseline", b.class_correct.to_string()),
                            ("baseline_accuracy", percent(b.accuracy)),
                        ],
                    )}</p>
                </div>
            }
        })
    }
}
