//! What the page asks about the run's students besides their reports: their logits for an image
//! (the dark-knowledge panel, a drawing), their weights out and in.

use super::{training, Clock, Runner};
use distill_core::metrics::predictions;
use distill_core::weights;
use distill_playground::protocol::{Event, Inspection, PerStudent, Pick, Student as Role, WorkerError};
use distill_playground::settings::AskAbout;
use distill_spec::{CLASSES, PIXELS};
use std::collections::HashMap;

impl<C: Clock> Runner<C> {
    /// The logits for `images` (flat 28×28 rows: one image or the whole test split) of the run's
    /// students this worker trains.
    pub(super) async fn logits(&self, images: &[u8]) -> Result<PerStudent<Vec<f32>>, WorkerError> {
        let mut students = PerStudent::default();
        for student in self.run_job_ref().iter().flat_map(|job| job.shown()) {
            let logits = student.logits(images).await.map_err(training)?;
            if let Some(role) = student.role {
                students.set(role, logits);
            }
        }
        Ok(students)
    }

    /// The teacher's and the students' logits for a test image, or for an image the run's copier
    /// can ask about (none before there is a run).
    pub(super) async fn inspect(&self, pick: Pick) -> Vec<Event> {
        let Some(data) = self.data.clone() else { return Vec::new() };
        let (index, images, logits, label) = match pick {
            Pick::Test(index) => (index, &data.test.images, &data.test_logits, data.test.labels.get(index).copied()),
            Pick::Asked(index) => {
                let Some(job) = self.run_job_ref() else { return Vec::new() };
                let ask = job.students[0].settings.api.ask;
                let questions = match data.questions(ask) {
                    Ok(questions) => questions,
                    Err(error) => return vec![Event::Error(error)],
                };
                let label = (ask == AskAbout::Own).then(|| questions.labels.get(index).copied()).flatten();
                (index, &questions.images, &questions.logits, label)
            }
        };
        if index >= logits.len() / CLASSES {
            return vec![Event::Error(WorkerError::NoTestImage(index))];
        }
        let pixels = images[index * PIXELS..(index + 1) * PIXELS].to_vec();
        let students = match self.run_job_ref() {
            Some(_) => match self.logits(&pixels).await {
                Ok(students) => students,
                Err(e) => return vec![Event::Error(e)],
            },
            None => PerStudent::default(),
        };
        vec![Event::Inspection(Inspection {
            pick,
            label,
            pixels,
            teacher_logits: logits[index * CLASSES..(index + 1) * CLASSES].to_vec(),
            students,
        })]
    }

    pub(super) async fn predict(&self, pixels: &[u8]) -> Vec<Event> {
        if self.run_job_ref().is_none() {
            return Vec::new();
        }
        if pixels.len() != PIXELS {
            return vec![Event::Error(WorkerError::Drawing(pixels.len()))];
        }
        match self.logits(pixels).await {
            Ok(students) => vec![Event::Prediction(students)],
            Err(e) => vec![Event::Error(e)],
        }
    }

    /// The distilled student's weights, with the pack it learnt on and its answers for the pack's
    /// test images in the metadata (`pack`, `pack_sha256`, `test_predictions`: one digit per
    /// image), so a rebuild elsewhere (web/README.md's NumPy script) can check itself image by image.
    pub(super) async fn export(&self) -> Vec<Event> {
        let (Some(data), Some(student)) = (&self.data, self.run_job_ref().and_then(|j| j.student(Role::Distilled)))
        else {
            return Vec::new();
        };
        let exported = async {
            let logits = student.logits(&data.test.images).await?;
            let answers: String = predictions(&logits).iter().map(|&c| char::from(b'0' + c)).collect();
            let metadata = HashMap::from([
                ("pack".to_string(), data.entry.file.clone()),
                ("pack_sha256".to_string(), data.entry.sha256.clone()),
                ("test_predictions".to_string(), answers),
            ]);
            weights::export(student.trainer.model(), student.architecture(), metadata).await
        };
        match exported.await {
            Ok(bytes) => vec![Event::Weights(bytes)],
            Err(e) => vec![Event::Error(training(e))],
        }
    }

    /// Loads weights into the distilled student; the page asks for a [`Command::Score`] next.
    pub(super) fn import(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut events = self.pause();
        let Some(job) = self.run_job() else { return events };
        let Some(student) = job.students.iter_mut().find(|s| s.shown && s.role == Some(Role::Distilled)) else {
            return events;
        };
        let imported = weights::import(student.trainer.model().clone(), student.architecture(), bytes);
        events.push(Event::Imported(imported.map(|model| student.trainer.set_model(model)).map_err(training)));
        events
    }
}
