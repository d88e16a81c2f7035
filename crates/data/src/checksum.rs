//! SHA-256 checks of everything that comes from a package registry.

use crate::DataError;
use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses `bytes` unless their SHA-256 is `expected`; the error names the file and both hashes.
pub fn verify(file: &str, bytes: &[u8], expected: &str) -> Result<(), DataError> {
    let actual = sha256_hex(bytes);
    if actual == expected {
        Ok(())
    } else {
        Err(DataError::Checksum { file: file.to_string(), expected: expected.to_string(), actual })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn mismatch_names_file_and_both_hashes() {
        let err = verify("train-images", b"abc", "00").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("train-images"), "{msg}");
        assert!(msg.contains("expected SHA-256 00"), "{msg}");
        assert!(msg.contains("ba7816bf"), "{msg}");
    }
}
