//! The results table: the rows an earlier visit kept, then one per student the workers finish,
//! this visit's runs numbered after the kept ones; every change is kept again
//! ([`Effect::KeepResults`]).

use super::*;

impl Page {
    /// Clear pressed: the table empties, here and in what the browser keeps.
    pub fn clear_results(&mut self) -> Vec<Effect> {
        self.results.clear();
        vec![Effect::KeepResults]
    }

    /// The rows an earlier visit kept (before any of this visit's), or why there are none: this
    /// visit's runs and sweeps are numbered after theirs.
    pub fn restore_results(&mut self, kept: Result<Vec<ResultRow>, KeepError>) {
        match kept {
            Ok(rows) => {
                let last = |prefix: &str| rows.iter().filter_map(|r| r.run.strip_prefix(prefix)?.parse().ok()).max();
                self.runs_before = last("run ").unwrap_or(0);
                self.sweeps_started = last("sweep ").unwrap_or(0);
                self.results.splice(0..0, rows);
            }
            Err(error) => self.keep_problem = Some(error),
        }
    }

    /// The browser would not keep the table (the page goes on without).
    pub fn results_not_kept(&mut self, error: KeepError) {
        self.keep_problem = Some(error);
    }

    /// A row from the workers, its run numbered after those of earlier visits.
    pub(super) fn add_result(&mut self, mut row: ResultRow) -> Vec<Effect> {
        if let Some(number) = row.run.strip_prefix("run ").and_then(|n| n.parse::<usize>().ok()) {
            row.run = format!("run {}", number + self.runs_before);
        }
        self.results.push(row);
        vec![Effect::KeepResults]
    }
}
