//! End to end on the real MNIST data and the committed 1200-1200 MLP teacher, in the paper's "missing
//! digit" regime: the transfer set holds no 3 at all. The student trained on labels alone cannot
//! learn a class it never sees; the distilled student, same seed and same 10,000 examples,
//! learns what a 3 looks like from the teacher's soft outputs on other digits (Hinton et al. 2015,
//! section 3). The margin is large, so the test checks real transfer, not noise.
//! Needs `web/data/` (`cargo run -p distill-cli -- fetch-data`; scripts/test.sh does it).

use burn::tensor::Device;
use distill_core::experiment::{compare, TrainingData};
use distill_core::metrics::predictions;
use distill_core::{EvalSet, Mode, TrainConfig};
use distill_data::{assets, Split};
use std::path::PathBuf;
use std::sync::Arc;

#[test]
fn distilled_student_recognises_the_digit_it_never_saw() {
    let web = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let train = assets::load_dataset(&web, "mnist", Split::Train).unwrap();
    let test = assets::load_dataset(&web, "mnist", Split::Test).unwrap();
    let teacher = assets::load_teacher(&web, "mnist-mlp", &train, &test).unwrap();

    let config = TrainConfig {
        architecture: "mlp:300".parse().unwrap(),
        mode: Mode::Soft,
        temperature: 20.0,
        alpha: 0.9,
        learning_rate: 1e-3,
        batch_size: 64,
        epochs: 15.0,
        dropout: 0.0,
        jitter: 0,
        budget: Some(10_000),
        excluded_class: Some(3),
        seed: 1,
        queries: None,
        defence: Default::default(),
    };
    let data = TrainingData {
        images: Arc::new(train.images.clone()),
        labels: &train.labels,
        teacher_logits: &teacher.cache.train_logits,
    };
    let eval = EvalSet {
        images: Arc::new(test.images.clone()),
        labels: test.labels.clone(),
        teacher_predictions: Some(predictions(&teacher.cache.test_logits)),
    };
    let result = pollster::block_on(compare(&config, &data, &eval, &Device::flex())).unwrap();
    let threes = |e: &distill_core::metrics::Evaluation| e.confusion[3][3];
    let (b, d) = (&result.baseline, &result.distilled);
    println!(
        "labels only: {:.2}%, {} threes right; distilled: {:.2}%, {} threes right (of 1010)",
        100.0 * b.accuracy(),
        threes(b),
        100.0 * d.accuracy(),
        threes(d)
    );
    assert_eq!(result.transfer_examples, 10_000);
    assert!(b.accuracy() > 0.8, "the baseline learns the other nine digits: {}", b.accuracy());
    assert!(threes(b) <= 5, "labels alone cannot teach a class never shown: {}", threes(b));
    assert!(threes(d) >= 150, "soft targets carry knowledge of the 3s: {}", threes(d));
    assert!(d.accuracy() > b.accuracy() + 0.02, "distilled {} vs labels only {}", d.accuracy(), b.accuracy());
    assert!(d.agreement.unwrap() > b.agreement.unwrap());
}
