//! Rows, people and inputs written by hand for the rules' tests: "me" is account 100, every
//! other person is one account `id` (person `-id`), and "now" is 2023-11-14.

use rapport_model::rows::{AccountRow, InteractionRow, PostRow};
use rapport_model::time::DAY;
use rapport_model::{Direction, InteractionKind, Network, Stage, Timestamp};
use rapport_score::{
    FEATURE_COUNT, Features, Investment, KindCounts, LastInteraction, Ledger, OneSided, OtherSide,
    Relationship, Trend,
};

use crate::PersonSummary;
use crate::today::{ActionKind, Cadence, GroupOf, Introduction, TodayInputs, candidates};

/// The account of "me".
pub(crate) const ME: i64 = 100;
/// The moment of every test: 2023-11-14 22:13:20 UTC.
pub(crate) const NOW: Timestamp = 1_700_000_000;

pub(crate) fn at_days_ago(days: f64) -> Timestamp {
    NOW - (days * DAY as f64) as Timestamp
}

pub(crate) fn account(id: i64, handle: &str) -> AccountRow {
    AccountRow {
        id,
        network: Network::Mastodon,
        native_id: format!("n{id}"),
        handle: Some(handle.into()),
        display_name: None,
        url: None,
        bot: false,
        person: -id,
        is_me: id == ME,
    }
}

/// Someone with one account, at `strength` and `stage`, steady, never contacted.
pub(crate) fn person(id: i64, handle: &str, strength: f64, stage: Stage) -> PersonSummary {
    PersonSummary {
        person: -id,
        accounts: vec![account(id, handle)],
        relationship: Relationship {
            other: id as u32,
            strength,
            strength_30d_ago: strength,
            strength_90d_ago: strength,
            trend: Trend::Steady,
            trend_change: 0.0,
            stage,
            last: None,
            counts: KindCounts::default(),
            reciprocity: 0.0,
            first_contact: None,
            shared_connections: 0,
            ledger: Ledger::default(),
            blocked: false,
            features: Features { values: [0.0; FEATURE_COUNT] },
            investment: Investment::default(),
            other_side: OtherSide::Seen,
            one_sided: OneSided::default(),
        },
    }
}

/// A last contact `days` ago, a reply from "me".
pub(crate) fn last_contact(days: f64) -> LastInteraction {
    LastInteraction {
        at: at_days_ago(days),
        kind: InteractionKind::Reply,
        direction: Direction::Out,
    }
}

fn interaction(
    id: i64,
    (source, target): (i64, i64),
    kind: InteractionKind,
    days: f64,
    text: &str,
) -> InteractionRow {
    InteractionRow {
        id,
        network: Network::Mastodon,
        kind,
        source,
        target,
        at: Some(at_days_ago(days)),
        post_id: None,
        reply_to: None,
        text: (!text.is_empty()).then(|| text.to_owned()),
    }
}

/// Interaction `id` from account `from` to "me", `days` ago.
pub(crate) fn incoming(
    id: i64,
    from: i64,
    kind: InteractionKind,
    days: f64,
    text: &str,
) -> InteractionRow {
    interaction(id, (from, ME), kind, days, text)
}

/// Interaction `id` from "me" to account `to`, `days` ago.
pub(crate) fn outgoing(
    id: i64,
    to: i64,
    kind: InteractionKind,
    days: f64,
    text: &str,
) -> InteractionRow {
    interaction(id, (ME, to), kind, days, text)
}

/// A public post `id` by account `author`, `days` ago.
pub(crate) fn post(id: i64, author: i64, days: f64, text: &str) -> PostRow {
    PostRow {
        id,
        network: Network::Mastodon,
        native_id: format!("p{id}"),
        author,
        at: Some(at_days_ago(days)),
        text: text.into(),
        hashtags: Vec::new(),
        links: Vec::new(),
        reply_to: None,
        private: false,
    }
}

/// The owned data behind a [`TodayInputs`] for "me" at [`NOW`].
#[derive(Default)]
pub(crate) struct Setup<'a> {
    pub(crate) people: Vec<PersonSummary>,
    pub(crate) history: Vec<InteractionRow>,
    pub(crate) recent_posts: Vec<PostRow>,
    pub(crate) authors: &'a [AccountRow],
    pub(crate) offer: String,
    pub(crate) stage_cadences: Vec<(Stage, Cadence)>,
    pub(crate) group_cadences: Vec<(String, Cadence)>,
    pub(crate) groups: Vec<GroupOf<'a>>,
    pub(crate) introductions: Vec<Introduction<'a>>,
}

impl Setup<'_> {
    pub(crate) fn inputs(&self) -> TodayInputs<'_> {
        TodayInputs {
            as_of: NOW,
            me: &[ME],
            people: &self.people,
            history: &self.history,
            recent_posts: &self.recent_posts,
            authors: self.authors,
            offer: &self.offer,
            stage_cadences: &self.stage_cadences,
            group_cadences: &self.group_cadences,
            groups: &self.groups,
            introductions: &self.introductions,
        }
    }
}

impl Setup<'_> {
    /// The reasons and values of the candidate actions of `kind`, in the order computed.
    pub(crate) fn actions_of(&self, kind: ActionKind) -> Vec<(String, f64)> {
        candidates(&self.inputs())
            .into_iter()
            .filter(|a| a.kind == kind)
            .map(|a| (a.why, a.value))
            .collect()
    }
}

/// Checks that `got` holds one action with the reason and value `want`, or none.
pub(crate) fn assert_one(name: &str, got: &[(String, f64)], want: Option<(&str, f64)>) {
    match want {
        None => assert!(got.is_empty(), "{name}: {got:?}"),
        Some((why, value)) => {
            assert_eq!(got.len(), 1, "{name}: {got:?}");
            assert_eq!(got[0].0, why, "{name}");
            assert!((got[0].1 - value).abs() < 1e-9, "{name}: {} != {value}", got[0].1);
        }
    }
}
