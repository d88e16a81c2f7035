//! Fetches a pack (or a questions file) from the page's own origin, reporting progress as bytes
//! arrive, and never more bytes than the catalog says it has. A download that sends nothing for
//! [`STALL_MS`] (a host that sent its headers and then hung) is abandoned and tried once more.

use super::js::{self, describe};
use distill_browser::stream_chunk;
use distill_data::catalog::{download_url, MAX_PACK_BYTES};
use distill_playground::protocol::{Event, WorkerError};
use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestInit, Response};

/// How long a download may send nothing before it counts as stalled.
const STALL_MS: i32 = 20_000;

/// Why one try did not bring the file.
enum Failure {
    Stalled,
    Failed(WorkerError),
}

/// `packs/<file>`, which the catalog says has `total` bytes and this SHA-256 (in its URL, so
/// that no cache hands over the file of another version).
pub async fn fetch(file: &str, sha256: &str, total: u64) -> Result<Vec<u8>, WorkerError> {
    let url = download_url(file, sha256);
    for _ in 0..2 {
        match attempt(&url, file, total).await {
            Ok(bytes) => return Ok(bytes),
            Err(Failure::Failed(error)) => return Err(error),
            Err(Failure::Stalled) => {} // once more, from the start
        }
    }
    let seconds = STALL_MS / 1000;
    Err(WorkerError::Pack(format!("downloading packs/{file} stalled: nothing arrived for {seconds} s, twice")))
}

/// One try at `url`; what goes wrong is said of `packs/<file>`, as the visitor knows it.
async fn attempt(url: &str, file: &str, total: u64) -> Result<Vec<u8>, Failure> {
    let name = format!("packs/{file}");
    let failed = |e| Failure::Failed(WorkerError::Pack(format!("downloading {name} failed: {}", describe(e))));
    let abort = AbortController::new().map_err(failed)?;
    let init = RequestInit::new();
    init.set_signal(Some(&abort.signal()));
    let started = js::scope().fetch_with_str_and_init(url, &init);
    let Some(response) = before_stall(started).await.map_err(failed)? else {
        abort.abort();
        return Err(Failure::Stalled);
    };
    let response: Response = response.unchecked_into();
    if !response.ok() {
        let status = format!("downloading {name} failed: HTTP {} {}", response.status(), response.status_text());
        return Err(Failure::Failed(WorkerError::Pack(status)));
    }
    let body = response.body().ok_or_else(|| Failure::Failed(WorkerError::Pack(format!("{name}: empty response"))))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total.min(MAX_PACK_BYTES) as usize);
    js::post(&Event::Loading { loaded: 0, total });
    loop {
        let Some(chunk) = before_stall(reader.read()).await.map_err(failed)? else {
            abort.abort();
            return Err(Failure::Stalled);
        };
        let Some(value) = stream_chunk(&chunk) else { break };
        bytes.extend(value.to_vec());
        if bytes.len() as u64 > total {
            // More than the catalog promised: stop reading rather than hold whatever the host sends.
            let _ = reader.cancel();
            let larger = format!("{name} is larger than the {total} bytes the catalog gives");
            return Err(Failure::Failed(WorkerError::Pack(larger)));
        }
        js::post(&Event::Loading { loaded: bytes.len() as u64, total });
    }
    Ok(bytes)
}

/// What `promise` gives, or `None` if it gives nothing within [`STALL_MS`] (a fetch or a read
/// never gives `undefined`, which the timer does).
async fn before_stall(promise: Promise) -> Result<Option<JsValue>, JsValue> {
    let mut timer_id = None;
    let timer = Promise::new(&mut |resolve, _| {
        timer_id = js::scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, STALL_MS).ok();
    });
    let first = JsFuture::from(Promise::race(&Array::of2(&promise, &timer))).await;
    if let Some(id) = timer_id {
        js::scope().clear_timeout_with_handle(id);
    }
    first.map(|value| (!value.is_undefined()).then_some(value))
}
