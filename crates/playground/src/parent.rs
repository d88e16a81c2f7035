//! What a page that embeds the playground (a course platform, in an `<iframe>`) hears from it:
//! one `postMessage` per event, `{source: "distill-playground", type, ...}`
//! (docs/src/educators/links-and-embedding.md). The playground listens to nothing its parent
//! sends: a parent steers it only through the link in the `src`.

use serde::Serialize;

/// An event for the embedding page; serialised with `type` naming the variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToParent {
    /// Fresh students are built and can train (after the load, and after every reset).
    Ready { teacher: String, student: String, total_steps: usize },
    /// A report: both students' test accuracy (0–1) at `step` of `total_steps`.
    Progress { step: usize, total_steps: usize, distilled: f64, baseline: f64 },
    /// The run trained to its end: both students' final test accuracy and the teacher's, on the
    /// pack's test images.
    Finished { distilled: f64, baseline: f64, teacher: f64 },
    /// What stopped the page, as it shows it (in English).
    Error { message: String },
}
