//! Fuzzes the Bluesky repository importer: any bytes, read as a `repo.car`, give `Ok` or `Err`,
//! never a panic. Seed the corpus from fixtures/bluesky (`cp fixtures/bluesky/*/repo.car
//! fuzz/corpus/import_bluesky/`) so mutations start from a real repository.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rapport_import::bluesky::parse(data);
});
