//! The control panel, drawn from [`SCHEMA`]: one field per setting with its label and help, a
//! widget for its kind (a slider or number box with the setting's own range and step, a menu of
//! exactly the values a link accepts, the student as text), and the dataset menu. A change goes
//! through the same parser as a link ([`Page::set`]) and starts a fresh pair of students.

use super::state::Playground;
use distill_playground::i18n::{fill, Msg};
use distill_playground::page::{Page, Phase};
use distill_playground::settings::{self, Describe, Kind, Setting, Settings, API_SETTINGS, SCHEMA, SUGGESTED_STUDENTS};
use distill_playground::text::{compression, count};
use distill_playground::url::DATASET_CONTROL;
use distill_spec::Mode;
use leptos::prelude::*;

/// One control with its label and explanation. `name` is its URL parameter, which `hide=` and
/// `lock=` use: a hidden control is not drawn, a locked one is drawn disabled. A setting's own
/// words may differ by task ([`Settings::words_for`]).
#[component]
fn Field(label: Msg, id: &'static str, name: &'static str, help: Msg, children: Children) -> impl IntoView {
    let p = expect_context::<Playground>();
    let setting = settings::find(name);
    let words = move || p.settings.with(|s| setting.map_or((label, help), |setting| s.words_for(setting)));
    let uses = move || p.settings.with(|s| setting.is_none_or(|setting| s.uses(setting)));
    (!p.hidden(name)).then(|| {
        view! {
            // A setting the task does not use is not shown (`Settings::uses`).
            <fieldset class="field" disabled=p.locked(name) data-control=name hidden=move || !uses()>
                <label for=id>{move || p.t(words().0)}</label>
                {children()}
                <p class="help" id=format!("{id}-help")>{move || p.t(words().1)}</p>
            </fieldset>
        }
    })
}

/// A `<select>` of (value, text) pairs; `on_pick` gets the chosen value.
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

/// The widget of one schema entry.
fn widget(p: Playground, setting: &'static Setting) -> AnyView {
    let id = setting.id;
    let current = Memo::new(move |_| p.settings.with(|s| setting.read(s)));
    let pick = move |value: String| p.dispatch(|page| page.set(setting, &value));
    match &setting.kind {
        Kind::Number { step, slider, .. } => {
            let range = p.view(move |page| setting.range(page.train_rows()).unwrap_or((0.0, 1.0)));
            let step = step.map(|s| s.to_string()).unwrap_or_else(|| "any".to_string());
            let kind = if *slider { "range" } else { "number" };
            let input = view! {
                <input type=kind id=id min=move || range.get().0 max=move || range.get().1 step=step.clone()
                    prop:value=move || current.get() aria-describedby=format!("{id}-help")
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        pick(input.value());
                        input.set_value(&current.get_untracked()); // what trains, even after a refusal
                    }/>
            };
            if *slider {
                view! { <div class="slider">{input}<output for=id>{move || current.get()}</output></div> }.into_any()
            } else {
                input.into_any()
            }
        }
        Kind::Choice { .. } => {
            let options = move || {
                let (lang, class_names, teacher_parameters, values, task) = p.with(|page| {
                    let choices = page.settings().choices(setting);
                    (page.language(), page.class_names(), teacher_parameters(page), choices, page.task())
                });
                let context = Describe { lang, class_names: &class_names, teacher_parameters, task };
                values.into_iter().map(|v| (v.to_string(), setting.describe(v, &context))).collect()
            };
            choice(id, options, move || current.get(), pick).into_any()
        }
        Kind::Student => {
            let list = format!("{id}-suggestions");
            let described = move || {
                let (lang, teacher_parameters, task) =
                    p.with(|page| (page.language(), teacher_parameters(page), page.task()));
                if let Some(words) = p.with(|page| word_student(page, teacher_parameters)) {
                    return words;
                }
                let context = Describe { lang, class_names: &[], teacher_parameters, task };
                setting.describe(&current.get(), &context)
            };
            view! {
                <input type="text" id=id list=list.clone() spellcheck="false" autocomplete="off"
                    prop:value=move || current.get() aria-describedby=format!("{id}-help")
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        pick(input.value());
                        input.set_value(&current.get_untracked()); // a refused student is put back
                    }/>
                <datalist id=list>
                    {SUGGESTED_STUDENTS.iter().map(|s| view! { <option value=*s></option> }).collect_view()}
                </datalist>
                <p class="hint">{described}</p>
            }
            .into_any()
        }
        Kind::Teacher => {
            let options = move || {
                p.with(|page| {
                    let teachers = page.task().spec().teachers;
                    let menu =
                        page.catalog().map(|catalog| teachers(catalog, &page.settings().teacher, page.language()));
                    menu.unwrap_or_default()
                })
            };
            choice(id, options, move || current.get(), pick).into_any()
        }
    }
}

/// The student hint in the words task: its parameters against the words teacher's.
fn word_student(page: &Page, teacher_parameters: u64) -> Option<String> {
    let teacher = page.words()?.teacher.as_ref()?; // none outside the words task
    let distill_spec::Architecture::Mlp { hidden } = &page.settings().train.architecture else { return None };
    let parameters = settings::word_student_parameters(hidden, teacher.context, teacher.vocabulary());
    let hint = fill(
        Msg::ParametersParametersRatioSmallerThan.text(page.language()),
        &[("parameters", count(parameters)), ("ratio", compression(teacher_parameters, parameters))],
    );
    Some(format!("{} — {hint}", page.settings().train.architecture))
}

