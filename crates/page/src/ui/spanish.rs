//! The Spanish texts (`es.json`, named by its content like the workers): fetched the first time the
//! page speaks Spanish, before the page draws in it, so it never shows half of each language.

use super::assets;
use distill_playground::i18n;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Makes the Spanish texts ready; false when they did not load (the page stays in English).
pub async fn load() -> bool {
    if !i18n::spanish_ready() {
        if let Some(texts) = fetch().await {
            let _ = i18n::install_spanish(texts); // a file of another build: refused, English stays
        }
    }
    i18n::spanish_ready()
}

/// `es.json`'s values in the file's order (the browser's parser: no JSON library here).
async fn fetch() -> Option<Vec<String>> {
    let response = JsFuture::from(web_sys::window()?.fetch_with_str(&assets::versioned("es.json"))).await.ok()?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return None;
    }
    let json = JsFuture::from(response.json().ok()?).await.ok()?;
    let texts = js_sys::Object::values(json.dyn_ref::<js_sys::Object>()?);
    texts.iter().map(|text| text.as_string()).collect()
}
