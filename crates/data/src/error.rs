use std::fmt;

/// Everything that can be wrong with a data file. Messages name the file and say what was
/// expected, so a user can tell a corrupt download from a version mismatch.
#[derive(Debug, Clone, PartialEq)]
pub enum DataError {
    /// A file's SHA-256 differs from the pinned one.
    Checksum { file: String, expected: String, actual: String },
    /// The bytes are not a valid file of the expected format (truncated, corrupt header, ...).
    Corrupt { file: String, reason: String },
    /// The file is well formed but does not fit what it is used with (shape, count, dtype).
    Mismatch { file: String, reason: String },
    /// Reading or writing the file failed.
    Io { file: String, reason: String },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Checksum { file, expected, actual } => {
                write!(f, "checksum mismatch for {file}: expected SHA-256 {expected}, got {actual}")
            }
            DataError::Corrupt { file, reason } => write!(f, "{file} is corrupt: {reason}"),
            DataError::Mismatch { file, reason } => write!(f, "{file} does not match: {reason}"),
            DataError::Io { file, reason } => write!(f, "cannot access {file}: {reason}"),
        }
    }
}

impl std::error::Error for DataError {}

impl DataError {
    pub(crate) fn corrupt(file: &str, reason: impl Into<String>) -> Self {
        DataError::Corrupt { file: file.to_string(), reason: reason.into() }
    }
    pub(crate) fn mismatch(file: &str, reason: impl Into<String>) -> Self {
        DataError::Mismatch { file: file.to_string(), reason: reason.into() }
    }
    pub fn io(file: impl fmt::Display, err: impl fmt::Display) -> Self {
        DataError::Io { file: file.to_string(), reason: err.to_string() }
    }
}
