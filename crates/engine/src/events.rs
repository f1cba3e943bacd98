//! The store's interactions as the model's events: persons mapped to dense `u32` node ids.
//!
//! This is the only place that knows both store ids and node ids: the score and graph crates see
//! nodes, front ends see accounts and persons.

use std::collections::HashMap;
use std::sync::Arc;

use rapport_model::{Network, Timestamp};
use rapport_score::Event;
use rapport_store::{EdgeRow, Read};

use crate::{Result, Snapshot};

mod grow;

/// The interactions of the store (all of them, or one pair's two sides: see `pair`) as events
/// between persons.
pub(crate) struct EventSet {
    pub(crate) events: Vec<Event>,
    /// The store id of each event's interaction: ascending in a set read whole.
    ids: Vec<i64>,
    /// The person id of each node. Nodes are numbered in the order the events first name them,
    /// each event's source before its target.
    pub(crate) persons: Vec<i64>,
    /// The node of each person id.
    nodes: HashMap<i64, u32>,
    /// The accounts of each node, in no particular order (callers sort what they show).
    accounts: Vec<Vec<i64>>,
    /// The newest timestamp in the data: its own "now".
    pub(crate) now: Timestamp,
    /// The accounts collapsed into "me".
    me_accounts: Vec<i64>,
    /// The node of each account.
    account_nodes: HashMap<i64, u32>,
    /// The network read (every network's when `None`).
    network: Option<Network>,
    /// The merged persons the set was read with: account to person.
    merged: HashMap<i64, i64>,
}

impl EventSet {
    pub(crate) fn node_of(&self, person: i64) -> Option<u32> {
        self.nodes.get(&person).copied()
    }

    /// The node of an account with any interaction.
    pub(crate) fn node_of_account(&self, account: i64) -> Option<u32> {
        self.account_nodes.get(&account).copied()
    }

    /// The node of "me", if "me" has any interaction.
    pub(crate) fn me(&self) -> Option<u32> {
        self.node_of(ME)
    }

    /// The events with `a` or `b` on either side: all that scoring the pair `(a, b)` reads (the
    /// pair, each side's own activity and neighbours), in the set's order.
    pub(crate) fn events_touching(&self, a: u32, b: u32) -> Vec<Event> {
        let touches = |v: u32| v == a || v == b;
        self.events.iter().filter(|e| touches(e.source) || touches(e.target)).copied().collect()
    }

    /// The oldest timestamp in the data.
    pub(crate) fn first(&self) -> Timestamp {
        self.events.iter().filter_map(|e| e.at).min().unwrap_or(self.now)
    }

    /// The person key of "me".
    pub(crate) fn me_person(&self) -> i64 {
        ME
    }

    /// True when `account` is one of "me"'s accounts in this set.
    pub(crate) fn is_me_account(&self, account: i64) -> bool {
        self.me_accounts.contains(&account)
    }

    pub(crate) fn accounts_of(&self, node: u32) -> impl Iterator<Item = i64> + '_ {
        self.accounts.get(node as usize).into_iter().flatten().copied()
    }

    fn node(&mut self, person: i64, account: i64) -> u32 {
        let next = u32::try_from(self.persons.len()).unwrap_or(u32::MAX);
        let node = *self.nodes.entry(person).or_insert(next);
        if node == next {
            self.persons.push(person);
            self.accounts.push(Vec::new());
        }
        if self.account_nodes.insert(account, node).is_none() {
            self.accounts[node as usize].push(account);
        }
        node
    }

    /// The person key of `account`: "me", its merged person, or its own (minus its id).
    fn person(&self, account: i64) -> i64 {
        if self.is_me_account(account) {
            ME
        } else {
            self.merged.get(&account).copied().unwrap_or(-account)
        }
    }

    /// `row` as an event of this set, its sides' nodes added when new and the set's "now" moved;
    /// `None` when it is on another network.
    fn event(&mut self, row: &EdgeRow) -> Option<Event> {
        if self.network.is_some_and(|n| n != row.network) {
            return None;
        }
        let source = self.node(self.person(row.source), row.source);
        let target = self.node(self.person(row.target), row.target);
        if let Some(at) = row.at {
            self.now = self.now.max(at);
        }
        Some(Event { source, target, kind: row.kind, at: row.at })
    }

    /// `events` (events of this set) with their nodes numbered in the order of their person keys
    /// ("me" first), for scoring. Scoring sums each side's activity over its neighbours in node
    /// order, and a float sum depends on its order: numbered by person, one pair's two sides score
    /// to the same bits whichever set they come from (the whole store's or the pair's own, see
    /// `pair`), and as the listing scores them. The sets keep the order the rows came in, which
    /// the graph algorithms (discover's ranking, groups) have always run on.
    pub(crate) fn by_person(&self, events: &[Event]) -> ByPerson {
        let mut present = vec![false; self.persons.len()];
        for e in events {
            present[e.source as usize] = true;
            present[e.target as usize] = true;
        }
        let mut nodes: Vec<u32> = (0..self.persons.len())
            .filter(|&v| present[v])
            .map(|v| u32::try_from(v).unwrap_or(u32::MAX))
            .collect();
        nodes.sort_unstable_by_key(|&v| self.persons[v as usize]);
        let mut numbers = vec![u32::MAX; self.persons.len()];
        for (number, &node) in nodes.iter().enumerate() {
            // Fewer numbers than nodes, which are u32.
            numbers[node as usize] = u32::try_from(number).unwrap_or(u32::MAX);
        }
        let number = |v: u32| numbers[v as usize];
        let events = events
            .iter()
            .map(|e| Event { source: number(e.source), target: number(e.target), ..*e })
            .collect();
        ByPerson { events, nodes, numbers }
    }
}

