//! Import errors: what went wrong, in which file, at which record, and what to do.

use std::fmt;
use std::path::PathBuf;

/// Where in a source an error happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A line of a text file (1-based).
    Line(u64),
    /// A byte offset in a binary file.
    Offset(u64),
    /// An item of a JSON array or a row of an archive member (1-based).
    Item(u64),
    /// A member of an archive, with a line or offset inside it when known.
    Member {
        /// The member's path inside the archive.
        name: String,
        /// Where inside the member.
        at: Option<Box<Location>>,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Offset(n) => write!(f, "byte {n}"),
            Location::Item(n) => write!(f, "item {n}"),
            Location::Member { name, at: None } => write!(f, "member {name}"),
            Location::Member { name, at: Some(at) } => write!(f, "member {name}, {at}"),
        }
    }
}

/// An import that could not be completed. The store is unchanged when one is returned.
#[derive(Debug)]
pub struct ImportError {
    /// The file being read.
    pub file: PathBuf,
    /// Where in it, when known.
    pub location: Option<Location>,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(at) = &self.location {
            write!(f, ", {at}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            ErrorKind::Sink(e) => Some(e.0.as_ref()),
            _ => None,
        }
    }
}

/// What went wrong in an import.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file does not exist.
    #[error("no such file; check the path")]
    NotFound,
    /// The path is a folder of a kind no importer reads.
    #[error(
        "this is a folder, not an export this version reads; give the path of a table file or of an export"
    )]
    Folder,
    /// Reading failed.
    #[error("read failed: {0}")]
    Io(#[source] std::io::Error),
    /// A gzip stream is truncated or corrupt.
    #[error("the gzip data is truncated or corrupt ({0}); download or copy the file again")]
    BadGzip(String),
    /// The file holds binary data where text was expected.
    #[error(
        "this is a binary file, not a text table; give a CSV, JSONL or SNAP edge-list file (plain or .gz)"
    )]
    Binary,
    /// The file is not valid UTF-8.
    #[error("the text is not valid UTF-8; save the file as UTF-8 and import it again")]
    NotUtf8,
    /// A line is longer than any real record.
    #[error(
        "the line is longer than {limit} bytes, which no interaction record is; is this the right file?"
    )]
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// The format could not be recognised.
    #[error(
        "cannot tell what format this is ({0}); pass --format (csv, jsonl, snap-edges, snap-weighted, snap-temporal, snap-signed, snap-higgs, x, facebook, mastodon, linkedin, bluesky)"
    )]
    UnknownFormat(String),
    /// A header names a column the format does not have.
    #[error(
        "unknown column '{0}'; the columns are timestamp, source, target, kind and optionally network, id, text, post_id, reply_to"
    )]
    UnknownColumn(String),
    /// A required column is missing.
    #[error("missing column '{0}'; a table needs timestamp, source, target and kind")]
    MissingColumn(&'static str),
    /// A record has the wrong number of fields.
    #[error("expected {expected} fields, found {found}")]
    FieldCount {
        /// How many the format has.
        expected: usize,
        /// How many the record has.
        found: usize,
    },
    /// A field has a value the format does not allow.
    #[error("bad {field} '{value}': {hint}")]
    BadValue {
        /// The field's name.
        field: &'static str,
        /// The offending value (cut to a readable length).
        value: String,
        /// What is expected instead.
        hint: String,
    },
    /// A required field is empty.
    #[error("empty {0}; every record needs one")]
    Empty(&'static str),
    /// The record is not valid JSON, CSV, or whatever the format is.
    #[error("malformed record: {0}")]
    Malformed(String),
    /// An archive (zip, tar.gz) is truncated or corrupt.
    #[error("the archive is truncated or corrupt ({0}); download the export again")]
    BadArchive(String),
    /// An archive member's path or type is refused: it could escape the archive (zip-slip) or is a link.
    #[error(
        "refused: {0}; a genuine export never has such a member, so this archive is not imported"
    )]
    UnsafeMember(&'static str),
    /// An archive unpacks to more than the importer reads.
    #[error(
        "the archive unpacks to more than {limit} bytes, more than any export this importer reads; is this a zip bomb?"
    )]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// An archive member that is read whole is larger than any such file of a real export.
    #[error(
        "the member unpacks to more than {limit} bytes, more than any such file of a real export; is this the right archive?"
    )]
    MemberTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// An archive member is compressed far more than real data ever is.
    #[error(
        "the member unpacks to more than {ratio} times its compressed size, which only a zip bomb does"
    )]
    CompressionRatio {
        /// The largest ratio accepted.
        ratio: u64,
    },
    /// A record is dated after the import started.
    #[error(
        "dated {at}, after this import started ({started}): a wrong clock or a forged date, which would become \"now\" for the whole store; fix the date, or pass --skip-invalid to import the rest without it"
    )]
    FutureDate {
        /// The record's date.
        at: String,
        /// When the import started.
        started: String,
    },
    /// A CSV record (a quoted field spanning lines, or one never closed) is longer than any real
    /// record.
    #[error(
        "a record is longer than {limit} bytes, which no interaction record is: a quoted field that spans lines or is never closed? check the quotes"
    )]
    RecordTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// The export does not say whose it is.
    #[error("cannot tell whose export this is: {0}")]
    NoOwner(&'static str),
    /// A Bluesky repository (CAR file) is corrupt, truncated or incomplete.
    #[error("not a sound Bluesky repository: {0}")]
    BadRepository(String),
    /// A Bluesky repository could not be downloaded.
    #[error("could not download the Bluesky repository: {0}")]
    Fetch(String),
    /// The sink (the store) refused a record.
    #[error("could not store a record: {0}")]
    Sink(#[source] crate::SinkError),
}

impl ErrorKind {
    /// A bad value, with the value cut to a readable length.
    pub(crate) fn bad_value(
        field: &'static str,
        value: &str,
        hint: impl Into<String>,
    ) -> ErrorKind {
        let mut value = value.to_owned();
        if value.len() > 60 {
            let mut cut = 60;
            while !value.is_char_boundary(cut) {
                cut -= 1;
            }
            value.truncate(cut);
            value.push('…');
        }
        ErrorKind::BadValue { field, value, hint: hint.into() }
    }
}
