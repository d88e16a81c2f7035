//! The page's one source of truth: a [`Page`] (plain, natively tested in `distill-playground`)
//! in a signal, and the links to the training workers (one, or one per student: see
//! `distill_playground::crew`). A visitor's action or a worker event goes
//! through [`Playground::dispatch`]: the reducer changes the page and says what to do next
//! ([`Effect`]), which only this file carries out. Commands leave through one outbox, in order:
//! the file a command needs (a pack, questions) goes just before it, downloaded once for every
//! worker (`download.rs`), and each worker build's wasm is compiled once for all its workers
//! (`assets::worker_module`).

use super::files::Download;
use distill_browser::{from_message, to_message, BrowserError};
use distill_playground::deliveries::Deliveries;
use distill_playground::i18n::{self, Lang, Msg};
use distill_playground::page::{Effect, Page};
use distill_playground::parent::ToParent;
use distill_playground::protocol::{Command, Downloaded, Event, NeededFile};
use distill_playground::settings::Settings;
use distill_playground::workers::WorkerKind;
use leptos::prelude::*;
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

#[derive(Clone, Copy)]
pub struct Playground {
    page: RwSignal<Page>,
    /// Narrow views of the page, so a view redraws only when its part changes.
    pub settings: Memo<Settings>,
    /// The language the page speaks: the link's or the browser's, while its texts are here.
    pub lang: Memo<Lang>,
    /// The Spanish texts were asked for and did not load.
    pub spanish_missing: RwSignal<bool>,
    /// The distilled student's weights, once asked for, and the charts as a PNG.
    pub weights_file: RwSignal<Option<Download>, LocalStorage>,
    pub charts_png: RwSignal<Option<Download>, LocalStorage>,
    workers: StoredValue<Vec<Worker>, LocalStorage>,
    outbox: StoredValue<Outbox, LocalStorage>,
}

/// Commands on their way to the workers, and what each worker holds.
#[derive(Default)]
struct Outbox {
    queue: VecDeque<(usize, Command)>,
    deliveries: Deliveries,
    /// Whether a task is sending the queue (it waits for a download at most).
    sending: bool,
    /// Counts the crews started: a command queued for one is dropped once another replaces it.
    crew: u64,
}

impl Playground {
    pub fn new(page: Page) -> Playground {
        let page = RwSignal::new(page);
        Playground {
            page,
            settings: Memo::new(move |_| page.with(|p| p.link().settings.clone())),
            lang: Memo::new(move |_| match page.with(|p| p.language()) {
                Lang::Es if !i18n::spanish_ready() => Lang::En,
                lang => lang,
            }),
            spanish_missing: RwSignal::new(false),
            weights_file: RwSignal::new_local(None),
            charts_png: RwSignal::new_local(None),
            workers: StoredValue::new_local(Vec::new()),
            outbox: StoredValue::new_local(Outbox::default()),
        }
    }

    /// A part of the page, tracked: the closure reruns when the page changes, and a [`Memo`]
    /// around it keeps views from redrawing when that part did not.
    pub fn with<T>(&self, read: impl FnOnce(&Page) -> T) -> T {
        self.page.with(read)
    }

    pub fn with_untracked<T>(&self, read: impl FnOnce(&Page) -> T) -> T {
        self.page.with_untracked(read)
    }

