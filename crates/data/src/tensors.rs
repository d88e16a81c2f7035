//! Every safetensors file the project reads is opened here. safetensors 0.7 adds the header's
//! last data offset to the header's length unchecked (`buffer_end + N_LEN + n`), so a crafted
//! header of huge tensors overflows it: a panic where overflow checks are on, a wrong comparison
//! where they are off. The offsets are checked first, against the bytes really in the file.
//! Every file the project writes goes out through [`serialize`], byte for byte the same for the same
//! tensors and metadata.

use safetensors::tensor::{Metadata, TensorView};
use safetensors::{SafeTensorError, SafeTensors};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Like `safetensors::serialize`, with the header's keys in sorted order: the crate writes
/// `__metadata__` in a `HashMap`'s order, which changes from run to run, and with it a pack's
/// SHA-256 in the catalog.
pub fn serialize<'a>(
    tensors: impl IntoIterator<Item = (&'a str, TensorView<'a>)>,
    metadata: &HashMap<String, String>,
) -> Result<Vec<u8>, SafeTensorError> {
    let unordered = safetensors::serialize(tensors, None)?;
    let length = u64::from_le_bytes(unordered[..8].try_into().expect("an 8-byte length")) as usize;
    let (header, data) = unordered[8..].split_at(length);
    let mut entries: BTreeMap<String, Value> = serde_json::from_slice(header).expect("the header safetensors wrote");
    if !metadata.is_empty() {
        let sorted: BTreeMap<&String, &String> = metadata.iter().collect();
        entries.insert("__metadata__".into(), serde_json::to_value(sorted).expect("strings"));
    }
    Ok(with_header(entries, data))
}

/// Like [`serialize`], with the tensors' data in the order given (safetensors' own writer orders
/// it by dtype, then name): a pack puts first what a page needs first (`crate::pack`).
pub fn serialize_in_order<'a>(
    tensors: impl IntoIterator<Item = (&'a str, TensorView<'a>)>,
    metadata: &HashMap<String, String>,
) -> Vec<u8> {
    let mut entries: BTreeMap<String, Value> = BTreeMap::new();
    let mut data = Vec::new();
    for (name, view) in tensors {
        let start = data.len();
        data.extend_from_slice(view.data());
        let entry =
            serde_json::json!({"dtype": view.dtype(), "shape": view.shape(), "data_offsets": [start, data.len()]});
        entries.insert(name.to_string(), entry);
    }
    if !metadata.is_empty() {
        let sorted: BTreeMap<&String, &String> = metadata.iter().collect();
        entries.insert("__metadata__".into(), serde_json::to_value(sorted).expect("strings"));
    }
    with_header(entries, &data)
}

/// The file: the header's length, the header (padded so the data stays 8-byte aligned), the data.
fn with_header(entries: BTreeMap<String, Value>, data: &[u8]) -> Vec<u8> {
    let mut header = serde_json::to_vec(&entries).expect("a JSON object");
    header.resize(header.len().next_multiple_of(8), b' ');
    let mut bytes = Vec::with_capacity(8 + header.len() + data.len());
    bytes.extend((header.len() as u64).to_le_bytes());
    bytes.extend(header);
    bytes.extend(data);
    bytes
}

/// Why bytes are not a safetensors file this project can read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SafetensorsError {
    #[error("too short for a safetensors header")]
    TooShort,
    #[error("the header claims {claims} bytes; the file has {has} after its length")]
    HeaderPastEnd { claims: u64, has: usize },
    #[error("the header is not a JSON object ({0})")]
    NotJson(String),
    #[error("tensor `{name}` ends at byte {end}, past the {data} bytes of data")]
    TensorPastEnd { name: String, end: u64, data: usize },
    /// What the safetensors crate itself refused.
    #[error("{0}")]
    Refused(String),
}

/// The file's tensors, once its header is known to point inside it.
pub fn open(bytes: &[u8]) -> Result<SafeTensors<'_>, SafetensorsError> {
    check_offsets(bytes)?;
    SafeTensors::deserialize(bytes).map_err(|e| SafetensorsError::Refused(e.to_string()))
}

/// The file's header alone (names, shapes, dtypes, `__metadata__`), checked the same way.
pub fn header(bytes: &[u8]) -> Result<Metadata, SafetensorsError> {
    check_offsets(bytes)?;
    SafeTensors::read_metadata(bytes)
        .map(|(_, metadata)| metadata)
        .map_err(|e| SafetensorsError::Refused(e.to_string()))
}

