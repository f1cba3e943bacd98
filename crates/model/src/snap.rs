//! SNAP's edge-list formats, one line at a time: the one reading of what a SNAP line says, shared
//! by the importer (`rapport import --format snap-*`) and the relationship model's dataset reader
//! (`rapport_score::parse_events`).
//!
//! The graph engine reads the same files for their two node ids only, with its own byte-level
//! parser built for files of billions of edges (`rapport-graph`'s `io/parse.rs`); a test there
//! checks that it reads the ids this module reads.

use crate::{InteractionKind, Timestamp};

/// SNAP's edge-list formats, whitespace separated unless noted; `#` and `%` lines are comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapFormat {
    /// `a b`: a follows b (or the kind the caller gives).
    Edges,
    /// `a b w`: w interactions of the kind the caller gives.
    Weighted,
    /// `a b t`: a message from a to b at Unix time t.
    Temporal,
    /// `a,b,rating,t`: a rated b at t (Bitcoin OTC); positive is a like, negative a block.
    Signed,
    /// `a b t RT|MT|RE`: the Higgs activity file (repost, mention, reply).
    Higgs,
}

impl SnapFormat {
    /// How many fields a line of this format has.
    pub fn fields(self) -> usize {
        match self {
            SnapFormat::Edges => 2,
            SnapFormat::Weighted | SnapFormat::Temporal => 3,
            SnapFormat::Signed | SnapFormat::Higgs => 4,
        }
    }
}

/// A weight above this is not a count of interactions between two people.
pub const MAX_WEIGHT: u32 = 100_000;

/// What one data line says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapLine<'a> {
    /// Who acted, as written.
    pub source: &'a str,
    /// Who was acted on, as written.
    pub target: &'a str,
    /// The kind the line itself carries (signed ratings and Higgs activity); `None` when the
    /// caller's kind applies, and for a signed rating of zero, which says neither trust nor
    /// distrust.
    pub kind: Option<InteractionKind>,
    /// When, for the formats that say.
    pub at: Option<Timestamp>,
    /// How many interactions the line stands for (1 unless weighted).
    pub count: u32,
}

/// Why a line is not a line of its format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapError {
    /// The line has the wrong number of fields.
    FieldCount {
        /// How many the format has.
        expected: usize,
        /// How many the line has.
        found: usize,
    },
    /// A field has a value the format does not allow.
    BadValue {
        /// The field's name.
        field: &'static str,
        /// The value as written.
        value: String,
        /// What is expected instead.
        hint: &'static str,
    },
}

impl std::fmt::Display for SnapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapError::FieldCount { expected, found } => {
                write!(f, "expected {expected} fields, found {found}")
            }
            SnapError::BadValue { field, value, hint } => {
                write!(f, "bad {field} '{value}': {hint}")
            }
        }
    }
}

impl std::error::Error for SnapError {}

/// Reads one line of `format`; `Ok(None)` for a blank line or a comment.
pub fn parse_line(line: &str, format: SnapFormat) -> Result<Option<SnapLine<'_>>, SnapError> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('%') {
        return Ok(None);
    }
    let mut fields = [""; 4];
    let found = if format == SnapFormat::Signed {
        split_into(line.split(',').map(str::trim), &mut fields)
    } else {
        split_into(line.split_ascii_whitespace(), &mut fields)
    };
    let expected = format.fields();
    if found != expected {
        return Err(SnapError::FieldCount { expected, found });
    }
    let bad =
        |field, value: &str, hint| SnapError::BadValue { field, value: value.to_owned(), hint };
    let unix = |text: &str| {
        text.parse::<Timestamp>().map_err(|_| bad("timestamp", text, "expected Unix seconds"))
    };
    let mut parsed =
        SnapLine { source: fields[0], target: fields[1], kind: None, at: None, count: 1 };
    match format {
        SnapFormat::Edges => {}
        SnapFormat::Weighted => {
            parsed.count = fields[2]
                .parse::<u32>()
                .ok()
                .filter(|w| (1..=MAX_WEIGHT).contains(w))
                .ok_or_else(|| {
                bad("weight", fields[2], "expected a whole number of interactions from 1 to 100000")
            })?;
        }
        SnapFormat::Temporal => parsed.at = Some(unix(fields[2])?),
        SnapFormat::Signed => {
            let rating =
                fields[2].parse::<i32>().ok().filter(|r| (-10..=10).contains(r)).ok_or_else(
                    || bad("rating", fields[2], "expected a whole number from -10 to 10"),
                )?;
            // Trust is an endorsement (a like); distrust is the strongest negative tie (a block).
            parsed.kind = match rating.signum() {
                1 => Some(InteractionKind::Like),
                -1 => Some(InteractionKind::Block),
                _ => None,
            };
            parsed.at = Some(unix(fields[3])?);
        }
        SnapFormat::Higgs => {
            parsed.at = Some(unix(fields[2])?);
            parsed.kind = Some(match fields[3] {
                "RT" => InteractionKind::Repost,
                "MT" => InteractionKind::Mention,
                "RE" => InteractionKind::Reply,
                other => return Err(bad("interaction", other, "expected RT, MT or RE")),
            });
        }
    }
    Ok(Some(parsed))
}

