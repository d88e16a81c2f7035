//! The playground page (wasm only).
#[cfg(target_arch = "wasm32")]
fn main() {
    distill_app::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the playground runs in the browser: `trunk serve`");
}
