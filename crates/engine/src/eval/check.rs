//! The draft checker's model retrained from all the public data and compared with the one the
//! binary ships, so `rapport eval check --train` proves the shipped weights reproducible.

use std::path::Path;

use rapport_check::Model;

use super::EvalError;

/// A retrained model beside the shipped one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retrained {
    /// The retrained model, serialised as the shipped file is.
    pub bytes: Vec<u8>,
    /// The size of the shipped model.
    pub shipped_len: usize,
    /// The retrained model is the shipped one, byte for byte.
    pub identical: bool,
}

/// Retrains the checker's model from the data in `data_dir` and compares it with the shipped one.
pub fn retrain_check_model(data_dir: &Path) -> Result<Retrained, EvalError> {
    let bytes = rapport_check::train_from_data(data_dir)?.to_bytes();
    let shipped = Model::embedded_bytes();
    Ok(Retrained { identical: bytes == shipped, shipped_len: shipped.len(), bytes })
}
