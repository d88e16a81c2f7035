//! The headline: both students' test accuracy side by side, the teacher's, and the sizes.

use super::state::Playground;
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
            Some(format!(
                "Test images of class {name}, which neither student ever saw: the distilled student gets {} of {total} right, labels only {}.",
                r.distilled.confusion[class][class], r.baseline.confusion[class][class]
            ))
        })
    };
    view! {
        <div class="headline" aria-live="polite">
            <div class="score distilled">
                <span class="label">"Distilled student"</span>
                <span class="value" data-testid="test-accuracy-distilled">{accuracy(|pair| pair.0)}</span>
            </div>
            <div class="score baseline">
                <span class="label">"Same student, labels only"</span>
                <span class="value" data-testid="test-accuracy-baseline">{accuracy(|pair| pair.1)}</span>
            </div>
            <div class="score teacher">
                <span class="label">"Teacher"</span>
                <span class="value">{move || teacher().map(|t| t.1).unwrap_or_default()}</span>
            </div>
            <p class="verdict">{move || last().map(|(d, b)| verdict(d, b))}</p>
            {move || missing().map(|text| view! { <p class="verdict" data-testid="missing-class">{text}</p> })}
            <p class="sizes">
                {move || teacher().map(|(id, _, teacher_parameters, test_rows)| format!(
                    "Student: {} parameters, {} smaller than the teacher {id} ({} parameters). Accuracy on {test_rows} test images; examples/s (both students): {:.0}.",
                    count(student_parameters()), compression(teacher_parameters, student_parameters()), count(teacher_parameters), p.reports.with(|r| r.last().map(|r| r.examples_per_second).unwrap_or(0.0))
                ))}
            </p>
        </div>
    }
}
