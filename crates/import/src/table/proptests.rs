//! Properties of the table formats: a table written by `csv::write` imports back unchanged, and
//! no byte sequence makes any table reader panic.

use std::path::Path;

use proptest::prelude::*;
use rapport_model::{Interaction, InteractionKind, Network, Record};

use crate::format::{Format, SnapFormat};
use crate::{ReadOptions, Sink, SinkError, Skipped};

#[derive(Default)]
struct Collect {
    records: Vec<Record>,
    skipped: Vec<Skipped>,
}

impl Sink for Collect {
    fn record(&mut self, record: Record) -> Result<(), SinkError> {
        self.records.push(record);
        Ok(())
    }
    fn skipped(&mut self, skipped: Skipped) {
        self.skipped.push(skipped);
    }
    fn progress(&mut self, _: u64, _: u64) {}
}

fn read(path: &Path, format: Option<Format>) -> Result<Collect, crate::ImportError> {
    let mut sink = Collect::default();
    let options =
        ReadOptions { format, kind: Some(InteractionKind::Like), ..ReadOptions::default() };
    crate::read(path, &options, &mut sink).map(|_| sink)
}

fn interaction() -> impl Strategy<Value = Interaction> {
    let id = "[a-z0-9_@.]{1,12}";
    let text =
        proptest::option::of("[^\u{0}]{0,40}".prop_filter("not blank", |t| !t.trim().is_empty()));
    (
        prop::sample::select(Network::ALL.to_vec()),
        // Dates after the import are refused (see `checks`).
        proptest::option::of(0i64..1_700_000_000),
        id,
        id,
        prop::sample::select(InteractionKind::ALL.to_vec()),
        proptest::option::of("[0-9]{1,10}"),
        text,
        proptest::option::of("[a-z0-9-]{1,10}"),
        proptest::option::of("[a-z0-9-]{1,10}"),
    )
        .prop_filter("an account acting on itself is skipped", |t| t.2 != t.3)
        .prop_map(|(network, at, source, target, kind, native_id, text, post_id, reply_to)| {
            Interaction { network, native_id, at, source, target, kind, post_id, reply_to, text }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn csv_round_trips(rows in prop::collection::vec(interaction(), 1..30)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        super::csv::write(std::fs::File::create(&path).unwrap(), &rows).unwrap();
        let back = read(&path, Some(Format::Csv)).unwrap();
        let back: Vec<Interaction> = back
            .records
            .into_iter()
            .map(|r| match r { Record::Interaction(i) => i, other => panic!("{other:?}") })
            .collect();
        prop_assert_eq!(back, rows);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        std::fs::write(&path, &bytes).unwrap();
        let formats = [
            None,
            Some(Format::Csv),
            Some(Format::Jsonl),
            Some(Format::Snap(SnapFormat::Edges)),
            Some(Format::Snap(SnapFormat::Weighted)),
            Some(Format::Snap(SnapFormat::Temporal)),
            Some(Format::Snap(SnapFormat::Signed)),
            Some(Format::Snap(SnapFormat::Higgs)),
        ];
        for format in formats {
            // Ok or Err are both fine; a panic fails the property.
            let _ = read(&path, format);
        }
    }

    #[test]
    fn mutated_tables_never_panic(
        rows in prop::collection::vec(interaction(), 1..8),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut bytes = Vec::new();
        super::csv::write(&mut bytes, &rows).unwrap();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, &bytes).unwrap();
        let _ = read(&path, None);
    }
}
