//! The book's shell blocks, checked (README.md and docs/src/): every `distill` command in them is
//! one the command line accepts, with a `--query` the page reads without a notice, and every
//! script they run exists. (The Python blocks run in the browser tests; the training commands
//! take minutes to hours, so these are parsed, not run.)

use super::Cli;
use clap::Parser;
use distill_playground::url::Link;
use std::path::{Path, PathBuf};

/// Every line of every ```sh block in the README and the book, with the file it is in.
fn shell_lines(root: &Path) -> Vec<(PathBuf, String)> {
    let mut files = vec![root.join("README.md")];
    let mut folders = vec![root.join("docs/src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    let mut lines = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with("```") {
                inside = !inside && line == "```sh";
            } else if inside {
                lines.push((file.clone(), line.to_string()));
            }
        }
    }
    lines
}

/// A shell line's words, as a POSIX shell splits them (single and double quotes, no expansion),
/// up to a comment.
fn words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quote, mut started) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (None, '\'' | '"') => (quote, started) = (Some(c), true),
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '#') if !started => break,
            (None, c) if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

/// What is wrong with one command of the book, if anything.
fn check(root: &Path, words: &[String]) -> Option<String> {
    let words: Vec<&str> = words.iter().map(String::as_str).skip_while(|w| w.contains('=')).collect();
    let distill: Vec<&str> = match words.as_slice() {
        ["distill", rest @ ..] => rest.to_vec(),
        ["cargo", "run", rest @ ..] if rest.contains(&"distill-cli") => {
            rest.iter().skip_while(|w| **w != "--").skip(1).copied().collect()
        }
        ["bash" | "node" | "python3", script, ..] => {
            return (!root.join(script).is_file()).then(|| format!("{script} does not exist"));
        }
        ["sbatch", .., "--wrap", inner] => {
            return check(root, &self::words(&inner.replace("$SLURM_ARRAY_TASK_ID", "0")));
        }
        _ => return None, // another program (head, tail…): not ours to check
    };
    let args = std::iter::once("distill").chain(distill.iter().copied());
    if let Err(error) = Cli::try_parse_from(args) {
        return Some(error.to_string());
    }
    let query = distill.iter().skip_while(|w| **w != "--query").nth(1)?;
    let (_, notices) = Link::from_query(query);
    (!notices.is_empty()).then(|| format!("the page reads --query '{query}' with notices: {notices:?}"))
}

#[test]
fn every_command_in_the_book_is_one_the_cli_accepts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let lines = shell_lines(&root);
    let commands = lines.iter().filter(|(_, line)| line.contains("distill")).count();
    assert!(commands >= 15, "only {commands} distill commands found in the book's shell blocks");
    let wrong: Vec<String> = lines
        .iter()
        .filter_map(|(file, line)| check(&root, &words(line)).map(|why| format!("{}: {line}\n  {why}", file.display())))
        .collect();
    assert!(wrong.is_empty(), "commands in the book the CLI refuses:\n{}", wrong.join("\n"));
}

#[test]
fn a_wrong_command_is_caught() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let line = |l: &str| check(&root, &words(l));
    assert_eq!(line("distill run --query 'lesson=need-the-data' --jobs 2 # a comment"), None);
    assert!(line("cargo run -p distill-cli -- distill --mode top11").is_some());
    assert!(line("distill run --query 'budget=1000&colour=red'").unwrap().contains("notices"));
    assert!(line("bash scripts/no-such-script.sh").is_some());
    assert!(line("sbatch --wrap 'distill run --point $SLURM_ARRAY_TASK_ID --no-such-flag'").is_some());
    assert_eq!(words(r#"a 'b c' "d#e" f#g # h"#), ["a", "b c", "d#e", "f#g"]);
}
