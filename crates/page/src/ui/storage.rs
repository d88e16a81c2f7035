//! The results table kept in the browser's `localStorage` between visits, so a reload or a crash
//! loses no row: the JSON export's rows ([`KeptResults`]), written by the browser's own
//! `JSON.stringify` after every change and read back when the page opens. What cannot be read
//! is set aside under another key, not deleted; a browser that keeps nothing (a private window,
//! storage turned off, no room left) leaves the page as it was without, with a notice.

use distill_browser::describe;
use distill_playground::results::{KeepError, KeptResults, ResultRow};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use web_sys::Storage;

const KEY: &str = "distill-playground.results";
/// Where rows that could not be read go.
const SET_ASIDE: &str = "distill-playground.results.unreadable";

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
    let kept = js_sys::JSON::parse(&text)
        .map_err(describe)
        .and_then(|value| KeptResults::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| e.to_string()))
        .map_err(KeepError::Unreadable)
        .and_then(KeptResults::rows);
    if kept.is_err() {
        let _ = storage.set_item(SET_ASIDE, &text);
        let _ = storage.remove_item(KEY);
    }
    kept
}

/// Keeps `rows` (the last [`distill_playground::results::KEPT_ROWS`]) for the next visit.
pub fn keep(rows: &[ResultRow]) -> Result<(), KeepError> {
    let storage = storage()?;
    if rows.is_empty() {
        return storage.remove_item(KEY).map_err(|e| KeepError::Refused(describe(e)));
    }
    let value = KeptResults::of(rows)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| KeepError::Refused(e.to_string()))?;
    let text = js_sys::JSON::stringify(&value).map_err(describe).map_err(KeepError::Refused)?;
    let text = text.as_string().unwrap_or_default();
    storage.set_item(KEY, &text).map_err(|e: JsValue| KeepError::Refused(describe(e)))
}
