//! The report's input: plain data the engine fills in and the renderer only reads.
//!
//! Nothing here is computed by the renderer except what follows from the numbers themselves (sums,
//! ratios, the latest month), so every figure on the page can be traced back to one field.

use rapport_model::Timestamp;

/// Everything the report shows, for one user at one point in time.
///
/// Every list may be empty: its section then says that there is no data yet instead of drawing an
/// empty chart. Monthly series are in chronological order, one point per month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportData {
    /// The page title, e.g. "Ada's relationships".
    pub title: String,
    /// The user's accounts the report covers, e.g. `@ada@mastodon.social`.
    pub accounts: Vec<String>,
    /// The "now" of the report (Unix seconds): the last timestamp in the store or `--as-of`.
    pub as_of: Timestamp,
    /// The headline counts at the as-of time.
    pub headline: Headline,
    /// How many relationships were in each stage at the end of each month.
    pub stages: Vec<StagePoint>,
    /// The relationships whose strength rose most against 90 days ago, strongest rise first.
    pub warming: Vec<Mover>,
    /// The relationships whose strength fell most against 90 days ago, steepest fall first.
    pub cooling: Vec<Mover>,
    /// What the user gave and asked each month.
    pub give_ask: Vec<GiveAskPoint>,
    /// How many of the user's own posts were promotional each month.
    pub promotional: Vec<PromotionalPoint>,
    /// The promotional share the audit holds the user to (e.g. 0.2), drawn as a guideline.
    pub promotional_limit: Option<f64>,
    /// The communities in the user's network, largest or most relevant first.
    pub groups: Vec<Group>,
    /// Like-minded people the user does not know yet, best first.
    pub discover: Vec<Suggestion>,
    /// Today's actions, most valuable first.
    pub today: Vec<Action>,
    /// What the audit found in the user's own history.
    pub audit: Vec<Finding>,
}

/// The headline counts at the as-of time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headline {
    /// People the user has any relationship with (every stage but stranger).
    pub people: u64,
    /// Interactions on record.
    pub interactions: u64,
    /// Posts the user wrote.
    pub posts: u64,
    /// Relationships in the mutual stage.
    pub mutual: u64,
    /// Relationships in the close stage.
    pub close: u64,
    /// Relationships whose strength rose against 90 days ago.
    pub warming: u64,
    /// Relationships whose strength fell against 90 days ago.
    pub cooling: u64,
    /// Relationships whose other side no source shows (one-sided exports): whether they are
    /// mutual or close is unknown, so the counts above are a floor.
    pub one_sided: u64,
}

/// The number of relationships in each stage, from stranger to close.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageCounts {
    /// No relationship, or a blocked one.
    pub stranger: u32,
    /// A follow, like or repost, but no conversation.
    pub aware: u32,
    /// Conversation one way.
    pub engaged: u32,
    /// Conversation both ways.
    pub mutual: u32,
    /// Sustained, reciprocal, private and current.
    pub close: u32,
}

/// The stage counts at the end of one month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StagePoint {
    /// Any instant in the month (its first second, by convention); only year and month are shown.
    pub month: Timestamp,
    /// The counts.
    pub counts: StageCounts,
}

/// One relationship that is warming or cooling.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mover {
    /// The person's display name or handle.
    pub name: String,
    /// The network(s) the relationship lives on, e.g. `mastodon` or `mastodon, x`.
    pub network: String,
    /// The current stage, lower case: `stranger`, `aware`, `engaged`, `mutual` or `close`.
    pub stage: String,
    /// Strength now, 0 to 1.
    pub strength_now: f64,
    /// Strength 90 days before the as-of time, 0 to 1.
    pub strength_90d_ago: f64,
    /// The last interaction in either direction, if any.
    pub last_interaction: Option<Timestamp>,
    /// A short note, e.g. what they last talked about.
    pub note: String,
}

/// The give/ask ledger for one month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GiveAskPoint {
    /// Any instant in the month.
    pub month: Timestamp,
    /// Gives: replies, thanks, shares, help.
    pub given: u32,
    /// Asks: pitches, requests.
    pub asked: u32,
}

/// The user's own posts in one month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PromotionalPoint {
    /// Any instant in the month.
    pub month: Timestamp,
    /// Posts the user wrote that month.
    pub posts: u32,
    /// How many of them were promotional (at most `posts`; more is clamped).
    pub promotional: u32,
}

/// One community in the user's network.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    /// The group's name: its most distinctive hashtags or words.
    pub keywords: Vec<String>,
    /// How many people are in it.
    pub size: u32,
    /// The members the user is closest to, closest first.
    pub closest: Vec<String>,
    /// How engaged the user is with the group, 0 to 1 (e.g. the share of its members they talk with).
    pub engagement: f64,
}

/// A like-minded person to get to know.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Suggestion {
    /// The person's handle.
    pub handle: String,
    /// How good a match they are; any non-negative scale, drawn relative to the best suggestion.
    pub score: f64,
    /// Why: who connects you, what you share.
    pub why: String,
}

/// One of today's actions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Action {
    /// The kind, lower case: `answer`, `thank`, `reconnect`, `introduce` or `opportunity` (others
    /// are shown as given).
    pub kind: String,
    /// Who the action is about.
    pub who: String,
    /// Why it matters now.
    pub why: String,
    /// A suggested approach: what to say or do.
    pub approach: String,
}

/// One audit finding: a rule the user's history breaks, how often, with examples.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Finding {
    /// The rule id, as in `rapport check`.
    pub rule: String,
    /// A one-line title.
    pub title: String,
    /// How much it matters, 0 to 1 (as in `rapport check`).
    pub severity: f32,
    /// How many times it happened.
    pub count: u64,
    /// A few examples.
    pub examples: Vec<Example>,
}

/// One example of an audit finding.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Example {
    /// When it happened, if known.
    pub date: Option<Timestamp>,
    /// The text (or a link) of the post or message.
    pub text: String,
}
