//! The words task in the message pump (builds with the `words` feature): which commands are its,
//! downloading its pack, and the [`WordsRunner`] that trains it.

use super::{backend::Backends, download, PerformanceClock};
use crate::words::{WordsData, WordsRunner};
use distill_playground::protocol::{Command, Event, Students};
use distill_playground::settings::Task;

pub struct Words(WordsRunner<PerformanceClock>);

impl Words {
    pub fn new() -> Words {
        Words(WordsRunner::new(PerformanceClock))
    }

    /// A words pack's download and configuration, and every command once a words pack is in.
    pub fn takes(&self, command: &Command) -> bool {
        match command {
            Command::LoadWords(_) => true,
            Command::Configure(settings) => settings.task() == Task::Words,
            _ => self.0.is_loaded(),
        }
    }

    pub async fn handle(&mut self, command: Command, backends: &mut Backends) -> Vec<Event> {
        match command {
            Command::LoadWords(entry) => {
                let data = match download::fetch(&entry.file, entry.bytes).await {
                    Ok(bytes) => WordsData::from_bytes(&entry, &bytes).await,
                    Err(error) => Err(error),
                };
                match data {
                    Ok(data) => self.0.load(data),
                    Err(error) => {
                        self.0.unload();
                        vec![Event::Error(error)]
                    }
                }
            }
            Command::Configure(settings) => {
                let (device, name) = backends.device(settings.backend).await;
                self.0.configure(&settings, &device, &name).await
            }
            other => self.0.handle(other).await,
        }
    }

    pub fn assign(&mut self, students: Students) {
        self.0.assign(students);
    }

    /// The image task's pack is loading: the words pack goes.
    pub fn unload(&mut self) {
        self.0.unload();
    }

    pub fn is_busy(&self) -> bool {
        self.0.is_busy()
    }

    pub async fn slice(&mut self) -> Vec<Event> {
        self.0.slice().await
    }
}
