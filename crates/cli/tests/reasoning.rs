//! The reasoning task's commands end to end in a folder of their own: `train-teacher parity`
//! writes a teacher its manifest describes, `pack` bakes its pack, and `distill reasoning` trains
//! students of two modes on it and prints their accuracy by size.

use distill_data::manifest::ReasoningTeacherManifest;
use distill_data::reasoning_pack::ReasoningPack;
use std::process::Command;

#[test]
fn a_parity_teacher_is_trained_packed_and_learnt_from() {
    let web = std::env::temp_dir().join(format!("distill-parity-{}", std::process::id()));
    std::fs::create_dir_all(&web).unwrap();
    let distill = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_distill")).arg("--web").arg(&web).args(args).output().unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "distill {args:?}: {stdout}{stderr}");
        stdout.into_owned()
    };
    distill(&["train-teacher", "parity", "--epochs", "0.5"]);
    let dir = web.join("teachers/parity");
    let manifest: ReasoningTeacherManifest =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let weights = std::fs::read(dir.join("weights.safetensors")).unwrap();
    assert_eq!(manifest.weights_sha256, distill_data::checksum::sha256_hex(&weights));
    assert_eq!((manifest.task.as_str(), manifest.parameters, manifest.epochs), ("reasoning", 103174, 0.5));
    assert_eq!(manifest.test_accuracy.keys().collect::<Vec<_>>(), ["5", "6", "7", "8", "9"]);

    // The pack is baked; the page's catalog is not written for a folder without an image teacher.
    let packed = Command::new(env!("CARGO_BIN_EXE_distill")).arg("--web").arg(&web).arg("pack").output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&packed.stdout), String::from_utf8_lossy(&packed.stderr));
    assert!(stdout.contains("parity: wrote") && stderr.contains("it lists no packs"), "{stdout}{stderr}");
    let pack =
        ReasoningPack::from_safetensors("pack", &std::fs::read(web.join("packs/parity.safetensors")).unwrap()).unwrap();
    assert_eq!((pack.asked.len(), pack.top_k()), (2000, 6));
    assert!(pack.asked.iter().all(|a| (5..=8).contains(&a.problem.size())));

    let table = distill(&["reasoning", "--budgets", "100", "--epochs", "1", "--modes", "top1,verified"]);
    let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("top1") || l.starts_with("verified")).collect();
    assert_eq!(rows.len(), 2, "{table}");
    // Seconds, then a share for each of the sizes 5 to 9.
    assert!(rows.iter().all(|r| r.matches('%').count() == 5), "{table}");
    let too_many = Command::new(env!("CARGO_BIN_EXE_distill"))
        .arg("--web")
        .arg(&web)
        .args(["reasoning", "--budgets", "2001"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&too_many.stderr).contains("the pack holds 2000 problems"));
    std::fs::remove_dir_all(&web).unwrap();
}
