//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`: seeds, and inputs the fuzzer found
//! that reach new code) through each target, so every input ever found is a plain `cargo test` case.

use std::path::Path;

#[test]
fn every_corpus_input_passes_its_target() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    for (name, target) in distill_fuzz_targets::TARGETS {
        let dir = corpus.join(name);
        let inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e} (run `python3 fuzz/seeds.py`)", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        assert!(!inputs.is_empty(), "{}: no inputs", dir.display());
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            let accepted = std::panic::catch_unwind(|| target(&data))
                .unwrap_or_else(|_| panic!("{name}: {} fails its target", input.display()));
            // The seeds are valid inputs, or the fuzzer would start far from the parser's paths.
            let seed = input.file_name().unwrap().to_string_lossy().starts_with("seed-");
            assert!(accepted || !seed, "{name}: the seed {} is refused", input.display());
        }
    }
}
