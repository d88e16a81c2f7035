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

#[test]
fn a_teacher_of_ones_own_becomes_a_pack_of_the_catalog_and_sweep_flags_are_the_links_sweep() {
    use distill_data::{assets, teacher::TeacherCache, Split};
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let dir = std::env::temp_dir().join(format!("distill-own-{}", std::process::id()));
    let web = dir.join("web");
    std::fs::create_dir_all(&web).unwrap();
    std::os::unix::fs::symlink(real.join("data").canonicalize().unwrap(), web.join("data")).unwrap();
    // A "model" that answers every image's true class: logits for the whole splits, in their order,
    // the others far below half precision's range (which a pack stores).
    let saying = |split| -> Vec<f32> {
        let labels = assets::load_dataset(&real, "mnist", split).unwrap().labels;
        labels.iter().flat_map(|&l| (0..10).map(move |c| if c == l { 4.0 } else { -1e6 })).collect()
    };
    let cache = TeacherCache {
        train_logits: saying(Split::Train),
        test_logits: saying(Split::Test),
        metadata: Default::default(),
    };
    let logits = dir.join("mine.safetensors");
    std::fs::write(&logits, cache.to_safetensors()).unwrap();
    let own =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_distill")).arg("--web").arg(&web).args(args).output().unwrap();

    let out = own(&[
        "pack",
        "--logits",
        logits.to_str().unwrap(),
        "--name",
        "mine",
        "--dataset",
        "mnist",
        "--parameters",
        "10",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("mine: wrote")
            && String::from_utf8_lossy(&out.stdout).contains("100.0% right")
    );
    let catalog =
        distill_data::catalog::Catalog::parse(&std::fs::read_to_string(web.join("packs/catalog.json")).unwrap())
            .unwrap();
    let entry = catalog.get("mine").unwrap();
    assert_eq!((entry.train_rows, entry.test_rows, entry.questions.len(), entry.test_accuracy), (5000, 1000, 0, 1.0));
    let pack =
        distill_data::pack::Pack::from_safetensors("mine", &std::fs::read(web.join("packs/mine.safetensors")).unwrap());
    assert!(pack.is_ok(), "the page reads the pack back (no infinite logits): {:?}", pack.err());
    let catalog_before = std::fs::read_to_string(web.join("packs/catalog.json")).unwrap();
    let mine =
        ["pack", "--logits", logits.to_str().unwrap(), "--name", "mine", "--dataset", "mnist", "--parameters", "1"];
    let out = own(&[&mine[..], &["--test", "0"]].concat());
    assert!(String::from_utf8_lossy(&out.stderr).contains("a training and a test row at least"), "{out:?}");
    assert_eq!(std::fs::read_to_string(web.join("packs/catalog.json")).unwrap(), catalog_before, "catalog untouched");

    let out = own(&["sweep", "--query", "teacher=mine&budget=300&epochs=1", "--sweep", "t:1,4", "--by", "mode:soft"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.lines().filter(|l| l.contains("t=1") || l.contains("t=4")).count(), 2, "{stdout}");
    let out = own(&[
        "pack",
        "--logits",
        logits.to_str().unwrap(),
        "--name",
        "../mine",
        "--dataset",
        "mnist",
        "--parameters",
        "1",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("a plain name is expected"));
    std::fs::remove_dir_all(dir).unwrap();
}
