//! `run`: the experiment of a playground link, natively. The link's query goes through the page's
//! own settings table (`distill_playground::url`), and the students train in the page's own worker
//! loop (`distill_worker::runner`) on the page's pack, so the rows are the page's rows: the same
//! settings, seeds and transfer set, the same CSV and JSON. On burn's CPU backend a lesson's figures
//! come out within a few tenths of a point of the browser's (one wasm thread against several native
//! ones sum in another order).
//!
//! A sweep's points can train side by side (`--jobs N`, one worker loop each), or go to a cluster:
//! `--print-jobs` writes one `distill run … --point I` command per point, for a job array.

use burn::tensor::Device;
use distill_data::catalog::{Catalog, QuestionsEntry};
use distill_playground::i18n::Lang;
use distill_playground::page::{green_test_text, mark_test_text, suspect_text};
use distill_playground::protocol::{Command, Event, Report, Scored};
use distill_playground::results::{to_csv, to_json, ResultRow};
use distill_playground::settings::{Settings, Task};
use distill_playground::sweep::SweepPoint;
use distill_playground::url::Link;
use distill_worker::pack_data::PackData;
use distill_worker::reasoning::ReasoningData;
use distill_worker::runner::{Clock, Runner};
use distill_worker::task::TaskData;
use distill_worker::words::WordsData;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
pub struct RunArgs {
    /// The page's link after the `?`, e.g. `lesson=need-the-data` or `mode=top1&budget=1000&sweep=t:1,2,4`.
    #[arg(long, default_value = "")]
    query: String,
    /// A sweep, as the page writes it (`t:1,2,4,8`): the same as `sweep=` in the query.
    #[arg(long)]
    sweep: Option<String>,
    /// The sweep's series (`student:mlp:30,mlp:100`): the same as `by=` in the query.
    #[arg(long)]
    by: Option<String>,
    /// A teacher of your own in place of the pack's: a safetensors file with `train_logits` and
    /// `test_logits` [N,10] for the pack's dataset (the book's Asset formats), as the page's "Load teacher logits".
    #[arg(long)]
    teacher_logits: Option<PathBuf>,
    /// Only this point of the link's sweep (0-based), as one task of a job array.
    #[arg(long)]
    point: Option<usize>,
    /// Sweep points trained at once, each in its own worker loop.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Print one `distill run` command per sweep point instead of running them.
    #[arg(long)]
    print_jobs: bool,
    /// Write the result rows as the page's CSV export.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Write the result rows as the page's JSON export.
    #[arg(long)]
    json: Option<PathBuf>,
    /// `flex` (the CPU), or `wgpu` / `cuda` in a CLI built with that feature.
    #[arg(long, default_value = "flex")]
    device: String,
    /// After a single run, write the distilled student's weights here (the page's "Export weights").
    #[arg(long)]
    save_weights: Option<PathBuf>,
    /// After a single run, test a student's weights file for the run's watermark, as the page's
    /// "Test a suspect" does (repeat it for several files).
    #[arg(long)]
    suspect: Vec<PathBuf>,
}

struct WallClock(Instant);

impl Clock for WallClock {
    fn now(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }
}

