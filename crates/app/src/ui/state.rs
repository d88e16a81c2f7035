//! The page's state as signals, and the link to the training worker: commands go out, events
//! come back and update the signals.

use crate::dark_knowledge::Curated;
use crate::protocol::{Command, Event, Inspection};
use crate::session::Report;
use crate::settings::Settings;
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
        let state = PageState { settings: self.settings.get(), lesson: self.lesson.get(), ..self.layout.get_value() };
        state.to_query()
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
        self.change(|s| *s = Settings { backend: s.backend, ..preset.settings });
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
                self.total_steps.set(total_steps);
                self.transfer_examples.set(transfer_examples);
                self.phase.set(Phase::Ready);
                self.send(Command::Inspect(self.inspected.get_untracked()));
                if self.autostart.get_value() {
                    self.autostart.set_value(false);
                    self.send(Command::Start);
                }
            }
            Event::Report(report) => {
                self.reports.update(|r| r.push(report));
                if self.phase.get_untracked() == Phase::Ready {
                    self.phase.set(Phase::Paused); // after "One step"
                }
                self.send(Command::Inspect(self.inspected.get_untracked()));
            }
            Event::Running(true) => self.phase.set(Phase::Training),
            Event::Running(false) => {
                if self.phase.get_untracked() == Phase::Training {
                    self.phase.set(Phase::Paused);
                }
            }
            Event::Finished => self.phase.set(Phase::Finished),
            Event::Inspection(inspection) => self.inspection.set(Some(inspection)),
            Event::Error(message) => self.fail(message),
        }
    }
}
