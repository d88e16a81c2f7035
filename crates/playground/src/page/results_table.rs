//! The results table: the rows an earlier visit kept, then one per student the workers finish,
//! this visit's runs numbered after the kept ones; every change is kept again
//! ([`Effect::KeepResults`]).

use super::*;

/// Rows the table draws: the newest. A page left running for hours would otherwise draw thousands
/// (and redraw them for each new one); the downloads hold every row.
pub const SHOWN_ROWS: usize = 100;

impl Page {
    /// The rows the table draws: the last [`SHOWN_ROWS`].
    pub fn shown_results(&self) -> &[ResultRow] {
        &self.results[self.results.len().saturating_sub(SHOWN_ROWS)..]
    }

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
                let last = |kind: &str| rows.iter().filter_map(|r| numbered(&r.run, kind)).max().unwrap_or(0);
                self.runs_before = last("run");
                self.sweeps_started = last("sweep");
                self.results.splice(0..0, rows);
            }
            Err(error) => self.results_not_kept(error),
        }
    }

    /// The browser would not keep the table (the page goes on without).
    pub fn results_not_kept(&mut self, error: KeepError) {
        self.keep_problem = Some(error);
    }

    /// A row from the workers, its run numbered after those of earlier visits.
    pub(super) fn add_result(&mut self, mut row: ResultRow) -> Vec<Effect> {
        if let Some(number) = numbered(&row.run, "run") {
            row.run = format!("run {}", number + self.runs_before);
        }
        self.results.push(row);
        vec![Effect::KeepResults]
    }
}

/// N of a row's `run N` or `sweep N` (`kind`), as the page and the workers name them.
fn numbered(run: &str, kind: &str) -> Option<usize> {
    run.strip_prefix(kind)?.strip_prefix(' ')?.parse().ok()
}
