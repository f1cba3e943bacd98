//! What a check returns: a score, a verdict, the findings with their spans and suggestions, and the
//! n-grams behind the model's score.

use std::ops::Range;

use crate::model::{NgramHit, Scores};
use crate::rules::RuleId;

/// The overall judgement of a draft, from the most to the least specific.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Nothing reads as interruption.
    Fine,
    /// Selling, discounts or pressure, but not spam.
    Promotional,
    /// Reads as spam: stuffing, bare links, copy-paste or strongly spam-like wording.
    Spammy,
    /// Asks for likes, shares, tags, comments or follows instead of saying something.
    EngagementBait,
    /// A pitch to someone the user has no relationship with.
    ColdPitch,
}

impl Verdict {
    /// The stable lower-case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Fine => "fine",
            Verdict::Promotional => "promotional",
            Verdict::Spammy => "spammy",
            Verdict::EngagementBait => "engagement-bait",
            Verdict::ColdPitch => "cold-pitch",
        }
    }
}

/// One thing in the draft that reads as interruption.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule (or model head) that found it.
    pub rule: RuleId,
    /// Byte range of the text that triggered it; always on char boundaries of the checked text.
    pub span: Range<usize>,
    /// Why it reads as interruption, in a sentence.
    pub reason: String,
    /// What to do instead, concretely.
    pub suggestion: String,
    /// How much it adds to the score, 0 to 1.
    pub severity: f32,
}

/// The result of checking a draft.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// How much the draft reads as interruption, 0 (fine) to 1.
    pub score: f32,
    /// The overall judgement.
    pub verdict: Verdict,
    /// The model heads' raw probabilities.
    pub model: Scores,
    /// What was found, in text order.
    pub findings: Vec<Finding>,
    /// The n-grams that pushed the model's heads up the most, strongest first.
    pub top_ngrams: Vec<NgramHit>,
}
