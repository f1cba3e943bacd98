//! One relationship's two sides as events: all that scoring a pair reads (the pair itself, each
//! side's own activity and neighbours), read from the store without scanning the rest of it.
//!
//! A person page used to build the event set of the whole store and keep the part touching the
//! pair; on a store of 10,000 contacts that read was most of its time (on PostgreSQL above all,
//! where every row crosses a socket). Here the part is read directly: the interactions of "me"'s
//! accounts and of the person's, and the data's newest timestamp (the view's "now"). Scored with
//! its nodes numbered by person, as the listing scores the whole set (see `EventSet::by_person`),
//! the part gives the same figures to the bit.

use std::sync::Arc;

use rapport_model::{Network, Timestamp};
use rapport_score::Event;
use rapport_store::Read;

use crate::events::{EventSet, EventSetBuilder};
use crate::people::no_history;
use crate::view::Seen;
use crate::{Result, Snapshot};

/// The events of one pair's two sides, in a set that knows their nodes and accounts.
pub(crate) struct PairSides {
    /// A set holding at least the events touching `me` or `them`: the whole store's when one is
    /// at hand, else just those.
    pub(crate) set: Arc<EventSet>,
    /// The node of "me".
    pub(crate) me: u32,
    /// The node of the person.
    pub(crate) them: u32,
    /// The view's moment: its `as_of`, or the newest timestamp the view sees.
    pub(crate) as_of: Timestamp,
    /// The events touching `me` or `them`.
    pub(crate) events: Vec<Event>,
}

impl Snapshot<'_> {
    /// The two sides of the relationship between the view's "me" and the person `handle` names:
    /// the events of the whole store's set when this process holds it for the data's generation,
    /// else read for the pair alone. Either way the person is the first of the accounts `handle`
    /// finds that has any interaction on the view's network, as the whole set would find it.
    pub(crate) fn pair_sides(&self, seen: &Seen<'_>, handle: &str) -> Result<PairSides> {
        let network = seen.view.network;
        if let Some(set) =
            self.engine.cache.event_set(&(self.store.generation()?, network, seen.ids.clone()))
        {
            let me = set.me().ok_or_else(|| seen.no_interactions())?;
            let found = self.find_person(handle)?;
            let them = found
                .iter()
                .find_map(|a| set.node_of(a.person).filter(|n| *n != me))
                .ok_or_else(|| no_history(handle))?;
            let as_of = seen.view.as_of.unwrap_or(set.now);
            return Ok(PairSides { events: set.events_touching(me, them), set, me, them, as_of });
        }
        self.read_pair_sides(seen, handle)
    }

    /// [`Self::pair_sides`] read from the store: "me"'s interactions, then each found account's
    /// person's until one has any.
    #[tracing::instrument(level = "debug", skip_all)]
    fn read_pair_sides(&self, seen: &Seen<'_>, handle: &str) -> Result<PairSides> {
        let network = seen.view.network;
        let mut builder = EventSetBuilder::new(network, &seen.ids, self.store.merged_persons()?);
        self.store.for_each_edge_touching(&seen.ids, &mut |row| builder.add(row))?;
        if !builder.has_me() {
            return Err(seen.no_interactions());
        }
        let mut person = None;
        for account in self.find_person(handle)? {
            // The person's accounts other than "me"'s (a merged person may hold one of those,
            // which counts as "me"): their interactions with "me" are read already.
            let theirs = builder.accounts_of_person(account.person);
            if theirs.is_empty() {
                continue;
            }
            let mine = &seen.ids;
            self.store.for_each_edge_touching(&theirs, &mut |row| {
                if !mine.contains(&row.source) && !mine.contains(&row.target) {
                    builder.add(row);
                }
            })?;
            if builder.has_person(account.person) {
                person = Some(account.person);
                break;
            }
        }
        let person = person.ok_or_else(|| no_history(handle))?;
        let set = Arc::new(builder.finish());
        let (Some(me), Some(them)) = (set.me(), set.node_of(person)) else {
            return Err(no_history(handle));
        };
        let as_of = match seen.view.as_of {
            Some(as_of) => as_of,
            None => self.newest(network)?,
        };
        Ok(PairSides { events: set.events_touching(me, them), set, me, them, as_of })
    }

    /// The newest timestamp on `network` (every network's when `None`), which is the view's "now":
    /// kept for the data's generation like a view, since finding it takes a pass over the store
    /// (`newest_at` reads no index), and the next page asked of the same data needs it again.
    fn newest(&self, network: Option<Network>) -> Result<Timestamp> {
        let slot = format!("now/{}", network.map_or("all", Network::as_str));
        let now = self.kept(
            &slot,
            "",
            || Ok(self.store.newest_at(network)?.unwrap_or(0)),
            |now| now.to_le_bytes().to_vec(),
            |body| Some(Timestamp::from_le_bytes(body.try_into().ok()?)),
        )?;
        Ok(*now)
    }
}

#[cfg(test)]
mod tests {
    use rapport_model::{Interaction, InteractionKind, Network, Record};
    use rapport_store::{AccountRow, Read};

    use crate::sample::SampleSpec;
    use crate::{Config, Engine, PeopleQuery, PersonDetail, View};

