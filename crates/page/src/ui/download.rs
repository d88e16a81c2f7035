//! The files of the packs folder the workers unpack (a pack, a questions file), each downloaded
//! once for all of them, however many workers ask and whatever the host's caching says: the first
//! ask starts the download, and every ask waits for the same bytes. A file comes in parts (a pack:
//! `distill_data::pack::part_ranges`; any other file is one part): each is checked against its
//! SHA-256 in the catalog as soon as its last byte is in, with the browser's own SHA-256
//! (WebCrypto: no hashing code in the page's wasm), and handed over then, so the workers train on
//! the first while the rest stream in. A page without WebCrypto (served over plain HTTP, not from
//! this machine) hands the parts over unchecked, and the worker checks them. Progress is reported toward the
//! first part, which is what the page waits for. Never more is read than the catalog says the file
//! has. A download that sends nothing for [`STALL_MS`] (a host that sent its headers and then
//! hung) is abandoned and tried once more; one that failed is forgotten, so the next ask tries again.

use distill_browser::{describe, stream_chunk};
use distill_data::catalog::{download_url, MAX_PACK_BYTES};
use distill_playground::protocol::{part_mismatch, part_name, Downloaded, NeededFile, WorkerError};
use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestInit, Response};

/// How long a download may send nothing before it counts as stalled.
const STALL_MS: i32 = 20_000;
/// Files kept after they arrived (a pack is ~5 MB): the last few, for workers started again.
const KEPT: usize = 4;

/// A download under way or done: the parts checked so far, why it stopped if it failed, and
/// who waits for a part.
#[derive(Default)]
struct Shared {
    parts: RefCell<Vec<Downloaded>>,
    failed: RefCell<Option<WorkerError>>,
    waiting: RefCell<Vec<Function>>,
}

impl Shared {
    /// Part `index`, once it is in (or the download failed).
    async fn part(&self, index: usize) -> Downloaded {
        loop {
            if let Some(part) = self.parts.borrow().get(index) {
                return part.clone();
            }
            if let Some(error) = self.failed.borrow().clone() {
                return Downloaded::Failed(error);
            }
            let promise = Promise::new(&mut |resolve, _| self.waiting.borrow_mut().push(resolve));
            let _ = JsFuture::from(promise).await;
        }
    }

