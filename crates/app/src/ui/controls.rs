//! The control panel: every setting with a label and a sentence that says what it does.
//! Changing a setting starts a fresh pair of students.

use super::state::{Phase, Playground};
use crate::i18n::fill;
use crate::protocol::Command;
use crate::settings::Backend;
use crate::text::{compression, count, percent};
use distill_core::{Architecture, Mode};
use leptos::prelude::*;

/// Students offered, from tiny to as large as the paper's.
const STUDENTS: [&str; 5] = ["mlp:30-30", "mlp:100", "mlp:300", "mlp:800-800", "cnn:8-16-64"];
const MODES: [(&str, &str); 6] = [
    ("soft", "Soft targets (white box: all the teacher's logits)"),
    ("top1", "Teacher's top-1 label only (black box)"),
    ("top2", "Teacher's top-2 probabilities (black box)"),
    ("top3", "Teacher's top-3 probabilities (black box)"),
    ("top5", "Teacher's top-5 probabilities (black box)"),
    ("labels", "Labels only (no teacher)"),
];
const LEARNING_RATES: [f64; 5] = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1];
const BATCH_SIZES: [usize; 5] = [16, 32, 64, 128, 256];

/// One control with its label and explanation. `name` is its URL parameter, which `hide=`
/// and `lock=` use: a hidden control is not drawn, a locked one is drawn disabled.
#[component]
fn Field(
    label: &'static str,
    id: &'static str,
    name: &'static str,
    help: &'static str,
    children: Children,
) -> impl IntoView {
    let p = expect_context::<Playground>();
    (!p.hidden(name)).then(|| {
        view! {
            <fieldset class="field" disabled=p.locked(name) data-control=name>
                <label for=id>{move || p.t(label)}</label>
                {children()}
                <p class="help" id=format!("{id}-help")>{move || p.t(help)}</p>
            </fieldset>
        }
    })
}

/// A `<select>` whose options are (value, text) pairs; `on_pick` gets the chosen value.
fn choice(
    id: &'static str,
    options: impl Fn() -> Vec<(String, String)> + Send + Sync + 'static,
    current: impl Fn() -> String + Send + Sync + Copy + 'static,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <select id=id aria-describedby=format!("{id}-help") on:change=move |ev| on_pick(event_target_value(&ev))>
            {move || options().into_iter().map(|(value, text)| {
                let selected = value == current();
                view! { <option value=value selected=selected>{text}</option> }
            }).collect_view()}
        </select>
    }
}

/// An `<input type=range>`; the value is applied when the slider is released.
fn slider(
    id: &'static str,
    min: f64,
    max: f64,
    step: f64,
    current: impl Fn() -> f64 + Send + Sync + Copy + 'static,
    on_pick: impl Fn(f64) + 'static,
) -> impl IntoView {
    view! {
        <div class="slider">
            <input type="range" id=id min=min max=max step=step prop:value=move || current().to_string()
                aria-describedby=format!("{id}-help")
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse() {
                        on_pick(v)
                    }
                }/>
            <output for=id>{move || current().to_string()}</output>
        </div>
    }
}

/// An `<input type=number>` for whole numbers within `min..=max`; other input is put back.
fn whole(
    id: &'static str,
    min: u64,
    max: u64,
    current: impl Fn() -> u64 + Send + Sync + Copy + 'static,
    on_pick: impl Fn(u64) + 'static,
) -> impl IntoView {
    view! {
        <input type="number" id=id min=min max=max step=1 prop:value=move || current().to_string()
            aria-describedby=format!("{id}-help")
            on:change=move |ev| {
                match event_target_value(&ev).parse::<u64>() {
                    Ok(v) if (min..=max).contains(&v) => on_pick(v),
                    _ => {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        input.set_value(&current().to_string());
                    }
                }
            }/>
    }
}

