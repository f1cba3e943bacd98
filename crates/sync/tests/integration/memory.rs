//! A target that keeps records and cursors in memory, and can refuse a write to stand for a sync
//! killed at that point.

use std::collections::{BTreeSet, HashMap};

use rapport_model::{Interaction, InteractionKind, Network, Record};
use rapport_sync::Deletion;
use rapport_sync::{BoxError, Target, Written};

#[derive(Debug, Default)]
pub(crate) struct Memory {
    pub(crate) cursors: HashMap<(String, String), String>,
    pub(crate) records: Vec<Record>,
    /// Writes left before the target fails; `None` never fails.
    pub(crate) fail_in: Option<usize>,
    pub(crate) circle: Vec<String>,
}

impl Memory {
    /// The interactions kept, as `kind source target` lines without duplicates.
    pub(crate) fn edges(&self) -> BTreeSet<String> {
        self.records
            .iter()
            .filter_map(|r| match r {
                Record::Interaction(i) => {
                    Some(format!("{} {} {}", i.kind, short(&i.source), short(&i.target)))
                }
                _ => None,
            })
            .collect()
    }

    /// Every record's debug form, without duplicates: what a store keeps.
    pub(crate) fn distinct(&self) -> BTreeSet<String> {
        self.records.iter().map(|r| format!("{r:?}")).collect()
    }
}

/// True when the network's id `id` names `record`: an interaction with that native id (or a
/// mention or message of that post, `{id}#{account}`), or that post.
fn names(record: &Record, network: Network, id: &str) -> bool {
    match record {
        Record::Interaction(i) => {
            i.network == network
                && i.native_id.as_deref().is_some_and(|n| {
                    n == id || n.strip_prefix(id).is_some_and(|rest| rest.starts_with('#'))
                })
        }
        Record::Post(p) => p.network == network && p.id == id,
        _ => false,
    }
}

/// `https://host/users/bo` as `bo`.
fn short(actor: &str) -> &str {
    actor.rsplit('/').next().unwrap_or(actor)
}

impl Target for Memory {
    fn cursor(&self, account: &str, phase: &str) -> Result<Option<String>, BoxError> {
        Ok(self.cursors.get(&(account.to_owned(), phase.to_owned())).cloned())
    }

    fn write(
        &mut self,
        account: &str,
        phase: &str,
        records: &[Record],
        deleted: &[Deletion],
        cursor: &str,
    ) -> Result<Written, BoxError> {
        if let Some(left) = &mut self.fail_in {
            if *left == 0 {
                return Err("killed".into());
            }
            *left -= 1;
        }
        self.records.extend_from_slice(records);
        // As the store does: a deletion removes the interactions the network's id names, and
        // the post.
        let before = self.records.len();
        self.records.retain(|r| {
            !deleted.iter().any(|d| match d {
                Deletion::Id(network, id) => names(r, *network, id),
                Deletion::Undone(undone) => matches!(r, Record::Interaction(i) if i == undone),
            })
        });
        self.cursors.insert((account.to_owned(), phase.to_owned()), cursor.to_owned());
        Ok(Written {
            new: records.len() as u64,
            known: 0,
            deleted: (before - self.records.len()) as u64,
            refused: Vec::new(),
        })
    }

    fn circle(&self, _: Network, n: usize) -> Result<Vec<String>, BoxError> {
        Ok(self.circle.iter().take(n).cloned().collect())
    }

    fn listed_follows(
        &self,
        network: Network,
        account: &str,
    ) -> Result<Vec<Interaction>, BoxError> {
        Ok(self
            .records
            .iter()
            .filter_map(|r| match r {
                Record::Interaction(i)
                    if i.network == network
                        && i.kind == InteractionKind::Follow
                        && i.at.is_none()
                        && (i.source == account || i.target == account) =>
                {
                    Some(i.clone())
                }
                _ => None,
            })
            .collect())
    }
}
