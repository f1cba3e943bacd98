//! Engagement bait in Facebook's five categories: vote, react, share, tag and comment baiting, with
//! Facebook's exemption for real requests for help, advice or recommendations.

use std::sync::LazyLock;

use super::{Draft, Pattern, RuleId, first_match, pattern};
use crate::report::Finding;

/// A reaction word or a reaction emoji.
const REACTION: &str = r"(?:\blike\b|\breact\b|\bheart\b|\bshare\b|\bcomment\b|\brt\b|\bretweet\b|[\p{Extended_Pictographic}]\x{FE0F}?)";

static VOTE: Pattern = LazyLock::new(|| {
    pattern(&format!(
        r"{REACTION}\s*(?:with\s+\S+\s+)?(?:if|for)\s+[^.!?\n]{{1,40}}?[,;/]?\s*(?:\bor\b|\band\b)?\s*{REACTION}\s*(?:with\s+\S+\s+)?(?:if|for)\b|\bvote\s+(?:with|by)\s+(?:a\s+|your\s+)?(?:like|reaction|react|emoji|comment|share)"
    ))
});

static REACT: Pattern = LazyLock::new(|| {
    pattern(
        r"\b(?:like|heart|love|react\s+to|react(?:\s+with\s+\S+)?|hit\s+(?:the\s+)?(?:like|heart|love)(?:\s+button)?|double[\s-]?tap|smash\s+(?:that|the)\s+like(?:\s+button)?)\s+(?:this\s+)?(?:post\s+|photo\s+|video\s+)?(?:if|when)\s+(?:you|u)\b|(?:^|\s)[\p{Extended_Pictographic}]\x{FE0F}?\s*if\s+(?:you|u)\s+(?:agree|love|like|remember)",
    )
});

static SHARE: Pattern = LazyLock::new(|| {
    pattern(
        r"\b(?:share|repost|retweet|rt|reblog|boost)\s+(?:this\s+)?(?:post\s+)?(?:if\s+(?:you|u)\b|with\s+(?:all\s+)?(?:your|\d+|ten|five)\s+(?:\w+\s+)?(?:friends|people|contacts)|to\s+(?:win|enter|unlock|get)\b|(?:so|until)\s+(?:everyone|everybody|it)\b|on\s+your\s+(?:timeline|wall|story))|\b(?:don'?t|do\s+not)\s+scroll\s+(?:past|by|without)[^.!?\n]{0,30}\b(?:shar|typ|like|comment)",
    )
});

static TAG: Pattern = LazyLock::new(|| {
    pattern(
        r"\btag\s+(?:a|an|your|\d+|one|two|three|some|all\s+your|that|the|every)?\s*(?:\w+\s+)?(?:friends?|someone|somebody|person|people|bff|bestie|buddy|mates?|partner|girlfriend|boyfriend|mom|mum|dad|sister|brother|wife|husband)\b|\bmention\s+(?:a\s+friend|someone|\d+\s+friends)\b",
    )
});

static COMMENT: Pattern = LazyLock::new(|| {
    pattern(
        r#"\b(?:comment|type|reply|write|say)\s+["'“‘]?(?:yes|no|amen|me|done|interested|info|guide|link|send|want|\d{1,2}|[\p{Extended_Pictographic}]+\x{FE0F}?)["'”’]?\s*(?:if|to|for|below|in\s+the\s+comments|and\s+(?:i|we)(?:'ll|\s+will)?)\b|\bdrop\s+(?:a|an|your)?\s*(?:\S+\s+)?(?:in\s+the\s+comments|below|in\s+comments)|\bcomment\s+below\s+if\b"#,
    )
});

/// Requests for help, advice or recommendations, which Facebook exempts from engagement bait.
static HELP: Pattern = LazyLock::new(|| {
    pattern(
        r"\b(?:missing|lost\s+(?:dog|cat|pet|child|kid)|help\s+(?:me\s+|us\s+)?(?:find|spread|raise|locate|get\s+\w+\s+home)|any\s+(?:advice|tips|recommendations|suggestions)|recommend(?:ation)?s?\b|looking\s+for\s+(?:advice|tips|recommendations|suggestions)|blood\s+donors?|donors?\s+needed|fundrais\w*|amber\s+alert|please\s+help|can\s+anyone\s+help|does\s+anyone\s+know|have\s+you\s+seen)",
    )
});

static CHECKS: [(RuleId, &Pattern, f32, &str); 5] = [
    (RuleId::VoteBait, &VOTE, 0.6, "asks people to vote with reactions"),
    (RuleId::ReactBait, &REACT, 0.5, "asks for a reaction instead of earning one"),
    (RuleId::ShareBait, &SHARE, 0.55, "asks people to share"),
    (RuleId::TagBait, &TAG, 0.55, "asks people to tag their friends"),
    (RuleId::CommentBait, &COMMENT, 0.5, "asks for a set comment instead of a conversation"),
];

/// Whether `text` asks for help, advice or recommendations, which Facebook does not count as
/// engagement bait whatever its wording.
pub(crate) fn asks_for_help(text: &str) -> bool {
    HELP.is_match(text)
}

pub(super) fn find(draft: &Draft<'_>, out: &mut Vec<Finding>) {
    let text = draft.text;
    let mut found = false;
    for &(rule, regex, severity, what) in &CHECKS {
        if let Some(span) = first_match(regex, text) {
            if !found && HELP.is_match(text) {
                return;
            }
            found = true;
            let reason = format!(
                "\"{}\" {what} (Facebook's {} baiting)",
                &text[span.clone()],
                category(rule)
            );
            out.push(Finding::new(rule, span, severity, reason));
        }
    }
}

fn category(rule: RuleId) -> &'static str {
    match rule {
        RuleId::VoteBait => "vote",
        RuleId::ReactBait => "react",
        RuleId::ShareBait => "share",
        RuleId::TagBait => "tag",
        _ => "comment",
    }
}

#[cfg(test)]
pub(super) fn force_patterns() {
    for &(_, regex, _, _) in &CHECKS {
        LazyLock::force(regex);
    }
    LazyLock::force(&HELP);
}
