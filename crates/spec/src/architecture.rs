//! A network's shape as a short string that fits in a URL or a command line:
//! `mlp:800-800` (hidden widths; `mlp:` alone is logistic regression) or
//! `cnn:32-64-256` (two 3×3 conv layers with 2×2 max-pooling, then a hidden dense layer).

use crate::{CLASSES, PIXELS};
use std::fmt;
use std::str::FromStr;

/// Widest layer a string may ask for.
pub const MAX_WIDTH: usize = 4096;

/// Why an architecture string was refused; the message quotes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchitectureError {
    #[error("architecture `{0}`: expected `mlp:W1-W2...` or `cnn:C1-C2-D`")]
    Syntax(String),
    #[error("architecture `{text}`: width `{width}` is not a number from 1 to 4096")]
    Width { text: String, width: String },
    #[error("architecture `{0}`: expected `mlp:` with up to 4 widths or `cnn:C1-C2-D`")]
    Layers(String),
}

/// Written and read as its string (`"mlp:100"`) in JSON, URLs and messages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Architecture {
    Mlp { hidden: Vec<usize> },
    Cnn { conv1: usize, conv2: usize, dense: usize },
}

impl Architecture {
    /// Number of trainable parameters (weights and biases), computed from the shape alone.
    pub fn parameters(&self) -> usize {
        let dense = |i: usize, o: usize| i * o + o;
        match self {
            Architecture::Mlp { hidden } => {
                let mut widths = vec![PIXELS];
                widths.extend(hidden);
                widths.push(CLASSES);
                widths.windows(2).map(|w| dense(w[0], w[1])).sum()
            }
            Architecture::Cnn { conv1, conv2, dense: d } => {
                dense(9, *conv1) + dense(9 * conv1, *conv2) + dense(7 * 7 * conv2, *d) + dense(*d, CLASSES)
            }
        }
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Architecture::Mlp { hidden } => {
                let widths: Vec<String> = hidden.iter().map(|w| w.to_string()).collect();
                write!(f, "mlp:{}", widths.join("-"))
            }
            Architecture::Cnn { conv1, conv2, dense } => write!(f, "cnn:{conv1}-{conv2}-{dense}"),
        }
    }
}

impl From<Architecture> for String {
    fn from(a: Architecture) -> String {
        a.to_string()
    }
}

impl TryFrom<String> for Architecture {
    type Error = ArchitectureError;
    fn try_from(s: String) -> Result<Self, ArchitectureError> {
        s.parse()
    }
}

impl FromStr for Architecture {
    type Err = ArchitectureError;

    fn from_str(s: &str) -> Result<Self, ArchitectureError> {
        let (kind, rest) = s.split_once(':').ok_or_else(|| ArchitectureError::Syntax(s.to_string()))?;
        let widths = rest
            .split('-')
            .filter(|w| !w.is_empty())
            .map(|w| match w.parse::<usize>() {
                Ok(n) if (1..=MAX_WIDTH).contains(&n) => Ok(n),
                _ => Err(ArchitectureError::Width { text: s.to_string(), width: w.to_string() }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        match (kind, widths.as_slice()) {
            ("mlp", _) if widths.len() <= 4 => Ok(Architecture::Mlp { hidden: widths }),
            ("cnn", [conv1, conv2, dense]) => Ok(Architecture::Cnn { conv1: *conv1, conv2: *conv2, dense: *dense }),
            _ => Err(ArchitectureError::Layers(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for s in ["mlp:800-800", "mlp:30-30", "mlp:", "cnn:32-64-256"] {
            assert_eq!(s.parse::<Architecture>().unwrap().to_string(), s);
        }
        for bad in ["mlp", "rnn:3", "mlp:0", "mlp:a-3", "cnn:3-4", "mlp:1-1-1-1-1"] {
            assert!(bad.parse::<Architecture>().is_err(), "{bad}");
        }
    }

    #[test]
    fn parameter_counts() {
        // Hinton's teacher: 784-1200-1200-10.
        let hinton: Architecture = "mlp:1200-1200".parse().unwrap();
        assert_eq!(hinton.parameters(), 784 * 1200 + 1200 + 1200 * 1200 + 1200 + 1200 * 10 + 10);
        let cnn: Architecture = "cnn:8-16-32".parse().unwrap();
        assert_eq!(cnn.parameters(), (9 * 8 + 8) + (72 * 16 + 16) + (784 * 32 + 32) + (32 * 10 + 10));
    }
}
