//! A downloaded playground pack, checked against the catalog and unpacked for training.

use distill_core::metrics::predictions;
use distill_core::EvalSet;
use distill_data::catalog::PackEntry;
use distill_data::checksum;
use distill_data::pack::Pack;
use distill_playground::protocol::WorkerError;
use std::sync::Arc;

pub struct PackData {
    pub entry: PackEntry,
    pub train_images: Arc<Vec<u8>>,
    pub train_labels: Vec<u8>,
    pub train_logits: Vec<f32>,
    /// Test split with the teacher's predictions, for accuracy and agreement.
    pub test: EvalSet,
    pub test_logits: Vec<f32>,
}

impl PackData {
    /// Verifies the SHA-256 the catalog promised, then every tensor's shape (via [`Pack`]).
    pub fn from_bytes(entry: &PackEntry, bytes: &[u8]) -> Result<PackData, WorkerError> {
        let file = format!("packs/{}", entry.file);
        checksum::verify(&file, bytes, &entry.sha256).map_err(|e| WorkerError::Pack(format!("{e}: the download is damaged or the pack was rebuilt without its catalog; reload, or run `cargo run -p distill-cli -- pack`")))?;
        let pack = Pack::from_safetensors(&file, bytes).map_err(|e| WorkerError::Pack(e.to_string()))?;
        if (pack.train.len(), pack.test.len()) != (entry.train_rows, entry.test_rows) {
            return Err(WorkerError::Pack(format!(
                "{file}: {} train and {} test rows, the catalog says {} and {}",
                pack.train.len(),
                pack.test.len(),
                entry.train_rows,
                entry.test_rows
            )));
        }
        let test = EvalSet {
            images: Arc::new(pack.test.images),
            labels: pack.test.labels,
            teacher_predictions: Some(predictions(&pack.teacher.test_logits)),
        };
        Ok(PackData {
            entry: entry.clone(),
            train_images: Arc::new(pack.train.images),
            train_labels: pack.train.labels,
            train_logits: pack.teacher.train_logits,
            test,
            test_logits: pack.teacher.test_logits,
        })
    }
}
