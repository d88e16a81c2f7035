//! End to end on the real data and the committed MNIST teacher: with few labelled examples, the
//! distilled student must beat the same student trained on labels alone (same seed, same
//! examples), and it must agree with the teacher more often.
//! Needs `web/data/` (`cargo run -p distill-cli -- fetch-data`; scripts/test.sh does it).

use burn::tensor::Device;
use distill_core::experiment::{compare, TrainingData};
use distill_core::metrics::predictions;
use distill_core::{EvalSet, Mode, TrainConfig};
use distill_data::{assets, Split};
use std::path::PathBuf;
use std::sync::Arc;

fn web() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web")
}

#[test]
fn distilled_student_beats_labels_only_with_little_data() {
    let web = web();
    let train = assets::load_dataset(&web, "mnist", Split::Train).unwrap();
    let test = assets::load_dataset(&web, "mnist", Split::Test).unwrap().head(2000);
    let full_test = assets::load_dataset(&web, "mnist", Split::Test).unwrap();
    let teacher = assets::load_teacher(&web, "mnist-cnn", &train, &full_test).unwrap();

    let config = TrainConfig {
        architecture: "mlp:100".parse().unwrap(),
        mode: Mode::Soft,
        temperature: 4.0,
        alpha: 0.9,
        learning_rate: 2e-3,
        batch_size: 50,
        epochs: 10.0,
        dropout: 0.0,
        jitter: 0,
        seed: 7,
    };
    let data = TrainingData {
        images: Arc::new(train.images.clone()),
        labels: &train.labels,
        teacher_logits: &teacher.cache.train_logits,
        budget: Some(300),
        excluded_class: None,
    };
    let eval = EvalSet {
        images: Arc::new(test.images.clone()),
        labels: test.labels.clone(),
        teacher_predictions: Some(predictions(&teacher.cache.test_logits[..test.len() * 10])),
    };
    let result = pollster::block_on(compare(&config, &data, &eval, &Device::flex())).unwrap();
    let (b, d) = (result.baseline.accuracy(), result.distilled.accuracy());
    println!("labels only {:.2}%, distilled {:.2}%", 100.0 * b, 100.0 * d);
    assert_eq!(result.transfer_examples, 300);
    assert!(b > 0.6, "the baseline should learn something: {b}");
    assert!(d > b + 0.03, "distillation should win by 3 points: {d} vs {b}");
    assert!(result.distilled.agreement.unwrap() > result.baseline.agreement.unwrap());
}
