//! Where the page is in its life ([`Phase`]: the status line, which buttons work) and what stopped
//! it ([`Problem`], in the visitor's language).

use crate::i18n::{fill, Lang, Msg};
use crate::protocol::WorkerError;
use crate::settings::SettingError;
use distill_data::catalog::CatalogError;

/// Where the page is in its life; drives the status line and which buttons work.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Starting,
    Loading { loaded: u64, total: u64 },
    Ready,
    Training,
    Paused,
    Finished,
    Failed,
}

/// What stopped the page, in the visitor's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Worker(WorkerError),
    /// `packs/catalog.json` could not be had or read.
    Catalog(CatalogError),
    NoPack(String),
    /// The worker died (a panic, a lost GPU device); Reset starts a new one.
    WorkerStopped(String),
    /// The worker's script could not be fetched; Reset tries again.
    WorkerDidNotLoad,
    /// The worker speaks another version of the messages (a host's cache after the site changed):
    /// only a reload brings a matching pair.
    WorkerOfAnotherVersion(String),
    Setting(SettingError),
    /// A file picked in the page could not be read.
    File(String),
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Problem::Worker(e) => e.text(lang),
            Problem::Catalog(e) => fill(Msg::CannotLoadTheCatalog.text(lang), &[("detail", e.to_string())]),
            Problem::NoPack(teacher) => fill(Msg::NoPackForTeacher.text(lang), &[("teacher", teacher.clone())]),
            Problem::WorkerStopped(detail) => {
                fill(Msg::TheTrainingWorkerStopped.text(lang), &[("detail", detail.clone())])
            }
            Problem::WorkerDidNotLoad => Msg::TheWorkerDidNotLoad.text(lang).to_string(),
            Problem::WorkerOfAnotherVersion(detail) => {
                fill(Msg::TheWorkerIsOfAnotherVersion.text(lang), &[("detail", detail.clone())])
            }
            Problem::Setting(e) => e.text(lang),
            Problem::File(detail) => fill(Msg::CannotReadTheFile.text(lang), &[("detail", detail.clone())]),
        }
    }
}
