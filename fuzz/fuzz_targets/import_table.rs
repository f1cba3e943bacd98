//! Fuzzes the interaction-table readers (format detection, CSV, JSONL, SNAP): any bytes give an
//! `Ok` or an `Err`, never a panic. Seeds: `fixtures/tables/`.
#![no_main]

#[path = "common.rs"]
mod common;

use common::Discard;
use libfuzzer_sys::fuzz_target;
use rapport_import::ReadOptions;

fuzz_target!(|data: &[u8]| {
    // The readers take paths (they stream files of any size), so each input goes through a file.
    let Ok(mut file) = tempfile::NamedTempFile::new() else { return };
    if std::io::Write::write_all(&mut file, data).is_err() {
        return;
    }
    let _ = rapport_import::read(file.path(), &ReadOptions::default(), &mut Discard);
});
