//! The store's interactions as the model's events: persons mapped to dense `u32` node ids.
//!
//! This is the only place that knows both store ids and node ids: the score and graph crates see
//! nodes, front ends see accounts and persons.

use std::collections::HashMap;
use std::sync::Arc;

use rapport_model::{Network, Timestamp};
use rapport_score::Event;
use rapport_store::Read;

use crate::{Result, Snapshot};

/// Every interaction of the store as events between persons.
pub(crate) struct EventSet {
    pub(crate) events: Vec<Event>,
    /// The person id of each node.
    pub(crate) persons: Vec<i64>,
    /// The node of each person id.
    nodes: HashMap<i64, u32>,
    /// The accounts of each node.
    accounts: Vec<Vec<i64>>,
    /// The newest timestamp in the data: its own "now".
    pub(crate) now: Timestamp,
    /// The accounts collapsed into "me".
    me_accounts: Vec<i64>,
    /// The node of each account.
    account_nodes: HashMap<i64, u32>,
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
    /// read.
    pub(crate) fn event_set(&self, network: Option<Network>, me: &[i64]) -> Result<Arc<EventSet>> {
        let key = (self.store.generation()?, network, me.to_vec());
        if let Some(set) = self.engine.cache.event_set(&key) {
            return Ok(set);
        }
        let set = Arc::new(self.build_event_set(network, me)?);
        self.engine.cache.keep_event_set(key, &set);
        Ok(set)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    fn build_event_set(&self, network: Option<Network>, me: &[i64]) -> Result<EventSet> {
        let merged = self.store.merged_persons()?;
        let person = |account: i64| {
            if me.contains(&account) {
                ME
            } else {
                merged.get(&account).copied().unwrap_or(-account)
            }
        };
        let mut set = EventSet {
            events: Vec::new(),
            persons: Vec::new(),
            nodes: HashMap::new(),
            accounts: Vec::new(),
            now: 0,
            me_accounts: me.to_vec(),
            account_nodes: HashMap::new(),
        };
        self.store.for_each_edge(None, &mut |row| {
            if network.is_some_and(|n| n != row.network) {
                return;
            }
            let source = set.node(person(row.source), row.source);
            let target = set.node(person(row.target), row.target);
            if let Some(at) = row.at {
                set.now = set.now.max(at);
            }
            set.events.push(Event { source, target, kind: row.kind, at: row.at });
        })?;
        Ok(set)
    }

    /// Every interaction of the store as the model's events, for evaluation.
    pub fn score_events(&self) -> Result<Vec<Event>> {
        Ok(self.build_event_set(None, &[])?.events)
    }
}