/// Refuses a header that is longer than the file, or a tensor that ends past the file's data.
fn check_offsets(bytes: &[u8]) -> Result<(), SafetensorsError> {
    let (length, rest) = bytes.split_first_chunk::<8>().ok_or(SafetensorsError::TooShort)?;
    let length = u64::from_le_bytes(*length);
    if length > rest.len() as u64 {
        return Err(SafetensorsError::HeaderPastEnd { claims: length, has: rest.len() });
    }
    let (header, data) = rest.split_at(length as usize);
    let entries: BTreeMap<String, Value> =
        serde_json::from_slice(header).map_err(|e| SafetensorsError::NotJson(e.to_string()))?;
    for (name, entry) in entries.iter().filter(|(name, _)| *name != "__metadata__") {
        let end = entry.get("data_offsets").and_then(|o| o.get(1)).and_then(Value::as_u64);
        if let Some(end) = end.filter(|&end| end > data.len() as u64) {
            return Err(SafetensorsError::TensorPastEnd { name: name.clone(), end, data: data.len() });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use safetensors::Dtype;

    /// Eight U8 tensors as large as safetensors' own checks allow (their bits fit a `usize`),
    /// whose offsets end 8 bytes short of `usize::MAX + 1`, over an empty body.
    fn huge_header() -> Vec<u8> {
        let mut tensors = Vec::new();
        let (mut start, size) = (0usize, usize::MAX >> 3);
        for i in 0..8 {
            tensors
                .push(format!(r#""t{i}":{{"dtype":"U8","shape":[{size}],"data_offsets":[{start},{}]}}"#, start + size));
            start += size;
        }
        let header = format!("{{{}}}", tensors.join(","));
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend(header.as_bytes());
        bytes
    }

    #[test]
    fn a_header_past_the_end_of_the_file_is_refused_before_safetensors_reads_it() {
        let crafted = huge_header();
        let err = open(&crafted).err().unwrap().to_string();
        assert!(err.contains("past the 0 bytes of data"), "{err}");
        assert!(header(&crafted).is_err());
        // The upstream bug this guards against: with overflow checks (as in `cargo test`),
        // safetensors itself panics on these bytes. When this starts failing, upstream is fixed.
        #[cfg(debug_assertions)]
        let upstream = std::panic::catch_unwind(|| SafeTensors::deserialize(&crafted).map(|_| ()));
        assert!(upstream.is_err(), "{upstream:?}");
    }

    #[test]
    fn short_or_lying_headers_are_refused_with_the_reason() {
        assert!(open(b"1234").err().unwrap().to_string().contains("too short"));
        let mut claims_more = 1000u64.to_le_bytes().to_vec();
        claims_more.extend(b"{}");
        assert!(open(&claims_more).err().unwrap().to_string().contains("claims 1000 bytes; the file has 2"));
        let mut not_json = 2u64.to_le_bytes().to_vec();
        not_json.extend(b"[]");
        assert!(open(&not_json).err().unwrap().to_string().contains("not a JSON object"));
    }

    #[test]
    fn a_real_file_opens() {
        let data = [1u8, 2, 3, 4];
        let view = TensorView::new(Dtype::U8, vec![2, 2], &data).unwrap();
        let bytes = safetensors::serialize([("x", view)], None).unwrap();
        assert_eq!(open(&bytes).unwrap().tensor("x").unwrap().data(), data);
        assert_eq!(header(&bytes).unwrap().tensors().len(), 1);
    }

    #[test]
    fn the_same_tensors_and_metadata_give_the_same_bytes() {
        let (a, b) = ([1u8, 2, 3], [7u8; 5]);
        let write = |metadata: &HashMap<String, String>| {
            let views = [
                ("b", TensorView::new(Dtype::U8, vec![5], &b).unwrap()),
                ("a", TensorView::new(Dtype::U8, vec![3], &a).unwrap()),
            ];
            serialize(views, metadata).unwrap()
        };
        let metadata: HashMap<String, String> = (0..20).map(|i| (format!("key{i}"), format!("value {i}"))).collect();
        let bytes = write(&metadata);
        // A map with the same entries, filled in another order (and so iterated in another).
        let mut entries: Vec<(String, String)> = metadata.clone().into_iter().collect();
        entries.reverse();
        let refilled: HashMap<String, String> = entries.into_iter().collect();
        assert_eq!(write(&refilled), bytes);
        let st = open(&bytes).unwrap();
        assert_eq!((st.tensor("a").unwrap().data(), st.tensor("b").unwrap().data()), (&a[..], &b[..]));
        let (length, read_back) = SafeTensors::read_metadata(&bytes).unwrap();
        assert_eq!((8 + length) % 8, 0, "the data starts 8-byte aligned");
        assert_eq!(read_back.metadata().as_ref(), Some(&metadata));
        assert!(open(&write(&HashMap::new())).is_ok());
    }
}
