//! `web/packs/catalog.json`: the list of playground packs the page offers, with what the page
//! shows before downloading one (teacher, accuracy, size) and the SHA-256 it checks after.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackEntry {
    /// Teacher id, e.g. `mnist-mlp`; the pack file is `<teacher>.safetensors`.
    pub teacher: String,
    pub dataset: String,
    pub dataset_title: String,
    pub class_names: Vec<String>,
    /// The teacher's architecture string (`mlp:1200-1200`, `cnn:32-64-256`).
    pub architecture: String,
    pub parameters: u64,
    /// On the full 10,000-image test split.
    pub test_accuracy: f64,
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub train_rows: usize,
    pub test_rows: usize,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Catalog {
    pub packs: Vec<PackEntry>,
}

impl Catalog {
    pub fn parse(json: &str) -> Result<Catalog, String> {
        let catalog: Catalog =
            serde_json::from_str(json).map_err(|e| format!("packs/catalog.json is not a valid catalog: {e}"))?;
        if catalog.packs.is_empty() {
            return Err("packs/catalog.json lists no packs: run `cargo run -p distill-cli -- pack`".to_string());
        }
        Ok(catalog)
    }

    pub fn get(&self, teacher: &str) -> Option<&PackEntry> {
        self.packs.iter().find(|p| p.teacher == teacher)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_or_malformed_catalogs_are_refused_with_advice() {
        assert!(Catalog::parse("{\"packs\": []}").unwrap_err().contains("distill-cli -- pack"));
        assert!(Catalog::parse("{\"packs\": [{\"teacher\": 3}]}").unwrap_err().contains("not a valid catalog"));
    }
}