pub fn run(web: &Path, args: RunArgs) -> anyhow::Result<()> {
    // `--sweep` and `--by` are the query's `sweep=` and `by=`.
    let flags = [("sweep", &args.sweep), ("by", &args.by)];
    let flags = flags.into_iter().filter_map(|(key, value)| value.as_ref().map(|v| format!("{key}={v}")));
    let query: Vec<String> = std::iter::once(args.query.trim_start_matches('?').to_string())
        .chain(flags)
        .filter(|q| !q.is_empty())
        .collect();
    let query = query.join("&");
    let query = query.as_str();
    let (mut link, mut notices) = Link::from_query(query);
    let packs = web.join("packs");
    let catalog = std::fs::read_to_string(packs.join("catalog.json"))
        .map_err(|e| anyhow::anyhow!("{}/catalog.json: {e} (run `distill pack` first)", packs.display()))?;
    let catalog = Catalog::parse(&catalog).map_err(|e| anyhow::anyhow!("{}/catalog.json: {e}", packs.display()))?;
    notices.extend(link.fit_to_catalog(&catalog));
    for notice in &notices {
        eprintln!("note: {}", notice.text(Lang::En));
    }
    match link.settings.task() {
        Task::Images => {
            let entry = catalog
                .get(&link.settings.teacher)
                .ok_or_else(|| anyhow::anyhow!("packs/catalog.json has no teacher `{}`", link.settings.teacher))?;
            let bytes = std::fs::read(packs.join(&entry.file)).map_err(|e| anyhow::anyhow!("{}: {e}", entry.file))?;
            let mut data = PackData::from_bytes(entry, &bytes)?;
            if let Some(path) = &args.teacher_logits {
                let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                let teacher = data.import_teacher(&path.display().to_string(), &bytes)?;
                println!(
                    "teacher: {} ({:.1}% on the pack's {} test images)",
                    teacher.file,
                    100.0 * teacher.test_accuracy,
                    entry.test_rows
                );
            }
            experiment(
                Experiment { link: &link, query, packs: &packs, train_rows: entry.train_rows, args: &args },
                data,
            )
        }
        Task::Words => {
            anyhow::ensure!(
                args.teacher_logits.is_none(),
                "--teacher-logits: the words task takes no teacher of yours"
            );
            let entry = catalog.words_pack(&link.settings.teacher).ok_or_else(|| {
                anyhow::anyhow!("packs/catalog.json has no words teacher `{}`", link.settings.teacher)
            })?;
            let bytes = std::fs::read(packs.join(&entry.file)).map_err(|e| anyhow::anyhow!("{}: {e}", entry.file))?;
            let data = pollster::block_on(WordsData::from_bytes(entry, &bytes))?;
            experiment(
                Experiment { link: &link, query, packs: &packs, train_rows: entry.train_words, args: &args },
                data,
            )
        }
        Task::Reasoning => {
            anyhow::ensure!(
                args.teacher_logits.is_none(),
                "--teacher-logits: the reasoning task takes no teacher of yours"
            );
            let entry = catalog.reasoning_pack(&link.settings.teacher).ok_or_else(|| {
                anyhow::anyhow!("packs/catalog.json has no reasoning teacher `{}`", link.settings.teacher)
            })?;
            let bytes = std::fs::read(packs.join(&entry.file)).map_err(|e| anyhow::anyhow!("{}: {e}", entry.file))?;
            let data = pollster::block_on(ReasoningData::from_bytes(entry, &bytes))?;
            experiment(Experiment { link: &link, query, packs: &packs, train_rows: entry.problems, args: &args }, data)
        }
    }
}

/// A link's experiment on a loaded pack of its task.
struct Experiment<'a> {
    link: &'a Link,
    query: &'a str,
    packs: &'a Path,
    /// What the budget is held to: the pack's training images, or words.
    train_rows: usize,
    args: &'a RunArgs,
}

