//! The training worker: owns the pack, the device, the [`Session`] and the sweep queue, and runs
//! one task that takes commands from the page in order and trains in ~50 ms slices between them,
//! so a Pause is honoured within one slice and the page never freezes.

mod backend;
mod download;
mod js;

use crate::dark_knowledge::curated;
use crate::pack_data::PackData;
use crate::protocol::{Command, Event, Inspection};
use crate::results::ResultRow;
use crate::session::{Report, Session};
use crate::settings::Settings;
use crate::sweep::{PointRun, SweepPoint};
use distill_core::architecture::CLASSES;
use distill_core::model::PIXELS;
use std::collections::VecDeque;
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
            } else if worker.sweep.is_active() {
                worker.sweep_slice().await;
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
    /// What the session's students were built from, for their result rows.
    settings: Option<Settings>,
    backends: backend::Backends,
    running: bool,
    /// Training wall time and examples since the last report, for the throughput figure.
    clock: Throughput,
    /// Training wall time of the whole single run, for its result rows.
    run_ms: f64,
    last_report: Option<Report>,
    sweep: SweepQueue,
    /// Single runs finished so far, to name their result rows.
    runs: usize,
}

#[derive(Default)]
struct Throughput {
    ms: f64,
    examples: usize,
}

/// Sweep points waiting, and the one training now.
#[derive(Default)]
struct SweepQueue {
    pending: VecDeque<SweepPoint>,
    current: Option<PointRun>,
    name: String,
    index: usize,
    total: usize,
    /// Training time of the current point.
    ms: f64,
}

impl SweepQueue {
    fn is_active(&self) -> bool {
        self.current.is_some() || !self.pending.is_empty()
    }
}

impl Worker {
    async fn handle(&mut self, command: Command) {
        match command {
            Command::Load(entry) => {
                self.stop();
                self.stop_sweep();
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
            Command::Configure(settings) => self.configure(settings).await,
            Command::Start => {
                if self.session.as_ref().is_some_and(|s| !s.is_done()) {
                    self.stop_sweep();
                    self.running = true;
                    js::post(&Event::Running(true));
                }
            }
            Command::Pause => self.stop(),
            Command::Step => {
                self.stop();
                self.stop_sweep();
                self.step_once().await;
            }
            Command::Inspect(index) => self.inspect(index).await,
            Command::Predict(pixels) => self.predict(&pixels).await,
            Command::Sweep { name, points } => {
                self.stop();
                self.stop_sweep();
                self.sweep = SweepQueue { name, total: points.len(), pending: points.into(), ..SweepQueue::default() };
            }
            Command::StopSweep => self.stop_sweep(),
            Command::ExportWeights => {
                let Some(session) = &self.session else { return };
                match session.export_weights().await {
                    Ok(bytes) => js::post(&Event::Weights(bytes)),
                    Err(message) => js::post(&Event::Error(message)),
                }
            }
            Command::ImportWeights(bytes) => self.import(&bytes).await,
        }
    }

    fn stop(&mut self) {
        if self.running {
            self.running = false;
            js::post(&Event::Running(false));
        }
    }

    fn stop_sweep(&mut self) {
        if self.sweep.is_active() {
            self.sweep = SweepQueue::default();
            js::post(&Event::SweepDone);
        }
    }

    async fn configure(&mut self, settings: Settings) {
        self.stop();
        self.stop_sweep();
        self.session = None;
        let Some(data) = self.data.clone() else {
            let message = self.load_error.clone().unwrap_or_else(|| "no pack is loaded".to_string());
            return js::post(&Event::Error(message));
        };
        let device = self.backends.device(settings.backend).await;
        match Session::new(&settings, &data, &device) {
            Ok(session) => {
                js::post(&Event::Configured {
                    total_steps: session.total_steps(),
                    transfer_examples: session.transfer_examples,
                });
                self.session = Some(session);
                self.settings = Some(settings);
                self.clock = Throughput::default();
                self.run_ms = 0.0;
                self.last_report = None;
            }
            Err(message) => js::post(&Event::Error(message)),
        }
    }

    /// One step of both students, timed; the report, if one fell due.
    async fn step_timed(&mut self) -> Result<Option<Report>, String> {
        let (Some(session), Some(data)) = (self.session.as_mut(), self.data.as_ref()) else { return Ok(None) };
        let start = js::now();
        let report = session.step(&data.test).await;
        let ms = js::now() - start;
        self.clock.ms += ms;
        self.clock.examples += 2 * session.batch_size();
        self.run_ms += ms;
        report
    }

    fn is_done(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.is_done())
    }

    /// Steps both students for about [`SLICE_MS`], posting the reports that fall due.
    async fn train_slice(&mut self) {
        let start = js::now();
        while js::now() - start < SLICE_MS && !self.is_done() {
            match self.step_timed().await {
                Ok(Some(report)) => self.publish(report),
                Ok(None) => {}
                Err(message) => {
                    js::post(&Event::Error(message));
                    return self.stop();
                }
            }
        }
        if self.session.is_none() {
            self.stop();
        } else if self.is_done() {
            self.stop();
            self.finish().await;
        }
    }

