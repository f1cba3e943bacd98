//! SNAP's edge-list formats (`a b`, `a b w`, `a b t`, `a,b,rating,t` and the Higgs activity file)
//! as records: each line is read by `rapport_model::snap`, shared with the model's dataset reader.

use rapport_model::snap::{SnapError, SnapFormat, SnapLine, parse_line};
use rapport_model::{Interaction, InteractionKind, Record};

use crate::input::each_line;
use crate::sink::Context;
use crate::{ErrorKind, ImportError, Location};

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
        let at = Location::Line(number);
        let SnapLine { source, target, kind: carried, at: when, count } =
            match parse_line(line, format) {
                Ok(Some(p)) => p,
                Ok(None) => return Ok(()),
                Err(e) => return ctx.invalid(at, error_kind(e)),
            };
        let kind = carried.unwrap_or(kind);
        if source == target {
            ctx.skip(at, format!("{source} {kind} {target}: an account acting on itself says nothing about a relationship"));
            return Ok(());
        }
        if format == SnapFormat::Signed && carried.is_none() {
            ctx.skip(at, "a zero rating says neither trust nor distrust");
            return Ok(());
        }
        for _ in 0..count {
            let record = Interaction::new(network, when, source, target, kind);
            ctx.emit(Record::Interaction(record), at.clone())?;
        }
        Ok(())
    })
}

fn error_kind(e: SnapError) -> ErrorKind {
    match e {
        SnapError::FieldCount { expected, found } => ErrorKind::FieldCount { expected, found },
        SnapError::BadValue { field, value, hint } => ErrorKind::bad_value(field, &value, hint),
    }
}