/// The link's single run or sweep, its rows printed and written.
fn experiment<D: TaskData + Sync>(experiment: Experiment, data: D) -> anyhow::Result<()> {
    let Experiment { link, query, packs, train_rows, args } = experiment;
    let device = crate::device::parse(&args.device)?;
    anyhow::ensure!(
        link.sweep.is_none() || (args.save_weights.is_none() && args.suspect.is_empty()),
        "--save-weights and --suspect go with a single run, not a sweep"
    );
    let started = Instant::now();
    let events = match &link.sweep {
        Some(sweep) => {
            let mut points: Vec<(usize, SweepPoint)> = sweep
                .points(&link.settings, train_rows)
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .into_iter()
                .enumerate()
                .collect();
            let total = points.len();
            if let Some(point) = args.point {
                anyhow::ensure!(point < total, "--point {point}: the sweep has points 0 to {}", total - 1);
                points.retain(|(index, _)| *index == point);
            }
            if args.print_jobs {
                let teacher = args
                    .teacher_logits
                    .as_ref()
                    .map(|p| format!(" --teacher-logits {}", quoted(&p.display().to_string())));
                let query = quoted(query);
                for (index, _) in &points {
                    let teacher = teacher.as_deref().unwrap_or_default();
                    println!("distill run --query {query}{teacher} --point {index} --csv point-{index}.csv");
                }
                return Ok(());
            }
            sweep_in_parallel(&data, packs, points, total, args.jobs.max(1), (&device, &args.device))?
        }
        None => {
            anyhow::ensure!(
                args.point.is_none() && !args.print_jobs,
                "--point and --print-jobs need a link with a sweep"
            );
            let mut runner = runner(&data, packs, [&link.settings])?;
            let mut events = pollster::block_on(runner.configure(&link.settings, &device, &args.device));
            events.extend(pollster::block_on(runner.handle(Command::Start)));
            while runner.is_busy() {
                events.extend(pollster::block_on(runner.slice()));
            }
            if let Some(path) = &args.save_weights {
                for event in pollster::block_on(runner.handle(Command::ExportWeights)) {
                    if let Event::Weights(bytes) = event {
                        std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                        println!("weights: {}", path.display());
                    }
                }
            }
            for path in &args.suspect {
                let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                let file = path.display().to_string();
                events.extend(pollster::block_on(runner.handle(Command::TestSuspect { file, bytes })));
            }
            events
        }
    };
    finish(events, started, args)
}

/// Prints the run's rows (and rounds) and writes the exports asked for.
fn finish(events: Vec<Event>, started: Instant, args: &RunArgs) -> anyhow::Result<()> {
    for event in &events {
        if let Event::Error(e) = event {
            anyhow::bail!("{e}");
        }
    }
    let reports = reports(&events);
    print_rounds(&reports);
    if let Some(last) = reports.last() {
        if let (Some(distilled), Some(baseline)) = (last.distilled.mark_test(), last.baseline.mark_test()) {
            println!("{}", mark_test_text(&distilled, &baseline, Lang::En));
        }
        if let (Some(distilled), Some(baseline)) = (last.distilled.green_test(), last.baseline.green_test()) {
            println!("{}", green_test_text(&distilled, &baseline, Lang::En));
        }
    }
    for event in &events {
        if let Event::SuspectTested(tested) = event {
            match tested {
                Ok(suspect) => println!("suspect: {}", suspect_text(suspect, Lang::En)),
                Err(refused) => anyhow::bail!("{}", refused.text(Lang::En)),
            }
        }
    }
    let rows: Vec<ResultRow> =
        events.into_iter().filter_map(|e| if let Event::Result(r) = e { Some(*r) } else { None }).collect();
    print_rows(&rows);
    println!("{:.1} s in all", started.elapsed().as_secs_f64());
    if let Some(path) = &args.csv {
        std::fs::write(path, to_csv(&rows)).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    if let Some(path) = &args.json {
        std::fs::write(path, to_json(&rows)).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// A worker loop holding the pack and the questions about other images that `settings` ask about,
/// read from `web/packs` as the page's worker downloads them.
fn runner<'a, D: TaskData>(
    data: &D,
    packs: &Path,
    settings: impl IntoIterator<Item = &'a Settings>,
) -> anyhow::Result<Runner<WallClock, D>> {
    let mut runner = Runner::new(WallClock(Instant::now()));
    runner.load(data.clone());
    let mut files: Vec<QuestionsEntry> = Vec::new();
    for entry in settings.into_iter().filter_map(|s| data.questions_about(s.api.ask)) {
        if !files.contains(&entry) {
            files.push(entry);
        }
    }
    for entry in files {
        let bytes = std::fs::read(packs.join(&entry.file)).map_err(|e| anyhow::anyhow!("{}: {e}", entry.file))?;
        runner.add_questions(&entry, &bytes)?;
    }
    Ok(runner)
}

/// The points in `jobs` contiguous shares, each trained by its own worker loop on its own thread;
/// the events come back in point order.
fn sweep_in_parallel<D: TaskData + Sync>(
    data: &D,
    packs: &Path,
    points: Vec<(usize, SweepPoint)>,
    total: usize,
    jobs: usize,
    (device, backend): (&Device, &str),
) -> anyhow::Result<Vec<Event>> {
    let share = points.len().div_ceil(jobs).max(1);
    let shares: Vec<Vec<(usize, SweepPoint)>> = points.chunks(share).map(<[_]>::to_vec).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                scope.spawn(move || -> anyhow::Result<Vec<Event>> {
                    let mut runner = runner(data, packs, share.iter().map(|(_, p)| &p.settings))?;
                    let mut events = runner.sweep("sweep".into(), total, share, device, backend);
                    while runner.is_busy() {
                        events.extend(pollster::block_on(runner.slice()));
                    }
                    Ok(events)
                })
            })
            .collect();
        let mut events = Vec::new();
        for handle in handles {
            events.extend(handle.join().map_err(|_| anyhow::anyhow!("a sweep thread panicked"))??);
        }
        Ok(events)
    })
}

