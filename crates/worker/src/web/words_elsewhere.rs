//! The CPU build the first visit downloads has no words task (it comes in its own build, the
//! `words` feature): a words command gets a clear error here, and nothing else changes.

use super::backend::Backends;
use distill_playground::protocol::{Command, Event, Students, WorkerError};
use distill_playground::settings::Task;

pub struct Words;

impl Words {
    pub fn new() -> Words {
        Words
    }

    pub fn takes(&self, command: &Command) -> bool {
        match command {
            Command::LoadWords(_) | Command::NextLetters(_) => true,
            Command::Configure(settings) => settings.task() == Task::Words,
            _ => false,
        }
    }

    pub async fn handle(&mut self, _command: Command, _backends: &mut Backends) -> Vec<Event> {
        vec![Event::Error(WorkerError::Protocol("this build of the worker has no words task".into()))]
    }

    pub fn assign(&mut self, _students: Students) {}

    pub fn unload(&mut self) {}

    pub fn is_busy(&self) -> bool {
        false
    }

    pub async fn slice(&mut self) -> Vec<Event> {
        Vec::new()
    }
}
