//! The whole store's event set kept from one generation of the data to the next: a live tail writes
//! a batch of a few events and brings today's list up to date after each, and reading the whole
//! store again for that was the costliest part of the list (about 70 ms of 330 at 10,000 people,
//! for 334,000 interactions). The set is extended by the rows the batch added instead, and comes
//! out exactly as a read of the whole store would build it: events in id order, nodes numbered in
//! the order the events first name them.
//!
//! The store says whether it can be extended (`Read::edges_since`): where imports are numbered in
//! the order they commit and their interactions can be found by import, the rows a reader holds can
//! only have changed by a deletion (rows are never rewritten), which the store's count shows. A
//! store that cannot say, a deletion, a merge or split of persons: the set is read whole, as
//! before.

use std::sync::Arc;

use rapport_store::{EdgeRow, EdgesMark, Read};

use super::EventSet;
use crate::Result;

/// `kept`, a set of the whole store as it stood at `mark`, brought to this snapshot of `store`:
/// the same set when no interaction it reads was added, a new one with the added ones in their
/// places, or `None` when it must be read whole.
#[tracing::instrument(level = "debug", name = "extend_event_set", skip_all)]
pub(crate) fn extended(
    kept: &Arc<EventSet>,
    mark: EdgesMark,
    store: &dyn Read,
) -> Result<Option<(Arc<EventSet>, EdgesMark)>> {
    let mut rows = Vec::new();
    let Some(now) = store.edges_since(mark.import, &mut |row| rows.push(*row))? else {
        return Ok(None);
    };
    // A snapshot older than the one the set was read in sees fewer imports; a count that is not
    // the old one plus the new rows means some rows were deleted.
    let added = u64::try_from(rows.len()).unwrap_or(u64::MAX);
    if now.import < mark.import || now.count != mark.count.saturating_add(added) {
        return Ok(None);
    }
    if store.merged_persons()? != kept.merged {
        return Ok(None);
    }
    rows.retain(|row| kept.network.is_none_or(|n| n == row.network));
    let set = if rows.is_empty() { Arc::clone(kept) } else { Arc::new(kept.with(rows)) };
    Ok(Some((set, now)))
}

impl EventSet {
    /// This set with `rows` (interactions of its network it does not hold) in their places.
    fn with(&self, mut rows: Vec<EdgeRow>) -> EventSet {
        rows.sort_unstable_by_key(|row| row.id);
        let total = self.events.len() + rows.len();
        let mut set = EventSet {
            events: Vec::with_capacity(total),
            ids: Vec::with_capacity(total),
            persons: self.persons.clone(),
            nodes: self.nodes.clone(),
            accounts: self.accounts.clone(),
            now: self.now,
            me_accounts: self.me_accounts.clone(),
            account_nodes: self.account_nodes.clone(),
            network: self.network,
            merged: self.merged.clone(),
        };
        // New persons are numbered after the held ones for now; `renumber` puts them in place.
        let added: Vec<(i64, _)> =
            rows.iter().filter_map(|row| Some((row.id, set.event(row)?))).collect();
        let mut held = self.ids.iter().copied().zip(self.events.iter().copied()).peekable();
        for (id, event) in added {
            while let Some((id, event)) = held.next_if(|(held, _)| *held < id) {
                set.ids.push(id);
                set.events.push(event);
            }
            set.ids.push(id);
            set.events.push(event);
        }
        for (id, event) in held {
            set.ids.push(id);
            set.events.push(event);
        }
        set.renumber();
        set
    }

