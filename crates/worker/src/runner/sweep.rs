//! A sweep: its points queued in the worker, trained one after the other, each a result row.

use super::job::{Job, Purpose};
use super::{training, Clock, Runner, SLICE_MS};
use crate::task::{check_task, TaskData};
use burn::prelude::*;
use distill_playground::protocol::{Event, WorkerError};
use distill_playground::sweep::SweepPoint;

/// The sweep under way: its name (for the result rows), how many points, and where they train.
#[derive(Clone)]
pub(super) struct SweepRun {
    pub(super) name: String,
    pub(super) total: usize,
    pub(super) device: Device,
    pub(super) backend: String,
}

impl<C: Clock, D: TaskData> Runner<C, D> {
    /// Queues a sweep's points, each with its place among `total` (it stops the single run);
    /// each becomes a result row named `name`.
    pub fn sweep(
        &mut self,
        name: String,
        total: usize,
        points: Vec<(usize, SweepPoint)>,
        device: &Device,
        backend: &str,
    ) -> Vec<Event> {
        let mut events = self.stop_all();
        if self.data.is_none() {
            events.push(Event::Error(self.no_pack()));
            return events;
        }
        if let Err(error) = points.iter().try_for_each(|(_, p)| check_task::<D>(p.settings.task())) {
            events.push(Event::Error(error));
            return events;
        }
        if self.job.as_ref().is_some_and(|j| matches!(j.purpose, Purpose::Run { .. })) {
            self.parked = self.job.take();
        }
        self.pending = points.into_iter().map(|(index, point)| (point, index)).collect();
        self.sweep = Some(SweepRun { name, total, device: device.clone(), backend: backend.to_string() });
        events
    }

    pub(super) fn stop_sweep(&mut self) -> Vec<Event> {
        if self.sweep.take().is_some() {
            self.pending.clear();
            if !matches!(self.job.as_ref().map(|j| &j.purpose), Some(Purpose::Run { .. })) {
                self.job = self.parked.take();
            }
            vec![Event::SweepDone]
        } else {
            Vec::new()
        }
    }

    pub(super) async fn train_point(&mut self, data: &D) -> Vec<Event> {
        let Some(SweepRun { name, total, device, backend }) = self.sweep.clone() else { return Vec::new() };
        if !matches!(self.job.as_ref().map(|j| &j.purpose), Some(Purpose::Point { .. })) {
            let Some((point, index)) = self.pending.pop_front() else { return self.stop_sweep() };
            let student = async {
                let (rounds, first_round) = data.first_round(&point.settings)?.unzip();
                let student = data.student(&point.series, &point.settings, first_round.as_deref(), &device).await?;
                Ok::<_, WorkerError>((student, rounds))
            };
            let (student, rounds) = match student.await {
                Ok(started) => started,
                Err(error) => {
                    let mut events = vec![Event::Error(error)];
                    events.extend(self.stop_sweep());
                    return events;
                }
            };
            let purpose = Purpose::Point { sweep: name, point, index };
            self.job = Some(Job::new(purpose, vec![student], rounds, backend, usize::MAX));
        }
        let start = self.clock.now();
        let mut failure = None;
        while self.clock.now() - start < SLICE_MS && self.job.as_ref().is_some_and(|j| !j.is_done()) {
            if let Err(e) = self.timed_step(data).await {
                failure = Some(e);
                break;
            }
        }
        // Once a slice, the point's losses are read: a diverged point stops here, a row with why.
        if failure.is_none() {
            let start = self.clock.now();
            if let Some(job) = self.job.as_mut() {
                let student = &mut job.students[0];
                failure = student.trainer.take_metrics().await.err().map(training);
                job.unsettled = 0;
                job.charge(self.clock.now() - start);
            }
        }
        let Some(job) = self.job.as_ref() else { return Vec::new() };
        let Purpose::Point { index, .. } = job.purpose else { return Vec::new() };
        let mut events =
            vec![Event::SweepProgress { index, total, step: job.steps_done(), total_steps: job.total_steps() }];
        if !job.is_done() && failure.is_none() {
            return events;
        }
        let outcome = match failure {
            Some(error) => Err(error),
            None => {
                let start = self.clock.now();
                let scores = data.score(&job.students[0]).await.map_err(training);
                let ms = self.clock.now() - start;
                if let Some(job) = self.job.as_mut() {
                    job.charge(ms);
                }
                scores
            }
        };
        if let Some(job) = self.job.take() {
            events.extend(job.rows(vec![outcome], data.note()).into_iter().map(|row| Event::Result(Box::new(row))));
        }
        if self.pending.is_empty() {
            events.extend(self.stop_sweep());
        }
        events
    }
}
