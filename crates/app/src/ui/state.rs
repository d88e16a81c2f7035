//! The page's state as signals, and the link to the training worker: commands go out, events
//! come back and update the signals.

use crate::dark_knowledge::Curated;
use crate::i18n::{tr, Lang};
use crate::protocol::{Command, Event, Inspection};
use crate::results::ResultRow;
use crate::session::Report;
use crate::settings::Settings;
use crate::sweep::Sweep;
use crate::url::PageState;
use distill_data::catalog::{Catalog, PackEntry};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

/// Where the page is in its life; drives the status line and which buttons work.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Starting,
    Loading { loaded: u64, total: u64 },
    Ready,
    Training,
    Paused,
    Finished,
    Failed,
}

#[derive(Clone, Copy)]
pub struct Playground {
    pub settings: RwSignal<Settings>,
    /// The guided lesson the settings came from (`lesson=` in the URL).
    pub lesson: RwSignal<Option<String>>,
    pub catalog: RwSignal<Option<Catalog>>,
    pub phase: RwSignal<Phase>,
    pub error: RwSignal<Option<String>>,
    pub backend: RwSignal<String>,
    pub notice: RwSignal<Option<String>>,
    pub reports: RwSignal<Vec<Report>>,
    pub total_steps: RwSignal<usize>,
    pub transfer_examples: RwSignal<usize>,
    pub curated: RwSignal<Vec<Curated>>,
    pub inspected: RwSignal<usize>,
    pub inspection: RwSignal<Option<Inspection>>,
    /// The language chosen by `lang=` or the switch; else the browser's ([`Playground::language`]).
    pub lang: RwSignal<Option<Lang>>,
    browser_lang: StoredValue<Lang>,
    /// The Sweep panel's plan (`sweep=`/`by=` in the URL).
    pub sweep: RwSignal<Option<Sweep>>,
    /// `(run index, runs, step, steps)` while a sweep trains.
    pub sweep_progress: RwSignal<Option<(usize, usize, usize, usize)>>,
    /// One row per finished student (single runs and sweep points).
    pub results: RwSignal<Vec<ResultRow>>,
    /// Both students' test logits after a run with a class left out: (labels, distilled, labels only).
    pub test_logits: RwSignal<Option<(Vec<u8>, Vec<f32>, Vec<f32>)>>,
    /// What the missing-class slider adds to that class's logit.
    pub bias_shift: RwSignal<f32>,
    /// The drawn digit (28×28, MNIST-like) and both students' logits for it.
    pub drawing: RwSignal<Option<Vec<u8>>>,
    pub prediction: RwSignal<Option<(Vec<f32>, Vec<f32>)>>,
    /// The distilled student's weights, once asked for, and the charts as a PNG.
    pub weights_file: RwSignal<Option<super::files::Download>, LocalStorage>,
    pub charts_png: RwSignal<Option<super::files::Download>, LocalStorage>,
    /// The outcome of the last weights import, as shown beside the button.
    pub import_message: RwSignal<Option<Result<(), String>>>,
    /// Sweeps started on this page, to name their result rows.
    sweeps: StoredValue<usize>,
    /// What the URL asked for besides the settings: embed, hidden and locked controls.
    pub layout: StoredValue<PageState>,
    /// What was wrong with the URL (ignored or clamped parameters).
    pub url_notices: RwSignal<Vec<String>>,
    /// `autostart=1`: start once the first students are built.
    autostart: StoredValue<bool>,
    worker: StoredValue<Option<Worker>, LocalStorage>,
}

impl Playground {
    /// The page as the URL's query describes it.
    pub fn from_query(query: &str) -> Playground {
        let (state, notices) = PageState::from_query(query);
        Playground {
            settings: RwSignal::new(state.settings.clone()),
            lesson: RwSignal::new(state.lesson.clone()),
            url_notices: RwSignal::new(notices),
            lang: RwSignal::new(state.lang),
            browser_lang: StoredValue::new(browser_language()),
            sweep: RwSignal::new(state.sweep.clone()),
            sweep_progress: RwSignal::new(None),
            results: RwSignal::new(Vec::new()),
            test_logits: RwSignal::new(None),
            bias_shift: RwSignal::new(state.bias_shift),
            drawing: RwSignal::new(None),
            prediction: RwSignal::new(None),
            import_message: RwSignal::new(None),
            weights_file: RwSignal::new_local(None),
            sweeps: StoredValue::new(0),
            charts_png: RwSignal::new_local(None),
            autostart: StoredValue::new(state.autostart),
            layout: StoredValue::new(state),
            catalog: RwSignal::new(None),
            phase: RwSignal::new(Phase::Starting),
            error: RwSignal::new(None),
            backend: RwSignal::new("starting…".to_string()),
            notice: RwSignal::new(None),
            reports: RwSignal::new(Vec::new()),
            total_steps: RwSignal::new(0),
            transfer_examples: RwSignal::new(0),
            curated: RwSignal::new(Vec::new()),
            inspected: RwSignal::new(0),
            inspection: RwSignal::new(None),
            worker: StoredValue::new_local(None),
        }
    }

