//! The book's reference of the link's settings, generated from [`SCHEMA`] (`distill reference
//! url` prints it; a test holds `docs/src/reference/url-parameters.md` to it), so the book cannot
//! drift from what the page reads.

use crate::i18n::Lang;
use crate::lessons::LESSONS;
use crate::settings::{Kind, Setting, Task, SCHEMA};
use crate::url::{DATASET_CONTROL, PANELS};

/// The link's parameters that are not settings: how the page opens, not what it trains.
fn page_parameters() -> Vec<(&'static str, String, &'static str)> {
    let lessons: Vec<String> = LESSONS.iter().map(|l| format!("`{}`", l.id)).collect();
    let panels: Vec<String> = PANELS.iter().map(|p| format!("`{p}`")).collect();
    vec![
        ("lesson", lessons.join(", "), "Start from that lesson's preset; parameters after it override it."),
        ("sweep", "`key:v1,v2,…` (a sweepable setting)".into(), "The Sweep panel's plan: one run per value."),
        ("by", "`key:v1,v2,…`".into(), "One curve per value of a second setting (at most 40 runs in all)."),
        ("shift", "0 to 10".into(), "The missing class's bias shift (lesson 4's slider)."),
        ("lang", "`en`, `es`".into(), "The page's language (else the browser's)."),
        ("autostart", "`1`".into(), "Start training as soon as the students are built."),
        ("embed", "`1`".into(), "A compact layout for an iframe: no header, footer or share box."),
        (
            "hide",
            format!("parameter names, `{DATASET_CONTROL}`, or panels: {}", panels.join(", ")),
            "Controls or panels not to show (a comma list).",
        ),
        ("lock", format!("parameter names, `{DATASET_CONTROL}`"), "Controls shown but not changeable (a comma list)."),
    ]
}

/// The tasks whose links take `setting`.
fn tasks(setting: &Setting) -> String {
    let all = [Task::Images, Task::Words, Task::Reasoning];
    let using: Vec<String> =
        all.iter().filter(|t| t.spec().settings.contains(&setting.key)).map(|t| t.to_string()).collect();
    if using.len() == all.len() {
        "all".to_string()
    } else {
        using.join(", ")
    }
}

/// What a link may give: the choices, or the range and step of a number.
fn values(setting: &Setting) -> String {
    match &setting.kind {
        Kind::Choice { values, .. } => values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
        Kind::Number { min, max, step, .. } => {
            let step = step.map(|s| format!(", step {s}")).unwrap_or_default();
            let max =
                if setting.key == "budget" { format!("{max} (held to the pack's rows)") } else { max.to_string() };
            format!("{min} to {max}{step}")
        }
        Kind::Student => "`mlp:W1-W2…` or `cnn:C1-C2-D`, within the cost bound".to_string(),
        Kind::Teacher => "a teacher of the catalog (`packs/catalog.json`)".to_string(),
    }
}

/// A table cell: no line breaks, no column bars.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The reference page, in markdown: one row per setting, in [`SCHEMA`]'s order.
pub fn url_parameters() -> String {
    let mut page = String::from(
        "<!-- Written by `distill reference url`: edit crates/playground/src/settings/schema.rs, not this file. -->\n\
         # URL parameters\n\n\
         Every setting is a parameter of the page's link, in the order of the controls. A value out of range \
         or between two steps is moved to the nearest the control can show, with a notice; one that cannot be \
         read is ignored, with a notice. A task's link holds only the settings that task uses.\n\n",
    );
    settings_list(&mut page);
    page.push_str("\n## How the page opens\n\n| parameter | values | what it does |\n|---|---|---|\n");
    for (key, values, what) in page_parameters() {
        page.push_str(&format!("| `{key}` | {} | {what} |\n", cell(&values)));
    }
    page
}

/// The settings, one entry each: the key, the control's label, what a link may give, the default,
/// the tasks that use it, and the control's help.
fn settings_list(page: &mut String) {
    for setting in &SCHEMA {
        let sweep = if setting.sweepable { "; a sweep may vary it" } else { "" };
        page.push_str(&format!(
            "- **`{}`** ({}): {}. Default `{}`; {}{sweep}.  \n  {}\n",
            setting.key,
            setting.label.text(Lang::En),
            values(setting),
            setting.default,
            match tasks(setting).as_str() {
                "all" => "every task".to_string(),
                some if some.contains(", ") => format!("the {} tasks", some.replace(", ", " and ")),
                one => format!("the {one} task"),
            },
            setting.help.text(Lang::En).replace('\n', " "),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::url::{Link, Notice};

    #[test]
    fn every_page_parameter_of_the_reference_is_one_a_link_reads() {
        for (key, _, _) in super::page_parameters() {
            let (_, notices) = Link::from_query(&format!("{key}=1"));
            assert!(!notices.iter().any(|n| matches!(n, Notice::UnknownParameter(_))), "{key}: {notices:?}");
        }
    }

    #[test]
    fn the_books_url_reference_is_what_the_settings_table_says() {
        let committed = include_str!("../../../docs/src/reference/url-parameters.md");
        let generated = super::url_parameters();
        assert!(
            committed == generated,
            "docs/src/reference/url-parameters.md differs from the settings table: run \
             `cargo run -p distill-cli -- reference url > docs/src/reference/url-parameters.md`"
        );
    }
}
