//! Property tests for the same parsers as the fuzz targets, on inputs shaped like the real thing
//! (a query of known keys, a safetensors header of tensors, an IDX header), which random bytes
//! rarely reach: none panics, and what is accepted reads back the same.

use distill_fuzz_targets as targets;
use distill_spec::{Architecture, Mode};
use proptest::prelude::*;

fn query_key() -> impl Strategy<Value = String> {
    let keys = [
        "teacher",
        "student",
        "mode",
        "t",
        "alpha",
        "lr",
        "batch",
        "epochs",
        "budget",
        "exclude",
        "seed",
        "backend",
        "lesson",
        "sweep",
        "by",
        "shift",
        "lang",
        "autostart",
        "embed",
        "hide",
        "lock",
        "x",
    ];
    prop::sample::select(keys.to_vec()).prop_map(String::from)
}

fn query_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9:,.%+-]{0,12}",
        (-1e6f64..1e6).prop_map(|v| v.to_string()),
        "(mlp|cnn):[0-9]{1,4}(-[0-9]{1,4}){0,3}",
        "(t|alpha|lr|batch|seed|budget|student|mode):[0-9a-z.,:-]{0,16}",
        "(soft|labels|top[0-9]{1,2})",
    ]
}

/// A safetensors file of up to three tensors with arbitrary names, dtypes, shapes and offsets.
fn safetensors_like() -> impl Strategy<Value = Vec<u8>> {
    let tensor = (
        "[a-z_]{1,14}",
        prop::sample::select(vec!["U8", "F16", "F32", "I64"]),
        prop::collection::vec(0u64..70_000, 0..4),
        0u64..1 << 40,
        0u64..1 << 40,
    );
    (prop::collection::vec(tensor, 0..4), prop::collection::vec(any::<u8>(), 0..256)).prop_map(|(tensors, body)| {
        let entries: Vec<String> = tensors
            .iter()
            .map(|(name, dtype, shape, start, end)| {
                format!(r#""{name}":{{"dtype":"{dtype}","shape":{shape:?},"data_offsets":[{start},{end}]}}"#)
            })
            .collect();
        let header = format!("{{{}}}", entries.join(","));
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend(header.as_bytes());
        bytes.extend(body);
        bytes
    })
}

proptest! {
    #[test]
    fn links_read_back_as_written(pairs in prop::collection::vec((query_key(), query_value()), 0..8)) {
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        targets::url(query.join("&").as_bytes());
    }

    #[test]
    fn any_text_is_a_link_or_a_notice(text in "\\PC{0,64}") {
        targets::url(text.as_bytes());
        targets::architecture(text.as_bytes());
        targets::mode(text.as_bytes());
        targets::catalog(text.as_bytes());
    }

    #[test]
    fn architectures_print_and_read_back(cnn in any::<bool>(), widths in prop::collection::vec(1usize..=4096, 0..5)) {
        let text = match (cnn, widths.as_slice()) {
            (true, [a, b, c, ..]) => format!("cnn:{a}-{b}-{c}"),
            _ => format!("mlp:{}", widths.iter().take(4).map(|w| w.to_string()).collect::<Vec<_>>().join("-")),
        };
        let read: Architecture = text.parse().unwrap();
        prop_assert_eq!(read.to_string(), text);
    }

    #[test]
    fn modes_print_and_read_back(k in 2usize..=9) {
        for mode in [Mode::Soft, Mode::TopLabel, Mode::LabelsOnly, Mode::TopK(k)] {
            prop_assert_eq!(mode.to_string().parse::<Mode>().unwrap(), mode);
        }
    }

    #[test]
    fn safetensors_readers_never_panic(bytes in safetensors_like()) {
        targets::dataset(&bytes);
        targets::teacher(&bytes);
        targets::pack(&bytes);
        targets::questions(&bytes);
        targets::weights(&bytes);
    }

    #[test]
    fn idx_headers_never_panic(rank in 0u8..5, dims in prop::collection::vec(any::<u32>(), 0..4), body in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut bytes = vec![0, 0, 8, rank];
        bytes.extend(dims.iter().flat_map(|d| d.to_be_bytes()));
        bytes.extend(body);
        targets::idx(&bytes);
    }
}
