//! SNAP's edge-list formats: `a b`, `a b w`, `a b t`, `a,b,rating,t` and the Higgs activity file.

use rapport_model::{Interaction, InteractionKind, Record};

use crate::format::SnapFormat;
use crate::input::each_line;
use crate::sink::Context;
use crate::{ErrorKind, ImportError, Location};

/// A weight above this is not a count of interactions between two people.
const MAX_WEIGHT: u32 = 100_000;

pub(crate) fn read(ctx: &mut Context<'_>, format: SnapFormat) -> Result<(), ImportError> {
    let kind = match (format, ctx.options.kind) {
        (_, Some(k)) => k,
        (SnapFormat::Edges, None) => InteractionKind::Follow,
        (SnapFormat::Temporal, None) => InteractionKind::Dm,
        (SnapFormat::Weighted, None) => {
            return Err(ctx.error(
                None,
                ErrorKind::Malformed(
                    "a weighted edge list does not say what its edges are; pass --kind (for example --kind reply for higgs-reply_network)".into(),
                ),
            ));
        }
        // Signed and Higgs rows carry their own kinds.
        (SnapFormat::Signed | SnapFormat::Higgs, None) => InteractionKind::Follow,
    };
    let network = ctx.options.network;
    each_line(ctx, |ctx, number, line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('%') {
            return Ok(());
        }
        let at = Location::Line(number);
        let Parsed { source, target, kind, at: when, repeat } = match parse(line, format, kind) {
            Ok(p) => p,
            Err(e) => return ctx.invalid(at, e),
        };
        if source == target {
            ctx.skip(at, format!("{source} {kind} {target}: an account acting on itself says nothing about a relationship"));
            return Ok(());
        }
        if kind == InteractionKind::Follow && format == SnapFormat::Signed {
            ctx.skip(at, "a zero rating says neither trust nor distrust");
            return Ok(());
        }
        for _ in 0..repeat {
            let record = Interaction::new(network, when, source, target, kind);
            ctx.emit(Record::Interaction(record), at.clone())?;
        }
        Ok(())
    })
}

struct Parsed<'a> {
    source: &'a str,
    target: &'a str,
    kind: InteractionKind,
    at: Option<i64>,
    repeat: u32,
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

fn parse(line: &str, format: SnapFormat, kind: InteractionKind) -> Result<Parsed<'_>, ErrorKind> {
    let expected = match format {
        SnapFormat::Edges => 2,
        SnapFormat::Weighted | SnapFormat::Temporal => 3,
        SnapFormat::Signed | SnapFormat::Higgs => 4,
    };
    let mut fields = [""; 4];
    let found = if format == SnapFormat::Signed {
        split_into(line.split(',').map(str::trim), &mut fields)
    } else {
        split_into(line.split_ascii_whitespace(), &mut fields)
    };
    if found != expected {
        return Err(ErrorKind::FieldCount { expected, found });
    }
    let unix = |text: &str| -> Result<i64, ErrorKind> {
        text.parse::<i64>()
            .map_err(|_| ErrorKind::bad_value("timestamp", text, "expected Unix seconds"))
    };
    let mut parsed = Parsed { source: fields[0], target: fields[1], kind, at: None, repeat: 1 };
    match format {
        SnapFormat::Edges => {}
        SnapFormat::Weighted => {
            let w = fields[2];
            parsed.repeat = w
                .parse::<u32>()
                .ok()
                .filter(|w| (1..=MAX_WEIGHT).contains(w))
                .ok_or_else(|| {
                    ErrorKind::bad_value(
                        "weight",
                        w,
                        format!("expected a whole number of interactions from 1 to {MAX_WEIGHT}"),
                    )
                })?;
        }
        SnapFormat::Temporal => parsed.at = Some(unix(fields[2])?),
        SnapFormat::Signed => {
            let r = fields[2];
            let rating =
                r.parse::<i32>().ok().filter(|r| (-10..=10).contains(r)).ok_or_else(|| {
                    ErrorKind::bad_value("rating", r, "expected a whole number from -10 to 10")
                })?;
            // Trust is an endorsement (a like); distrust is the strongest negative tie (a block).
            // A zero rating is marked with Follow and skipped by the caller.
            parsed.kind = match rating.signum() {
                1 => InteractionKind::Like,
                -1 => InteractionKind::Block,
                _ => InteractionKind::Follow,
            };
            parsed.at = Some(unix(fields[3])?);
        }
        SnapFormat::Higgs => {
            parsed.at = Some(unix(fields[2])?);
            parsed.kind = match fields[3] {
                "RT" => InteractionKind::Repost,
                "MT" => InteractionKind::Mention,
                "RE" => InteractionKind::Reply,
                other => {
                    return Err(ErrorKind::bad_value(
                        "interaction",
                        other,
                        "expected RT, MT or RE",
                    ));
                }
            };
        }
    }
    Ok(parsed)
}
