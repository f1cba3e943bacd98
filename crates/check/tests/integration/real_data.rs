//! Tests that read the public data sets (feature `real-data`): the shipped model is exactly what
//! training on the public data produces, and the cross-source evaluation stays well above chance.

use std::path::PathBuf;

use rapport_check::{Model, eval, train_from_data};

/// The data folder: `$RAPPORT_DATA`, or `<workspace>/../shared/data`.
fn data_dir() -> PathBuf {
    let dir = std::env::var_os("RAPPORT_DATA").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
    });
    assert!(
        dir.join("uci-youtube-spam").is_dir(),
        "real-data tests need the public data sets in {} (set RAPPORT_DATA to the folder holding \
         uci-youtube-spam, uci-sms-spam and clickbait-headlines-chakraborty)",
        dir.display()
    );
    dir
}

#[test]
fn retraining_reproduces_the_shipped_model_bit_for_bit() {
    let model = train_from_data(&data_dir()).unwrap();
    let bytes = model.to_bytes();
    assert!(bytes == Model::embedded_bytes(), "retrained model differs from model/check-model.bin");
}

#[test]
fn cross_source_evaluation_beats_chance_on_every_split() {
    let results = eval::eval(&data_dir(), None).unwrap();
    assert_eq!(results.len(), 5);
    for r in results {
        assert!(r.metrics.auc > 0.85, "{}: {:?}", r.name, r.metrics);
        assert!(r.metrics.f1 > 0.5, "{}: {:?}", r.name, r.metrics);
    }
}
