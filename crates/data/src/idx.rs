//! The IDX format of the original MNIST files (optionally gzipped), as shipped by the registries.

use crate::{DataError, CLASSES, SIDE};
use flate2::read::GzDecoder;
use std::io::Read;

/// Largest file this reads, unzipped: the 60,000 training images are 47 MB.
pub const MAX_IDX_BYTES: u64 = 64 << 20;

/// Returns the bytes, gunzipped when they start with the gzip magic number; a file that would
/// unzip to more than [`MAX_IDX_BYTES`] (a "zip bomb") is refused before it is held.
pub fn maybe_gunzip(file: &str, bytes: Vec<u8>) -> Result<Vec<u8>, DataError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        GzDecoder::new(&bytes[..])
            .take(MAX_IDX_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| DataError::corrupt(file, format!("gzip: {e}")))?;
        if out.len() as u64 > MAX_IDX_BYTES {
            return Err(DataError::corrupt(file, format!("unzips to more than {MAX_IDX_BYTES} bytes")));
        }
        Ok(out)
    } else {
        Ok(bytes)
    }
}

/// Parses an IDX file of unsigned bytes with the given number of dimensions; returns the
/// dimensions and the payload.
fn parse(file: &str, bytes: &[u8], rank: usize) -> Result<(Vec<usize>, Vec<u8>), DataError> {
    let header = 4 + 4 * rank;
    if bytes.len() < header {
        return Err(DataError::corrupt(file, "shorter than its IDX header"));
    }
    if bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] as usize != rank {
        return Err(DataError::corrupt(
            file,
            format!("not an IDX file of u8 with {rank} dimensions (magic {:02x?})", &bytes[..4]),
        ));
    }
    let dims: Vec<usize> =
        (0..rank).map(|i| u32::from_be_bytes(bytes[4 + 4 * i..8 + 4 * i].try_into().unwrap()) as usize).collect();
    // Checked: four 32-bit dimensions can multiply past any size (and overflow a usize).
    let expected = dims.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
    let payload = &bytes[header..];
    if expected != Some(payload.len()) {
        let expected = expected.map_or("more than can be held".to_string(), |n| n.to_string());
        return Err(DataError::corrupt(
            file,
            format!("header promises {expected} bytes of data, file has {}", payload.len()),
        ));
    }
    Ok((dims, payload.to_vec()))
}

/// Parses an IDX image file of 28×28 images; returns (count, pixels).
pub fn parse_images(file: &str, bytes: &[u8]) -> Result<(usize, Vec<u8>), DataError> {
    let (dims, pixels) = parse(file, bytes, 3)?;
    if dims[1] != SIDE || dims[2] != SIDE {
        return Err(DataError::mismatch(file, format!("images are {}×{}, not 28×28", dims[1], dims[2])));
    }
    Ok((dims[0], pixels))
}

/// Parses an IDX label file of classes 0–9.
pub fn parse_labels(file: &str, bytes: &[u8]) -> Result<Vec<u8>, DataError> {
    let labels = parse(file, bytes, 1)?.1;
    match labels.iter().position(|&l| l as usize >= CLASSES) {
        Some(at) => Err(DataError::corrupt(file, format!("label {at} is {}, not a class 0–9", labels[at]))),
        None => Ok(labels),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx_labels(labels: &[u8]) -> Vec<u8> {
        let mut b = vec![0, 0, 8, 1];
        b.extend((labels.len() as u32).to_be_bytes());
        b.extend(labels);
        b
    }

    #[test]
    fn a_label_that_is_no_class_is_refused_with_where_it_is() {
        let err = parse_labels("labels.idx", &idx_labels(&[3, 9, 10])).unwrap_err().to_string();
        assert!(err.contains("labels.idx") && err.contains("label 2 is 10"), "{err}");
    }

    #[test]
    fn parses_labels_and_rejects_truncation() {
        let bytes = idx_labels(&[3, 1, 4]);
        assert_eq!(parse_labels("l", &bytes).unwrap(), vec![3, 1, 4]);
        let err = parse_labels("l", &bytes[..bytes.len() - 1]).unwrap_err();
        assert!(err.to_string().contains("promises 3 bytes"), "{err}");
    }

    #[test]
    fn rejects_wrong_magic() {
        let mut bytes = idx_labels(&[1]);
        bytes[2] = 0x0d; // float data
        assert!(matches!(parse_labels("l", &bytes), Err(DataError::Corrupt { .. })));
    }

    #[test]
    fn huge_dimensions_are_refused_not_multiplied_past_overflow() {
        let mut bytes = vec![0, 0, 8, 3];
        for _ in 0..3 {
            bytes.extend(u32::MAX.to_be_bytes());
        }
        let err = parse_images("i", &bytes).unwrap_err();
        assert!(err.to_string().contains("more than can be held"), "{err}");
    }

    #[test]
    fn a_gzip_bomb_is_refused() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), Compression::best());
        enc.write_all(&vec![0u8; MAX_IDX_BYTES as usize + 1]).unwrap();
        let bomb = enc.finish().unwrap();
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        let err = maybe_gunzip("bomb.gz", bomb).unwrap_err();
        assert!(err.to_string().contains("unzips to more than"), "{err}");
    }

    #[test]
    fn gunzips_transparently() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let raw = idx_labels(&[7, 7]);
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(&raw).unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(maybe_gunzip("l", gz).unwrap(), raw);
    }
}
