//! The image task's part of the run loop: its students learn from a pack's images (or, asked in
//! rounds, from the images a copier picks), are scored on the test split, and are looked at
//! through a test image or a drawing.

use crate::pack_data::PackData;
use crate::runner::{Job, Rounds, Student};
use crate::task::{not_this_tasks_look, training, Scores, TaskData};
use burn::prelude::*;
use distill_core::api::honest_accuracy;
use distill_core::images::{self, predict_logits};
use distill_core::metrics::{predictions, Evaluation};
use distill_core::queries::Questioner;
use distill_core::targets::question_order;
use distill_core::{weights, ImageSet, Network, TrainError, TransferSet};
use distill_data::catalog::QuestionsEntry;
use distill_data::dataset::safetensors_metadata;
use distill_data::weights::{ARCHITECTURE_KEY, TASK_KEY};
use distill_playground::dark_knowledge::curated;
use distill_playground::protocol::{
    questions_for, Command, Downloaded, Event, ImportedTeacher, Inspection, NeededFile, PerStudent, Pick, SuspectTest,
    TaskScores, WorkerError,
};
use distill_playground::settings::{AskAbout, Settings, Task};
use distill_spec::watermark::runner_up;
use distill_spec::{argmax, Architecture, Defence, MarkTest, CLASSES, PIXELS};
use std::collections::HashMap;

/// `student`'s logits for `images` (flat 28×28 rows).
async fn logits(student: &Student<ImageSet>, images: &[u8]) -> Result<Vec<f32>, TrainError> {
    predict_logits(student.trainer.model(), student.architecture(), images, student.trainer.device()).await
}

/// The logits for `images` of `job`'s shown students, by role.
async fn students_logits(job: &Job<ImageSet>, images: &[u8]) -> Result<PerStudent<Vec<f32>>, WorkerError> {
    let mut students = PerStudent::default();
    for student in job.shown() {
        let found = logits(student, images).await.map_err(training)?;
        if let Some(role) = student.role {
            students.set(role, found);
        }
    }
    Ok(students)
}

impl PackData {
    /// The teacher's and the students' logits for a test image, or for an image the run's copier
    /// can ask about (none before there is a run).
    async fn inspect(&self, pick: Pick, job: Option<&Job<ImageSet>>) -> Vec<Event> {
        let (index, images, teacher, label) = match pick {
            Pick::Test(index) => (index, &self.test.images, &self.test_logits, self.test.labels.get(index).copied()),
            Pick::Asked(index) => {
                let Some(job) = job else { return Vec::new() };
                let ask = job.students[0].settings.api.ask;
                let questions = match self.questions(ask) {
                    Ok(questions) => questions,
                    Err(error) => return vec![Event::Error(error)],
                };
                let label = (ask == AskAbout::Own).then(|| questions.labels.get(index).copied()).flatten();
                (index, &questions.images, &questions.logits, label)
            }
        };
        if index >= teacher.len() / CLASSES {
            return vec![Event::Error(WorkerError::NoTestImage(index))];
        }
        let pixels = images[index * PIXELS..(index + 1) * PIXELS].to_vec();
        let students = match job {
            Some(job) => match students_logits(job, &pixels).await {
                Ok(students) => students,
                Err(e) => return vec![Event::Error(e)],
            },
            None => PerStudent::default(),
        };
        vec![Event::Inspection(Inspection {
            pick,
            label,
            pixels,
            teacher_logits: teacher[index * CLASSES..(index + 1) * CLASSES].to_vec(),
            students,
        })]
    }

    /// The students' logits for a drawing.
    async fn predict(&self, pixels: &[u8], job: Option<&Job<ImageSet>>) -> Vec<Event> {
        let Some(job) = job else { return Vec::new() };
        if pixels.len() != PIXELS {
            return vec![Event::Error(WorkerError::Drawing(pixels.len()))];
        }
        match students_logits(job, pixels).await {
            Ok(students) => vec![Event::Prediction(students)],
            Err(e) => vec![Event::Error(e)],
        }
    }