/// Events of a set numbered by person (see [`EventSet::by_person`]), and the way back.
pub(crate) struct ByPerson {
    pub(crate) events: Vec<Event>,
    /// The set's node of each number.
    nodes: Vec<u32>,
    /// The number of each of the set's nodes; `u32::MAX` for a node no event names.
    numbers: Vec<u32>,
}

impl ByPerson {
    /// The number of the set's `node` (`u32::MAX` when no event names it: a node of no pair).
    pub(crate) fn number(&self, node: u32) -> u32 {
        self.numbers.get(node as usize).copied().unwrap_or(u32::MAX)
    }

    /// The set's node numbered `number`.
    pub(crate) fn node(&self, number: u32) -> u32 {
        self.nodes[number as usize]
    }
}

/// Builds an event set from the rows of one read, as `Snapshot::event_set` and `pair` read them.
pub(crate) struct EventSetBuilder {
    set: EventSet,
}

impl EventSetBuilder {
    /// A builder of the events on `network` (or every network), with every account in `me`
    /// collapsed into one node and the accounts of `merged` (account to person) into theirs.
    pub(crate) fn new(network: Option<Network>, me: &[i64], merged: HashMap<i64, i64>) -> Self {
        let set = EventSet {
            events: Vec::new(),
            ids: Vec::new(),
            persons: Vec::new(),
            nodes: HashMap::new(),
            accounts: Vec::new(),
            now: 0,
            me_accounts: me.to_vec(),
            account_nodes: HashMap::new(),
            network,
            merged,
        };
        EventSetBuilder { set }
    }

    /// The person key of `account`: "me", its merged person, or its own (minus its id).
    pub(crate) fn person(&self, account: i64) -> i64 {
        self.set.person(account)
    }

    /// Adds one interaction, unless it is on another network.
    pub(crate) fn add(&mut self, row: &EdgeRow) {
        if let Some(event) = self.set.event(row) {
            self.set.events.push(event);
            self.set.ids.push(row.id);
        }
    }

    /// True when some interaction added so far involves the person `person`.
    pub(crate) fn has_person(&self, person: i64) -> bool {
        self.set.nodes.contains_key(&person)
    }

    /// True when some interaction added so far involves "me".
    pub(crate) fn has_me(&self) -> bool {
        self.has_person(ME)
    }

    /// The accounts whose person key is `person` (see [`Self::person`]): an unmerged account's
    /// own, or every account merged into the person, leaving out "me"'s.
    pub(crate) fn accounts_of_person(&self, person: i64) -> Vec<i64> {
        let mut accounts: Vec<i64> = self
            .set
            .merged
            .iter()
            .filter(|&(_, &p)| p == person)
            .map(|(&account, _)| account)
            .chain((person < 0).then(|| person.wrapping_neg()))
            .filter(|&account| self.person(account) == person)
            .collect();
        accounts.sort_unstable();
        accounts
    }

    /// The set.
    pub(crate) fn finish(self) -> EventSet {
        self.set
    }
}

/// The person key every account of "me" maps to: one user, one node, across networks.
const ME: i64 = i64::MIN;

/// What an event set was built from: the data's generation, the network and "me".
pub(crate) type EventSetKey = (i64, Option<Network>, Vec<i64>);

impl Snapshot<'_> {
    /// The store's interactions (on one network, or all) as events between persons, with every
    /// account in `me` collapsed into one node.
    ///
    /// The engine keeps the last few sets built (see `cache`): computing today's list reads one
    /// for the relationships and again for discovery, and the whole-store scan is the costliest
    /// read. A set of older data is extended by what was written since, where the store allows
    /// (see `grow`).
    pub(crate) fn event_set(&self, network: Option<Network>, me: &[i64]) -> Result<Arc<EventSet>> {
        let key = (self.store.generation()?, network, me.to_vec());
        if let Some(set) = self.engine.cache.event_set(&key) {
            return Ok(set);
        }
        let grown = match self.engine.cache.newest_event_set(network, me) {
            Some((kept, mark)) => grow::extended(&kept, mark, &self.store)?,
            None => None,
        };
        let (set, mark) = match grown {
            Some((set, mark)) => (set, Some(mark)),
            None => {
                // Where the store stands first (when it can say, see `grow`): what the snapshot
                // sees does not move while the set is read.
                let mark = self.store.edges_since(i64::MAX, &mut |_| {})?;
                (Arc::new(self.build_event_set(network, me)?), mark)
            }
        };
        self.engine.cache.keep_event_set(key, &set, mark);
        Ok(set)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    fn build_event_set(&self, network: Option<Network>, me: &[i64]) -> Result<EventSet> {
        let mut builder = EventSetBuilder::new(network, me, self.store.merged_persons()?);
        self.store.for_each_edge(None, &mut |row| builder.add(row))?;
        Ok(builder.finish())
    }

    /// Every interaction of the store as the model's events, for evaluation.
    pub fn score_events(&self) -> Result<Vec<Event>> {
        Ok(self.build_event_set(None, &[])?.events)
    }
}
