//! The browser playground. Plain, natively tested logic at the top level ([`settings`],
//! [`session`], [`chart`], ...); the wasm-only parts are the Leptos page ([`ui`]) and the training
//! worker ([`worker`]), which only move messages and pixels around that logic.

pub mod bias_shift;
pub mod chart;
pub mod dark_knowledge;
pub mod drawing;
pub mod i18n;
pub mod lessons;
pub mod pack_data;
pub mod protocol;
pub mod results;
pub mod session;
pub mod settings;
pub mod sweep;
pub mod text;
pub mod url;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