    fn wake(&self) {
        for resolve in self.waiting.take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

thread_local! {
    /// By URL, the newest last.
    static FILES: RefCell<Vec<(String, Rc<Shared>)>> = const { RefCell::new(Vec::new()) };
}

/// Part `index` of `file` (0 for a file in one part), checked, or why there is none;
/// `progress(loaded, first)` hears the first part's bytes arrive if this ask starts the download.
pub async fn part(file: &NeededFile, index: usize, progress: impl Fn(u64, u64) + 'static) -> Downloaded {
    let url = download_url(&file.name, &file.sha256);
    let known = FILES.with_borrow(|files| files.iter().find(|(u, _)| *u == url).map(|(_, s)| s.clone()));
    let shared = known.unwrap_or_else(|| {
        let shared = Rc::new(Shared::default());
        FILES.with_borrow_mut(|files| {
            files.push((url.clone(), shared.clone()));
            let excess = files.len().saturating_sub(KEPT);
            files.drain(..excess);
        });
        let (started, file) = (shared.clone(), file.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = fetch(&url, &file, &started, &progress).await {
                FILES.with_borrow_mut(|files| files.retain(|(u, _)| *u != url));
                *started.failed.borrow_mut() = Some(error);
            }
            started.wake();
        });
        shared
    });
    shared.part(index).await
}

/// Why one try did not bring the file.
enum Failure {
    Stalled,
    Failed(WorkerError),
}

/// `packs/<file>` from `url` (its SHA-256 in the URL, so that no cache hands over another
/// version), each part checked and handed to `shared` as it completes.
async fn fetch(url: &str, file: &NeededFile, shared: &Shared, progress: &impl Fn(u64, u64)) -> Result<(), WorkerError> {
    for _ in 0..2 {
        match attempt(url, file, shared, progress).await {
            Ok(()) => return Ok(()),
            Err(Failure::Failed(error)) => return Err(error),
            Err(Failure::Stalled) => {} // once more, from the start (the parts in stay)
        }
    }
    let (name, seconds) = (&file.name, STALL_MS / 1000);
    Err(WorkerError::Pack(format!("downloading packs/{name} stalled: nothing arrived for {seconds} s, twice")))
}

/// One try at `url`; what goes wrong is said of `packs/<file>` (and its part), as the visitor
/// knows it.
async fn attempt(url: &str, file: &NeededFile, shared: &Shared, progress: &impl Fn(u64, u64)) -> Result<(), Failure> {
    let (name, total) = (format!("packs/{}", file.name), file.bytes);
    let failed = |e| Failure::Failed(WorkerError::Pack(format!("downloading {name} failed: {}", describe(e))));
    let window = web_sys::window().ok_or_else(|| failed(JsValue::from_str("no window")))?;
    let abort = AbortController::new().map_err(failed)?;
    let init = RequestInit::new();
    init.set_signal(Some(&abort.signal()));
    let started = window.fetch_with_str_and_init(url, &init);
    let Some(response) = before_stall(&window, started).await.map_err(failed)? else {
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
    let parts = file.parts();
    let first = parts[0].bytes;
    let mut bytes = Vec::with_capacity(total.min(MAX_PACK_BYTES) as usize);
    // The part the bytes reach next, and where it starts.
    let (mut next, mut start) = (0, 0);
    progress(0, first);
    loop {
        let Some(chunk) = before_stall(&window, reader.read()).await.map_err(failed)? else {
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
        if next == 0 {
            progress((bytes.len() as u64).min(first), first);
        }
        while next < parts.len() && bytes.len() >= start + parts[next].bytes as usize {
            let end = start + parts[next].bytes as usize;
            if next >= shared.parts.borrow().len() {
                let part = checked(&window, file, next, &bytes[start..end]).await.map_err(Failure::Failed)?;
                shared.parts.borrow_mut().push(part);
                shared.wake();
            }
            (next, start) = (next + 1, end);
        }
    }
    if next < parts.len() {
        let ended = format!(
            "downloading {} failed: it ended after {} of its {total} bytes",
            part_name(file, next),
            bytes.len()
        );
        return Err(Failure::Failed(WorkerError::Pack(ended)));
    }
    Ok(())
}

/// Part `index` of `file`, checked against the catalog's SHA-256 with WebCrypto's, or unchecked
/// where the page has none (the worker checks it then).
async fn checked(
    window: &web_sys::Window,
    file: &NeededFile,
    index: usize,
    bytes: &[u8],
) -> Result<Downloaded, WorkerError> {
    let subtle = Reflect::get(window, &"crypto".into()).and_then(|crypto| Reflect::get(&crypto, &"subtle".into()));
    let Some(subtle) = subtle.ok().filter(|s| !s.is_undefined() && !s.is_null()) else {
        return Ok(Downloaded::Unchecked(bytes.to_vec()));
    };
    let failed = |e| WorkerError::Pack(format!("checking {}: {}", part_name(file, index), describe(e)));
    let digest: Function = Reflect::get(&subtle, &"digest".into()).map_err(failed)?.unchecked_into();
    let hashing = digest.call2(&subtle, &"SHA-256".into(), &Uint8Array::from(bytes)).map_err(failed)?;
    let digest = Uint8Array::new(&JsFuture::from(Promise::from(hashing)).await.map_err(failed)?).to_vec();
    let actual: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    match file.parts().get(index) {
        Some(part) if part.sha256 == actual => Ok(Downloaded::Checked(bytes.to_vec())),
        _ => Err(part_mismatch(file, index, actual)),
    }
}

/// What `promise` gives, or `None` if it gives nothing within [`STALL_MS`] (a fetch or a read
/// never gives `undefined`, which the timer does).
async fn before_stall(window: &web_sys::Window, promise: Promise) -> Result<Option<JsValue>, JsValue> {
    let mut timer_id = None;
    let timer = Promise::new(&mut |resolve, _| {
        timer_id = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, STALL_MS).ok();
    });
    let first = JsFuture::from(Promise::race(&Array::of2(&promise, &timer))).await;
    if let Some(id) = timer_id {
        window.clear_timeout_with_handle(id);
    }
    first.map(|value| (!value.is_undefined()).then_some(value))
}
