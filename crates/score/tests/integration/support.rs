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