/// A single run's reports, each of its two students' halves.
fn reports(events: &[Event]) -> Vec<Report> {
    let halves: Vec<&Scored> =
        events.iter().filter_map(|e| if let Event::Scored(s) = e { Some(&**s) } else { None }).collect();
    halves.chunks_exact(2).map(|pair| Report::pair(pair[0].clone(), pair[1].clone())).collect()
}

/// Test accuracy after each round of questions (single runs that ask in rounds), and the queries
/// each student needed to reach 85% and 90%.
fn print_rounds(reports: &[Report]) {
    let rounds: Vec<&Report> = reports.iter().filter(|r| r.round_done).collect();
    if rounds.len() < 2 {
        return;
    }
    let percent = |a: f64| format!("{:.1}%", 100.0 * a);
    println!("{:>8} {:>9} {:>10} {:>12}", "queries", "answered", "distilled", "labels only");
    for r in &rounds {
        let (distilled, baseline) = (percent(r.distilled.test_accuracy), percent(r.baseline.test_accuracy));
        println!("{:>8} {:>9} {distilled:>10} {baseline:>12}", r.queries, r.answered);
    }
    for target in [0.85, 0.9] {
        let reached = rounds.iter().find(|r| r.distilled.test_accuracy >= target).map(|r| r.queries.to_string());
        println!(
            "queries to reach {:.0}%: {}",
            100.0 * target,
            reached.unwrap_or_else(|| "not within the budget".into())
        );
    }
}

/// `text` as one shell word, whatever it holds (a job file is run by a shell: a `'` in a link's
/// lesson or a file name must not end the quoting).
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn print_rows(rows: &[ResultRow]) {
    let words = rows.iter().any(|r| r.task.bits_per_char().is_some());
    let marked = rows.iter().any(|r| r.watermark_p.is_finite());
    println!(
        "{:<22} {:<22} {:>8} {:>8} {:>9} {:>7} {:>7}{}",
        "series",
        "point",
        if words { "bits/chr" } else { "accuracy" },
        "queries",
        "answered",
        "honest",
        "seconds",
        if marked { "  mark z   mark p" } else { "" }
    );
    for r in rows {
        let score = if words { format!("{:>8.3}", r.score()) } else { format!("{:>7.1}%", r.score()) };
        let mark = if marked { format!(" {:>7.1} {:>8.1e}", r.watermark_z, r.watermark_p) } else { String::new() };
        println!(
            "{:<22} {:<22} {score} {:>8} {:>9} {:>6.1}% {:>7.1}{mark}{}",
            r.series,
            r.point,
            r.queries,
            r.examples,
            100.0 * r.honest_accuracy,
            r.seconds,
            if r.note.is_empty() { String::new() } else { format!("  ({})", r.note) }
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_quoted_word_reads_back_in_a_shell_whatever_it_holds() {
        for text in ["lesson=it's&t=2", "a b; rm -rf /", "$(x) `y` \\ \"z\" ''", ""] {
            let line = format!("printf %s {}", super::quoted(text));
            let out = std::process::Command::new("sh").arg("-c").arg(&line).output().unwrap();
            assert_eq!(String::from_utf8(out.stdout).unwrap(), text, "{line}");
        }
    }
}
