//! The playground as plain data and functions: no burn, no browser. Both the page
//! (`crates/page`, Leptos) and the training worker (`crates/worker`, burn) depend on it, and
//! neither on the other:
//!
//! - [`settings`]: every setting once ([`settings::SCHEMA`]); [`url`] and [`sweep`] read it.
//! - [`protocol`]: the messages page ⇄ worker and the reports they carry.
//! - [`workers`]: which build of the worker trains (CPU only, or WebGPU); [`crew`]: one worker
//!   per student on two cores, paired so the page sees one trainer; [`deliveries`]: the files
//!   the page downloads once and sends each worker before the commands that need them.
//! - [`page`]: the page's state and how each visitor action and worker event changes it;
//!   [`parent`]: what it tells a page that embeds it.
//! - [`results`], [`chart`], [`bias_shift`], [`dark_knowledge`], [`drawing`]: what the page
//!   shows, computed here. [`lessons`], [`i18n`], [`text`]: its words.

pub mod bias_shift;
pub mod chart;
pub mod crew;
pub mod dark_knowledge;
pub mod deliveries;
pub mod drawing;
pub mod i18n;
pub mod lessons;
pub mod page;
pub mod parent;
pub mod protocol;
#[cfg(not(target_arch = "wasm32"))]
pub mod reference;
pub mod results;
pub mod settings;
pub mod sweep;
pub mod task;
pub mod text;
pub mod url;
pub mod workers;
