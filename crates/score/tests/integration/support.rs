//! Shared helpers: building events tersely and loading the public suite.

use rapport_model::InteractionKind;
use rapport_model::time::DAY;
use rapport_score::Event;

/// A dated event `days` days after the epoch used by the tests.
pub(crate) fn ev(source: u32, target: u32, kind: InteractionKind, days: i64) -> Event {
    Event::new(source, target, kind, T0 + days * DAY)
}

/// An undated event.
pub(crate) fn undated(source: u32, target: u32, kind: InteractionKind) -> Event {
    Event { source, target, kind, at: None }
}

/// The tests' reference time: 2024-01-01.
pub(crate) const T0: i64 = 1_704_067_200;

/// A tiny seeded generator (SplitMix64), so synthetic histories are the same on every run.
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform number in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform index below `n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
}

/// The data folder: `$RAPPORT_DATA`, or `../shared/data` beside the workspace.
#[cfg(feature = "real-data")]
pub(crate) fn data_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("RAPPORT_DATA").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        std::path::PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "the real-data suite needs the public datasets: {} is missing (set RAPPORT_DATA)",
        dir.display()
    );
    dir
}

/// The events of one suite dataset.
#[cfg(feature = "real-data")]
pub(crate) fn load(entry: &rapport_score::SuiteEntry) -> Vec<Event> {
    use std::io::{BufRead, BufReader};

    let path = data_dir().join(entry.path);
    let file = std::fs::File::open(&path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let reader: Box<dyn BufRead> = if entry.path.ends_with(".gz") {
        Box::new(BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    rapport_score::parse_events(entry.format, reader)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
