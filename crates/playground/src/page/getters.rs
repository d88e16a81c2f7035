//! What the views read of the page. Nothing here changes it: that goes through the reducer's
//! methods ([`Page::apply`], [`Page::set`], ...), so every change is tested natively.

use super::*;

impl Page {
    /// Everything the address bar holds: the settings, lesson, sweep plan, layout.
    pub fn link(&self) -> &Link {
        &self.link
    }

    /// What was wrong with the link (ignored or adjusted parameters).
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    pub fn catalog(&self) -> Option<&Catalog> {
        self.catalog.as_ref()
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    /// The workers training now, and what each does.
    pub fn crew(&self) -> &Crew {
        &self.crew
    }

    /// Why WebGPU was not used, if it was not.
    pub fn backend_note(&self) -> Option<&BackendNote> {
        self.backend_note.as_ref()
    }

    /// Both students' scores, one report per evaluation since they were built.
    pub fn reports(&self) -> &[Report] {
        &self.reports
    }

    pub fn total_steps(&self) -> usize {
        self.total_steps
    }

    pub fn transfer_examples(&self) -> usize {
        self.transfer_examples
    }

    /// The teacher's test accuracy as an honest user of its API sees it through the defence.
    pub fn honest_accuracy(&self) -> f64 {
        self.honest_accuracy
    }

    /// The teacher's test accuracy without a defence.
    pub fn teacher_accuracy(&self) -> f64 {
        self.teacher_accuracy
    }

    /// The sweep under way, if one is.
    pub fn sweep_progress(&self) -> Option<SweepProgress> {
        self.sweep_progress
    }

    /// One row per finished student (single runs and sweep points).
    pub fn results(&self) -> &[ResultRow] {
        &self.results
    }

    /// Why the results table is not kept in the browser, if it is not.
    pub fn keep_problem(&self) -> Option<&KeepError> {
        self.keep_problem.as_ref()
    }

    /// The outcome of the last weights import.
    pub fn weights_import(&self) -> Option<&Result<(), Problem>> {
        self.import.as_ref()
    }

    /// The teacher's logits file the visitor brought and the workers took.
    pub fn own_teacher(&self) -> Option<&(ImportedTeacher, TeacherFile)> {
        self.own_teacher.as_ref()
    }

    /// The outcome of the last teacher import (a refusal stays until the next try).
    pub fn teacher_import(&self) -> Option<&Result<ImportedTeacher, Problem>> {
        self.teacher_import.as_ref()
    }
}
