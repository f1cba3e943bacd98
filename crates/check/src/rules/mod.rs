//! The rules: each has a stable id, says what it catches and why, names the platform rule or norm it
//! comes from, and suggests what to write instead. [`rules`] lists them all; the crate README shows
//! the same table.

pub(crate) mod bait;
mod follow;
pub(crate) mod links;
mod outreach;
mod pitch;
mod pressure;
mod stuffing;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::context::Context;
use crate::model::Scores;
use crate::report::{Finding, Verdict};

/// The id of a rule, or of a model head when the model is the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    /// Asks people to vote with reactions, likes or shares.
    VoteBait,
    /// Asks people to like or react if they agree or feel something.
    ReactBait,
    /// Asks people to share or repost.
    ShareBait,
    /// Asks people to tag friends.
    TagBait,
    /// Asks people to comment a given word, number or emoji.
    CommentBait,
    /// Follow-for-follow and like-for-like schemes.
    FollowForFollow,
    /// A giveaway that requires following, reposting, liking or tagging to enter.
    GatedGiveaway,
    /// More hashtags than the network's norm.
    HashtagStuffing,
    /// More mentions than the network's norm.
    MentionStuffing,
    /// A link with next to no words of one's own.
    LinkOnly,
    /// Countdown and scarcity pressure.
    Urgency,
    /// Discounts, codes and sale wording.
    Discount,
    /// Shouting in capitals.
    AllCaps,
    /// Commercial content sent to someone with no relationship.
    ColdPitch,
    /// Nearly the same message already sent to many people.
    CopyPaste,
    /// The model's promotional head.
    ModelPromotional,
    /// The model's bait head.
    ModelBait,
}

/// A rule's documentation row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule.
    pub rule: RuleId,
    /// What it catches.
    pub catches: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// The platform rule or norm it comes from.
    pub source: &'static str,
    /// What to do instead.
    pub suggestion: &'static str,
}

const FACEBOOK_BAIT: &str = "Facebook, \"Fighting Engagement Bait on Facebook\" (Dec 2017): vote, react, share, \
     tag and comment baiting are demoted; posts asking for help, advice or recommendations are exempt";