    /// A person page as the two paths must agree on it: everything but the node id of the other
    /// side, which is a number inside the set it was computed from.
    fn page(detail: &PersonDetail) -> String {
        let mut detail = detail.clone();
        detail.detail.relationship.other = 0;
        format!("{detail:?}")
    }

    /// Every few people of a generated store, in several views, read for the pair alone by one
    /// engine and from the whole store's event set by another: the same page, the same errors,
    /// and the relationship the whole store's listing gives.
    fn narrow_and_whole_agree(config: &Config, people: usize) {
        let writer = Engine::open(config).unwrap();
        writer.load_sample(&SampleSpec { people, ..SampleSpec::default() }).unwrap();
        // Dated replies among the people themselves (the sample's ties among them are mostly
        // undated follows), so each side's own activity sums many interactions, in an order
        // that follows the set's node numbers.
        let listed = writer.read().unwrap().people(&View::default(), &PeopleQuery::default());
        let (listed, seen) = (listed.unwrap(), writer.read().unwrap().stats().unwrap());
        let ends: Vec<&AccountRow> = listed.people.iter().map(|p| &p.accounts[0]).collect();
        let chatter: Vec<Record> = (0..ends.len() * 4)
            .filter_map(|k| {
                let (a, b) = (ends[k % ends.len()], ends[(k * 7 + 3) % ends.len()]);
                let at = seen.last_at.unwrap() - 3_600 * (k as i64 % 900 + 1);
                (a.id != b.id && a.network == b.network).then(|| {
                    let kind = InteractionKind::Reply;
                    Record::Interaction(Interaction::new(
                        a.network,
                        Some(at),
                        &a.native_id,
                        &b.native_id,
                        kind,
                    ))
                })
            })
            .collect();
        writer.sync_write("test", "chatter", &chatter, "1").unwrap();
        // Merged people: twins the suggestions find on both networks, read as one person.
        let merges = writer.read().unwrap().suggest_merges().unwrap();
        assert!(!merges.is_empty(), "the sample has twins on both networks");
        for m in merges.iter().take(3) {
            let name = |a: &AccountRow| format!("{}:{}", a.network, a.native_id);
            writer.merge(&[name(&m.a), name(&m.b)]).unwrap();
        }
        let (narrow, whole) = (Engine::open(config).unwrap(), Engine::open(config).unwrap());
        let listing = whole.read().unwrap().people(&View::default(), &PeopleQuery::default());
        let listing = listing.unwrap();
        let now = listing.as_of;
        let mut handles: Vec<String> = listing
            .people
            .iter()
            .step_by(people / 20 + 1)
            .flat_map(|p| {
                p.accounts.iter().map(|a| a.handle.clone().unwrap_or(a.native_id.clone()))
            })
            .collect();
        handles.extend(merges.iter().take(3).map(|m| m.a.native_id.clone()));
        handles.push("nobody-at-all".into());
        let tie = listing.people[0].accounts[0].native_id.clone();
        let views = [
            View::default(),
            View { network: Some(Network::Mastodon), ..View::default() },
            View { network: Some(Network::Bluesky), ..View::default() },
            View { as_of: Some(now - 60 * 86_400), ..View::default() },
            View::as_account(tie),
        ];
        let (mut pages, mut errors) = (0, 0);
        for view in &views {
            let (narrow, whole) = (narrow.read().unwrap(), whole.read().unwrap());
            let seen = whole.seen(view).unwrap();
            // Built once, the whole set is what every later page of this engine reads from.
            whole.event_set(view.network, &seen.ids).unwrap();
            let key = (narrow.store.generation().unwrap(), view.network, seen.ids.clone());
            for handle in &handles {
                let from_pair = narrow.person(view, handle);
                assert!(narrow.engine.cache.event_set(&key).is_none(), "read for the pair");
                match (from_pair, whole.person(view, handle)) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(page(&a), page(&b), "{handle} in {view:?}");
                        pages += 1;
                    }
                    (a, b) => {
                        let message =
                            |r: crate::Result<PersonDetail>| r.err().map(|e| e.to_string());
                        assert_eq!(message(a), message(b), "{handle} in {view:?}");
                        errors += 1;
                    }
                }
            }
        }
        for p in listing.people.iter().step_by(people / 20 + 1) {
            let handle = &p.accounts[0].native_id;
            let mut detail = narrow.read().unwrap().person(&View::default(), handle).unwrap();
            detail.detail.relationship.other = p.relationship.other;
            assert_eq!(detail.detail.relationship, p.relationship, "{handle}");
        }
        assert!(
            pages > 2 * handles.len() && errors > views.len(),
            "{pages} pages, {errors} errors"
        );
    }

    #[test]
    fn a_person_read_for_the_pair_is_the_one_the_whole_store_gives_on_sqlite() {
        for people in [40, 150] {
            let dir = tempfile::tempdir().unwrap();
            narrow_and_whole_agree(&Config::with_db(dir.path().join("pair.db")), people);
        }
    }

    #[test]
    fn a_person_read_for_the_pair_is_the_one_the_whole_store_gives_on_postgresql() {
        for people in [40, 150] {
            let dir = tempfile::tempdir().unwrap();
            let db = rapport_test_support::postgres::database();
            let config = Config::with_db(dir.path().join("pair.db"))
                .with_database(db.url(), Some("pair".into()));
            narrow_and_whole_agree(&config, people);
        }
    }
}
