//! The formats Rapport reads, their names on the command line, and detection from content.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::input::{Lines, open_text};
use crate::sink::{Context, Sink, SinkError, Skipped};
use crate::{ErrorKind, ImportError, ReadOptions};

/// A source format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An interaction table in CSV with a header.
    Csv,
    /// An interaction table in JSON Lines.
    Jsonl,
    /// One of SNAP's edge-list formats.
    Snap(SnapFormat),
    /// An X (Twitter) archive: zip or folder of `data/*.js` files.
    XArchive,
    /// A Facebook "Download Your Information" export in JSON: zip or folder.
    Facebook,
    /// A Mastodon archive: zip, tar.gz or folder with `outbox.json` and `actor.json`.
    Mastodon,
    /// A LinkedIn data export: zip or folder of CSV files.
    LinkedIn,
    /// A Bluesky repository: a CAR v1 file of DAG-CBOR blocks (`repo.car`).
    BlueskyCar,
}

pub use rapport_model::snap::SnapFormat;

impl Format {
    /// Every format, with its command-line name.
    pub const ALL: [(Format, &'static str); 12] = [
        (Format::Csv, "csv"),
        (Format::Jsonl, "jsonl"),
        (Format::Snap(SnapFormat::Edges), "snap-edges"),
        (Format::Snap(SnapFormat::Weighted), "snap-weighted"),
        (Format::Snap(SnapFormat::Temporal), "snap-temporal"),
        (Format::Snap(SnapFormat::Signed), "snap-signed"),
        (Format::Snap(SnapFormat::Higgs), "snap-higgs"),
        (Format::XArchive, "x"),
        (Format::Facebook, "facebook"),
        (Format::Mastodon, "mastodon"),
        (Format::LinkedIn, "linkedin"),
        (Format::BlueskyCar, "bluesky"),
    ];

    /// The format's command-line name.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(f, _)| *f == self).map_or("unknown", |(_, n)| n)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        let alias = match s.as_str() {
            "json" | "ndjson" => "jsonl",
            "snap" | "edges" | "edgelist" => "snap-edges",
            "weighted" => "snap-weighted",
            "temporal" => "snap-temporal",
            "signed" | "rating" => "snap-signed",
            "higgs" => "snap-higgs",
            "twitter" | "x-archive" => "x",
            "fb" => "facebook",
            "bsky" | "car" | "bluesky-car" | "atproto" => "bluesky",
            other => other,
        };
        Self::ALL.iter().find(|(_, n)| *n == alias).map(|(f, _)| *f).ok_or_else(|| {
            let names: Vec<_> = Self::ALL.iter().map(|(_, n)| *n).collect();
            format!("unknown format '{s}' (expected one of {})", names.join(", "))
        })
    }
}

/// How many lines detection looks at.
const SAMPLE_LINES: usize = 200;

/// Detects the format of `path` from its first lines.
pub fn detect(path: &Path) -> Result<Format, ImportError> {
    if crate::bluesky::is_car_file(path) {
        return Ok(Format::BlueskyCar);
    }
    let options = ReadOptions::default();
    let mut sink = NoSink;
    let ctx = Context::new(path, &options, &mut sink);
    // Zips, tar.gz files and folders are platform exports, told apart by their member names.
    if let Some(format) = crate::platform::detect(path, &ctx)? {
        return Ok(format);
    }
    let mut lines = Lines::new(open_text(&ctx)?);
    let mut sample = Vec::new();
    while sample.len() < SAMPLE_LINES {
        match lines.next_line() {
            Ok(Some((_, line))) => {
                let line = line.trim();
                if !line.is_empty() && !line.starts_with('#') && !line.starts_with('%') {
                    sample.push(line.to_owned());
                }
            }
            Ok(None) => break,
            Err((at, kind)) => return Err(ctx.error(Some(at), kind)),
        }
    }
    classify(&sample).map_err(|why| ctx.error(None, ErrorKind::UnknownFormat(why)))
}

