//! `today`: a short list of relationship-building actions, ranked by value, each with who and why.
//!
//! Five kinds of action, one module each: answer what is waiting (`answer.rs`), thank the people
//! who shared your work (`thank.rs`), reconnect with relationships going cold or overdue for their
//! cadence (`reconnect.rs`), introduce yourself to a like-minded person from discovery
//! (`introduce.rs`), and warm opportunities, someone asking for what you offer
//! (`opportunity.rs`). [`candidates`] computes them all from one [`TodayInputs`]; [`list`] hides
//! the done and snoozed ones and picks a varied few (`rank.rs`).

mod answer;
pub(crate) mod audience;
mod introduce;
mod opportunity;
mod rank;
mod reconnect;
mod thank;

use std::collections::HashMap;

use rapport_model::rows::{AccountRow, InteractionRow, PostRow};
use rapport_model::time::DAY;
use rapport_model::{Network, Stage, Timestamp};
use xxhash_rust::xxh3::xxh3_64;

use crate::PersonSummary;

pub use audience::ADDRESSED_SHARE;
pub use rank::list;
pub use reconnect::{DORMANT, normalise_term};

/// How far back a share still deserves thanks, and an ask is still an opportunity: the engine
/// reads the posts of this window for [`TodayInputs::recent_posts`].
pub const RECENT: Timestamp = 14 * DAY;
/// How many like-minded people discovery offers to meet each day: the engine asks discovery for
/// this many [`TodayInputs::introductions`].
pub const INTRODUCTIONS: usize = 3;

/// The kind of a daily action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// A mention, reply or DM waits for an answer.
    Answer,
    /// Someone shared the user's work.
    Thank,
    /// A relationship is going cold or is overdue for its cadence.
    Reconnect,
    /// A like-minded person the user could meet, through a warm path.
    Introduce,
    /// Someone in the network asks for what the user offers.
    Opportunity,
    /// A dormant tie (silent for more than a year) worth an occasional hello; ranks last.
    Revive,
}

impl ActionKind {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Answer => "answer",
            ActionKind::Thank => "thank",
            ActionKind::Reconnect => "reconnect",
            ActionKind::Introduce => "introduce",
            ActionKind::Opportunity => "opportunity",
            ActionKind::Revive => "revive",
        }
    }
}

/// One thing to do today.
#[derive(Clone, Debug)]
pub struct Action {
    /// A short stable id, for `--done` and `--snooze`.
    pub id: String,
    /// What kind of action.
    pub kind: ActionKind,
    /// Who it is about.
    pub who: String,
    /// The network it happens on.
    pub network: Network,
    /// Why it is on the list.
    pub why: String,
    /// How to go about it.
    pub approach: String,
    /// How much it is worth, for ranking.
    pub value: f64,
    /// When what prompted it happened.
    pub at: Option<Timestamp>,
}

/// Today's list.
#[derive(Clone, Debug)]
pub struct Today {
    /// The moment it describes.
    pub as_of: Timestamp,
    /// The actions, most valuable first.
    pub actions: Vec<Action>,
    /// How many actions are hidden because they are done or snoozed.
    pub hidden: usize,
}

/// How often to be in touch: the ideal and the longest gap, in days (0 for no cadence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cadence {
    /// The ideal number of days between touches.
    pub ideal: u32,
    /// The longest number of days between touches.
    pub max: u32,
}

/// A group of the user's network, as far as cadences need it.
#[derive(Clone, Copy, Debug)]
pub struct GroupOf<'a> {
    /// The terms its name comes from (`#tag`, `"word"`, or a site).
    pub terms: &'a [String],
    /// Its members' person ids.
    pub members: &'a [i64],
}

/// A like-minded person discovery suggests meeting.
#[derive(Clone, Copy, Debug)]
pub struct Introduction<'a> {
    /// Their accounts; the first is the one to meet them on.
    pub accounts: &'a [AccountRow],
    /// Discovery's blended score, 0 to 1.
    pub score: f64,
    /// The user's close ties who follow or talk with them, strongest first.
    pub through: &'a [String],
    /// Discovery's explanation in words.
    pub why: &'a str,
}

