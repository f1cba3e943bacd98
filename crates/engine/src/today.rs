//! `today`: reads what today's rules look at (the relationships, the history touching "me", the
//! recent posts, the settings, the groups and discovery's suggestions) and hands it to
//! `rapport_advice::today`, which computes the actions. Done and snoozed actions stay hidden; an
//! action the user has done in the network (a reply, a DM) resolves itself on the next import.

use std::collections::HashSet;
use std::sync::Arc;

use rapport_advice::today::{self, GroupOf, INTRODUCTIONS, Introduction, RECENT, TodayInputs};
use rapport_advice::{Action, Today};
use rapport_model::Timestamp;
use rapport_score::Stage;
use rapport_store::{ActionState, Read, Store};
use xxhash_rust::xxh3::xxh3_64;

use crate::{DiscoverQuery, Engine, Error, Result, Snapshot, View, derived};

/// How to compute today's list (the view says for whom, and which moment is "today").
#[derive(Clone, Debug, Default)]
pub struct TodayQuery {
    /// At most this many actions.
    pub limit: usize,
}

/// Today's candidate actions at one moment, as kept in the store.
pub(crate) struct Candidates {
    pub(crate) as_of: Timestamp,
    pub(crate) actions: Vec<Action>,
}

impl Engine {
    /// Marks an action done: it is not shown again.
    pub fn mark_done(&self, id: &str) -> Result<()> {
        Ok(self.store.set_action_state(&check_id(id)?, ActionState::Done, None)?)
    }

    /// Hides an action until `until`.
    pub fn snooze(&self, id: &str, until: Timestamp) -> Result<()> {
        Ok(self.store.set_action_state(&check_id(id)?, ActionState::Snoozed, Some(until))?)
    }
}

impl Snapshot<'_> {
    /// Today's actions, most valuable first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn today(&self, view: &View, query: &TodayQuery) -> Result<Today> {
        // The candidates depend on the data and on the settings (offer, cadences), so the
        // settings are part of the key; done and snoozed states are applied afresh below.
        let settings = format!("{:016x}", xxh3_64(self.settings_fingerprint()?.as_bytes()));
        let candidates = self.view_of(
            "today",
            view,
            &settings,
            || self.candidates(view),
            derived::encode_candidates,
            derived::decode_candidates,
        )?;
        let states = self.store.action_states()?;
        Ok(today::list(candidates.as_of, &candidates.actions, &states, query.limit))
    }

    /// Every action worth suggesting at the view's moment, before done and snoozed ones are
    /// hidden and before ranking.
    #[tracing::instrument(level = "debug", skip_all)]
    fn candidates(&self, view: &View) -> Result<Candidates> {
        let people = self.all_people(view)?;
        let as_of = people.as_of;
        let me = self.seen(view)?.ids;
        let history = self.history(&me, as_of)?;
        let history = view.seen_part(&history);
        let mut recent_posts = self.store.posts_between(as_of - RECENT, as_of)?;
        recent_posts.retain(|p| view.sees(p.network));
        // The names of the recent posts' authors the listing does not hold.
        let known: HashSet<i64> =
            people.people.iter().flat_map(|p| &p.accounts).map(|a| a.id).collect();
        let mut strangers: Vec<i64> =
            recent_posts.iter().map(|p| p.author).filter(|a| !known.contains(a)).collect();
        strangers.sort_unstable();
        strangers.dedup();
        let authors = self.store.accounts(&strangers)?;
        let offer = self.setting("offer")?;
        let mut stage_cadences = Vec::new();
        for stage in Stage::ALL {
            if let Some(cadence) = self.cadence(stage)? {
                stage_cadences.push((stage, cadence));
            }
        }
        let group_cadences = self.group_cadences()?;
        // Groups cost a community detection: only computed when a group has a cadence.
        let groups = if group_cadences.is_empty() { Vec::new() } else { self.groups(view)? };
        let groups: Vec<GroupOf<'_>> =
            groups.iter().map(|g| GroupOf { terms: &g.terms, members: &g.members }).collect();
        let discover = DiscoverQuery { limit: INTRODUCTIONS, ..DiscoverQuery::default() };
        let suggestions = self.discover_for(view, &discover, || Ok(Arc::clone(&people)))?;
        let introductions: Vec<Introduction<'_>> = suggestions
            .iter()
            .map(|s| Introduction {
                accounts: &s.accounts,
                score: s.score,
                through: &s.through,
                why: &s.why,
            })
            .collect();
        let actions = today::candidates(&TodayInputs {
            as_of,
            me: &me,
            people: &people.people,
            history: &history,
            recent_posts: &recent_posts,
            authors: &authors,
            offer: &offer,
            stage_cadences: &stage_cadences,
            group_cadences: &group_cadences,
            groups: &groups,
            introductions: &introductions,
        });
        Ok(Candidates { as_of, actions })
    }
}

fn check_id(id: &str) -> Result<String> {
    let id = id.trim().to_ascii_lowercase();
    if id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(id)
    } else {
        Err(Error::InvalidActionId { id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_ids_are_checked() {
        for (id, ok) in
            [("92dd1747", true), (" 92DD1747 ", true), ("nope", false), ("92dd174", false)]
        {
            assert_eq!(check_id(id).is_ok(), ok, "{id}");
        }
    }
}