static RULES: [RuleInfo; 17] = [
    RuleInfo {
        rule: RuleId::VoteBait,
        catches: "\"like for A, share for B\", \"react 😍 for yes\", \"vote with a comment\"",
        why: "it turns reactions into a ballot to game reach; people learn to ignore it",
        source: FACEBOOK_BAIT,
        suggestion: "Drop the ballot: ask what people think and why, and answer the replies",
    },
    RuleInfo {
        rule: RuleId::ReactBait,
        catches: "\"like if you agree\", \"hit ❤ if…\", \"double tap if…\"",
        why: "it asks for a reaction instead of earning one",
        source: FACEBOOK_BAIT,
        suggestion: "Drop the \"like if…\": say what you think and invite a real reply",
    },
    RuleInfo {
        rule: RuleId::ShareBait,
        catches: "\"share if…\", \"share with 10 friends\", \"repost to win\"",
        why: "it asks for distribution instead of making something worth sharing",
        source: FACEBOOK_BAIT,
        suggestion: "Drop the \"share if…\": make the post worth sharing and let people decide",
    },
    RuleInfo {
        rule: RuleId::TagBait,
        catches: "\"tag a friend who…\", \"tag 3 people\"",
        why: "it uses readers' friends as a distribution list",
        source: FACEBOOK_BAIT,
        suggestion: "Drop the \"tag a friend\": ask a real question people want to answer",
    },
    RuleInfo {
        rule: RuleId::CommentBait,
        catches: "\"comment YES\", \"type amen\", \"drop a 🔥 below\", \"comment GUIDE and I'll DM you\"",
        why: "a one-word comment is a reach signal, not a conversation",
        source: FACEBOOK_BAIT,
        suggestion: "Ask an open question, and answer the replies you get",
    },
    RuleInfo {
        rule: RuleId::FollowForFollow,
        catches: "\"follow for follow\", f4f, l4l, sub4sub, \"follow back\", follow trains",
        why: "traded follows are not an audience, and platforms treat them as manipulation",
        source: "X platform manipulation and spam policy (follow trading, follow trains, follow churn); \
                 YouTube fake engagement policy (sub4sub)",
        suggestion: "Follow people whose posts you read and talk with them; followers come from conversations",
    },
    RuleInfo {
        rule: RuleId::GatedGiveaway,
        catches: "a giveaway or contest that requires a follow, repost, like or tag to enter",
        why: "it buys reach with a prize and fills the audience with prize hunters",
        source: "Facebook Pages promotions policy (no \"share on your timeline to enter\" or \"tag friends to \
                 enter\"); X guidelines for promotions",
        suggestion: "Let people enter without following or reposting (a form or a reply), and state the rules",
    },
    RuleInfo {
        rule: RuleId::HashtagStuffing,
        catches: "more hashtags than the network's norm (X 2, Facebook 3, Bluesky 3, LinkedIn 5, Mastodon 5, \
                  otherwise 5)",
        why: "a wall of hashtags reads as reach-seeking and hides the message",
        source: "X spam policy (excessive or unrelated hashtags) and X's advice of one or two; \
                 community norms elsewhere",
        suggestion: "Keep the one or two hashtags that say what the post is about",
    },
    RuleInfo {
        rule: RuleId::MentionStuffing,
        catches: "more mentions than the network's norm (X and Bluesky 3, otherwise 5), not counting the \
                  mentions that open a reply",
        why: "tagging people who are not part of the conversation is unsolicited attention",
        source: "X platform manipulation and spam policy (unsolicited mass mentions)",
        suggestion: "Mention only the people the post is about, or write to them one by one",
    },
    RuleInfo {
        rule: RuleId::LinkOnly,
        catches: "a link with fewer than three words of one's own",
        why: "a bare link gives no reason to click and reads as automated; in a reply or DM it is a drop",
        source: "community norm; bulk unsolicited links are spam under X's spam policy and most Mastodon \
                 server rules",
        suggestion: "Say in a sentence or two why the link matters to the reader; in a reply or DM, send it \
                     only if they ask",
    },
    RuleInfo {
        rule: RuleId::Urgency,
        catches: "\"act now\", \"limited time\", \"only 3 left\", \"last chance\", \"ends tonight\"",
        why: "manufactured urgency pressures instead of persuading",
        source: "FTC report \"Bringing Dark Patterns to Light\" (2022) and EU consumer law on false \
                 urgency and scarcity",
        suggestion: "Drop the countdown: give the real date plainly and let people decide in their own time",
    },
    RuleInfo {
        rule: RuleId::Discount,
        catches: "\"50% off\", \"promo code\", \"use code\", \"buy now\", \"flash sale\", \"free shipping\"",
        why: "sale wording turns a social post into an advert",
        source: "community norm (the 80/20 rule of social media: mostly give, rarely sell)",
        suggestion: "Lead with what the thing is and who it helps; mention the price or discount once, plainly",
    },
    RuleInfo {
        rule: RuleId::AllCaps,
        catches: "three or more words of two or more letters in capitals in a row",
        why: "capitals read as shouting",
        source: "netiquette (RFC 1855 calls capitals shouting)",
        suggestion: "Write it in sentence case; emphasise one word at most",
    },
    RuleInfo {
        rule: RuleId::ColdPitch,
        catches: "commercial content in a DM or reply to someone with no relationship yet (stranger, aware, \
                  or unknown)",
        why: "a pitch dropped into a relationship that does not exist yet ends it before it starts",
        source: "LinkedIn Professional Community Policies (no unsolicited commercial messages); X spam \
                 policy (unsolicited DMs)",
        suggestion: "Ask about their work before offering yours; pitch only after they show interest",
    },
    RuleInfo {
        rule: RuleId::CopyPaste,
        catches: "a message nearly identical (MinHash Jaccard ≥ 0.5) to ones already sent to 3 or more other \
                  people",
        why: "templated outreach is bulk messaging, and recipients can tell",
        source: "X platform manipulation and spam policy (identical or near-identical messages to many \
                 accounts); LinkedIn Professional Community Policies (repetitive messages)",
        suggestion: "Write to each person about them: something they said or made, and why you are writing \
                     to them in particular",
    },
    RuleInfo {
        rule: RuleId::ModelPromotional,
        catches: "wording like self-promotion and broadcast marketing (model trained on UCI YouTube comment \
                  spam and UCI SMS spam)",
        why: "it reads like the comments and messages people mark as spam",
        source: "learned from labelled data: Alberto et al. 2015 (TubeSpam); Almeida et al. 2011 (SMS spam)",
        suggestion: "Lead with something useful to the reader, not with your offer",
    },
    RuleInfo {
        rule: RuleId::ModelBait,
        catches: "teasing headline wording (model trained on Chakraborty et al. 2016 clickbait headlines)",
        why: "a teaser withholds what the post is about to get the click",
        source: "learned from labelled data: Chakraborty et al., \"Stop Clickbait\", ASONAM 2016",
        suggestion: "Say plainly what the post is about instead of teasing it",
    },
];

/// Every rule, with its documentation, in a fixed order.
pub fn rules() -> &'static [RuleInfo] {
    &RULES
}

