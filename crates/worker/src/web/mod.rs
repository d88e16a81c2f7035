//! The Web Worker: a message pump around the [`Runner`] (and, once a words pack is loaded, the
//! words task's [`WordsRunner`]). It takes the page's commands in order,
//! does the three things that need the browser (download a pack, pick a device, read the clock)
//! and trains in ~50 ms slices between messages, so a Pause is honoured within one slice and the
//! page never freezes.

mod backend;
mod download;
mod js;
#[cfg(feature = "words")]
mod words;
#[cfg(not(feature = "words"))]
mod words_elsewhere;

use crate::pack_data::PackData;
use crate::runner::{Clock, Runner};
use distill_playground::protocol::{Command, Event, WorkerError};
use distill_playground::settings::Settings;
#[cfg(feature = "words")]
use words::Words;
#[cfg(not(feature = "words"))]
use words_elsewhere::Words;

struct PerformanceClock;

impl Clock for PerformanceClock {
    fn now(&self) -> f64 {
        js::now()
    }
}

/// Downloads the questions about other images that these runs ask about and the worker lacks.
async fn fetch_questions<'a>(
    runner: &mut Runner<PerformanceClock>,
    settings: impl IntoIterator<Item = &'a Settings>,
) -> Result<(), WorkerError> {
    for entry in runner.to_fetch(settings) {
        let bytes = download::fetch(&entry.file, entry.bytes).await?;
        runner.add_questions(&entry, &bytes)?;
    }
    Ok(())
}

/// Entry point of the worker binary.
pub fn run() {
    console_error_panic_hook::set_once();
    let inbox = js::Inbox::listen();
    wasm_bindgen_futures::spawn_local(async move {
        js::post(&Event::Ready);
        let mut runner = Runner::new(PerformanceClock);
        let mut words = Words::new();
        let mut backends = backend::Backends::default();
        // Whether the configured run's device compiles kernels and the rehearsal of what its
        // Start will need is not over: idle time is best spent on it.
        let mut rehearsal_pending = false;
        loop {
            while let Some(command) = inbox.pop() {
                let events = match command {
                    Command::Assign(students) => {
                        words.assign(students);
                        runner.assign(students);
                        Vec::new()
                    }
                    Command::Load(entry) => {
                        words.unload();
                        let bytes = download::fetch(&entry.file, entry.bytes).await;
                        match bytes.and_then(|b| PackData::from_bytes(&entry, &b)) {
                            Ok(data) => runner.load(data),
                            Err(error) => runner.unload(error),
                        }
                    }
                    other if words.takes(&other) => {
                        if matches!(other, Command::LoadWords(_)) {
                            runner.unload(WorkerError::NoPack);
                        }
                        words.handle(other, &mut backends).await
                    }
                    Command::Configure(settings) => match fetch_questions(&mut runner, [&settings]).await {
                        Ok(()) => {
                            let (device, name) = backends.device(settings.backend).await;
                            rehearsal_pending = backends.compiles_kernels(&device);
                            runner.configure(&settings, &device, &name)
                        }
                        Err(error) => vec![Event::Error(error)],
                    },
                    Command::Sweep { name, total, points } => {
                        match fetch_questions(&mut runner, points.iter().map(|(_, p)| &p.settings)).await {
                            Ok(()) => {
                                let backend = points
                                    .first()
                                    .map(|(_, p)| p.settings.backend)
                                    .unwrap_or(distill_playground::settings::Backend::Auto);
                                let (device, backend) = backends.device(backend).await;
                                runner.sweep(name, total, points, &device, &backend)
                            }
                            Err(error) => vec![Event::Error(error)],
                        }
                    }
                    other => runner.handle(other).await,
                };
                events.iter().for_each(js::post);
            }
            if words.is_busy() {
                words.slice().await.iter().for_each(js::post);
                js::yield_now().await;
            } else if runner.is_busy() {
                runner.slice().await.iter().for_each(js::post);
                js::yield_now().await;
            } else if rehearsal_pending {
                // One part at a time, the inbox read in between: a Start waits for one part at most.
                // A failure ends the rehearsal quietly: the run's own first step meets it and says
                // why (and a lost device has already been announced).
                rehearsal_pending = runner.rehearse_next().await.unwrap_or(false);
                js::yield_now().await;
            } else {
                inbox.wait().await;
            }
        }
    });
}
