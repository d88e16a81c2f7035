//! Files in and out of the page: downloads made from bytes, and files the visitor picks.

use distill_playground::i18n::Msg;
use distill_spec::cost::MAX_STUDENT_BYTES;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `bytes` as a download called `name`. Call it from a click: browsers refuse downloads
/// that no gesture started, so results computed later get a [`Download`] link instead.
pub fn save(name: &str, bytes: &[u8], mime: &str) {
    if let Some(blob) = blob(bytes, mime) {
        save_blob(name, &blob);
    }
}

fn blob(bytes: &[u8], mime: &str) -> Option<Blob> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// A file made in the page, ready for a `<a href download>` link.
#[derive(Debug, Clone, PartialEq)]
pub struct Download {
    pub name: String,
    pub url: String,
    pub bytes: usize,
}

impl Download {
    pub fn new(name: String, bytes: &[u8], mime: &str) -> Option<Download> {
        Download::from_blob(name, &blob(bytes, mime)?)
    }

    pub fn from_blob(name: String, blob: &Blob) -> Option<Download> {
        let url = Url::create_object_url_with_blob(blob).ok()?;
        Some(Download { name, url, bytes: blob.size() as usize })
    }

    /// Frees the previous file's memory.
    pub fn revoke(&self) {
        let _ = Url::revoke_object_url(&self.url);
    }
}

fn save_blob(name: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else { return };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(link) = document.and_then(|d| d.create_element("a").ok()) {
        let link: HtmlAnchorElement = link.unchecked_into();
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // Revoked a little later: the download reads the blob after the click returns.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
}

/// The `change` handler of an `<input type=file>`: reads the file picked (and clears the input, so
/// the same file can be picked again) and hands its name and bytes to `picked`, or why it could
/// not be read to `unreadable`.
pub fn on_pick(
    picked: impl Fn(String, Vec<u8>) + Copy + 'static,
    unreadable: impl Fn(String) + Copy + 'static,
) -> impl Fn(leptos::ev::Event) + Copy + 'static {
    move |ev| {
        let input: web_sys::HtmlInputElement = leptos::prelude::event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            match read(&file).await {
                Ok(bytes) => picked(file.name(), bytes),
                Err(error) => unreadable(error.to_string()),
            }
        });
    }
}

/// No file the page takes is larger: a student's weights are part of its training memory, which
/// [`MAX_STUDENT_BYTES`] bounds, and a teacher's logits file is smaller still.
const MAX_PICKED_BYTES: u64 = MAX_STUDENT_BYTES;

/// A picked file the page did not read, by its name.
#[derive(Debug, thiserror::Error)]
enum Unreadable {
    #[error("{0}: the browser could not read it")]
    Browser(String),
    /// Refused by its size, before a byte of it is copied into the page.
    #[error("{name}: {mib} MiB, larger than any file the page takes ({max} MiB)", max = MAX_PICKED_BYTES >> 20)]
    TooLarge { name: String, mib: u64 },
}

/// The bytes of a file chosen in an `<input type=file>`.
async fn read(file: &web_sys::File) -> Result<Vec<u8>, Unreadable> {
    let bytes = file.size() as u64;
    if bytes > MAX_PICKED_BYTES {
        return Err(Unreadable::TooLarge { name: file.name(), mib: bytes >> 20 });
    }
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|_| Unreadable::Browser(file.name()))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The link that saves a [`Download`].
pub fn link(file: &Download, test_id: &'static str) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let p = expect_context::<super::state::Playground>();
    let size = format!("{:.0}", file.bytes as f64 / 1024.0);
    let text = distill_playground::i18n::fill(p.t(Msg::SaveNameSizeKB), &[("name", file.name.clone()), ("size", size)]);
    view! { <a class="download" data-testid=test_id href=file.url.clone() download=file.name.clone()>{text}</a> }
}