    async fn step_once(&mut self) {
        if self.session.is_none() || self.is_done() {
            return;
        }
        let report = match self.step_timed().await {
            Ok(Some(report)) => Ok(report),
            Ok(None) => match (self.session.as_mut(), self.data.as_ref()) {
                (Some(session), Some(data)) => session.report(&data.test).await,
                _ => return,
            },
            Err(message) => Err(message),
        };
        match report {
            Ok(report) => self.publish(report),
            Err(message) => js::post(&Event::Error(message)),
        }
        if self.is_done() {
            self.finish().await;
        }
    }

    fn publish(&mut self, mut report: Report) {
        let clock = std::mem::take(&mut self.clock);
        report.examples_per_second = if clock.ms > 0.0 { clock.examples as f64 / (clock.ms / 1000.0) } else { 0.0 };
        js::post(&Event::Report(report.clone()));
        self.last_report = Some(report);
    }

    /// The end of a single run: two result rows and, with a class left out, the test logits the
    /// page's bias-shift slider works on.
    async fn finish(&mut self) {
        js::post(&Event::Finished);
        let (Some(session), Some(data), Some(settings), Some(report)) =
            (&self.session, &self.data, &self.settings, &self.last_report)
        else {
            return;
        };
        self.runs += 1;
        for (series, settings, student) in [
            ("distilled", settings.clone(), &report.distilled),
            ("labels only", settings.labels_only(), &report.baseline),
        ] {
            let mut row = ResultRow::new(series, None, &settings);
            row.run = format!("run {}", self.runs);
            row.steps = report.step;
            row.test_accuracy = student.test_accuracy;
            row.agreement = student.agreement;
            row.seconds = self.run_ms / 1000.0;
            row.backend = self.backends.name.clone();
            js::post(&Event::Result(row));
        }
        if settings.excluded_class.is_some() {
            match session.logits(&data.test.images).await {
                Ok((distilled, baseline)) => {
                    js::post(&Event::TestLogits { labels: data.test.labels.clone(), distilled, baseline })
                }
                Err(message) => js::post(&Event::Error(message)),
            }
        }
    }

    /// Trains the current sweep point for about [`SLICE_MS`] (starting the next one if none is
    /// under way); a finished point becomes a result row.
    async fn sweep_slice(&mut self) {
        let Some(data) = self.data.clone() else { return self.stop_sweep() };
        if self.sweep.current.is_none() {
            let Some(point) = self.sweep.pending.pop_front() else { return self.stop_sweep() };
            let device = self.backends.device(point.settings.backend).await;
            match PointRun::new(point, &data, &device) {
                Ok(run) => self.sweep.current = Some(run),
                Err(message) => {
                    js::post(&Event::Error(message));
                    return self.stop_sweep();
                }
            }
            self.sweep.ms = 0.0;
        }
        let Some(run) = self.sweep.current.as_mut() else { return };
        let start = js::now();
        let mut failure = None;
        while js::now() - start < SLICE_MS && !run.trainer.is_done() {
            if let Err(message) = run.trainer.step().await {
                failure = Some(message);
                break;
            }
        }
        self.sweep.ms += js::now() - start;
        js::post(&Event::SweepProgress {
            index: self.sweep.index,
            total: self.sweep.total,
            step: run.trainer.steps_done(),
            total_steps: run.trainer.total_steps(),
        });
        if !run.trainer.is_done() && failure.is_none() {
            return;
        }
        let mut row = ResultRow::new(&run.point.series, Some(&run.point), &run.point.settings);
        row.run = self.sweep.name.clone();
        row.steps = run.trainer.steps_done();
        row.backend = self.backends.name.clone();
        let evaluation_start = js::now();
        match failure {
            Some(message) => row.note = message,
            None => match run.trainer.evaluate(&data.test).await {
                Ok(eval) => {
                    row.test_accuracy = eval.accuracy();
                    row.agreement = eval.agreement.unwrap_or(f64::NAN);
                }
                Err(message) => row.note = message,
            },
        }
        row.seconds = (self.sweep.ms + js::now() - evaluation_start) / 1000.0;
        js::post(&Event::Result(row));
        self.sweep.current = None;
        self.sweep.index += 1;
        if self.sweep.pending.is_empty() {
            self.sweep = SweepQueue::default();
            js::post(&Event::SweepDone);
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

    async fn predict(&mut self, pixels: &[u8]) {
        let Some(session) = &self.session else { return };
        if pixels.len() != PIXELS {
            return js::post(&Event::Error(format!("a drawing has {PIXELS} pixels, not {}", pixels.len())));
        }
        match session.logits(pixels).await {
            Ok((distilled, baseline)) => js::post(&Event::Prediction { distilled, baseline }),
            Err(message) => js::post(&Event::Error(message)),
        }
    }

    async fn import(&mut self, bytes: &[u8]) {
        self.stop();
        let (Some(session), Some(data)) = (self.session.as_mut(), self.data.as_ref()) else { return };
        let result = session.import_weights(bytes);
        let imported = result.is_ok();
        js::post(&Event::Imported(result));
        if imported {
            match session.report(&data.test).await {
                Ok(report) => self.publish(report),
                Err(message) => js::post(&Event::Error(message)),
            }
        }
    }
}
