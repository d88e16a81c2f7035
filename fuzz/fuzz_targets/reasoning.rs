#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    distill_fuzz_targets::reasoning(data);
});
