//! `distill run` on the page's pack (run `distill pack` first): a link's sweep natively, the same
//! rows whether its points train one after the other or side by side, and one command per point.

use std::path::Path;
use std::process::Command;

const SWEEP: &str = "budget=300&epochs=2&t=4&alpha=0.9&sweep=t:1,4&by=mode:soft,top1";

fn distill(args: &[&str]) -> std::process::Output {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    Command::new(env!("CARGO_BIN_EXE_distill")).arg("--web").arg(web).args(args).output().unwrap()
}

/// The CSV's rows without the columns that hold timings.
fn rows(csv: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(csv).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let kept: Vec<usize> = (0..header.len()).filter(|&i| header[i] != "seconds").collect();
    text.lines()
        .map(|line| kept.iter().map(|&i| line.split(',').nth(i).unwrap_or("")).collect::<Vec<_>>().join(","))
        .collect()
}

#[test]
fn a_links_sweep_gives_the_same_rows_on_one_thread_and_two_and_splits_into_jobs() {
    let dir = std::env::temp_dir().join(format!("distill-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (one, two) = (dir.join("one.csv"), dir.join("two.csv"));
    for (jobs, csv) in [("1", &one), ("2", &two)] {
        let out = distill(&["run", "--query", SWEEP, "--jobs", jobs, "--csv", csv.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let rows = rows(&one);
    assert_eq!(rows.len(), 5, "a header and four points: {rows:?}");
    assert_eq!(rows, self::rows(&two), "side by side, each point trains exactly as alone");
    let accuracy = |row: &str| row.split(',').nth(29).unwrap().parse::<f64>().unwrap();
    assert!(rows[1..].iter().all(|row| accuracy(row) > 0.5), "every point learned: {rows:?}");

    let jobs = distill(&["run", "--query", SWEEP, "--print-jobs"]);
    let jobs = String::from_utf8(jobs.stdout).unwrap();
    assert_eq!(jobs.lines().count(), 4, "{jobs}");
    assert!(
        jobs.lines().nth(3).unwrap().ends_with(&format!("--query '{SWEEP}' --point 3 --csv point-3.csv")),
        "{jobs}"
    );
    let third = dir.join("third.csv");
    let out = distill(&["run", "--query", SWEEP, "--point", "2", "--csv", third.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(self::rows(&third)[1], rows[3], "one point of a job array is that point's row");
    let out = distill(&["run", "--query", SWEEP, "--point", "4"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--point 4: the sweep has points 0 to 3"));
    std::fs::remove_dir_all(dir).unwrap();
}
