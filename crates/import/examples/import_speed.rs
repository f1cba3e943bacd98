//! Reads exports with a sink that only counts, and prints the throughput: the importers' own speed,
//! without the store. `cargo run --release -p rapport-import --example import_speed -- PATH...`

use std::path::Path;
use std::time::Instant;

use rapport_import::{ReadOptions, Sink, SinkError, Skipped};
use rapport_model::Record;

#[derive(Default)]
struct Count {
    records: u64,
    skipped: u64,
}

impl Sink for Count {
    fn record(&mut self, _: Record) -> Result<(), SinkError> {
        self.records += 1;
        Ok(())
    }
    fn skipped(&mut self, _: Skipped) {
        self.skipped += 1;
    }
    fn progress(&mut self, _: u64, _: u64) {}
}

/// The bytes of a file, or of every file under a folder.
fn size(path: &Path) -> u64 {
    if path.is_dir() {
        std::fs::read_dir(path).map_or(0, |d| d.flatten().map(|e| size(&e.path())).sum())
    } else {
        std::fs::metadata(path).map_or(0, |m| m.len())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for arg in std::env::args().skip(1) {
        let path = Path::new(&arg);
        let bytes = size(path);
        let mut best = f64::MAX;
        let mut count = Count::default();
        // The best of five runs: the figure the machine can do, not its noise.
        for _ in 0..5 {
            count = Count::default();
            let start = Instant::now();
            let format = rapport_import::read(path, &ReadOptions::default(), &mut count)?;
            best = best.min(start.elapsed().as_secs_f64());
            let _ = format;
        }
        let mb = bytes as f64 / 1e6;
        println!(
            "{arg}: {mb:.2} MB, {} records, {} skipped, {:.1} ms, {:.0} MB/s",
            count.records,
            count.skipped,
            best * 1e3,
            mb / best
        );
    }
    Ok(())
}