/// Everything today's rules look at, as the engine read it from the store for one view.
#[derive(Clone, Copy, Debug)]
pub struct TodayInputs<'a> {
    /// The moment "today" is.
    pub as_of: Timestamp,
    /// The accounts of "me".
    pub me: &'a [i64],
    /// Every relationship of "me" at `as_of`.
    pub people: &'a [PersonSummary],
    /// Every interaction touching "me" up to `as_of` on the view's networks, oldest first.
    pub history: &'a [InteractionRow],
    /// The public posts dated in the [`RECENT`] window ending at `as_of`, on the view's networks.
    pub recent_posts: &'a [PostRow],
    /// The accounts of the recent posts' authors who are not among `people` (for their names).
    pub authors: &'a [AccountRow],
    /// What the user offers, as they wrote it (the `offer` setting).
    pub offer: &'a str,
    /// The cadence of each stage that has one.
    pub stage_cadences: &'a [(Stage, Cadence)],
    /// The group cadences the user set: each term with its cadence.
    pub group_cadences: &'a [(String, Cadence)],
    /// The groups of the network; only read when `group_cadences` is not empty.
    pub groups: &'a [GroupOf<'a>],
    /// Discovery's suggestions of people to meet, best first.
    pub introductions: &'a [Introduction<'a>],
}

/// What several rules look up: each account's person, and the user's last word to each person.
struct Lookup<'a> {
    by_account: HashMap<i64, &'a PersonSummary>,
    last_out: HashMap<i64, Timestamp>,
}

impl<'a> Lookup<'a> {
    fn of(inputs: &TodayInputs<'a>) -> Lookup<'a> {
        let mut by_account: HashMap<i64, &PersonSummary> = HashMap::new();
        for p in inputs.people {
            for a in &p.accounts {
                by_account.insert(a.id, p);
            }
        }
        let last_out = last_outgoing(inputs.history, inputs.me, &by_account);
        Lookup { by_account, last_out }
    }

    /// True when the user has written to `person` at or after `at`: any touch answers.
    fn answered_since(&self, person: i64, at: Timestamp) -> bool {
        self.last_out.get(&person).is_some_and(|&out| out >= at)
    }
}

/// Every action worth suggesting at `inputs.as_of`, before done and snoozed ones are hidden and
/// before ranking.
pub fn candidates(inputs: &TodayInputs<'_>) -> Vec<Action> {
    let lookup = Lookup::of(inputs);
    let mut actions = Vec::new();
    answer::answers(inputs, &lookup, &mut actions);
    thank::thanks(inputs, &lookup, &mut actions);
    reconnect::reconnects(inputs, &mut actions);
    opportunity::opportunities(inputs, &lookup, &mut actions);
    introduce::introductions(inputs, &mut actions);
    actions
}

/// The time of the user's last outgoing interaction with each person.
fn last_outgoing(
    history: &[InteractionRow],
    me: &[i64],
    by_account: &HashMap<i64, &PersonSummary>,
) -> HashMap<i64, Timestamp> {
    let mut last = HashMap::new();
    for i in history {
        if !me.contains(&i.source) || i.kind.is_state() {
            continue;
        }
        let (Some(at), Some(p)) = (i.at, by_account.get(&i.target)) else { continue };
        let entry = last.entry(p.person).or_insert(at);
        *entry = (*entry).max(at);
    }
    last
}

/// A short stable id from what the action is about.
fn action_id(kind: ActionKind, person: i64, anchor: i64) -> String {
    let key = format!("{}:{person}:{anchor}", kind.as_str());
    format!("{:08x}", xxh3_64(key.as_bytes()) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_ids_are_stable() {
        let kinds = [
            ActionKind::Answer,
            ActionKind::Thank,
            ActionKind::Reconnect,
            ActionKind::Introduce,
            ActionKind::Opportunity,
            ActionKind::Revive,
        ];
        let ids: Vec<String> = kinds.iter().map(|&k| action_id(k, -4, 99)).collect();
        for (kind, id) in kinds.iter().zip(&ids) {
            assert_eq!(*id, action_id(*kind, -4, 99), "{kind:?}");
            assert!(id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        }
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), kinds.len(), "every kind has its own id");
        assert_ne!(action_id(ActionKind::Answer, -4, 99), action_id(ActionKind::Answer, -4, 98));
        assert_ne!(action_id(ActionKind::Answer, -4, 99), action_id(ActionKind::Answer, -5, 99));
        // Ids are kept by users (`--done`) across versions: a change of hash breaks them.
        assert_eq!(action_id(ActionKind::Answer, -4, 99), PINNED_ANSWER_ID);
    }

    const PINNED_ANSWER_ID: &str = "92dd1747";
}
