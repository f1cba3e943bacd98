//! The history of "me" (every interaction touching its accounts, with its text) kept by the engine
//! from one generation of the data to the next, so that a live tail, which writes a batch of a few
//! events and brings the views up to date after each, reads the rows the batch added rather than
//! the whole history again (about a fifth of a refresh at 10,000 people, for 122,000 rows). It is
//! kept in the process, not in the store: the rows are the store's own, and reading those of the
//! new imports costs less than decoding a copy.
//!
//! The store says whether it can be extended (`Read::interactions_touching_since`): where imports
//! are numbered in the order they commit and their interactions can be found by import, the rows
//! a reader holds can only have changed by a deletion (rows are never rewritten), which the count
//! of the rows touching the accounts shows. A store that cannot say, a deletion, another set of
//! accounts: the history is read whole, as before.

use std::sync::{Arc, Mutex, PoisonError};

use rapport_store::{InteractionRow, Read};

use crate::Result;

/// The history of some accounts as the engine last read or extended it.
pub(crate) struct KeptHistory {
    accounts: Vec<i64>,
    /// Every interaction touching the accounts, undated first, then by time and id.
    rows: Arc<Vec<InteractionRow>>,
    /// The newest import whose interactions are in `rows`.
    import: i64,
    /// How many of `rows` the store counts (once per account and column matched).
    count: u64,
}

/// How the store counts a row in `Read::interactions_touching_since`: once for its source and once
/// for its target, when each is one of `accounts`.
fn matches(row: &InteractionRow, accounts: &[i64]) -> u64 {
    u64::from(accounts.contains(&row.source)) + u64::from(accounts.contains(&row.target))
}

fn order(row: &InteractionRow) -> (i64, i64) {
    (row.at.unwrap_or(i64::MIN), row.id)
}

impl KeptHistory {
    /// The history of `accounts` read whole, marked with the newest import the snapshot sees;
    /// `None` when the store cannot extend it later.
    fn read(
        store: &dyn Read,
        accounts: &[i64],
    ) -> Result<(Arc<Vec<InteractionRow>>, Option<Self>)> {
        // The mark first: what the snapshot sees does not move while it is read.
        let mark = store.interactions_touching_since(accounts, i64::MAX)?;
        let rows = Arc::new(store.interactions_touching(accounts, None)?);
        let kept = mark.map(|mark| KeptHistory {
            accounts: accounts.to_vec(),
            rows: Arc::clone(&rows),
            import: mark.newest_import,
            count: mark.count,
        });
        Ok((rows, kept))
    }

    /// This history extended by the imports since, as `store` sees them, if it is of `accounts`
    /// and nothing it holds was deleted; `None` when it must be read whole.
    fn extended(self, store: &dyn Read, accounts: &[i64]) -> Result<Option<KeptHistory>> {
        if self.accounts != accounts {
            return Ok(None);
        }
        let Some(since) = store.interactions_touching_since(accounts, self.import)? else {
            return Ok(None);
        };
        // A snapshot older than the one this history was extended in sees fewer imports.
        if since.newest_import < self.import {
            return Ok(None);
        }
        let mut added = since.rows;
        let added_count: u64 = added.iter().map(|r| matches(r, accounts)).sum();
        if since.count != self.count + added_count {
            return Ok(None);
        }
        let mut rows = Arc::unwrap_or_clone(self.rows);
        if let Some(first) = added.iter().map(order).min() {
            added.sort_by_key(order);
            let in_order = rows.last().is_none_or(|last| order(last) < first);
            rows.append(&mut added);
            if !in_order {
                // A late arrival, dated before the newest row held: merged into its place.
                rows.sort_by_key(order);
            }
        }
        Ok(Some(KeptHistory {
            accounts: self.accounts,
            rows: Arc::new(rows),
            import: since.newest_import,
            count: since.count,
        }))
    }
}

/// The interactions touching `accounts` dated at or before `as_of` (or undated), oldest first,
/// through the history `kept` holds: extended when the store allows, else read whole and kept for
/// the next call. `kept` is empty while this runs, so two readers at once never share one (the
/// second reads whole).
pub(crate) fn touching(
    kept: &Mutex<Option<KeptHistory>>,
    store: &dyn Read,
    accounts: &[i64],
    as_of: i64,
) -> Result<Arc<Vec<InteractionRow>>> {
    let held = kept.lock().unwrap_or_else(PoisonError::into_inner).take();
    let extended = match held {
        Some(held) => held.extended(store, accounts)?,
        None => None,
    };
    let (rows, history) = match extended {
        Some(history) => (Arc::clone(&history.rows), Some(history)),
        None => KeptHistory::read(store, accounts)?,
    };
    if let Some(history) = history {
        *kept.lock().unwrap_or_else(PoisonError::into_inner) = Some(history);
    }
    let end = rows.partition_point(|r| r.at.is_none_or(|at| at <= as_of));
    Ok(if end == rows.len() { rows } else { Arc::new(rows[..end].to_vec()) })
}
