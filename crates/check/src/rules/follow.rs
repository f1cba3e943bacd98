//! Follow-for-follow schemes and giveaways that make following or reposting the price of entry.

use std::sync::LazyLock;

use super::{Draft, Pattern, RuleId, first_match, pattern};
use crate::report::Finding;

static FOLLOW_FOR_FOLLOW: Pattern = LazyLock::new(|| {
    pattern(
        r"\b(?:follow\s*(?:4|for|to)\s*follow|f4f|l4l|like\s*(?:4|for)\s*like|sub\s*(?:4|for)\s*sub|s4s|follow\s*back|followback|teamfollowback|follow\s+train|gain\s+followers|i\s+(?:always\s+)?follow\s+(?:you\s+)?back|follow\s+me\s+(?:and|&)\s+i(?:'ll|\s+will)\s+follow|sub(?:scribe)?\s+to\s+(?:me|my\s+channel)\s+(?:and|&)\s+i(?:'ll|\s+will)\s+sub(?:scribe)?)\b",
    )
});

static GIVEAWAY: Pattern = LazyLock::new(|| {
    pattern(
        r"\b(?:give\s?aways?|contest|sweepstakes?|raffle|chance\s+to\s+win|to\s+win\b|prizes?|win\s+(?:a|an|the|free|one|this))",
    )
});

/// The actions a gated giveaway asks for.
const ACTION: &str = r"(?:follow|retweet|rt|repost|share|like|tag|subscribe|sub)\w*";

static GATE: Pattern = LazyLock::new(|| {
    pattern(&format!(
        r"\b(?:to\s+(?:enter|win|qualify|participate)|for\s+a\s+chance|entry|enter)\b[^.!?\n]{{0,60}}?\b{ACTION}\b|\b{ACTION}\s*(?:\+|&|,|and)\s*{ACTION}\b|\b{ACTION}\b[^.!?\n]{{0,40}}?\bto\s+(?:enter|win|qualify)\b"
    ))
});

pub(super) fn find(draft: &Draft<'_>, out: &mut Vec<Finding>) {
    let text = draft.text;
    if let Some(span) = first_match(&FOLLOW_FOR_FOLLOW, text) {
        let reason = format!("\"{}\" trades follows instead of earning them", &text[span.clone()]);
        out.push(Finding::new(RuleId::FollowForFollow, span, 0.6, reason));
    }
    if GIVEAWAY.is_match(text)
        && let Some(span) = first_match(&GATE, text)
    {
        let reason = format!("the giveaway makes \"{}\" the price of entry", &text[span.clone()]);
        out.push(Finding::new(RuleId::GatedGiveaway, span, 0.6, reason));
    }
}

#[cfg(test)]
pub(super) fn force_patterns() {
    for regex in [&FOLLOW_FOR_FOLLOW, &GIVEAWAY, &GATE] {
        LazyLock::force(regex);
    }
}
