//! The people "me" has history with, and what that history holds.

use std::collections::HashMap;

use rapport_model::{InteractionKind, Network, Timestamp};
use rapport_store::{AccountRow, Store};

use crate::{Engine, Result};

/// How to list people.
#[derive(Clone, Debug, Default)]
pub struct PeopleQuery {
    /// View the store as this account instead of "me".
    pub as_handle: Option<String>,
    /// Compute everything as it stood at this moment, ignoring later data.
    pub as_of: Option<Timestamp>,
    /// Only people with an account on this network.
    pub network: Option<Network>,
    /// The order.
    pub sort: SortKey,
    /// At most this many people.
    pub limit: Option<usize>,
}

/// The order of a people listing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Most interactions first.
    #[default]
    Interactions,
    /// Most recent interaction first.
    Last,
    /// By name.
    Name,
}

/// Interaction counts by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindCounts([u32; InteractionKind::ALL.len()]);

impl KindCounts {
    /// How many of `kind`.
    pub fn get(&self, kind: InteractionKind) -> u32 {
        self.0[usize::from(kind.code())]
    }

    /// How many in all.
    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }

    fn add(&mut self, kind: InteractionKind) {
        self.0[usize::from(kind.code())] += 1;
    }
}

/// One person "me" has history with.
#[derive(Clone, Debug)]
pub struct PersonSummary {
    /// The person's id (an unmerged account's is minus its account id).
    pub person: i64,
    /// Their accounts that appear in the history.
    pub accounts: Vec<AccountRow>,
    /// What "me" did to them.
    pub outgoing: KindCounts,
    /// What they did to "me".
    pub incoming: KindCounts,
    /// The first dated interaction.
    pub first_at: Option<Timestamp>,
    /// The last dated interaction.
    pub last_at: Option<Timestamp>,
    /// Whether the last dated interaction was made by "me".
    pub last_by_me: Option<bool>,
}

impl PersonSummary {
    /// The name to show for the person: their first account's label.
    pub fn label(&self) -> String {
        self.accounts.first().map_or_else(|| self.person.to_string(), AccountRow::label)
    }

    /// All interactions, both ways.
    pub fn total(&self) -> u32 {
        self.outgoing.total() + self.incoming.total()
    }
}

impl Engine {
    /// The people "me" (or `--as`) has any history with.
    pub fn people(&self, query: &PeopleQuery) -> Result<Vec<PersonSummary>> {
        let me = self.me(query.as_handle.as_deref())?;
        let mine: Vec<i64> = me.iter().map(|a| a.id).collect();
        let rows = self.store.interactions_touching(&mine, query.as_of)?;
        let mut by_account: HashMap<i64, Vec<_>> = HashMap::new();
        for row in &rows {
            let from_me = mine.contains(&row.source);
            let other = if from_me { row.target } else { row.source };
            if mine.contains(&other) {
                continue;
            }
            if query.network.is_some_and(|n| n != row.network) {
                continue;
            }
            by_account.entry(other).or_default().push((from_me, row));
        }
        let ids: Vec<i64> = by_account.keys().copied().collect();
        let accounts: HashMap<i64, AccountRow> =
            self.store.accounts(&ids)?.into_iter().map(|a| (a.id, a)).collect();
        let mut people: HashMap<i64, PersonSummary> = HashMap::new();
        for (account, rows) in by_account {
            let Some(row) = accounts.get(&account) else { continue };
            let person = people.entry(row.person).or_insert_with(|| PersonSummary {
                person: row.person,
                accounts: Vec::new(),
                outgoing: KindCounts::default(),
                incoming: KindCounts::default(),
                first_at: None,
                last_at: None,
                last_by_me: None,
            });
            person.accounts.push(row.clone());
            for (from_me, i) in rows {
                if from_me { person.outgoing.add(i.kind) } else { person.incoming.add(i.kind) }
                if let Some(at) = i.at {
                    person.first_at = Some(person.first_at.map_or(at, |f| f.min(at)));
                    if person.last_at.is_none_or(|l| at >= l) {
                        person.last_at = Some(at);
                        person.last_by_me = Some(from_me);
                    }
                }
            }
        }
        let mut list: Vec<PersonSummary> = people.into_values().collect();
        for p in &mut list {
            p.accounts.sort_by_key(|a| a.id);
        }
        match query.sort {
            SortKey::Interactions => {
                list.sort_by(|a, b| b.total().cmp(&a.total()).then_with(|| a.label().cmp(&b.label())));
            }
            SortKey::Last => {
                list.sort_by(|a, b| b.last_at.cmp(&a.last_at).then_with(|| a.label().cmp(&b.label())));
            }
            SortKey::Name => list.sort_by_key(PersonSummary::label),
        }
        if let Some(limit) = query.limit {
            list.truncate(limit);
        }
        Ok(list)
    }
}