    /// The owner's watermark test of `student` (none when its API marks nothing): see
    /// [`PackData::mark_test_of`].
    async fn mark_test(
        &self,
        student: &Student<ImageSet>,
        test_logits: &[f32],
    ) -> Result<Option<MarkTest>, TrainError> {
        let model = (student.trainer.model(), student.architecture(), student.trainer.device());
        self.mark_test_of(student, model, test_logits).await
    }

    /// The owner's watermark test of a `model` (the copier's own, or a suspect's), its logits on
    /// the test split given: of the answers the `copier` was given, the marked ones, and how
    /// often the model repeats their lie; the null rate from its answers on the test split, which
    /// no one trained on. None when the API marks nothing.
    async fn mark_test_of(
        &self,
        copier: &Student<ImageSet>,
        (model, architecture, device): (&Network, &Architecture, &Device),
        test_logits: &[f32],
    ) -> Result<Option<MarkTest>, TrainError> {
        let mark = copier.settings.train.defence.mark;
        if !mark.is_on() {
            return Ok(None);
        }
        let Ok(questions) = self.questions(copier.settings.api.ask) else { return Ok(None) };
        let image = |i: usize| &questions.images[i * PIXELS..(i + 1) * PIXELS];
        let asked = &copier.trainer.set().transfer.indices;
        let marked: Vec<usize> = asked.iter().copied().filter(|&i| mark.marks(image(i))).collect();
        let pixels: Vec<u8> = marked.iter().flat_map(|&i| image(i)).copied().collect();
        let said = predictions(&predict_logits(model, architecture, &pixels, device).await?);
        let lie = |i: usize| runner_up(&questions.logits[i * CLASSES..(i + 1) * CLASSES]);
        let repeated = marked.iter().zip(&said).filter(|&(&i, &class)| class as usize == lie(i)).count();
        let rows = test_logits.chunks_exact(CLASSES).zip(self.test_logits.chunks_exact(CLASSES));
        let unseen = rows.filter(|(suspect, teacher)| argmax(suspect) == runner_up(teacher)).count();
        let null_rate = (unseen + 1) as f64 / (self.test.labels.len() + 2) as f64;
        Ok(Some(MarkTest { marked: marked.len(), repeated, null_rate }))
    }
}

impl TaskData for PackData {
    const TASK: Task = Task::Images;
    type Set = ImageSet;

    fn loaded(&self) -> Event {
        Event::Loaded { curated: curated(&self.test.labels, &self.test_logits) }
    }

    async fn student(
        &self,
        series: &str,
        settings: &Settings,
        first_round: Option<&[usize]>,
        device: &Device,
    ) -> Result<Student<ImageSet>, WorkerError> {
        let config = settings.train_config().map_err(|e| WorkerError::Training(e.to_string()))?;
        let questions = self.questions(settings.api.ask)?;
        let (labels, logits) = questions.through(&config.defence.mark, settings.api.ask == AskAbout::Own);
        let (labels, logits) = (&labels[..], &logits[..]);
        let (transfer, queries) = match first_round {
            Some(images) => (TransferSet::asked(&config, images, 0, labels, logits), images.len()),
            None => {
                let asked = question_order(&config, labels).len().min(settings.budget());
                (TransferSet::build(&config, labels, logits), asked)
            }
        };
        // The honest user asks about the test images, through the same API: a marked answer costs it.
        let test_logits = config.defence.mark.apply(&self.test_logits, &self.test.images);
        let honest = honest_accuracy(&config.defence, &test_logits, &self.test.labels, config.seed);
        let trainer = images::trainer(&config, questions.images.clone(), transfer, device).map_err(training)?;
        Ok(Student::new(trainer, series, settings, queries, honest))
    }

    fn teacher_accuracy(&self) -> f64 {
        honest_accuracy(&Defence::default(), &self.test_logits, &self.test.labels, 0)
    }