impl RuleId {
    /// The stable dotted id used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::VoteBait => "bait.vote",
            RuleId::ReactBait => "bait.react",
            RuleId::ShareBait => "bait.share",
            RuleId::TagBait => "bait.tag",
            RuleId::CommentBait => "bait.comment",
            RuleId::FollowForFollow => "follow.f4f",
            RuleId::GatedGiveaway => "giveaway.gated",
            RuleId::HashtagStuffing => "stuffing.hashtags",
            RuleId::MentionStuffing => "stuffing.mentions",
            RuleId::LinkOnly => "link.only",
            RuleId::Urgency => "pressure.urgency",
            RuleId::Discount => "pressure.discount",
            RuleId::AllCaps => "pressure.caps",
            RuleId::ColdPitch => "pitch.cold",
            RuleId::CopyPaste => "outreach.copy_paste",
            RuleId::ModelPromotional => "model.promotional",
            RuleId::ModelBait => "model.bait",
        }
    }

    /// The rule's documentation row.
    pub fn info(self) -> &'static RuleInfo {
        // RULES lists every variant in declaration order; a test checks it.
        &RULES[self as usize]
    }

    /// Whether the id names a model head rather than a rule.
    pub fn is_model(self) -> bool {
        matches!(self, RuleId::ModelPromotional | RuleId::ModelBait)
    }

    /// The verdict a finding of this rule points to.
    pub(crate) fn verdict(self) -> Verdict {
        match self {
            RuleId::VoteBait
            | RuleId::ReactBait
            | RuleId::ShareBait
            | RuleId::TagBait
            | RuleId::CommentBait
            | RuleId::FollowForFollow
            | RuleId::GatedGiveaway
            | RuleId::ModelBait => Verdict::EngagementBait,
            RuleId::HashtagStuffing
            | RuleId::MentionStuffing
            | RuleId::LinkOnly
            | RuleId::CopyPaste => Verdict::Spammy,
            RuleId::Urgency | RuleId::Discount | RuleId::AllCaps | RuleId::ModelPromotional => {
                Verdict::Promotional
            }
            RuleId::ColdPitch => Verdict::ColdPitch,
        }
    }
}

impl Finding {
    /// A finding with the rule's default suggestion.
    pub(crate) fn new(rule: RuleId, span: Range<usize>, severity: f32, reason: String) -> Finding {
        Finding { rule, span, reason, suggestion: rule.info().suggestion.to_owned(), severity }
    }
}

/// What the rules look at.
pub(crate) struct Draft<'a> {
    pub(crate) text: &'a str,
    pub(crate) ctx: &'a Context<'a>,
    pub(crate) scores: Scores,
    /// Where the promotional head's strongest n-gram is, if it pushed the score up.
    pub(crate) promotional_span: Option<Range<usize>>,
}

/// Runs every rule on `draft`, appending findings to `out`.
pub(crate) fn run(draft: &Draft<'_>, out: &mut Vec<Finding>) {
    bait::find(draft, out);
    follow::find(draft, out);
    stuffing::find(draft, out);
    links::find(draft, out);
    pressure::find(draft, out);
    // Cold pitch reads the pressure findings: a discount in a DM to a stranger is a pitch.
    pitch::find(draft, out);
    outreach::find(draft, out);
}

/// Compiles a built-in pattern, case-insensitively, with ASCII word boundaries (which keep the
/// regex engine on its fast path for any input).
///
/// # Panics
///
/// Only if a built-in pattern is invalid, which `every_pattern_compiles` rules out.
pub(crate) fn pattern(source: &str) -> Regex {
    let source = format!("(?i){}", source.replace(r"\b", r"(?-u:\b)"));
    match Regex::new(&source) {
        Ok(regex) => regex,
        Err(error) => panic!("built-in check pattern is invalid: {error}"),
    }
}

/// A lazily compiled built-in pattern.
pub(crate) type Pattern = LazyLock<Regex>;

/// The first match of `regex` in `text`, as a byte range.
pub(crate) fn first_match(regex: &Regex, text: &str) -> Option<Range<usize>> {
    regex.find(text).map(|m| m.range())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_table_lists_every_rule_in_order() {
        for (i, info) in rules().iter().enumerate() {
            assert_eq!(info.rule as usize, i);
            assert_eq!(info.rule.info(), info);
        }
        let mut ids: Vec<&str> = rules().iter().map(|r| r.rule.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 17);
    }

    #[test]
    fn readme_documents_every_rule() {
        let readme = include_str!("../../README.md");
        for info in rules() {
            let row = format!("| `{}` |", info.rule.as_str());
            assert!(readme.contains(&row), "README lacks a row for {}", info.rule.as_str());
            assert!(
                readme.contains(info.suggestion),
                "README's {} row is stale",
                info.rule.as_str()
            );
        }
    }

    #[test]
    fn every_pattern_compiles() {
        bait::force_patterns();
        follow::force_patterns();
        links::force_patterns();
        pressure::force_patterns();
        pitch::force_patterns();
    }
}
