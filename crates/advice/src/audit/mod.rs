//! `audit`: the user's own history held against the rules of social media, each finding with
//! examples and the rule id from the check.
//!
//! The findings, one module each: the share of promotional posts per 30-day window (the common
//! "one in five" guideline) and engagement bait (`posts.rs`), signs of automation
//! (`automation.rs`), mentions and messages left unanswered and the median time to answer
//! (`responses.rs`), cold pitches sent and copy-paste outreach (`outreach.rs`), and
//! relationships where the user asked more than they gave (`ask_give.rs`).

mod ask_give;
mod automation;
mod outreach;
mod posts;
mod responses;

use rapport_check::{Context, Model};
use rapport_model::Timestamp;
use rapport_model::rows::{InteractionRow, PostRow};

use crate::PersonSummary;

pub use posts::PROMOTIONAL_LIMIT;

/// How many examples a finding carries.
const EXAMPLES: usize = 5;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Worth changing.
    Warning,
    /// Hurts relationships now.
    Serious,
}

impl Severity {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Serious => "serious",
        }
    }
}

/// One example behind a finding.
#[derive(Clone, Debug)]
pub struct Example {
    /// When.
    pub at: Option<Timestamp>,
    /// The text, or what happened.
    pub text: String,
}

/// One finding of the audit.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule id (the check's, or `audit.*` for habits no single message shows).
    pub rule: String,
    /// What the finding is, in a few words.
    pub title: String,
    /// How bad it is.
    pub severity: Severity,
    /// How many times it happened.
    pub count: usize,
    /// What it means and what to do.
    pub detail: String,
    /// A few of the cases.
    pub examples: Vec<Example>,
}

/// One 30-day window of the user's public posts.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// The window's end.
    pub end: Timestamp,
    /// Public posts in it.
    pub posts: usize,
    /// Of which promotional, spammy or bait.
    pub promotional: usize,
}

/// The audit's result.
#[derive(Clone, Debug)]
pub struct Audit {
    /// The moment it describes.
    pub as_of: Timestamp,
    /// The findings, most serious first.
    pub findings: Vec<Finding>,
    /// The promotional share per 30-day window, oldest first.
    pub windows: Vec<Window>,
    /// The median time to answer a mention, reply or DM, in seconds, when any were answered.
    pub median_response: Option<Timestamp>,
}

/// Everything the audit looks at, as the engine read it from the store for one view.
#[derive(Clone, Copy, Debug)]
pub struct AuditInputs<'a> {
    /// The moment of the audit.
    pub as_of: Timestamp,
    /// The accounts of "me".
    pub me: &'a [i64],
    /// Every relationship of "me" at `as_of`.
    pub people: &'a [PersonSummary],
    /// Every interaction touching "me" up to `as_of` on the view's networks, oldest first
    /// (undated first): the outreach findings replay it in this order.
    pub history: &'a [InteractionRow],
    /// The posts of "me" up to `as_of` on the view's networks; the audit reads the public ones
    /// that start a thread.
    pub posts: &'a [PostRow],
}

/// Holds the user's own history against the rules of social media.
pub fn audit(inputs: &AuditInputs<'_>) -> Audit {
    let (me, as_of) = (inputs.me, inputs.as_of);
    let posts: Vec<&PostRow> =
        inputs.posts.iter().filter(|p| !p.private && p.reply_to.is_none()).collect();
    let model = Model::embedded();
    let checked: Vec<posts::Checked<'_>> = posts
        .iter()
        .map(|p| (*p, rapport_check::check(&p.text, &Context::default(), model)))
        .collect();
    let mut findings = Vec::new();
    let windows = posts::windows(&checked, as_of);
    posts::promotional_share(&windows, &checked, &mut findings);
    posts::bait(&checked, &mut findings);
    let median_response = responses::responses(inputs.history, me, as_of, &mut findings);
    outreach::outreach(inputs.history, me, model, &mut findings);
    automation::automation(&posts, &mut findings);
    ask_give::ask_give(inputs.people, &mut findings);
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| b.count.cmp(&a.count)));
    Audit { as_of, findings, windows, median_response }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{ME, NOW, post};

    #[test]
    fn severities_order() {
        assert!(Severity::Serious > Severity::Warning && Severity::Warning > Severity::Info);
    }

    #[test]
    fn only_public_posts_that_start_a_thread_are_audited_and_findings_are_ordered() {
        let pitch = "Buy now! 50% off everything in our shop today only, click the link";
        let mut posts: Vec<PostRow> = (0..4).map(|k| post(k, ME, k as f64, pitch)).collect();
        posts[0].private = true;
        posts[1].reply_to = Some("p9".into());
        let inputs =
            AuditInputs { as_of: NOW, me: &[ME], people: &[], history: &[], posts: &posts };
        let got = audit(&inputs);
        assert_eq!(got.windows.iter().map(|w| w.posts).sum::<usize>(), 2);
        let order: Vec<Severity> = got.findings.iter().map(|f| f.severity).collect();
        let mut sorted = order.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(order, sorted);
    }
}