    /// The URL that reopens this experiment (the current settings and the URL's layout).
    pub fn query(&self) -> String {
        let state = PageState {
            settings: self.settings.get(),
            lesson: self.lesson.get(),
            sweep: self.sweep.get(),
            bias_shift: self.bias_shift.get(),
            lang: self.lang.get(),
            ..self.layout.get_value()
        };
        state.to_query()
    }

    pub fn language(&self) -> Lang {
        self.lang.get().unwrap_or_else(|| self.browser_lang.get_value())
    }

    /// `english` in the page's language (tracked: the text follows the language switch).
    pub fn t(&self, english: &'static str) -> &'static str {
        tr(self.language(), english)
    }

    pub fn hidden(&self, name: &str) -> bool {
        self.layout.with_value(|l| l.hidden(name))
    }

    pub fn locked(&self, name: &str) -> bool {
        self.layout.with_value(|l| l.locked(name))
    }

    /// Falls back to the default teacher (or the first one) when the URL names one the catalog lacks.
    pub fn set_catalog(&self, catalog: Catalog) {
        let teacher = self.settings.with_untracked(|s| s.teacher.clone());
        if catalog.get(&teacher).is_none() {
            let default = Settings::default().teacher;
            let fallback = if catalog.get(&default).is_some() { default } else { catalog.packs[0].teacher.clone() };
            self.url_notices.update(|n| n.push(format!("there is no teacher `{teacher}`; using {fallback}")));
            self.settings.update(|s| s.teacher = fallback);
        }
        self.catalog.set(Some(catalog));
    }

    /// Names of the chosen dataset's classes ("0".."9" until the catalog is in).
    pub fn class_names(&self) -> Vec<String> {
        self.pack().map(|e| e.class_names).unwrap_or_else(|| (0..10).map(|c| c.to_string()).collect())
    }

    /// The catalog entry of the chosen teacher.
    pub fn pack(&self) -> Option<PackEntry> {
        let teacher = self.settings.with(|s| s.teacher.clone());
        self.catalog.with(|c| c.as_ref().and_then(|c| c.get(&teacher).cloned()))
    }

    pub fn fail(&self, message: String) {
        self.error.set(Some(message));
        self.phase.set(Phase::Failed);
    }

    pub fn send(&self, command: Command) {
        self.worker.with_value(|worker| {
            if let Some(worker) = worker {
                match serde_wasm_bindgen::to_value(&command) {
                    Ok(message) => {
                        if let Err(e) = worker.post_message(&message) {
                            self.fail(format!("the training worker is gone: {e:?}"));
                        }
                    }
                    Err(e) => self.fail(format!("cannot send a command: {e}")),
                }
            }
        });
    }

    /// Loads the chosen teacher's pack, then builds fresh students from the settings.
    pub fn load(&self) {
        match untrack(|| self.pack()) {
            Some(entry) => {
                self.error.set(None);
                self.phase.set(Phase::Loading { loaded: 0, total: entry.bytes });
                self.send(Command::Load(entry));
                self.configure();
            }
            None => self.fail(format!(
                "there is no pack for teacher `{}`",
                self.settings.with_untracked(|s| s.teacher.clone())
            )),
        }
    }

    /// Fresh students with the current settings: a reset.
    pub fn configure(&self) {
        self.error.set(None);
        self.send(Command::Configure(self.settings.get_untracked()));
    }

    /// Changes one setting and resets the run (a new teacher also means a new pack).
    pub fn change(&self, edit: impl FnOnce(&mut Settings)) {
        let teacher = self.settings.with_untracked(|s| s.teacher.clone());
        self.settings.update(edit);
        if self.settings.with_untracked(|s| s.teacher != teacher) {
            self.load();
        } else {
            self.configure();
        }
    }

    /// Loads a lesson's preset (keeping the chosen backend) and builds fresh students.
    pub fn start_lesson(&self, id: &str) {
        let (preset, _) = PageState::from_query(&format!("lesson={id}"));
        self.lesson.set(preset.lesson);
        self.sweep.set(preset.sweep);
        self.change(|s| *s = Settings { backend: s.backend, ..preset.settings });
    }

    /// Queues the Sweep panel's runs in the worker, or says what is wrong with the sweep.
    pub fn run_sweep(&self) -> Result<(), String> {
        let sweep = self.sweep.get_untracked().ok_or("nothing to sweep: fill in what to vary")?;
        let points = sweep.points(&self.settings.get_untracked())?;
        self.sweep_progress.set(Some((0, points.len(), 0, 0)));
        self.sweeps.update_value(|n| *n += 1);
        self.send(Command::Sweep { name: format!("sweep {}", self.sweeps.get_value()), points });
        Ok(())
    }

    /// Both students' predictions for a drawn digit (again after every report while it is shown).
    pub fn predict(&self, pixels: Option<Vec<u8>>) {
        self.drawing.set(pixels.clone());
        match pixels {
            Some(pixels) => self.send(Command::Predict(pixels)),
            None => self.prediction.set(None),
        }
    }

    pub fn inspect(&self, index: usize) {
        self.inspected.set(index);
        self.send(Command::Inspect(index));
    }

    /// Fresh students; after a worker crash (a panic, a lost GPU device), a fresh worker.
    pub fn reset(&self) {
        if self.worker.with_value(|w| w.is_some()) {
            self.configure();
        } else {
            self.error.set(None);
            self.spawn_worker();
        }
    }

    /// Starts the worker; once it listens it loads the pack and builds the students.
    pub fn spawn_worker(self) {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options("./worker_loader.js", &options) {
            Ok(worker) => worker,
            Err(e) => return self.fail(format!("cannot start the training worker: {e:?}")),
        };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            match serde_wasm_bindgen::from_value::<Event>(event.data()) {
                Ok(event) => self.apply(event),
                Err(e) => self.fail(format!("unreadable message from the worker: {e}")),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            if let Some(worker) = self.worker.try_update_value(|w| w.take()).flatten() {
                worker.terminate();
            }
            self.fail(format!(
                "The training worker stopped: {}. Your settings are kept; press Reset to start again.",
                event.message()
            ));
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        self.worker.set_value(Some(worker));
    }

    fn apply(&self, event: Event) {
        match event {
            Event::Ready => self.load(),
            Event::Loading { loaded, total } => self.phase.set(Phase::Loading { loaded, total }),
            Event::Loaded { curated, .. } => {
                let first = curated.first().map(|c| c.index).unwrap_or(0);
                self.curated.set(curated);
                self.inspect(first);
            }
            Event::Backend { name, notice } => {
                self.backend.set(name);
                self.notice.set(notice);
            }
            Event::Configured { total_steps, transfer_examples } => {
                self.reports.set(Vec::new());
                self.test_logits.set(None);
                self.import_message.set(None);
                replace_file(self.weights_file, None);
                replace_file(self.charts_png, None);
                self.total_steps.set(total_steps);
                self.transfer_examples.set(transfer_examples);
                self.phase.set(Phase::Ready);
                self.send(Command::Inspect(self.inspected.get_untracked()));
                self.predict(self.drawing.get_untracked()); // the new students read the drawing
                if self.autostart.get_value() {
                    self.autostart.set_value(false);
                    self.send(Command::Start);
                }
            }
            Event::Report(report) => {
                self.reports.update(|r| r.push(report));
                // Both files showed the students before this report.
                replace_file(self.weights_file, None);
                replace_file(self.charts_png, None);
                if self.phase.get_untracked() == Phase::Ready {
                    self.phase.set(Phase::Paused); // after "One step"
                }
                self.send(Command::Inspect(self.inspected.get_untracked()));
                if let Some(pixels) = self.drawing.get_untracked() {
                    self.send(Command::Predict(pixels));
                }
            }
            Event::Running(true) => self.phase.set(Phase::Training),
            Event::Running(false) => {
                if self.phase.get_untracked() == Phase::Training {
                    self.phase.set(Phase::Paused);
                }
            }
            Event::Finished => self.phase.set(Phase::Finished),
            Event::Inspection(inspection) => self.inspection.set(Some(inspection)),
            Event::Prediction { distilled, baseline } => self.prediction.set(Some((distilled, baseline))),
            Event::TestLogits { labels, distilled, baseline } => {
                self.test_logits.set(Some((labels, distilled, baseline)))
            }
            Event::SweepProgress { index, total, step, total_steps } => {
                self.sweep_progress.set(Some((index, total, step, total_steps)))
            }
            Event::Result(row) => self.results.update(|rows| rows.push(row)),
            Event::SweepDone => self.sweep_progress.set(None),
            Event::Weights(bytes) => {
                let name = self.settings.with_untracked(|s| format!("student-{}-{}.safetensors", s.student, s.teacher));
                let file = super::files::Download::new(name.replace(':', "_"), &bytes, "application/octet-stream");
                replace_file(self.weights_file, file);
            }
            Event::Imported(result) => {
                if result.is_ok() {
                    self.test_logits.set(None); // they were the replaced student's
                }
                self.import_message.set(Some(result));
            }
            Event::Error(message) => self.fail(message),
        }
    }
}

/// Shows a new file for download, freeing the one it replaces.
pub fn replace_file(
    slot: RwSignal<Option<super::files::Download>, LocalStorage>,
    file: Option<super::files::Download>,
) {
    if let Some(old) = slot.get_untracked() {
        old.revoke();
    }
    slot.set(file);
}

/// The first of the browser's preferred languages the page speaks, else English.
fn browser_language() -> Lang {
    let languages = web_sys::window().map(|w| w.navigator().languages()).map(|l| l.to_vec()).unwrap_or_default();
    languages.iter().filter_map(|l| l.as_string()).find_map(|l| Lang::parse(&l)).unwrap_or_default()
}
