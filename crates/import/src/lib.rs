//! Rapport's importers: each supported source format reduced to a stream of [`Record`]s.
//!
//! [`read`] detects (or is told) the format of a file and pushes what it reads into a [`Sink`]. Importers
//! do no store IO: the engine's sink writes the records inside one transaction, so a bad record
//! anywhere aborts the whole batch and the store stays as it was.

mod archive;
pub mod bluesky;
mod checks;
mod error;
mod export;
mod facebook;
mod fields;
mod format;
mod input;
mod json_stream;
mod linkedin;
pub mod mastodon;
mod platform;
mod rows;
mod sides;
mod sink;
pub mod table;
mod x;

use std::path::Path;

pub use checks::record as check_record;
pub use error::{ErrorKind, ImportError, Location};
pub use fields::FieldReport;
pub use format::{Format, SnapFormat, detect};
pub use platform::{read_bytes, read_members};
pub use sides::OtherSide;
pub use sink::{Sink, SinkError, Skipped};

use rapport_model::{InteractionKind, Network};

/// How to read a source.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The format to read it as; `None` detects it from the content.
    pub format: Option<Format>,
    /// The network of a table that names none.
    pub network: Network,
    /// The kind of the edges of a SNAP file whose format does not say (plain and weighted edge lists).
    pub kind: Option<InteractionKind>,
    /// Skip malformed records (with a reason) instead of stopping at the first.
    pub skip_invalid: bool,
}

/// Reads `path` and pushes its records into `sink`. Returns the format it was read as.
pub fn read(
    path: &Path,
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<Format, ImportError> {
    let format = match options.format {
        Some(f) => f,
        None => format::detect(path)?,
    };
    let mut ctx = sink::Context::new(path, options, sink);
    match format {
        Format::Csv => table::csv::read(&mut ctx)?,
        Format::Jsonl => table::jsonl::read(&mut ctx)?,
        Format::Snap(snap) => table::snap::read(&mut ctx, snap)?,
        Format::XArchive | Format::Facebook | Format::Mastodon | Format::LinkedIn => {
            platform::read(&mut ctx, format)?;
        }
        Format::BlueskyCar => bluesky::read(&mut ctx)?,
    }
    Ok(format)
}
