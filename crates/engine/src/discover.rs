//! `discover`: people who share the user's passions, found through the circle of trust (the
//! strongest ties, and whom they follow) and through shared interests, each with the why.

use std::borrow::Borrow;
use std::collections::HashMap;

use rapport_graph::Csr;
use rapport_graph::algo::calibrate::{CalibrationParams, calibrate_circle};
use rapport_graph::algo::salsa::{CircleParams, who_to_follow};
use rapport_score::Stage;
use rapport_store::Read;

use rapport_model::Timestamp;
use rapport_store::Store;

use crate::blend::{self, KeptBlend};
use crate::events::EventSet;
use crate::network::{Network, build};
use crate::{AccountRow, Error, People, Result, Snapshot, View, derived};
use rapport_score::interests::Term;

/// How to discover (the view says for whom and as of when).
#[derive(Clone, Debug, Default)]
pub struct DiscoverQuery {
    /// Find people like this person instead of like "me" (still excluding whom "me" follows).
    pub like: Option<String>,
    /// Only people who post about this hashtag.
    pub topic: Option<String>,
    /// At most this many suggestions.
    pub limit: usize,
}

/// One suggested person, with why.
#[derive(Clone, Debug)]
pub struct Suggestion {
    /// Their accounts.
    pub accounts: Vec<AccountRow>,
    /// The blended score, 0 to 1.
    pub score: f64,
    /// The circle-of-trust score, normalised to the best candidate.
    pub trust: f64,
    /// The interest similarity, 0 to 1.
    pub interest: f64,
    /// The user's close ties who follow or talk with them, strongest first.
    pub through: Vec<String>,
    /// What the user and they both post about, strongest first.
    pub shared: Vec<String>,
    /// The explanation in words.
    pub why: String,
}

impl Suggestion {
    /// The name to show.
    pub fn label(&self) -> String {
        self.accounts.first().map_or_else(String::new, AccountRow::label)
    }
}

/// How much the circle of trust counts against shared interests.
const TRUST_WEIGHT: f64 = 0.6;
/// How many graph candidates are blended with interests.
const CANDIDATES: usize = 300;

/// How many suggestions of the default query are kept in the store; asking for more computes them.
const KEPT: usize = 100;

