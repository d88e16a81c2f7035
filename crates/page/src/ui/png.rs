//! "Download the charts (PNG)": every chart on the page drawn onto one canvas. Each SVG is
//! serialised with the colours the page's stylesheet gave its lines copied onto them as
//! presentation attributes (an SVG drawn as an image sees no CSS, and the page's
//! Content-Security-Policy allows no `style` attribute), so the colours live in `web/style.css` alone.

use super::files::Download;
use super::state::replace_file;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlImageElement, XmlSerializer};

/// The properties of a line or dot that the stylesheet sets.
const PAINT: [&str; 4] = ["stroke", "fill", "stroke-width", "stroke-dasharray"];

const CELL_W: f64 = 640.0;
const CELL_H: f64 = 360.0;
const COLUMNS: usize = 2;

/// A step of the drawing that failed: what it was, or what was missing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Refused(&'static str);

/// Draws the charts and offers the PNG through `slot` (a link: the drawing ends outside the click).
pub async fn render_charts(slot: RwSignal<Option<Download>, LocalStorage>) {
    if let Err(e) = draw_all(slot).await {
        web_sys::console::error_1(&format!("cannot make the PNG: {e}").into());
    }
}

/// A copy of `svg` whose lines and dots carry the colours the page's CSS gave them.
fn painted(svg: &Element) -> Result<Element, Refused> {
    let window = web_sys::window().ok_or(Refused("no window"))?;
    let copy: Element = svg.clone_node_with_deep(true).map_err(|_| Refused("cannot copy a chart"))?.unchecked_into();
    let shown = svg.query_selector_all("polyline, circle").map_err(|_| Refused("no lines"))?;
    let copied = copy.query_selector_all("polyline, circle").map_err(|_| Refused("no lines"))?;
    for i in 0..shown.length() {
        let (Some(from), Some(to)) = (shown.item(i), copied.item(i)) else { continue };
        let (from, to): (Element, Element) = (from.unchecked_into(), to.unchecked_into());
        let Ok(Some(style)) = window.get_computed_style(&from) else { continue };
        for name in PAINT {
            if let Ok(value) = style.get_property_value(name) {
                let _ = to.set_attribute(name, &value);
            }
        }
    }
    Ok(copy)
}

async fn draw_all(slot: RwSignal<Option<Download>, LocalStorage>) -> Result<(), Refused> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or(Refused("no document"))?;
    let figures =
        document.query_selector_all("figure.chart").map_err(|_| Refused("the browser refused a drawing step"))?;
    let count = figures.length() as usize;
    if count == 0 {
        return Err(Refused("no charts on the page"));
    }
    let canvas: HtmlCanvasElement =
        document.create_element("canvas").map_err(|_| Refused("the browser refused a drawing step"))?.unchecked_into();
    let rows = count.div_ceil(COLUMNS);
    canvas.set_width((CELL_W * COLUMNS as f64) as u32);
    canvas.set_height((CELL_H * rows as f64) as u32);
    let context: CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().ok_or(Refused("no 2d context"))?.unchecked_into();
    context.set_fill_style_str("white");
    context.fill_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    let serializer = XmlSerializer::new().map_err(|_| Refused("the browser refused a drawing step"))?;
    for i in 0..count {
        let figure: Element = figures.item(i as u32).ok_or(Refused("a chart vanished"))?.unchecked_into();
        let (x, y) = ((i % COLUMNS) as f64 * CELL_W, (i / COLUMNS) as f64 * CELL_H);
        let title =
            figure.query_selector("figcaption").ok().flatten().and_then(|c| c.text_content()).unwrap_or_default();
        let keys =
            figure.query_selector_all(".legend li").map_err(|_| Refused("the browser refused a drawing step"))?;
        let legend: Vec<String> = (0..keys.length()).filter_map(|k| keys.item(k)?.text_content()).collect();
        let legend = legend.join(" · ");
        let Some(svg) = figure.query_selector("svg").ok().flatten() else { continue };
        let markup =
            serializer.serialize_to_string(&painted(&svg)?.into()).map_err(|_| Refused("cannot serialise a chart"))?;
        let markup = markup.replacen('>', &format!(" width=\"{}\" height=\"{}\">", CELL_W - 40.0, CELL_H - 90.0), 1);
        let image = HtmlImageElement::new().map_err(|_| Refused("the browser refused a drawing step"))?;
        image.set_src(&format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(&markup)));
        JsFuture::from(image.decode()).await.map_err(|_| Refused("the browser refused a drawing step"))?;
        context.set_fill_style_str("#1d2433");
        context.set_font("bold 18px sans-serif");
        let _ = context.fill_text(&title, x + 20.0, y + 28.0);
        let _ = context.draw_image_with_html_image_element(&image, x + 20.0, y + 40.0);
        context.set_font("14px sans-serif");
        let _ = context.fill_text(&legend, x + 20.0, y + CELL_H - 30.0);
    }
    let done = wasm_bindgen::closure::Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
        if let Ok(blob) = blob.dyn_into::<web_sys::Blob>() {
            replace_file(slot, Download::from_blob("distill-playground-charts.png".into(), &blob));
        }
    });
    canvas.to_blob(done.unchecked_ref()).map_err(|_| Refused("the browser refused a drawing step"))
}
