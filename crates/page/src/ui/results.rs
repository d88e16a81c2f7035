//! The headline: both students' test accuracy side by side, the teacher's, and the sizes.

use super::state::Playground;
use distill_playground::bias_shift::shift_bias;
use distill_playground::i18n::{fill, Msg};
use distill_playground::text::{compression, count, percent, verdict};
use distill_playground::url::SHIFT_RANGE;

use leptos::prelude::*;

#[component]
pub fn Headline() -> impl IntoView {
    let p = expect_context::<Playground>();
    let last = p.view(|page| page.reports().last().map(|r| (r.distilled.test_accuracy, r.baseline.test_accuracy)));
    let last = move || last.get();
    let accuracy = move |pick: fn((f64, f64)) -> f64| {
        move || last().map(|pair| percent(pick(pair))).unwrap_or_else(|| "–".to_string())
    };
    let student_parameters = move || p.settings.with(|s| s.train.architecture.parameters() as u64);
    let teacher =
        p.view(|page| page.pack().map(|e| (e.teacher.clone(), percent(e.test_accuracy), e.parameters, e.test_rows)));
    let teacher = move || teacher.get();
    // A teacher the visitor brought: its file and its accuracy on the pack's test images.
    let own = p.view(|page| page.own_teacher().map(|(t, _)| (t.file.clone(), percent(t.test_accuracy))));
    let speed = p.view(|page| page.reports().last().map(|r| r.examples_per_second).unwrap_or(0.0));
    // With a class left out of training: how many test images of it each student gets right.
    let missing = move || {
        let class = p.settings.with(|s| s.train.excluded_class)? as usize;
        let lang = p.lang.get();
        p.with(|page| {
            let name = page.class_names()[class].clone();
            let r = page.reports().last()?;
            // A report without a confusion matrix (another task's) has nothing to say here.
            let (distilled, baseline) = (r.distilled.confusion()?.0.get(class)?, r.baseline.confusion()?.0.get(class)?);
            let total: u32 = distilled.iter().sum();
            Some(fill(
                Msg::TestImagesOfClassName.text(lang),
                &[
                    ("name", name),
                    ("right", distilled.get(class)?.to_string()),
                    ("total", total.to_string()),
                    ("baseline", baseline.get(class)?.to_string()),
                ],
            ))
        })
    };
    view! {
        <div class="headline" aria-live="polite">
            <div class="score distilled">
                <span class="label">{move || p.t(Msg::DistilledStudent)}</span>
                <span class="value" data-testid="test-accuracy-distilled">{accuracy(|pair| pair.0)}</span>
            </div>
            <div class="score baseline">
                <span class="label">{move || p.t(Msg::SameStudentLabelsOnly)}</span>
                <span class="value" data-testid="test-accuracy-baseline">{accuracy(|pair| pair.1)}</span>
            </div>
            <div class="score teacher">
                <span class="label" data-testid="teacher-label">{move || match own.get() {
                    Some((file, _)) => fill(p.t(Msg::ImportedTeacher), &[("file", file)]),
                    None => p.t(Msg::Teacher).to_string(),
                }}</span>
                <span class="value" data-testid="teacher-accuracy">{move || match own.get() {
                    Some((_, accuracy)) => accuracy,
                    None => teacher().map(|t| t.1).unwrap_or_default(),
                }}</span>
            </div>
            <p class="verdict">{move || last().map(|(d, b)| verdict(p.lang.get(), d, b))}</p>
            {move || missing().map(|text| view! { <p class="verdict" data-testid="missing-class">{text}</p> })}
            <BiasShift/>
            <p class="sizes">
                {move || teacher().map(|(id, _, teacher_parameters, test_rows)| match own.get() {
                    // A file of logits says nothing of the model's size.
                    Some((file, _)) => fill(
                        p.t(Msg::StudentSizeOwnTeacher),
                        &[
                            ("parameters", count(student_parameters())),
                            ("file", file),
                            ("test_rows", test_rows.to_string()),
                            ("speed", format!("{:.0}", speed.get())),
                        ],
                    ),
                    None => fill(
                        p.t(Msg::StudentParametersParametersRatioSmaller),
                        &[
                            ("parameters", count(student_parameters())),
                            ("ratio", compression(teacher_parameters, student_parameters())),
                            ("teacher", id),
                            ("teacher_parameters", count(teacher_parameters)),
                            ("test_rows", test_rows.to_string()),
                            ("speed", format!("{:.0}", speed.get())),
                        ],
                    ),
                })}
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
        let class = p.settings.with(|s| s.train.excluded_class)? as usize;
        p.with(|page| {
            let shift = page.link().bias_shift;
            let t = page.images()?.test_logits.as_ref()?;
            Some((
                class,
                shift,
                shift_bias(t.students.distilled.as_ref()?, &t.labels, class, shift),
                shift_bias(t.students.baseline.as_ref()?, &t.labels, class, shift),
                page.class_names()[class].clone(),
            ))
        })
    };
    let (min, max, step) = SHIFT_RANGE;
    move || {
        outcome().map(|(_, shift, d, b, name)| {
            view! {
                <div class="shift">
                    <label for="bias-shift">{fill(p.t(Msg::AddToTheClassName), &[("name", name.clone())])}</label>
                    <div class="slider">
                        <input type="range" id="bias-shift" data-testid="bias-shift" min=min max=max step=step
                            prop:value=shift.to_string()
                            on:input=move |ev| if let Ok(v) = event_target_value(&ev).parse() { p.update(|page| page.shift_bias(v)) }/>
                        <output for="bias-shift">{format!("+{shift}")}</output>
                    </div>
                    <p data-testid="shifted-count">{fill(
                        p.t(Msg::WithShiftTheDistilledStudent),
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
