//! The relationships of the circle (`GET /api/v1/accounts/relationships?id[]=…`, 40 accounts a
//! call): whether the account follows each member and is followed back, and whether it blocks or
//! mutes them. Read on every sync, unlike the own lists of follows, blocks and mutes (read whole
//! once an hour), so a block of someone close ends the relationship at the next sync, and an
//! unfollow or unblock takes the follow or block back. The records are those the lists give
//! (undated, without ids), so the two meet without duplicates, and a state that no longer holds
//! is that record undone.

use rapport_model::{Interaction, InteractionKind, Network, Record};
use serde::Deserialize;

use super::Run;
use crate::walk::Phase;
use crate::{Deletion, PhaseSummary, Progress, Result, Target};

/// The endpoint.
const PATH: &str = "/api/v1/accounts/relationships";

/// The most accounts one call asks about.
const BATCH: usize = 40;

/// A `Relationship`: the fields read.
#[derive(Deserialize)]
struct Relationship {
    id: String,
    #[serde(default)]
    following: bool,
    #[serde(default)]
    followed_by: bool,
    #[serde(default)]
    blocking: bool,
    #[serde(default)]
    muting: bool,
}

impl Run<'_, '_> {
    /// The relationships with `members` (local id, actor URI), written as one page.
    pub(super) fn relationships(
        &self,
        target: &mut dyn Target,
        progress: &mut dyn Progress,
        account: &str,
        members: &[(String, String)],
    ) -> Result<PhaseSummary> {
        let mut phase = Phase::new(target, progress, account, "relationships", PATH, 1);
        let (mut records, mut undone) = (Vec::new(), Vec::new());
        for chunk in members.chunks(BATCH) {
            let query: Vec<(&str, &str)> =
                chunk.iter().map(|(id, _)| ("id[]", id.as_str())).collect();
            let (found, _, _): (Vec<Relationship>, _, _) = self.get(PATH, &query)?;
            for r in found {
                phase.summary.read += 1;
                // Only the accounts asked about: a server cannot slip others in.
                let Some((_, actor)) = chunk.iter().find(|(id, _)| *id == r.id) else {
                    phase.summary.skip(format!(
                        "a relationship with account {} not asked about",
                        crate::quote(&r.id)
                    ));
                    continue;
                };
                let me = self.me.actor.as_str();
                let states = [
                    (r.following, me, actor.as_str(), InteractionKind::Follow),
                    (r.followed_by, actor.as_str(), me, InteractionKind::Follow),
                    (r.blocking, me, actor.as_str(), InteractionKind::Block),
                    (r.muting, me, actor.as_str(), InteractionKind::Mute),
                ];
                for (holds, source, target, kind) in states {
                    let state = Interaction::new(Network::Mastodon, None, source, target, kind);
                    if holds {
                        records.push(Record::Interaction(state));
                    } else {
                        undone.push(Deletion::Undone(state));
                    }
                }
            }
        }
        if !members.is_empty() {
            phase.apply(&records, &undone, "")?;
        }
        Ok(phase.finish())
    }
}
