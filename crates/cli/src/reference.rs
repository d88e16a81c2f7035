//! `distill reference`: the book's generated reference pages, printed from what the code itself
//! reads (the settings table, the command line's definitions), so the book cannot drift from
//! them; tests hold the committed pages to this output.

use clap::{Arg, ArgAction, Command};

#[derive(clap::Subcommand)]
pub enum Reference {
    /// The page's link parameters, from the settings table (docs/src/reference/url-parameters.md).
    Url,
    /// Every command and option of `distill` (docs/src/reference/cli.md).
    Cli,
}

/// The page `reference` asks for.
pub fn page(which: &Reference, cli: &Command) -> String {
    match which {
        Reference::Url => distill_playground::reference::url_parameters(),
        Reference::Cli => commands(cli),
    }
}

/// One option as the reference lists it: `--name <VALUE>`, its help and its default.
fn option(arg: &Arg) -> Option<String> {
    if matches!(arg.get_action(), ArgAction::Help | ArgAction::HelpLong | ArgAction::Version) {
        return None;
    }
    let values: Vec<String> = arg.get_value_names().unwrap_or_default().iter().map(|v| format!(" <{v}>")).collect();
    let takes = arg.get_action().takes_values();
    let name = match arg.get_long() {
        Some(long) => format!("--{long}{}", if takes { values.concat() } else { String::new() }),
        None => values.concat().trim().to_string(),
    };
    let help = arg.get_long_help().or(arg.get_help()).map(|h| prose(&h.to_string())).unwrap_or_default();
    let defaults: Vec<String> =
        arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).filter(|v| !v.is_empty()).collect();
    let default = if defaults.is_empty() { String::new() } else { format!(" Default: `{}`.", defaults.join(",")) };
    Some(format!("- `{name}`: {help}{default}\n").replace(": \n", "\n").replace(":  ", ": "))
}

/// A doc comment as a sentence of markdown: one line, a full stop, `<` and `>` as text.
fn prose(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ").replace('<', "&lt;").replace('>', "&gt;");
    if text.is_empty() || text.ends_with(['.', ':']) {
        text
    } else {
        format!("{text}.")
    }
}

/// What a command says it does.
fn about(command: &Command) -> String {
    command.get_long_about().or(command.get_about()).map(|a| prose(&a.to_string())).unwrap_or_default()
}

/// The whole command line, in markdown: each subcommand with what it does and its options.
pub fn commands(cli: &Command) -> String {
    let mut page = String::from(
        "<!-- Written by `distill reference cli`: edit the clap definitions in crates/cli/src/, not this file. -->\n\
         # Command line\n\n",
    );
    page.push_str(&format!("`distill`: {} From a clone: `cargo run -p distill-cli -- COMMAND`.\n\n", about(cli)));
    page.push_str("Options of every command:\n\n");
    for arg in cli.get_arguments().filter(|a| a.is_global_set()) {
        page.extend(option(arg));
    }
    for command in cli.get_subcommands() {
        page.push_str(&format!("\n## `distill {}`\n\n{}\n", command.get_name(), about(command)));
        let options: Vec<String> = command.get_arguments().filter(|a| !a.is_global_set()).filter_map(option).collect();
        if !options.is_empty() {
            page.push('\n');
            page.extend(options);
        }
        for sub in command.get_subcommands() {
            page.push_str(&format!("\n- `distill {} {}`: {}\n", command.get_name(), sub.get_name(), about(sub)));
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_books_cli_reference_is_what_the_command_line_defines() {
        let committed = include_str!("../../../docs/src/reference/cli.md");
        assert!(
            committed == commands(&crate::Cli::command()),
            "docs/src/reference/cli.md differs from the command line: run \
             `cargo run -p distill-cli -- reference cli > docs/src/reference/cli.md`"
        );
    }
}