    async fn score(&self, student: &Student<ImageSet>) -> Result<Scores, TrainError> {
        let test_logits = logits(student, &self.test.images).await?;
        let eval = Evaluation::from_logits(&test_logits, &self.test.labels, self.test.teacher_predictions.as_deref());
        Ok(Scores {
            test_accuracy: eval.accuracy(),
            agreement: eval.agreement.unwrap_or(f64::NAN),
            task: TaskScores::Images {
                per_class_accuracy: eval.per_class_accuracy().to_vec(),
                confusion: eval.confusion.iter().map(|row| row.to_vec()).collect(),
                mark: self.mark_test(student, &test_logits).await?,
            },
        })
    }

    async fn rehearse_scoring(&self, student: &Student<ImageSet>) -> Result<(), TrainError> {
        let (model, device) = (student.trainer.model(), student.trainer.device());
        images::rehearse_scoring(model, student.architecture(), &self.test.images, device).await
    }

    async fn look(&self, command: Command, job: Option<&Job<ImageSet>>) -> Vec<Event> {
        match command {
            Command::Inspect(pick) => self.inspect(pick, job).await,
            Command::Predict(pixels) => self.predict(&pixels, job).await,
            other => not_this_tasks_look(Task::Images, &other),
        }
    }

    /// The weights with the pack the student learnt on and its answers for the pack's test
    /// images in the metadata (`pack`, `pack_sha256`, `test_predictions`: one digit per image), so
    /// a rebuild elsewhere (the book's NumPy lines) can check itself image by image.
    async fn export(&self, student: &Student<ImageSet>) -> Result<Vec<u8>, TrainError> {
        let answers: String =
            predictions(&logits(student, &self.test.images).await?).iter().map(|&c| char::from(b'0' + c)).collect();
        let metadata = HashMap::from([
            (TASK_KEY.to_string(), Task::Images.to_string()),
            ("pack".to_string(), self.entry.file.clone()),
            ("pack_sha256".to_string(), self.entry.sha256.clone()),
            ("test_predictions".to_string(), answers),
        ]);
        weights::export(student.trainer.model(), student.architecture(), metadata).await
    }

    /// A network of the architecture the file names, with its weights, on the CPU, tested as
    /// the copier is. A run whose API marks nothing has no test to give.
    async fn test_suspect(
        &self,
        copier: &Student<ImageSet>,
        file: &str,
        bytes: &[u8],
    ) -> Result<SuspectTest, WorkerError> {
        let refused = |detail: String| WorkerError::Training(format!("{file}: {detail}"));
        let metadata = safetensors_metadata(bytes);
        let architecture: Architecture = metadata
            .get(ARCHITECTURE_KEY)
            .ok_or_else(|| {
                refused(format!("it names no `{ARCHITECTURE_KEY}` (the page's \"Export weights\" writes one)"))
            })?
            .parse()
            .map_err(|e| refused(format!("{e}")))?;
        let device = Device::flex();
        let network = weights::import(Network::seeded(&architecture, 0.0, 0, &device), &architecture, bytes)
            .map_err(|e| refused(e.to_string()))?;
        let test_logits =
            predict_logits(&network, &architecture, &self.test.images, &device).await.map_err(training)?;
        let test =
            self.mark_test_of(copier, (&network, &architecture, &device), &test_logits).await.map_err(training)?;
        test.map(SuspectTest::Images).ok_or_else(|| refused("this run's API marks no answers (mark=0)".into()))
    }

    fn import(&self, student: &Student<ImageSet>, bytes: &[u8]) -> Result<distill_core::Network, TrainError> {
        weights::import(student.trainer.model().clone(), student.architecture(), bytes)
    }

    /// With a class left out, the test logits the page's bias-shift slider works on.
    async fn after_run(&self, job: &Job<ImageSet>) -> Vec<Event> {
        if job.students[0].settings.train.excluded_class.is_none() {
            return Vec::new();
        }
        match students_logits(job, &self.test.images).await {
            Ok(students) => vec![Event::TestLogits { labels: self.test.labels.clone(), students }],
            Err(e) => vec![Event::Error(e)],
        }
    }