/// Classifies sample lines; an error says why no format fits unambiguously.
fn classify(sample: &[String]) -> Result<Format, String> {
    let Some(first) = sample.first() else {
        return Err("the file has no records".into());
    };
    if first.starts_with('{') {
        return Ok(Format::Jsonl);
    }
    // A header row naming any of the table's columns is a CSV table; a missing or unknown
    // column is then reported by the CSV reader, which can say which.
    let header = first
        .split(',')
        .any(|f| crate::table::column(f.trim().trim_start_matches('\u{feff}')).is_ok());
    if first.contains(',') && header {
        return Ok(Format::Csv);
    }
    let fields = |line: &str| -> Vec<String> {
        if line.contains(',') {
            line.split(',').map(|f| f.trim().to_owned()).collect()
        } else {
            line.split_whitespace().map(str::to_owned).collect()
        }
    };
    let rows: Vec<Vec<String>> = sample.iter().map(|l| fields(l)).collect();
    let width = rows[0].len();
    if rows.iter().any(|r| r.len() != width) {
        return Err("its lines have different numbers of fields".into());
    }
    let numbers = |col: usize| -> Option<Vec<f64>> {
        rows.iter().map(|r| r[col].parse::<f64>().ok()).collect()
    };
    let comma = first.contains(',');
    match (width, comma) {
        (2, _) => Ok(Format::Snap(SnapFormat::Edges)),
        (3, false) => {
            let third = numbers(2).ok_or("its third column is not a number")?;
            if third.iter().all(|t| *t >= 1e8) {
                Ok(Format::Snap(SnapFormat::Temporal))
            } else if third.iter().all(|w| *w < 1e6) {
                Ok(Format::Snap(SnapFormat::Weighted))
            } else {
                Err("its third column could be weights or timestamps".into())
            }
        }
        (4, true) if numbers(2).is_some() && numbers(3).is_some() => {
            Ok(Format::Snap(SnapFormat::Signed))
        }
        (4, false) if rows.iter().all(|r| matches!(r[3].as_str(), "RT" | "MT" | "RE")) => {
            Ok(Format::Snap(SnapFormat::Higgs))
        }
        _ => Err(format!("{width} fields per line match no known layout")),
    }
}

/// Detection reads without emitting anything.
struct NoSink;

impl Sink for NoSink {
    fn record(&mut self, _: rapport_model::Record) -> Result<(), SinkError> {
        Ok(())
    }
    fn skipped(&mut self, _: Skipped) {}
    fn progress(&mut self, _: u64, _: u64) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lines: &[&str], want: Result<Format, ()>) {
        let sample: Vec<String> = lines.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(classify(&sample).map_err(|_| ()), want, "{lines:?}");
    }

    #[test]
    fn classifies_each_layout() {
        check(&["timestamp,source,target,kind"], Ok(Format::Csv));
        check(&[r#"{"source":"a"}"#], Ok(Format::Jsonl));
        check(&["1 2", "3 4"], Ok(Format::Snap(SnapFormat::Edges)));
        check(&["1 2 1082040961"], Ok(Format::Snap(SnapFormat::Temporal)));
        check(&["1 2 3", "4 5 1"], Ok(Format::Snap(SnapFormat::Weighted)));
        check(&["1 2 3", "4 5 1341100972"], Err(()));
        check(&["6,2,4,1289241912"], Ok(Format::Snap(SnapFormat::Signed)));
        check(&["223789 213163 1341100972 MT"], Ok(Format::Snap(SnapFormat::Higgs)));
        check(&["1 2", "1 2 3"], Err(()));
        check(&[], Err(()));
    }

    #[test]
    fn names_round_trip() {
        for (f, n) in Format::ALL {
            assert_eq!(n.parse::<Format>(), Ok(f));
            assert_eq!(f.name(), n);
        }
    }
}