    /// A memo of one part of the page.
    pub fn view<T: PartialEq + Clone + Send + Sync + 'static>(
        &self,
        read: impl Fn(&Page) -> T + Send + Sync + 'static,
    ) -> Memo<T> {
        let page = self.page;
        Memo::new(move |_| page.with(|p| read(p)))
    }

    /// `msg` in the page's language (tracked: the text follows the language switch).
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang.get())
    }

    pub fn hidden(&self, name: &str) -> bool {
        self.page.with_untracked(|p| p.link().hidden(name))
    }

    pub fn locked(&self, name: &str) -> bool {
        self.page.with_untracked(|p| p.link().locked(name))
    }

    /// Changes the page and carries out what the change asks for. The effects go first and the
    /// views redraw after, so a worker starts (or a command leaves) while the page draws: at load,
    /// redrawing for the catalog takes longer than starting the worker.
    pub fn dispatch(&self, change: impl FnOnce(&mut Page) -> Vec<Effect>) {
        let effects = self.page.try_update_untracked(change).unwrap_or_default();
        for effect in effects {
            self.perform(effect);
        }
        let news = self.page.try_update_untracked(|page| page.to_parent()).unwrap_or_default();
        news.iter().for_each(tell_parent);
        self.page.notify();
    }

    /// Changes the page where nothing follows (a slider in the page, a language).
    pub fn update(&self, change: impl FnOnce(&mut Page)) {
        self.page.update(change);
    }

    fn perform(&self, effect: Effect) {
        match effect {
            Effect::Send(command) => {
                for (worker, command) in self.page.with_untracked(|p| p.crew().route(command)) {
                    self.post(worker, command);
                }
            }
            Effect::Post { worker, command } => self.post(worker, command),
            Effect::SpawnWorkers { kind, count } => self.spawn_workers(kind, count),
            Effect::DiscardFiles => {
                replace_file(self.weights_file, None);
                replace_file(self.charts_png, None);
            }
            Effect::OfferWeights { name, bytes } => {
                replace_file(self.weights_file, Download::new(name, &bytes, "application/octet-stream"))
            }
            Effect::Fetch(file) => {
                let progress = self.progress();
                wasm_bindgen_futures::spawn_local(async move {
                    super::download::part(&file, 0, progress).await;
                });
            }
            Effect::KeepResults => {
                if let Err(error) = self.page.with_untracked(|p| super::storage::keep(p.results())) {
                    self.update(|p| p.results_not_kept(error));
                }
            }
        }
    }

    /// Queues `command` for worker `index`, after what is queued already and after the
    /// questions files its runs need.
    fn post(&self, index: usize, command: Command) {
        let start = self.outbox.try_update_value(|outbox| {
            let commands = outbox.deliveries.before(index, command);
            outbox.queue.extend(commands.into_iter().map(|command| (index, command)));
            !std::mem::replace(&mut outbox.sending, true)
        });
        if start == Some(true) {
            wasm_bindgen_futures::spawn_local(self.send_queue());
        }
    }

    /// Sends the queue in order, each command's file first (downloaded once for all workers).
    async fn send_queue(self) {
        loop {
            let next = self.outbox.try_update_value(|outbox| {
                let next = outbox.queue.pop_front().map(|(index, command)| (index, command, outbox.crew));
                outbox.sending = next.is_some();
                next
            });
            let Some((index, command, crew)) = next.flatten() else { return };
            if let Some(file) = command.needs_file() {
                let download = super::download::part(&file, 0, self.progress()).await;
                if self.outbox.with_value(|outbox| outbox.crew) != crew {
                    continue; // its workers were replaced while it downloaded
                }
                let arrived = !matches!(download, Downloaded::Failed(_));
                if !arrived {
                    self.outbox.update_value(|outbox| outbox.deliveries.not_delivered(index, &file.name));
                }
                self.send(index, &Command::File { name: file.name.clone(), download });
                if arrived && file.parts.len() > 1 {
                    wasm_bindgen_futures::spawn_local(self.send_parts(index, file, crew));
                }
            }
            self.send(index, &command);
        }
    }

    /// What the status shows of a download the workers wait for.
    fn progress(self) -> impl Fn(u64, u64) + 'static {
        move |loaded, total| self.update(|p| p.downloading(loaded, total))
    }

    /// The parts of a pack after its first, to worker `index` as each arrives (between the
    /// commands that follow the load: a run trains on the first parts while the others come).
    async fn send_parts(self, index: usize, file: NeededFile, crew: u64) {
        for part in 1..file.parts.len() {
            let download = super::download::part(&file, part, |_, _| {}).await;
            if self.outbox.with_value(|outbox| outbox.crew) != crew {
                return; // its workers were replaced meanwhile
            }
            let failed = matches!(download, Downloaded::Failed(_));
            self.send(index, &Command::Part { file: file.name.clone(), index: part, download });
            if failed {
                return;
            }
        }
    }

    /// Posts `command` to worker `index`, its bytes handed over (transferred), not copied.
    fn send(&self, index: usize, command: &Command) {
        let failure = self.workers.with_value(|workers| {
            let worker = workers.get(index)?;
            let message = to_message(command);
            message
                .and_then(|m| {
                    let buffer = m.unchecked_ref::<js_sys::Uint8Array>().buffer();
                    worker.post_message_with_transfer(&m, &js_sys::Array::of1(&buffer)).map_err(BrowserError::from)
                })
                .err()
        });
        if let Some(error) = failure {
            self.update(|p| p.worker_stopped(format!("postMessage failed: {error}")));
        }
    }

    /// Starts `count` workers of this build in place of those running; once they all listen
    /// they load the pack and build the students.
    fn spawn_workers(self, kind: WorkerKind, count: usize) {
        self.terminate_workers();
        self.outbox.update_value(|outbox| {
            outbox.queue.clear();
            outbox.deliveries = Deliveries::new(count);
            outbox.crew += 1;
        });
        let mut workers = Vec::with_capacity(count);
        for index in 0..count {
            match self.spawn_worker(kind, index) {
                Some(worker) => workers.push(worker),
                None => {
                    workers.iter().for_each(Worker::terminate);
                    return self.update(|p| p.worker_stopped("the browser refused to start it".into()));
                }
            }
        }
        self.workers.set_value(workers);
    }

    fn terminate_workers(self) {
        for worker in self.workers.try_update_value(std::mem::take).unwrap_or_default() {
            worker.terminate();
        }
    }

    /// Worker `index` of the crew, its events going to the page as that worker's.
    fn spawn_worker(self, kind: WorkerKind, index: usize) -> Option<Worker> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&super::assets::versioned(kind.script()), &options).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            match from_message::<Event>(event.data()) {
                Ok(event) => self.dispatch(|p| p.apply(index, event)),
                // Most likely a worker of another build (its first message would have said so, but
                // one from before the protocol number cannot).
                Err(e) => self.update(|p| p.worker_of_another_version(format!("unreadable message: {e}"))),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        // One worker lost (a panic, a lost GPU device) is the run lost: all stop, Reset restarts them.
        // A script that did not load (offline, a 404) fires a plain `Event`, with no message.
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            self.terminate_workers();
            match event.dyn_ref::<ErrorEvent>() {
                Some(error) => self.update(|p| p.worker_stopped(error.message())),
                None => self.update(|p| p.worker_did_not_load()),
            }
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        // Its first message: the build's wasm, compiled once for all its workers (or null, and
        // it fetches the wasm itself).
        let first = worker.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = first.post_message(&super::assets::worker_module(kind).await);
        });
        Some(worker)
    }
}

/// Shows a new file for download, freeing the one it replaces.
pub fn replace_file(slot: RwSignal<Option<Download>, LocalStorage>, file: Option<Download>) {
    if let Some(old) = slot.get_untracked() {
        old.revoke();
    }
    slot.set(file);
}

/// The first of the browser's preferred languages the page speaks, else English.
pub fn browser_language() -> Lang {
    let languages = web_sys::window().map(|w| w.navigator().languages()).map(|l| l.to_vec()).unwrap_or_default();
    languages.iter().filter_map(|l| l.as_string()).find_map(|l| Lang::parse(&l)).unwrap_or_default()
}

/// Posts an event to the page that embeds this one, if any (`distill_playground::parent`). The
/// target origin is `*`: the playground does not know its host, and the events hold only what
/// the page shows anyway.
fn tell_parent(news: &ToParent) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if JsValue::from(&parent) == JsValue::from(&window) {
        return; // not embedded
    }
    let Ok(message) = serde_wasm_bindgen::to_value(news) else { return };
    let _ = js_sys::Reflect::set(&message, &"source".into(), &"distill-playground".into());
    let _ = parent.post_message(&message, "*");
}
