//! The Web Worker: a message pump around a [`Runner`] per task (the words and reasoning tasks'
//! only in the builds with the `sequences` feature). It takes the page's commands in order, sends
//! each to the runner of the task whose pack was loaded last, does the three things that need the browser
//! (download a pack, pick a device, read the clock) and trains in ~50 ms slices between
//! messages, so a Pause is honoured within one slice and the page never freezes.

mod backend;
mod download;
mod js;

use crate::pack_data::PackData;
use crate::runner::{Clock, Runner};
use crate::task::TaskData;
use backend::Backends;
use distill_playground::protocol::{Command, Event, WorkerError};
use distill_playground::settings::{Backend, Settings, Task};

struct PerformanceClock;

impl Clock for PerformanceClock {
    fn now(&self) -> f64 {
        js::now()
    }
}

/// The runners, and which one the page's commands go to.
struct Runners {
    images: Runner<PerformanceClock, PackData>,
    #[cfg(feature = "sequences")]
    words: Runner<PerformanceClock, crate::words::WordsData>,
    #[cfg(feature = "sequences")]
    reasoning: Runner<PerformanceClock, crate::reasoning::ReasoningData>,
    /// The task whose pack was loaded last.
    chosen: Task,
}

/// `$body` with `$runner` the runner of the task chosen last.
macro_rules! chosen {
    ($runners:expr, $runner:ident => $body:expr) => {{
        match $runners.chosen {
            #[cfg(feature = "sequences")]
            Task::Words => {
                let $runner = &mut $runners.words;
                $body
            }
            #[cfg(feature = "sequences")]
            Task::Reasoning => {
                let $runner = &mut $runners.reasoning;
                $body
            }
            _ => {
                let $runner = &mut $runners.images;
                $body
            }
        }
    }};
}

impl Runners {
    /// The pack of `task` is coming: the other tasks' runners let theirs go.
    fn choose(&mut self, task: Task) {
        let others = |t: Task| t != task;
        if others(Task::Images) {
            self.images.unload(WorkerError::NoPack);
        }
        #[cfg(feature = "sequences")]
        {
            if others(Task::Words) {
                self.words.unload(WorkerError::NoPack);
            }
            if others(Task::Reasoning) {
                self.reasoning.unload(WorkerError::NoPack);
            }
        }
        self.chosen = task;
    }
}

/// Downloads the questions about other images that these runs ask about and the worker lacks.
async fn fetch_questions<'a, D: TaskData>(
    runner: &mut Runner<PerformanceClock, D>,
    settings: impl IntoIterator<Item = &'a Settings>,
) -> Result<(), WorkerError> {
    for entry in runner.to_fetch(settings) {
        let bytes = download::fetch(&entry.file, &entry.sha256, entry.bytes).await?;
        runner.add_questions(&entry, &bytes)?;
    }
    Ok(())
}

/// A command for the chosen task's runner: configuring and sweeping get their questions and a
/// device first; whether the configured run's device compiles kernels goes in `rehearsal_pending`.
async fn serve<D: TaskData>(
    runner: &mut Runner<PerformanceClock, D>,
    command: Command,
    backends: &mut Backends,
    rehearsal_pending: &mut bool,
) -> Vec<Event> {
    match command {
        Command::Configure(settings) => match fetch_questions(runner, [&settings]).await {
            Ok(()) => {
                let (device, name) = backends.device(settings.backend).await;
                *rehearsal_pending = backends.compiles_kernels(&device);
                runner.configure(&settings, &device, &name).await
            }
            Err(error) => vec![Event::Error(error)],
        },
        Command::Sweep { name, total, points } => {
            match fetch_questions(runner, points.iter().map(|(_, p)| &p.settings)).await {
                Ok(()) => {
                    let backend = points.first().map(|(_, p)| p.settings.backend).unwrap_or(Backend::Auto);
                    let (device, backend) = backends.device(backend).await;
                    runner.sweep(name, total, points, &device, &backend)
                }
                Err(error) => vec![Event::Error(error)],
            }
        }
        other => runner.handle(other).await,
    }
}

/// Entry point of the worker binary.
pub fn run() {
    console_error_panic_hook::set_once();
    let inbox = js::Inbox::listen();
    wasm_bindgen_futures::spawn_local(async move {
        js::post(&Event::ready());
        let mut runners = Runners {
            images: Runner::new(PerformanceClock),
            #[cfg(feature = "sequences")]
            words: Runner::new(PerformanceClock),
            #[cfg(feature = "sequences")]
            reasoning: Runner::new(PerformanceClock),
            chosen: Task::Images,
        };
        let mut backends = Backends::default();
        // Whether the configured run's device compiles kernels and the rehearsal of what its
        // Start will need is not over: idle time is best spent on it.
        let mut rehearsal_pending = false;
        loop {
            while let Some(command) = inbox.pop() {
                let events = match command {
                    Command::Assign(students) => {
                        runners.images.assign(students);
                        #[cfg(feature = "sequences")]
                        {
                            runners.words.assign(students);
                            runners.reasoning.assign(students);
                        }
                        Vec::new()
                    }
                    Command::Load(entry) => {
                        runners.choose(Task::Images);
                        let bytes = download::fetch(&entry.file, &entry.sha256, entry.bytes).await;
                        match bytes.and_then(|b| PackData::from_bytes(&entry, &b)) {
                            Ok(data) => runners.images.load(data),
                            Err(error) => runners.images.unload(error),
                        }
                    }
                    #[cfg(feature = "sequences")]
                    Command::LoadWords(entry) => {
                        runners.choose(Task::Words);
                        let data = match download::fetch(&entry.file, &entry.sha256, entry.bytes).await {
                            Ok(bytes) => crate::words::WordsData::from_bytes(&entry, &bytes).await,
                            Err(error) => Err(error),
                        };
                        match data {
                            Ok(data) => runners.words.load(data),
                            Err(error) => runners.words.unload(error),
                        }
                    }
                    #[cfg(feature = "sequences")]
                    Command::LoadReasoning(entry) => {
                        runners.choose(Task::Reasoning);
                        let data = match download::fetch(&entry.file, &entry.sha256, entry.bytes).await {
                            Ok(bytes) => crate::reasoning::ReasoningData::from_bytes(&entry, &bytes).await,
                            Err(error) => Err(error),
                        };
                        match data {
                            Ok(data) => runners.reasoning.load(data),
                            Err(error) => runners.reasoning.unload(error),
                        }
                    }
                    #[cfg(not(feature = "sequences"))]
                    Command::LoadWords(_) | Command::LoadReasoning(_) => {
                        let why = "this build of the worker has only the images task";
                        vec![Event::Error(WorkerError::Protocol(why.into()))]
                    }
                    other => {
                        chosen!(runners, runner => serve(runner, other, &mut backends, &mut rehearsal_pending).await)
                    }
                };
                events.iter().for_each(js::post);
            }
            let busy = chosen!(runners, runner => runner.is_busy());
            if busy {
                chosen!(runners, runner => runner.slice().await).iter().for_each(js::post);
                js::yield_now().await;
            } else if rehearsal_pending {
                // One part at a time, the inbox read in between: a Start waits for one part at most.
                // A failure ends the rehearsal quietly: the run's own first step meets it and says
                // why (and a lost device has already been announced).
                rehearsal_pending = chosen!(runners, runner => runner.rehearse_next().await).unwrap_or(false);
                js::yield_now().await;
            } else {
                inbox.wait().await;
            }
        }
    });
}
