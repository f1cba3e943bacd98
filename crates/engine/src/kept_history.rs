//! The history of "me" (every interaction touching the user's accounts, with its text) kept across
//! generations of the data: the listing's pitches, today's rules and the audit all read it, and
//! reading the whole of it again after every live batch was a quarter of a refresh. A new
//! generation reads only the interactions of the imports since the last read (imports are numbered
//! in the order they commit), and all of them again when the store's count shows that some were
//! removed or the accounts of "me" changed.

use std::sync::Arc;

use rapport_model::Timestamp;
use rapport_store::{InteractionRow, Read};

use crate::{Result, Snapshot};

/// Every interaction touching `accounts` of the imports up to `through`, whatever its date, in the
/// store's order (oldest first, undated first, then by id).
pub(crate) struct KeptHistory {
    accounts: Vec<i64>,
    through: i64,
    rows: Arc<Vec<InteractionRow>>,
}

/// The store's order of a history.
fn order(row: &InteractionRow) -> (Timestamp, i64) {
    (row.at.unwrap_or(Timestamp::MIN), row.id)
}

impl Snapshot<'_> {
    /// Every interaction touching `accounts` up to `as_of`, oldest first: the kept history brought
    /// up to this snapshot, cut at `as_of`.
    pub(crate) fn read_history(
        &self,
        accounts: &[i64],
        as_of: Timestamp,
    ) -> Result<Arc<Vec<InteractionRow>>> {
        let (last, _) = self.store.posts_mark()?;
        let mut kept = self.engine.cache.history();
        let mine = kept.as_mut().filter(|k| k.accounts == accounts);
        if mine.as_ref().is_some_and(|k| k.through > last) {
            // Another thread kept a newer history than this snapshot sees: read this one's own.
            return Ok(Arc::new(self.store.interactions_touching(accounts, Some(as_of))?));
        }
        let brought_up = match mine {
            Some(k) => {
                let (new, count) = self.store.interactions_touching_since(accounts, k.through)?;
                if (k.rows.len() + new.len()) as u64 == count {
                    if !new.is_empty() {
                        let rows = Arc::make_mut(&mut k.rows);
                        rows.extend(new);
                        // Two sorted runs: the sort merges them in one pass.
                        rows.sort_by_key(order);
                    }
                    k.through = last;
                    Some(Arc::clone(&k.rows))
                } else {
                    tracing::debug!("interactions removed since the history was kept: read again");
                    None
                }
            }
            None => None,
        };
        let rows = match brought_up {
            Some(rows) => rows,
            None => {
                let rows = Arc::new(self.store.interactions_touching_since(accounts, 0)?.0);
                let through = last;
                *kept = Some(KeptHistory {
                    accounts: accounts.to_vec(),
                    through,
                    rows: Arc::clone(&rows),
                });
                rows
            }
        };
        drop(kept);
        let upto = rows.partition_point(|r| r.at.is_none_or(|at| at <= as_of));
        Ok(if upto == rows.len() { rows } else { Arc::new(rows[..upto].to_vec()) })
    }
}

#[cfg(test)]
mod tests {
    use rapport_model::{Interaction, InteractionKind, Record};
    use rapport_store::Read;

    use crate::sample::SampleSpec;
    use crate::{Config, Engine, View};

    /// Late arrivals (dated before the data's "now") and new ones are merged into the kept history
    /// in the store's order, and a past moment's history is cut where the store cuts it.
    #[test]
    fn the_kept_history_is_the_history_the_store_reads() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(&Config::with_db(dir.path().join("history.db"))).unwrap();
        engine.load_sample(&SampleSpec { people: 30, ..SampleSpec::default() }).unwrap();
        assert!(engine.refresh_views().unwrap());
        for (k, hours) in [-24 * 30, 2, -1, -24 * 400].into_iter().enumerate() {
            let (me, tie, now) = {
                let snapshot = engine.read().unwrap();
                let people = snapshot.people(&View::default(), &Default::default()).unwrap();
                let me = snapshot.me(None).unwrap()[0].clone();
                let tie = people.people[k].accounts[0].native_id.clone();
                (me, tie, people.as_of)
            };
            let records: Vec<Record> = (0..3)
                .map(|i| {
                    let at = Some(now + hours * 3600 + i);
                    let kind = InteractionKind::Reply;
                    let mut reply = Interaction::new(me.network, at, &tie, &me.native_id, kind);
                    reply.text = Some(format!("late or not, {k}/{i}"));
                    Record::Interaction(reply)
                })
                .collect();
            engine.sync_write("history", "test", &records, &k.to_string()).unwrap();
            let snapshot = engine.read().unwrap();
            let ids: Vec<i64> = snapshot.me(None).unwrap().iter().map(|a| a.id).collect();
            for at in [now + hours * 3600 + 1, now - 24 * 3600 * 90, now + 3 * 3600] {
                let kept = snapshot.read_history(&ids, at).unwrap();
                let read = snapshot.store.interactions_touching(&ids, Some(at)).unwrap();
                assert_eq!(*kept, read, "batch {k}, as of {at}");
            }
        }
    }
}
