//! The page's training session on the real MNIST pack (written by `distill pack`, which the
//! test script runs first), on burn's CPU backend.

use burn::prelude::*;
use distill_app::pack_data::PackData;
use distill_app::session::Session;
use distill_app::settings::Settings;
use distill_data::catalog::Catalog;
use std::path::Path;

fn mnist_pack() -> PackData {
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/packs");
    let catalog =
        std::fs::read_to_string(packs.join("catalog.json")).expect("run `cargo run -p distill-cli -- pack` first");
    let entry = Catalog::parse(&catalog).unwrap().get("mnist-mlp").unwrap().clone();
    let bytes = std::fs::read(packs.join(&entry.file)).unwrap();
    PackData::from_bytes(&entry, &bytes).unwrap()
}

#[test]
fn both_students_learn_and_report_on_a_fixed_schedule() {
    let data = mnist_pack();
    let settings = Settings { budget: 500, epochs: 4.0, ..Settings::default() };
    let mut session = Session::new(&settings, &data, &Device::flex()).unwrap();
    assert_eq!(session.transfer_examples, 500);
    let mut reports = Vec::new();
    while !session.is_done() {
        reports.extend(pollster::block_on(session.step(&data.test)).unwrap());
    }
    assert_eq!(session.total_steps(), 32, "4 passes over 500 examples in batches of 64");
    assert_eq!(reports.len(), 32, "one report per step when a run is shorter than 50 steps");
    let last = reports.last().unwrap();
    assert_eq!(last.examples_seen, 32 * 64);
    for student in [&last.distilled, &last.baseline] {
        assert!(student.test_accuracy > 0.75, "{}", student.test_accuracy);
        assert!(student.agreement > 0.75, "{}", student.agreement);
        assert_eq!(student.confusion.iter().flatten().sum::<u32>(), 1000);
    }
    assert!(
        last.baseline.soft_loss == 0.0 && last.distilled.soft_loss > 0.0,
        "only the distilled student has a soft loss"
    );
    assert!(reports[0].distilled.test_accuracy < last.distilled.test_accuracy);
}

#[test]
fn a_damaged_pack_is_refused_with_its_name() {
    let data = mnist_pack();
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/packs");
    let mut bytes = std::fs::read(packs.join(&data.entry.file)).unwrap();
    bytes[1000] ^= 1;
    let err = PackData::from_bytes(&data.entry, &bytes).err().unwrap();
    assert!(err.contains("packs/mnist-mlp.safetensors") && err.contains("SHA-256"), "{err}");
}

#[test]
fn a_sweep_trains_one_student_per_point_with_the_point_settings() {
    use distill_app::sweep::{Axis, PointRun, Sweep};
    let data = mnist_pack();
    let base = Settings { budget: 400, epochs: 2.0, ..Settings::default() };
    let sweep =
        Sweep { vary: Axis::parse("budget:100,400").unwrap(), by: Some(Axis::parse("mode:soft,labels").unwrap()) };
    let mut accuracies = Vec::new();
    for point in sweep.points(&base).unwrap() {
        let mut run = PointRun::new(point, &data, &Device::flex()).unwrap();
        assert_eq!(run.trainer.transfer_examples(), run.point.settings.budget);
        assert_eq!(run.trainer.total_steps(), 13, "every point trains on 800 examples: {}", run.point.x_label);
        while !run.trainer.is_done() {
            pollster::block_on(run.trainer.step()).unwrap();
        }
        let eval = pollster::block_on(run.trainer.evaluate(&data.test)).unwrap();
        accuracies.push((run.point.series.clone(), run.point.x, eval.accuracy()));
    }
    let labels: Vec<&str> = accuracies.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(labels, ["mode=soft", "mode=soft", "mode=labels", "mode=labels"]);
    assert!(accuracies.iter().all(|a| a.2 > 0.5), "{accuracies:?}");
    assert!(accuracies[1].2 > accuracies[0].2 - 0.05, "more data does not hurt much: {accuracies:?}");
}
