//! A panic in the page leaves its wasm unusable (any later call may trap), so the panic hook,
//! after logging it, adds a banner built with plain DOM calls, not Leptos: what happened, and a
//! link that reloads the page. Nothing is lost that a reload cannot bring back: the address bar
//! always holds the settings (`mod.rs` writes every change there).

use distill_playground::i18n::{fill, Lang, Msg};
use wasm_bindgen::prelude::*;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let detail = info.payload_as_str().unwrap_or("a panic").to_string();
        let _ = show(&detail);
    }));
}

/// Puts the banner at the top of the page, in the page's current language.
fn show(detail: &str) -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let lang = document.document_element().and_then(|html| html.get_attribute("lang"));
    let lang = lang.and_then(|code| Lang::parse(&code)).unwrap_or_default();
    let banner = document.create_element("div").ok()?;
    banner.set_class_name("error crash");
    banner.set_attribute("role", "alert").ok()?;
    banner.set_attribute("data-testid", "crash").ok()?;
    banner.set_text_content(Some(&fill(Msg::ThePageStopped.text(lang), &[("detail", detail.to_string())])));
    let reload = document.create_element("a").ok()?;
    reload.set_attribute("href", &window.location().href().ok()?).ok()?;
    reload.set_text_content(Some(Msg::Reload.text(lang)));
    banner.append_child(&document.create_text_node(" ")).ok()?;
    banner.append_child(&reload).ok()?;
    document.body()?.prepend_with_node_1(&banner).ok()
}

/// The browser tests' way to see the banner (`tests/playground.test.mjs`); nothing in the page calls it.
#[wasm_bindgen(js_name = crashForTest)]
pub fn crash_for_test() {
    panic!("a crash asked for by a test");
}
