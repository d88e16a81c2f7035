//! The training worker: owns the pack, the device and the [`Session`], and runs one task that
//! takes commands from the page in order and trains in ~50 ms slices between them, so a Pause
//! is honoured within one slice and the page never freezes.

mod backend;
mod download;
mod js;

use crate::dark_knowledge::curated;
use crate::pack_data::PackData;
use crate::protocol::{Command, Event, Inspection};
use crate::session::{Report, Session};
use crate::settings::Settings;
use distill_core::architecture::CLASSES;
use distill_core::model::PIXELS;
use std::rc::Rc;

/// Training time between two looks at the inbox.
const SLICE_MS: f64 = 50.0;

/// Entry point of the `worker` binary.
pub fn run() {
    console_error_panic_hook::set_once();
    let inbox = js::Inbox::listen();
    wasm_bindgen_futures::spawn_local(async move {
        js::post(&Event::Ready);
        let mut worker = Worker::default();
        loop {
            while let Some(command) = inbox.pop() {
                worker.handle(command).await;
            }
            if worker.running {
                worker.train_slice().await;
                js::yield_now().await;
            } else {
                inbox.wait().await;
            }
        }
    });
}

#[derive(Default)]
struct Worker {
    data: Option<Rc<PackData>>,
    /// Why the last load failed: repeated when students are asked for without a pack.
    load_error: Option<String>,
    session: Option<Session>,
    backends: backend::Backends,
    running: bool,
    /// Training wall time and examples since the last report, for the throughput figure.
    clock: Throughput,
}

#[derive(Default)]
struct Throughput {
    ms: f64,
    examples: usize,
}

impl Worker {
    async fn handle(&mut self, command: Command) {
        match command {
            Command::Load(entry) => {
                self.stop();
                self.session = None;
                self.data = None;
                self.load_error = None;
                match download::fetch_pack(&entry).await.and_then(|bytes| PackData::from_bytes(&entry, &bytes)) {
                    Ok(data) => {
                        let picks = curated(&data.test.labels, &data.test_logits);
                        js::post(&Event::Loaded {
                            teacher: entry.teacher.clone(),
                            test_rows: data.test.labels.len(),
                            curated: picks,
                        });
                        self.data = Some(Rc::new(data));
                    }
                    Err(message) => {
                        js::post(&Event::Error(message.clone()));
                        self.load_error = Some(message);
                    }
                }
            }
            Command::Configure(settings) => self.configure(&settings).await,
            Command::Start => {
                if self.session.as_ref().is_some_and(|s| !s.is_done()) {
                    self.running = true;
                    js::post(&Event::Running(true));
                }
            }
            Command::Pause => self.stop(),
            Command::Step => {
                self.stop();
                self.step_once().await;
            }
            Command::Inspect(index) => self.inspect(index).await,
        }
    }

    fn stop(&mut self) {
        if self.running {
            self.running = false;
            js::post(&Event::Running(false));
        }
    }

    async fn configure(&mut self, settings: &Settings) {
        self.stop();
        self.session = None;
        let Some(data) = self.data.clone() else {
            let message = self.load_error.clone().unwrap_or_else(|| "no pack is loaded".to_string());
            return js::post(&Event::Error(message));
        };
        let device = self.backends.device(settings.backend).await;
        match Session::new(settings, &data, &device) {
            Ok(session) => {
                js::post(&Event::Configured {
                    total_steps: session.total_steps(),
                    transfer_examples: session.transfer_examples,
                });
                self.session = Some(session);
                self.clock = Throughput::default();
            }
            Err(message) => js::post(&Event::Error(message)),
        }
    }

    /// Steps both students for about [`SLICE_MS`], posting the reports that fall due.
    async fn train_slice(&mut self) {
        let (Some(session), Some(data)) = (self.session.as_mut(), self.data.clone()) else {
            return self.stop();
        };
        let start = js::now();
        let mut last = start;
        while js::now() - start < SLICE_MS && !session.is_done() {
            let before = session.steps_done();
            let result = session.step(&data.test).await;
            let now = js::now();
            self.clock.ms += now - last;
            last = now;
            self.clock.examples += 2 * (session.steps_done() - before) * session.batch_size();
            match result {
                Ok(Some(report)) => post_report(report, &mut self.clock),
                Ok(None) => {}
                Err(message) => {
                    js::post(&Event::Error(message));
                    return self.stop();
                }
            }
        }
        if session.is_done() {
            js::post(&Event::Finished);
            self.stop();
        }
    }

    async fn step_once(&mut self) {
        let (Some(session), Some(data)) = (self.session.as_mut(), self.data.clone()) else { return };
        if session.is_done() {
            return;
        }
        let start = js::now();
        let report = match session.step(&data.test).await {
            Ok(Some(report)) => Ok(report),
            Ok(None) => session.report(&data.test).await,
            Err(message) => Err(message),
        };
        self.clock.ms += js::now() - start;
        self.clock.examples += 2 * session.batch_size();
        match report {
            Ok(report) => post_report(report, &mut self.clock),
            Err(message) => js::post(&Event::Error(message)),
        }
    }

    async fn inspect(&mut self, index: usize) {
        let Some(data) = self.data.clone() else { return };
        if index >= data.test.labels.len() {
            return js::post(&Event::Error(format!("there is no test image {index}")));
        }
        let pixels = data.test.images[index * PIXELS..(index + 1) * PIXELS].to_vec();
        let (distilled_logits, baseline_logits) = match &self.session {
            Some(session) => match session.logits(&pixels).await {
                Ok(pair) => pair,
                Err(message) => return js::post(&Event::Error(message)),
            },
            None => (Vec::new(), Vec::new()),
        };
        js::post(&Event::Inspection(Inspection {
            index,
            label: data.test.labels[index],
            pixels,
            teacher_logits: data.test_logits[index * CLASSES..(index + 1) * CLASSES].to_vec(),
            distilled_logits,
            baseline_logits,
        }));
    }
}

fn post_report(mut report: Report, clock: &mut Throughput) {
    report.examples_per_second = if clock.ms > 0.0 { clock.examples as f64 / (clock.ms / 1000.0) } else { 0.0 };
    *clock = Throughput::default();
    js::post(&Event::Report(report));
}