    fn note(&self) -> Option<String> {
        self.imported.as_ref().map(|file| format!("teacher imported from {file}"))
    }

    /// A copier asking in rounds picks its first round's images at random.
    fn first_round(&self, settings: &Settings) -> Result<Option<(Rounds, Vec<usize>)>, WorkerError> {
        let config = settings.train_config().map_err(|e| WorkerError::Training(e.to_string()))?;
        let Some(plan) = config.queries else { return Ok(None) };
        let questions = self.questions(settings.api.ask)?;
        let mut questioner = Questioner::new(&config, plan, &questions.labels, &questions.images);
        let planned_steps = questioner.round_ends().into_iter().map(|end| config.total_steps(end)).sum();
        let images = questioner.next_round(None);
        Ok(Some((Rounds { questioner, planned_steps }, images)))
    }

    /// The next round's images, picked by the first student's uncertainty when the strategy
    /// needs it, answered for every student.
    async fn ask(&self, rounds: &mut Rounds, students: &mut [Student<ImageSet>]) -> Result<(), WorkerError> {
        let questions = self.questions(students[0].settings.api.ask)?;
        let student_logits = if rounds.questioner.needs_student() {
            let unasked: Vec<u8> = rounds
                .questioner
                .unasked()
                .iter()
                .flat_map(|&i| &questions.images[i * PIXELS..(i + 1) * PIXELS])
                .copied()
                .collect();
            Some(logits(&students[0], &unasked).await.map_err(training)?)
        } else {
            None
        };
        let first_query = rounds.questioner.spent();
        let images = rounds.questioner.next_round(student_logits.as_deref());
        for student in students {
            let config = &student.settings.train;
            let own = student.settings.api.ask == AskAbout::Own;
            let (labels, logits) = questions.through(&config.defence.mark, own);
            let answers = TransferSet::asked(config, &images, first_query, &labels, &logits);
            let more = student.trainer.set().with(answers);
            student.trainer.learn_more(more);
            student.queries = rounds.questioner.spent();
        }
        Ok(())
    }

    fn add_part(&mut self, file: &str, index: usize, download: Downloaded) -> Result<bool, WorkerError> {
        if file != self.entry.file {
            return Ok(false); // a part of a pack since replaced
        }
        let bytes = download.bytes(&NeededFile::pack(&self.entry), index)?;
        PackData::add_part(self, index, &bytes)
    }

    fn arriving(&self) -> Option<(usize, usize)> {
        (!self.is_complete()).then(|| self.rows_in())
    }

    fn ready_for(&self, settings: &Settings) -> bool {
        self.is_complete() || (PackData::trains_early(settings) && self.has_logits_for(settings))
    }

    fn can_step(&self, student: &Student<ImageSet>) -> bool {
        let set = student.trainer.set();
        match student.trainer.upcoming() {
            Some(positions) => self.has_rows(positions.iter().map(|&p| set.transfer.indices[p])),
            None => self.has_rows(set.transfer.indices.iter().copied()),
        }
    }

    fn refresh(&self, student: &mut Student<ImageSet>) {
        if student.settings.api.ask == AskAbout::Own {
            student.trainer.set_mut().images = self.own.images.clone();
        }
    }

    fn questions_about(&self, ask: AskAbout) -> Option<QuestionsEntry> {
        questions_for(&self.entry, ask).cloned()
    }

    fn add_questions(&mut self, entry: &QuestionsEntry, bytes: &[u8]) -> Result<(), WorkerError> {
        PackData::add_questions(self, entry, bytes)
    }

    fn import_teacher(&mut self, file: &str, bytes: &[u8]) -> Result<ImportedTeacher, WorkerError> {
        PackData::import_teacher(self, file, bytes)
    }
}