fn teacher_parameters(page: &Page) -> u64 {
    page.teacher_pack().map_or(1, |pack| pack.parameters)
}

/// Start, Pause, One step, Reset.
#[component]
pub fn Buttons() -> impl IntoView {
    let p = expect_context::<Playground>();
    let phase = p.view(|page| page.phase().clone());
    let can_train = move || matches!(phase.get(), Phase::Ready | Phase::Paused);
    view! {
        <div class="buttons">
            <button data-testid="start" disabled=move || !can_train() on:click=move |_| p.dispatch(|page| page.press_start())>{move || p.t(Msg::Start)}</button>
            <button data-testid="pause" disabled=move || phase.get() != Phase::Training on:click=move |_| p.dispatch(|page| page.pause())>{move || p.t(Msg::Pause)}</button>
            <button data-testid="step" disabled=move || !can_train() on:click=move |_| p.dispatch(|page| page.step())>{move || p.t(Msg::OneStep)}</button>
            <button data-testid="reset" on:click=move |_| p.dispatch(|page| page.reset())>{move || p.t(Msg::Reset)}</button>
        </div>
    }
}

/// The teacher's API, folded away until a link or a lesson sets any of it: how the copier asks
/// (all at once or in rounds, and how it chooses) and what the API's owner does to its answers.
#[component]
fn ApiSettings() -> impl IntoView {
    let p = expect_context::<Playground>();
    let defaults = Settings::default();
    let details = NodeRef::<leptos::html::Details>::new();
    // Opened when the settings (a lesson, a link) use the API; never closed under the visitor.
    Effect::new(move |_| {
        let changed = p.settings.with(|s| API_SETTINGS.iter().any(|&key| read(key, s) != read(key, &defaults)));
        if let Some(details) = details.get().filter(|_| changed) {
            let _ = details.set_attribute("open", "");
        }
    });
    view! {
        <details class="api" node_ref=details data-testid="api-settings">
            <summary>{move || p.t(Msg::TheTeachersApi)}</summary>
            {SCHEMA.iter().filter(|s| API_SETTINGS.contains(&s.key)).map(|setting| view! {
                <Field label=setting.label id=setting.id name=setting.key help=setting.help>
                    {widget(p, setting)}
                </Field>
            }).collect_view()}
        </details>
    }
}

fn read(key: &str, settings: &Settings) -> Option<String> {
    settings::find(key).map(|setting| setting.read(settings))
}

#[component]
pub fn Controls() -> impl IntoView {
    let p = expect_context::<Playground>();
    let dataset = p.view(|page| page.pack().map(|e| e.dataset.clone()).unwrap_or_default());
    let datasets = move || {
        p.with(|page| {
            let mut seen: Vec<(String, String)> = Vec::new();
            for e in page.catalog().iter().flat_map(|c| &c.packs) {
                if !seen.iter().any(|(d, _)| d == &e.dataset) {
                    seen.push((e.dataset.clone(), e.dataset_title.clone()));
                }
            }
            seen
        })
    };
    // A dataset is chosen through its first teacher: each pack holds one teacher's outputs.
    let pick_dataset = move |dataset: String| {
        let teacher = p.with_untracked(|page| {
            page.catalog().iter().flat_map(|c| &c.packs).find(|e| e.dataset == dataset).map(|e| e.teacher.clone())
        });
        if let (Some(teacher), Some(setting)) = (teacher, settings::find("teacher")) {
            p.dispatch(|page| page.set(setting, &teacher));
        }
    };
    let soft_mode =
        move || p.settings.with(|s| !matches!(s.train.mode, Mode::LabelsOnly | Mode::TopLabel | Mode::Text));
    let picks_a_dataset = move || p.settings.with(|s| s.task().spec().datasets);
    // The teacher's API, where the task uses any of its settings (the words task: its watermark).
    let asks_an_api =
        move || p.settings.with(|s| API_SETTINGS.iter().filter_map(|key| settings::find(key)).any(|a| s.uses(a)));
    view! {
        <section class="controls" aria-label=move || p.t(Msg::Settings)>
            // The words task's teacher menu names its word list; the dataset menu is the images'.
            <Show when=picks_a_dataset>
                <Field label=Msg::Dataset id="dataset" name=DATASET_CONTROL help=Msg::MNISTHandwrittenDigitsFashionMNIST>
                    {choice("dataset", datasets, move || dataset.get(), pick_dataset)}
                </Field>
            </Show>
            {SCHEMA.iter().filter(|s| !API_SETTINGS.contains(&s.key)).map(|setting| view! {
                <Field label=setting.label id=setting.id name=setting.key help=setting.help>
                    {widget(p, setting)}
                </Field>
                {(setting.key == "t").then(|| view! {
                    <Show when=move || !soft_mode()>
                        <p class="hint">{move || p.t(Msg::THasNoEffectOn)}</p>
                    </Show>
                })}
                {(setting.key == "budget").then(|| view! { <Show when=asks_an_api><ApiSettings/></Show> })}
            }).collect_view()}
        </section>
    }
}