/// Puts the first fields of `parts` into `fields` and counts them all. Generic rather than boxed:
/// this runs once per line, and a boxed iterator would cost an allocation each time.
fn split_into<'a>(parts: impl Iterator<Item = &'a str>, fields: &mut [&'a str; 4]) -> usize {
    let mut found = 0;
    for part in parts {
        if let Some(field) = fields.get_mut(found) {
            *field = part;
        }
        found += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use InteractionKind::{Block, Like, Mention, Reply, Repost};
    use SnapFormat::{Edges, Higgs, Signed, Temporal, Weighted};

    fn check(format: SnapFormat, line: &str) -> Result<Option<SnapLine<'_>>, String> {
        parse_line(line, format).map_err(|e| e.to_string())
    }

    fn ok<'a>(
        source: &'a str,
        target: &'a str,
        kind: Option<InteractionKind>,
        at: Option<i64>,
        count: u32,
    ) -> Result<Option<SnapLine<'a>>, String> {
        Ok(Some(SnapLine { source, target, kind, at, count }))
    }

    #[test]
    fn reads_every_format() {
        assert_eq!(check(Edges, "1 2"), ok("1", "2", None, None, 1));
        assert_eq!(check(Edges, "  alice\tbob \r"), ok("alice", "bob", None, None, 1));
        assert_eq!(check(Weighted, "1 2 3"), ok("1", "2", None, None, 3));
        assert_eq!(check(Temporal, "1 2 1082040961"), ok("1", "2", None, Some(1_082_040_961), 1));
        assert_eq!(
            check(Signed, "6, 2 ,4,1289241912"),
            ok("6", "2", Some(Like), Some(1_289_241_912), 1)
        );
        assert_eq!(
            check(Signed, "6,5,-2,1289241942"),
            ok("6", "5", Some(Block), Some(1_289_241_942), 1)
        );
        assert_eq!(check(Signed, "6,5,0,1289241942"), ok("6", "5", None, Some(1_289_241_942), 1));
        assert_eq!(
            check(Higgs, "223789 213163 1341100972 MT"),
            ok("223789", "213163", Some(Mention), Some(1_341_100_972), 1)
        );
        assert_eq!(check(Higgs, "1 2 3 RT").unwrap().unwrap().kind, Some(Repost));
        assert_eq!(check(Higgs, "1 2 3 RE").unwrap().unwrap().kind, Some(Reply));
    }

    #[test]
    fn skips_blank_lines_and_comments() {
        for line in ["", "   ", "# FromNodeId ToNodeId", "% bipartite"] {
            assert_eq!(check(Edges, line), Ok(None), "{line:?}");
        }
    }

    #[test]
    fn says_what_is_wrong() {
        let cases = [
            (Edges, "1", "expected 2 fields, found 1"),
            (Edges, "1 2 3", "expected 2 fields, found 3"),
            (Temporal, "1 2", "expected 3 fields, found 2"),
            (Signed, "1 2 3 4", "expected 4 fields, found 1"),
            (
                Weighted,
                "1 2 0",
                "bad weight '0': expected a whole number of interactions from 1 to 100000",
            ),
            (
                Weighted,
                "1 2 100001",
                "bad weight '100001': expected a whole number of interactions from 1 to 100000",
            ),
            (Temporal, "1 2 yesterday", "bad timestamp 'yesterday': expected Unix seconds"),
            (Signed, "1,2,11,5", "bad rating '11': expected a whole number from -10 to 10"),
            (Higgs, "1 2 3 XX", "bad interaction 'XX': expected RT, MT or RE"),
        ];
        for (format, line, want) in cases {
            assert_eq!(check(format, line), Err(want.to_owned()), "{format:?} {line:?}");
        }
    }
}