impl Snapshot<'_> {
    /// People the user does not follow yet, ranked by a blend of circle-of-trust score and
    /// interest similarity, each with the why.
    pub fn discover(&self, view: &View, query: &DiscoverQuery) -> Result<Vec<Suggestion>> {
        // The listing is only read when the ranking is computed, not when it is kept.
        self.discover_for(view, query, || self.all_people(view))
    }

    /// Discovery from `view`, with `people` giving the relationships when the ranking must be
    /// computed (today's list has them already). The ranking with no topic or other seed is kept
    /// for views of now.
    pub(crate) fn discover_for<P: Borrow<People>>(
        &self,
        view: &View,
        query: &DiscoverQuery,
        people: impl FnOnce() -> Result<P>,
    ) -> Result<Vec<Suggestion>> {
        let plain = query.like.is_none() && query.topic.is_none();
        if !plain || query.limit > KEPT {
            return self.rank(view, query, people()?.borrow());
        }
        let kept_query = DiscoverQuery { limit: KEPT, ..query.clone() };
        let suggestions = self.view_of(
            "discover",
            view,
            "",
            || self.rank(view, &kept_query, people()?.borrow()),
            derived::encode_suggestions,
            derived::decode_suggestions,
        )?;
        Ok(suggestions.iter().take(query.limit).cloned().collect())
    }

    /// The blend of the circle's signals for `network` (the graph of `set` at `as_of`), chosen on
    /// the network itself by hiding some of its own follows and keeping the blend that finds them
    /// best (seeded, so deterministic).
    ///
    /// The blend is a property of the network, not of whose view it is: it is always chosen on
    /// the network as the user's own accounts see it (views differ only in which accounts are one
    /// node). It is kept state (see `blend`): chosen when first needed on the network as it stands,
    /// kept across generations of the data, and chosen again when it is a week old by the data's
    /// clock or the network's size moved by more than a tenth. Every view reads the same row, kept
    /// or computed afresh; a view of a past moment the kept blend is not current for chooses one
    /// on the network of that moment and keeps nothing.
    fn circle(
        &self,
        view: &View,
        network: &Network,
        set: &EventSet,
        as_of: Timestamp,
    ) -> Result<CircleParams> {
        let key = blend::key(view.network, &derived::build_id());
        let size = blend::network_size(set.events.iter().map(|e| e.at), as_of);
        let seen = self.store.kept_state(&key)?;
        let kept = seen.as_deref().and_then(KeptBlend::decode);
        if let Some(kept) = kept.filter(|k| k.is_current(as_of, size)) {
            return Ok(kept.circle);
        }
        let calibrate = |csr: &Csr| {
            calibrate_circle(csr, &CircleParams::default(), &CalibrationParams::default())
        };
        let circle = if view.as_account.is_none() {
            calibrate(&network.csr)
        } else {
            let me: Vec<i64> = match self.me(None) {
                Ok(accounts) => accounts.iter().map(|a| a.id).collect(),
                Err(Error::NoMe) => Vec::new(),
                Err(e) => return Err(e),
            };
            let own = self.event_set(view.network, &me)?;
            calibrate(&build(&own, own.me(), as_of).csr)
        };
        if view.as_of.is_some() {
            return Ok(circle);
        }
        tracing::debug!(size, "discover's blend chosen again");
        let chosen = KeptBlend { chosen_at: as_of, size, circle };
        // Two readers that found the blend due choose the same one on the same data; whichever
        // keeps it first, both use what the store holds afterwards.
        match self.engine.store.replace_kept_state(&key, seen.as_deref(), &chosen.encode()) {
            Ok(body) => Ok(KeptBlend::decode(&body)
                .filter(|k| k.is_current(as_of, size))
                .map_or(circle, |k| k.circle)),
            Err(err) => {
                tracing::warn!(%err, "could not keep discover's blend in the store");
                Ok(circle)
            }
        }
    }

    /// Ranks candidates from the store's network and posts.
    #[tracing::instrument(level = "debug", skip_all)]
    fn rank(&self, view: &View, query: &DiscoverQuery, people: &People) -> Result<Vec<Suggestion>> {
        let events = self.events(&self.seen(view)?)?;
        let (set, me, as_of) = (&events.set, events.me, events.as_of);
        let seed = match &query.like {
            Some(handle) => self.node_of_handle(set, handle)?,
            None => me,
        };
        let network = build(set, Some(me), as_of);
        // The listing names persons; the graph knows them as this event set's nodes.
        let known = people.people.iter().filter_map(|p| {
            set.node_of(p.person).map(|node| (node, p.relationship.strength, p.relationship.stage))
        });
        let strength: HashMap<u32, f64> = known.clone().map(|(v, s, _)| (v, s)).collect();
        let close: HashMap<u32, Stage> = known.map(|(v, _, stage)| (v, stage)).collect();
        // In node order, not the map's: the circle's sums then add up in the same order on every
        // run, and equal inputs give bit-for-bit equal scores.
        let mut ties: Vec<(u32, f64)> =
            if seed == me { strength.iter().map(|(k, v)| (*k, *v)).collect() } else { Vec::new() };
        ties.sort_unstable_by_key(|t| t.0);
        let circle = self.circle(view, &network, set, as_of)?;
        let graph = who_to_follow(&network.csr, seed, &ties, &circle, CANDIDATES);
        let interests = self.interests(set, as_of)?;
        let best_trust = graph.first().map_or(1.0, |c| c.1).max(f64::MIN_POSITIVE);
        let mut candidates: HashMap<u32, (f64, f64)> =
            graph.into_iter().map(|(v, s)| (v, (s / best_trust, 0.0))).collect();
        // People who post about the same things, even with no path through the circle.
        let mut by_interest: Vec<(u32, f64)> = interests
            .nodes()
            .map(|v| (v, interests.shared(seed, v).0))
            .filter(|(_, s)| *s > 0.0)
            .collect();
        by_interest.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (v, _) in by_interest.into_iter().take(CANDIDATES) {
            candidates.entry(v).or_insert((0.0, 0.0));
        }
        let followed: Vec<u32> = network.csr.out_neighbors(me).to_vec();
        let mut ranked: Vec<(u32, f64, f64, f64, Vec<Term>)> = candidates
            .into_iter()
            .filter(|(v, _)| *v != me && *v != seed && !network.excluded.contains(v))
            .filter(|(v, _)| followed.binary_search(v).is_err())
            .filter(|(v, _)| {
                query.topic.as_deref().is_none_or(|t| {
                    interests.has_tag(*v, &t.trim_start_matches('#').to_lowercase())
                })
            })
            .map(|(v, (trust, _))| {
                let (interest, shared) = interests.shared(seed, v);
                let score = TRUST_WEIGHT * trust + (1.0 - TRUST_WEIGHT) * interest.min(1.0);
                (v, score, trust, interest, shared)
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out = Vec::new();
        for (v, score, trust, interest, shared) in ranked {
            if out.len() >= query.limit {
                break;
            }
            let accounts = self.node_accounts(set, v)?;
            if accounts.is_empty() || accounts.iter().any(|a| a.bot) {
                continue;
            }
            // The user's closest ties with an edge to the candidate: the warm path.
            let mut through: Vec<(u32, f64)> = network
                .csr
                .in_neighbors(v)
                .unwrap_or_default()
                .iter()
                .filter(|u| close.get(u).is_some_and(|s| *s >= Stage::Engaged))
                .map(|u| (*u, strength.get(u).copied().unwrap_or(0.0)))
                .collect();
            through.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let through_names: Vec<String> = through
                .iter()
                .take(4)
                .filter_map(|(u, _)| {
                    self.node_accounts(set, *u).ok()?.first().map(AccountRow::label)
                })
                .collect();
            let shared_names: Vec<String> = shared.iter().take(3).map(Term::label).collect();
            let mut why = Vec::new();
            if !through_names.is_empty() {
                why.push(format!(
                    "followed by {} of the people you talk with ({})",
                    through.len(),
                    through_names.join(", ")
                ));
            }
            if !shared_names.is_empty() {
                why.push(format!("you both post about {}", shared_names.join(" and ")));
            }
            if why.is_empty() {
                why.push("close to you in the network".into());
            }
            out.push(Suggestion {
                accounts,
                score,
                trust,
                interest,
                through: through_names,
                shared: shared_names,
                why: why.join("; "),
            });
        }
        Ok(out)
    }

    /// The node of the person `handle` names.
    fn node_of_handle(&self, set: &EventSet, handle: &str) -> Result<u32> {
        self.store
            .find_accounts(handle)?
            .iter()
            .find_map(|a| set.node_of(a.person))
            .ok_or_else(|| Error::UnknownAccount { query: handle.to_owned() })
    }

    /// The accounts of one node.
    pub(crate) fn node_accounts(&self, set: &EventSet, node: u32) -> Result<Vec<AccountRow>> {
        let ids: Vec<i64> = set.accounts_of(node).collect();
        let mut accounts = self.store.accounts(&ids)?;
        accounts.sort_by_key(|a| a.id);
        Ok(accounts)
    }
}

#[cfg(test)]
mod tests {
    use rapport_model::{Interaction, InteractionKind, Record};

    use super::*;
    use crate::sample::SampleSpec;
    use crate::{Config, Engine, PeopleQuery};

    /// The blend kept for "me" on every network: when it was chosen, and on how large a network.
    fn kept(engine: &Engine) -> (Timestamp, u64) {
        let snapshot = engine.read().unwrap();
        let body = snapshot.store.kept_state(&blend::key(None, &derived::build_id())).unwrap();
        let blend = KeptBlend::decode(&body.expect("a blend is kept")).unwrap();
        (blend.chosen_at, blend.size)
    }

    /// Writes `n` likes from "me" to the sample's ties, `hours` after the data's "now".
    fn batch(engine: &Engine, k: usize, n: usize, hours: i64) -> Timestamp {
        let snapshot = engine.read().unwrap();
        let me = snapshot.me(None).unwrap()[0].clone();
        let people = snapshot.people(&View::default(), &PeopleQuery::default()).unwrap();
        let ties: Vec<&AccountRow> = people
            .people
            .iter()
            .flat_map(|p| &p.accounts)
            .filter(|a| a.network == me.network)
            .collect();
        let at = people.as_of + hours * 3600;
        let records: Vec<Record> = (0..n)
            .map(|i| {
                let tie = &ties[i % ties.len()].native_id;
                let at = Some(at + i as i64);
                Record::Interaction(Interaction::new(
                    me.network,
                    at,
                    &me.native_id,
                    tie,
                    InteractionKind::Like,
                ))
            })
            .collect();
        drop(snapshot);
        engine.sync_write("blend", "test", &records, &k.to_string()).unwrap();
        assert!(engine.refresh_views().unwrap());
        at + n as i64 - 1
    }

    #[test]
    fn the_blend_is_kept_across_batches_and_chosen_again_after_a_week_or_a_tenth() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(&Config::with_db(dir.path().join("blend.db"))).unwrap();
        engine.load_sample(&SampleSpec { people: 40, ..SampleSpec::default() }).unwrap();
        assert!(engine.refresh_views().unwrap());
        let (chosen_at, size) = kept(&engine);
        // A small batch a day later: the same blend.
        batch(&engine, 1, 5, 24);
        assert_eq!(kept(&engine), (chosen_at, size));
        // Eight days after it was chosen, by the data's clock: chosen again, on today's network.
        let now = batch(&engine, 2, 5, 7 * 24);
        assert_eq!(kept(&engine), (now, size + 10));
        // More than a tenth more interactions within the week: chosen again.
        let grown = usize::try_from(size / 10).unwrap() + 20;
        let now = batch(&engine, 3, grown, 1);
        assert_eq!(kept(&engine), (now, size + 10 + grown as u64));
        // A fresh engine reads the same blend and chooses nothing.
        let fresh = Engine::open(&Config::with_db(dir.path().join("blend.db"))).unwrap();
        fresh
            .read()
            .unwrap()
            .discover(&View::default(), &DiscoverQuery { limit: 5, ..DiscoverQuery::default() })
            .unwrap();
        assert_eq!(kept(&fresh), (now, size + 10 + grown as u64));
    }
}
