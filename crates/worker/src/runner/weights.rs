//! The run's students' weights out and in (the task writes and reads the file: see
//! [`TaskData::export`]).

use super::{training, Clock, Runner};
use crate::task::{check_file_task, TaskData};
use distill_playground::protocol::{Event, Student as Role, Suspect};

impl<C: Clock, D: TaskData> Runner<C, D> {
    /// The distilled student's weights, as the task writes them.
    pub(super) async fn export(&self) -> Vec<Event> {
        let (Some(data), Some(student)) = (&self.data, self.run_job_ref().and_then(|j| j.student(Role::Distilled)))
        else {
            return Vec::new();
        };
        match data.export(student).await {
            Ok(bytes) => vec![Event::Weights(bytes)],
            Err(e) => vec![Event::Error(training(e))],
        }
    }

    /// Loads weights into the distilled student; the page asks for a [`Command::Score`] next.
    ///
    /// [`Command::Score`]: distill_playground::protocol::Command::Score
    pub(super) fn import(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut events = self.pause();
        let Some(data) = self.data.clone() else { return events };
        let Some(job) = self.run_job() else { return events };
        let Some(student) = job.students.iter_mut().find(|s| s.shown && s.role == Some(Role::Distilled)) else {
            return events;
        };
        let imported = check_file_task("the weights file", bytes, D::TASK)
            .and_then(|()| data.import(student, bytes).map_err(training));
        events.push(Event::Imported(imported.map(|model| student.trainer.set_model(model))));
        events
    }

    /// The watermark test of a student's file, by the worker that holds the run's distilled
    /// student (the copier, whose questions the owner logged); the other says nothing.
    pub(super) async fn test_suspect(&self, file: &str, bytes: &[u8]) -> Vec<Event> {
        let (Some(data), Some(copier)) = (&self.data, self.run_job_ref().and_then(|j| j.student(Role::Distilled)))
        else {
            return Vec::new();
        };
        let tested = match check_file_task(file, bytes, D::TASK) {
            Ok(()) => data.test_suspect(copier, file, bytes).await,
            Err(refused) => Err(refused),
        };
        vec![Event::SuspectTested(tested.map(|test| Suspect { file: file.to_string(), test }))]
    }
}
