//! The results table kept in the browser's `localStorage` between visits, so a reload or a crash
//! loses no row: the CSV export of its last [`KEPT_ROWS`] rows, written after every change and
//! read back ([`from_csv`]) when the page opens. What cannot be read is set aside under another
//! key, not deleted; a browser that keeps nothing (a private window, storage turned off, no room
//! left) leaves the page as it was without, with a notice.

use distill_browser::describe;
use distill_playground::results::{from_csv, to_csv, KeepError, ResultRow, KEPT_ROWS};
use web_sys::Storage;

const KEY: &str = "distill-playground.results.csv";
/// Where a table that could not be read goes.
const SET_ASIDE: &str = "distill-playground.results.unreadable.csv";

fn storage() -> Result<Storage, KeepError> {
    let window = web_sys::window().ok_or_else(|| KeepError::Refused("no window".into()))?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(KeepError::Refused("no localStorage".into())),
        Err(error) => Err(KeepError::Refused(describe(error))),
    }
}

/// The rows an earlier visit kept (none on a first visit).
pub fn restore() -> Result<Vec<ResultRow>, KeepError> {
    let storage = storage()?;
    let Some(text) = storage.get_item(KEY).map_err(|e| KeepError::Refused(describe(e)))? else { return Ok(Vec::new()) };
    let kept = from_csv(&text);
    if kept.is_err() {
        let _ = storage.set_item(SET_ASIDE, &text);
        let _ = storage.remove_item(KEY);
    }
    kept
}

/// Keeps the last [`KEPT_ROWS`] of `rows` for the next visit.
pub fn keep(rows: &[ResultRow]) -> Result<(), KeepError> {
    let storage = storage()?;
    let refused = |e| KeepError::Refused(describe(e));
    if rows.is_empty() {
        return storage.remove_item(KEY).map_err(refused);
    }
    storage.set_item(KEY, &to_csv(&rows[rows.len().saturating_sub(KEPT_ROWS)..])).map_err(refused)
}