/// Start, Pause, One step, Reset.
#[component]
pub fn Buttons() -> impl IntoView {
    let p = expect_context::<Playground>();
    let can_train = move || matches!(p.phase.get(), Phase::Ready | Phase::Paused);
    view! {
        <div class="buttons">
            <button data-testid="start" disabled=move || !can_train() on:click=move |_| p.send(Command::Start)>{move || p.t("Start")}</button>
            <button data-testid="pause" disabled=move || p.phase.get() != Phase::Training on:click=move |_| p.send(Command::Pause)>{move || p.t("Pause")}</button>
            <button data-testid="step" disabled=move || !can_train() on:click=move |_| p.send(Command::Step)>{move || p.t("One step")}</button>
            <button data-testid="reset" on:click=move |_| p.reset()>{move || p.t("Reset")}</button>
        </div>
    }
}

#[component]
pub fn Controls() -> impl IntoView {
    let p = expect_context::<Playground>();
    let s = p.settings;
    let teacher_parameters = move || p.pack().map(|e| e.parameters).unwrap_or(1);
    let train_rows = move || p.pack().map(|e| e.train_rows as u64).unwrap_or(5000);

    let dataset = move || p.pack().map(|e| e.dataset).unwrap_or_default();
    let datasets = move || {
        p.catalog.with(|c| {
            let mut seen: Vec<(String, String)> = Vec::new();
            for e in c.iter().flat_map(|c| &c.packs) {
                if !seen.iter().any(|(d, _)| d == &e.dataset) {
                    seen.push((e.dataset.clone(), e.dataset_title.clone()));
                }
            }
            seen
        })
    };
    // A dataset is chosen through its first teacher: each pack holds one teacher's outputs.
    let first_teacher_of = move |dataset: String| {
        p.catalog.with_untracked(|c| {
            c.iter().flat_map(|c| &c.packs).find(|e| e.dataset == dataset).map(|e| e.teacher.clone())
        })
    };
    let teachers = move || {
        let dataset = dataset();
        p.catalog.with(|c| {
            c.iter()
                .flat_map(|c| &c.packs)
                .filter(|e| e.dataset == dataset)
                .map(|e| {
                    let text = format!(
                        "{} — {} {}, {} parameters, {} test accuracy",
                        e.teacher,
                        e.dataset,
                        e.architecture,
                        count(e.parameters),
                        percent(e.test_accuracy)
                    );
                    (e.teacher.clone(), text)
                })
                .collect()
        })
    };
    let students = move || {
        STUDENTS
            .iter()
            .map(|name| {
                let params = name.parse::<Architecture>().map(|a| a.parameters() as u64).unwrap_or(0);
                let text = format!(
                    "{name} — {}",
                    fill(
                        p.t("{parameters} parameters, {ratio} smaller than the teacher"),
                        &[("parameters", count(params)), ("ratio", compression(teacher_parameters(), params))]
                    )
                );
                (name.to_string(), text)
            })
            .collect()
    };
    let modes = move || MODES.iter().map(|(v, t)| (v.to_string(), p.t(t).to_string())).collect();
    let rates = || LEARNING_RATES.iter().map(|r| (r.to_string(), r.to_string())).collect();
    let batches = || BATCH_SIZES.iter().map(|b| (b.to_string(), b.to_string())).collect();
    let classes = move || {
        let mut options = vec![("none".to_string(), p.t("none: every class is in the transfer set").to_string())];
        options.extend(
            p.class_names()
                .into_iter()
                .enumerate()
                .map(|(i, name)| (i.to_string(), fill(p.t("leave out every {name}"), &[("name", name)]))),
        );
        options
    };
    let backends = move || {
        [("auto", "Automatic (WebGPU if available)"), ("webgpu", "WebGPU"), ("cpu", "CPU (wasm)")]
            .iter()
            .map(|(v, t)| (v.to_string(), p.t(t).to_string()))
            .collect()
    };
    let soft_mode = move || s.with(|s| !matches!(s.mode, Mode::LabelsOnly | Mode::TopLabel));

    view! {
        <section class="controls" aria-label=move || p.t("Settings")>
            <Field label="Dataset" id="dataset" name="dataset" help="MNIST: handwritten digits. Fashion-MNIST: photos of clothes, harder. 28×28 grey images, 10 classes.">
                {choice("dataset", datasets, dataset, move |v| if let Some(t) = first_teacher_of(v) { p.change(|s| s.teacher = t) })}
            </Field>
            <Field label="Teacher" id="teacher" name="teacher" help="The big network trained offline on the full dataset. Its outputs for every training image were saved; the students learn from those.">
                {choice("teacher", teachers, move || s.with(|s| s.teacher.clone()), move |v| p.change(|s| s.teacher = v))}
            </Field>
            <Field label="Student" id="student" name="student" help="The small network trained here. mlp:100 is one hidden layer of 100 units; cnn:8-16-64 is a small convolutional net.">
                {choice("student", students, move || s.with(|s| s.student.clone()), move |v| p.change(|s| s.student = v))}
            </Field>
            <Field label="What the student sees of the teacher" id="mode" name="mode" help="White box: the full probability of every class. Black box: only what an API would return — the top label, or the top-k probabilities.">
                {choice("mode", modes, move || s.with(|s| s.mode.to_string()), move |v| if let Ok(m) = v.parse() { p.change(|s| s.mode = m) })}
            </Field>
            <Field label="Temperature T" id="temperature" name="t" help="Divides the teacher's logits before the softmax. Higher T softens the probabilities and reveals which wrong classes the teacher finds plausible — the 'dark knowledge'. The soft loss is multiplied by T² so its gradients keep their size.">
                {slider("temperature", 1.0, 20.0, 0.5, move || s.with(|s| s.temperature as f64), move |v| p.change(|s| s.temperature = v as f32))}
            </Field>
            <Show when=move || !soft_mode()>
                <p class="hint">{move || p.t("T has no effect on a top-1 label or on labels alone.")}</p>
            </Show>
            <Field label="α (weight of the teacher)" id="alpha" name="alpha" help="The loss is α × soft loss (match the teacher) + (1 − α) × hard loss (match the true label).">
                {slider("alpha", 0.0, 1.0, 0.05, move || s.with(|s| s.alpha as f64), move |v| p.change(|s| s.alpha = v as f32))}
            </Field>
            <Field label="Learning rate" id="learning-rate" name="lr" help="Step size of the Adam optimiser; it decays to zero along a cosine over the run. Too high and training diverges.">
                {choice("learning-rate", rates, move || s.with(|s| s.learning_rate.to_string()), move |v| if let Ok(r) = v.parse() { p.change(|s| s.learning_rate = r) })}
            </Field>
            <Field label="Batch size" id="batch-size" name="batch" help="Examples per optimiser step.">
                {choice("batch-size", batches, move || s.with(|s| s.batch_size.to_string()), move |v| if let Ok(b) = v.parse() { p.change(|s| s.batch_size = b) })}
            </Field>
            <Field label="Training length (epochs)" id="epochs" name="epochs" help="Passes over the transfer set.">
                {whole("epochs", 1, 200, move || s.with(|s| s.epochs as u64), move |v| p.change(|s| s.epochs = v as f64))}
            </Field>
            <Field label="Query budget (training examples)" id="budget" name="budget" help="How many training images the students get — and so how many times the teacher is asked. Both students see the same images.">
                {move || slider("budget", 100.0, train_rows() as f64, 100.0, move || s.with(|s| s.budget as f64), move |v| p.change(|s| s.budget = v as usize))}
            </Field>
            <Field label="Missing class" id="excluded" name="exclude" help="Leave every example of one class out of the transfer set. Labels alone can never learn it; the teacher's soft targets on other images still mention it.">
                {choice("excluded", classes, move || s.with(|s| s.excluded_class.map(|c| c.to_string()).unwrap_or("none".into())), move |v| p.change(|s| s.excluded_class = v.parse().ok()))}
            </Field>
            <Field label="Seed" id="seed" name="seed" help="Fixes the initial weights and the order of examples: the same seed gives the same curves on the same backend.">
                {whole("seed", 0, 1_000_000, move || s.with(|s| s.seed), move |v| p.change(|s| s.seed = v))}
            </Field>
            <Field label="Backend" id="backend" name="backend" help="WebGPU runs on your graphics card; the CPU backend is burn compiled to WebAssembly, one thread. Small students are often faster on the CPU.">
                {choice("backend", backends, move || s.with(|s| s.backend.to_string()), move |v| if let Ok(b) = v.parse::<Backend>() { p.change(|s| s.backend = b) })}
            </Field>
        </section>
    }
}