    /// Numbers the nodes in the order the events first name them, each event's source before its
    /// target, as a read of the store in id order does.
    fn renumber(&mut self) {
        const NONE: u32 = u32::MAX;
        let mut number = vec![NONE; self.persons.len()];
        let mut next = 0u32;
        let mut name = |node: u32| {
            let slot = &mut number[node as usize];
            if *slot == NONE {
                *slot = next;
                next += 1;
            }
        };
        for e in &self.events {
            name(e.source);
            name(e.target);
        }
        // Every node is some event's side; a node none names would keep its place after them.
        for node in 0..self.persons.len() {
            name(u32::try_from(node).unwrap_or(NONE));
        }
        if number.iter().enumerate().all(|(node, &n)| n as usize == node) {
            return;
        }
        for e in &mut self.events {
            e.source = number[e.source as usize];
            e.target = number[e.target as usize];
        }
        let mut persons = vec![0; self.persons.len()];
        let mut accounts = vec![Vec::new(); self.accounts.len()];
        for (node, &n) in number.iter().enumerate() {
            persons[n as usize] = self.persons[node];
            accounts[n as usize] = std::mem::take(&mut self.accounts[node]);
        }
        (self.persons, self.accounts) = (persons, accounts);
        for node in self.nodes.values_mut().chain(self.account_nodes.values_mut()) {
            *node = number[*node as usize];
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rapport_model::{Interaction, InteractionKind, Network, Record};
    use rapport_sync::Deletion;

    use super::*;
    use crate::sample::SampleSpec;
    use crate::{Config, Engine, PeopleQuery, View};

    /// The set of `network` read whole, with where the store stands.
    fn read_whole(
        snapshot: &crate::Snapshot<'_>,
        network: Option<Network>,
        me: i64,
    ) -> (EventSet, EdgesMark) {
        let mark = snapshot.store.edges_since(i64::MAX, &mut |_| {}).unwrap().unwrap();
        (snapshot.build_event_set(network, &[me]).unwrap(), mark)
    }

    /// Everything a set holds, with each node's accounts sorted (their order is not kept).
    fn parts(set: &EventSet) -> impl PartialEq + std::fmt::Debug {
        let mut accounts = set.accounts.clone();
        accounts.iter_mut().for_each(|a| a.sort_unstable());
        let mut nodes: Vec<_> = set.nodes.iter().map(|(p, n)| (*p, *n)).collect();
        let mut account_nodes: Vec<_> = set.account_nodes.iter().map(|(a, n)| (*a, *n)).collect();
        nodes.sort_unstable();
        account_nodes.sort_unstable();
        let (events, ids, persons) = (set.events.clone(), set.ids.clone(), set.persons.clone());
        (events, ids, persons, nodes, accounts, account_nodes, set.now, set.me_accounts.clone())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

        /// After each batch, the set extended from the last one equals the set read whole, for
        /// every network and for one; and it is extended, not read, unless the batch deleted or
        /// merged.
        #[test]
        fn an_extended_set_is_the_set_read_whole(
            batches in prop::collection::vec(
                (
                    // One interaction: who acts (0: "me" to a tie, 1: a tie to "me", 2: a tie to
                    // another, 3: someone new to a tie), which ties, and whether it is on
                    // another network.
                    prop::collection::vec((0..4u8, 0..30usize, 0..30usize, any::<bool>()), 0..12),
                    // 0: nothing else, 1: take back the first interaction of the batch before,
                    // 2: merge two ties.
                    0..3u8,
                ),
                1..5,
            )
        ) {
            let dir = tempfile::tempdir().unwrap();
            let engine = Engine::open(&Config::with_db(dir.path().join("grow.db"))).unwrap();
            engine.load_sample(&SampleSpec { people: 40, ..SampleSpec::default() }).unwrap();
            let (me, ties, now) = {
                let snapshot = engine.read().unwrap();
                let people = snapshot.people(&View::default(), &PeopleQuery::default()).unwrap();
                let me = snapshot.me(None).unwrap()[0].clone();
                let ties: Vec<_> = people
                    .people
                    .iter()
                    .map(|p| p.accounts[0].clone())
                    .filter(|a| a.network == me.network)
                    .collect();
                (me, ties, people.as_of)
            };
            let other = if me.network == Network::Bluesky { Network::Mastodon } else { Network::Bluesky };
            let networks = [None, Some(me.network)];
            let mut kept: Vec<_> = {
                let snapshot = engine.read().unwrap();
                networks
                    .iter()
                    .map(|&n| {
                        let (set, mark) = read_whole(&snapshot, n, me.id);
                        (Arc::new(set), mark)
                    })
                    .collect()
            };
            let mut before: Option<Record> = None;
            for (k, (specs, then)) in batches.iter().enumerate() {
                let records: Vec<Record> = specs
                    .iter()
                    .enumerate()
                    .map(|(i, &(who, a, b, elsewhere))| {
                        let (a, b) = (&ties[a % ties.len()].native_id, &ties[b % ties.len()].native_id);
                        let newcomer = format!("newcomer{k}x{i}");
                        let (source, target) = match who {
                            0 => (me.native_id.as_str(), a.as_str()),
                            1 => (a.as_str(), me.native_id.as_str()),
                            2 => (a.as_str(), b.as_str()),
                            _ => (newcomer.as_str(), a.as_str()),
                        };
                        let network = if elsewhere { other } else { me.network };
                        let at = Some(now + 60 * i64::try_from(k * 100 + i).unwrap());
                        Record::Interaction(Interaction::new(network, at, source, target, InteractionKind::Reply))
                    })
                    .collect();
                let deleted: Vec<Deletion> = match &before {
                    Some(Record::Interaction(first)) if *then == 1 => vec![Deletion::Undone(first.clone())],
                    _ => Vec::new(),
                };
                let (_, _, removed) =
                    engine.sync_apply("grow", "test", &records, &deleted, &k.to_string()).unwrap();
                let undo = removed > 0;
                before = records.first().cloned();
                let merged = *then == 2;
                if merged {
                    let pair = [ties[k % ties.len()].handle.clone().unwrap(), ties[(k + 1) % ties.len()].handle.clone().unwrap()];
                    engine.merge(&pair).unwrap();
                }
                let snapshot = engine.read().unwrap();
                for (&network, (set, mark)) in networks.iter().zip(&mut kept) {
                    let (whole, whole_mark) = read_whole(&snapshot, network, me.id);
                    let grown = extended(set, *mark, &snapshot.store).unwrap();
                    prop_assert_eq!(grown.is_some(), !undo && !merged, "extended unless deleted or merged");
                    if let Some((grown, grown_mark)) = &grown {
                        prop_assert_eq!(parts(grown), parts(&whole), "batch {} on {:?}", k, network);
                        prop_assert_eq!(*grown_mark, whole_mark);
                    }
                    (*set, *mark) = (Arc::new(whole), whole_mark);
                }
            }
        }
    }
}
