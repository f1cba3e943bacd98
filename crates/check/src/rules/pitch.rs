//! Cold pitches: commercial content in a DM or a reply to someone the user has no relationship with.

use std::sync::LazyLock;

use rapport_model::Stage;

use super::{Draft, Pattern, RuleId, first_match, pattern};
use crate::context::{DraftKind, RelationshipContext};
use crate::report::Finding;

static PITCH: Pattern = LazyLock::new(|| {
    pattern(
        r"\b(?:(?:my|our)\s+(?:new\s+)?(?:products?|services?|course|agency|company|startup|app|platform|offer|program(?:me)?|coaching|solution|tool|shop|store|channel|ebook|webinar|newsletter|masterclass)|book\s+a\s+(?:call|demo|meeting)|hop\s+on\s+a\s+(?:quick\s+)?call|(?:a\s+)?quick\s+call|schedule\s+a\s+(?:call|demo)|free\s+(?:consultation|audit|trial|demo|strategy\s+session)|would\s+you\s+be\s+(?:interested|open)|are\s+you\s+(?:interested|open\s+to)|we\s+help\s+\w+|i\s+help\s+\w+|check\s+out\s+my|link\s+in\s+(?:my\s+)?bio|dm\s+me|buy\s+(?:my|our|now)|pricing|sign\s+up|subscribe\s+to\s+my|partnership\s+opportunit\w*|collab(?:oration)?\s+opportunit\w*|grow\s+your\s+(?:business|followers|sales|revenue))\b",
    )
});

/// The promotional head's probability from which a draft counts as commercial on its own.
const MODEL_COMMERCIAL: f32 = 0.6;

pub(super) fn find(draft: &Draft<'_>, out: &mut Vec<Finding>) {
    let ctx = draft.ctx;
    if ctx.kind == DraftKind::Post {
        return;
    }
    let Some((severity, who)) = coldness(ctx.kind, ctx.relationship) else { return };
    let span = first_match(&PITCH, draft.text)
        .or_else(|| {
            out.iter()
                .find(|f| matches!(f.rule, RuleId::Discount | RuleId::Urgency))
                .map(|f| f.span.clone())
        })
        .or_else(|| {
            (draft.scores.promotional >= MODEL_COMMERCIAL)
                .then(|| draft.promotional_span.clone())
                .flatten()
        });
    let Some(span) = span else { return };
    let what = if ctx.kind == DraftKind::Dm { "a DM" } else { "a reply" };
    let reason = format!("\"{}\" pitches in {what} to {who}", &draft.text[span.clone()]);
    out.push(Finding::new(RuleId::ColdPitch, span, severity, reason));
}

/// How cold the relationship is for a pitch, and how to describe the person; `None` when it is warm
/// enough that a pitch is the user's call.
fn coldness(
    kind: DraftKind,
    relationship: Option<RelationshipContext>,
) -> Option<(f32, &'static str)> {
    let (severity, who): (f32, &'static str) = match relationship {
        // Nothing on record: as cautious as for a stranger, a little less sure.
        None => (0.6, "someone you have no relationship with on record"),
        Some(r) if r.interactions == 0 || r.stage == Stage::Stranger => (0.75, "a stranger"),
        Some(r) if r.stage == Stage::Aware => (0.65, "someone you have barely interacted with"),
        Some(r) if r.stage == Stage::Engaged => (0.35, "someone you are only getting to know"),
        Some(_) => return None,
    };
    let answering = relationship.is_some_and(|r| r.they_reached_out_last);
    let severity = if kind == DraftKind::Reply { severity * 0.8 } else { severity };
    // Answering someone who wrote first is less of an interruption than opening with a pitch.
    Some((if answering { severity * 0.6 } else { severity }, who))
}

#[cfg(test)]
pub(super) fn force_patterns() {
    LazyLock::force(&PITCH);
}
