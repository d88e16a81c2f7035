//! The Web Worker: a message pump around a [`Runner`] per task (the words and reasoning tasks'
//! only in the builds with the `sequences` feature). It takes the page's commands in order, sends
//! each to the runner of the task whose pack was loaded last, does the two things that need the
//! browser (pick a device, read the clock) and trains in ~50 ms slices between messages, so a
//! Pause is honoured within one slice and the page never freezes. The files it unpacks (packs,
//! questions) come from the page, downloaded once for every worker ([`Command::File`]).

mod backend;
mod js;

use crate::pack_data::PackData;
use crate::runner::{Clock, Runner};
use crate::task::TaskData;
use backend::Backends;
use distill_playground::protocol::{Command, Downloaded, Event, NeededFile, WorkerError};
use distill_playground::settings::{Backend, Settings, Task};
use std::collections::VecDeque;

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

/// The bytes of the file the page sent for the command that needs it (`needed`), taken from
/// `file` and checked where the page could not.
fn take_file(file: &mut Option<(String, Downloaded)>, needed: Option<NeededFile>) -> Result<Vec<u8>, WorkerError> {
    let needed = needed.ok_or_else(|| WorkerError::Protocol("a command that needs no file".into()))?;
    match file.take() {
        Some((sent, download)) if sent == needed.name => download.bytes(&needed, 0),
        _ => Err(WorkerError::Protocol(format!("packs/{} was not sent before the command that needs it", needed.name))),
    }
}

/// Whether `command` waits, behind those `held` already: a run that cannot be built before the
/// pack is whole (`ready`, `whole`), and everything after it, in order. What brings the pack in
/// (its parts, a new pack), or questions for it, never waits.
fn waits(command: &Command, held: bool, mut ready: impl FnMut(&Settings) -> bool, whole: bool) -> bool {
    match command {
        Command::Part { .. }
        | Command::File { .. }
        | Command::Load(_)
        | Command::LoadWords(_)
        | Command::LoadReasoning(_)
        | Command::AddQuestions(_)
        | Command::Assign(_) => false,
        Command::Configure(settings) => held || !ready(settings),
        Command::Sweep { .. } => held || !whole,
        _ => held,
    }
}

/// A command for the chosen task's runner: configuring and sweeping get a device first (and say
/// why the questions they ask about did not arrive, if they did not); whether the configured
/// run's device compiles kernels goes in `rehearsal_pending`.
async fn serve<D: TaskData>(
    runner: &mut Runner<PerformanceClock, D>,
    command: Command,
    backends: &mut Backends,
    rehearsal_pending: &mut bool,
    questions_failed: &mut Option<WorkerError>,
) -> Vec<Event> {
    match command {
        Command::Configure(_) | Command::Sweep { .. } if questions_failed.is_some() => {
            questions_failed.take().map(Event::Error).into_iter().collect()
        }
        Command::Configure(settings) => {
            let (device, name) = backends.device(settings.backend).await;
            *rehearsal_pending = backends.compiles_kernels(&device);
            runner.configure(&settings, &device, &name).await
        }
        Command::Sweep { name, total, points } => {
            let backend = points.first().map(|(_, p)| p.settings.backend).unwrap_or(Backend::Auto);
            let (device, backend) = backends.device(backend).await;
            runner.sweep(name, total, points, &device, &backend)
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
        // The file the page sent for the next command, and why questions did not arrive (told to
        // the next run that asks).
        let mut file: Option<(String, Downloaded)> = None;
        let mut questions_failed: Option<WorkerError> = None;
        // Commands waiting for the whole pack (see `waits`), and those it let go, to run first.
        let (mut held, mut released) = (VecDeque::new(), VecDeque::new());
        loop {
            while let Some(command) = released.pop_front().or_else(|| inbox.pop()) {
                let whole = chosen!(runners, runner => runner.is_whole());
                if waits(&command, !held.is_empty(), |s| chosen!(runners, runner => runner.ready_for(s)), whole) {
                    held.push_back(command);
                    continue;
                }
                if matches!(command, Command::Load(_) | Command::LoadWords(_) | Command::LoadReasoning(_)) {
                    held.clear(); // they waited for the pack this one replaces
                }
                let part = matches!(command, Command::Part { .. });
                let needed = command.needs_file();
                let events = match command {
                    Command::Part { file, index, download } => {
                        chosen!(runners, runner => runner.add_part(&file, index, download))
                    }
                    Command::Assign(students) => {
                        runners.images.assign(students);
                        #[cfg(feature = "sequences")]
                        {
                            runners.words.assign(students);
                            runners.reasoning.assign(students);
                        }
                        Vec::new()
                    }
                    Command::File { name, download } => {
                        file = Some((name, download));
                        Vec::new()
                    }
                    Command::AddQuestions(entry) => {
                        let added =
                            take_file(&mut file, needed).and_then(|bytes| runners.images.add_questions(&entry, &bytes));
                        questions_failed = questions_failed.take().or(added.err()); // the first failure
                        Vec::new()
                    }
                    Command::Load(entry) => {
                        runners.choose(Task::Images);
                        let bytes = take_file(&mut file, needed);
                        // The whole file, or its first part: the others follow as `Part`s.
                        let whole = |b: &Vec<u8>| b.len() as u64 == entry.bytes;
                        let data = bytes.and_then(|b| match whole(&b) {
                            true => PackData::from_bytes(&entry, &b),
                            false => PackData::from_first_part(&entry, &b),
                        });
                        match data {
                            Ok(data) => runners.images.load(data),
                            Err(error) => runners.images.unload(error),
                        }
                    }
                    #[cfg(feature = "sequences")]
                    Command::LoadWords(entry) => {
                        runners.choose(Task::Words);
                        let data = match take_file(&mut file, needed) {
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
                        let data = match take_file(&mut file, needed) {
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
                        let (rehearsal, failed) = (&mut rehearsal_pending, &mut questions_failed);
                        chosen!(runners, runner => serve(runner, other, &mut backends, rehearsal, failed).await)
                    }
                };
                events.iter().for_each(js::post);
                if part && chosen!(runners, runner => runner.is_whole()) {
                    released.extend(held.drain(..));
                }
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
