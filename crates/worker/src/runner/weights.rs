//! The run's students' weights out and in (the task writes and reads the file: see
//! [`TaskData::export`]).

use super::{training, Clock, Runner};
use crate::task::TaskData;
use distill_playground::protocol::{Event, Student as Role};

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
        let imported = data.import(student, bytes);
        events.push(Event::Imported(imported.map(|model| student.trainer.set_model(model)).map_err(training)));
        events
    }
}
