//! The engine as the target of `rapport sync` (`rapport-sync` pulls, the engine writes): each
//! page of a phase is written with the phase's cursor in one import transaction, through the same
//! record writer as every import, and the circle whose follows sync reads is the strongest
//! relationships of the people listing.

use std::collections::HashMap;

use rapport_model::{Interaction, InteractionKind, Network, Record};
use rapport_store::{ImportCounts, ImportMeta, Read, Store, SyncCursor};
use rapport_sync::{BoxError, Deletion, Target, Written};

use crate::{Engine, Error, PeopleQuery, Result, Snapshot, View};

impl Engine {
    /// Writes one page of synced records and saves the phase's cursor, in one transaction: both
    /// are stored, or neither. Each record first passes the checks every import applies (what a
    /// server sends is as hostile as any file): a refused one is left out, with its reason among
    /// the returned ones, so one record dated in year 9999 cannot move the data's "now". A page
    /// that brings nothing and leaves the cursor where it was writes nothing, so an idle sync
    /// does not make the kept views stale.
    pub fn sync_write(
        &self,
        account: &str,
        phase: &str,
        records: &[Record],
        cursor: &str,
    ) -> Result<(ImportCounts, Vec<String>)> {
        let (counts, refused, _) = self.sync_apply(account, phase, records, &[], cursor)?;
        Ok((counts, refused))
    }

    /// [`Engine::sync_write`] with what the network deleted meanwhile (`(network, its own id)`:
    /// an unlike, an unfollow, a deleted post), removed in the same transaction after the records
    /// are written, so the relationship numbers of the next views no longer count them. Returns
    /// also how many stored interactions and posts the deletions removed.
    pub fn sync_apply(
        &self,
        account: &str,
        phase: &str,
        records: &[Record],
        deleted: &[Deletion],
        cursor: &str,
    ) -> Result<(ImportCounts, Vec<String>, u64)> {
        let started = crate::import::now();
        let (records, refused) = checked(records, started);
        if records.is_empty()
            && deleted.is_empty()
            && self.sync_cursor(account, phase)?.as_deref() == Some(cursor)
        {
            return Ok((ImportCounts::default(), refused, 0));
        }
        let path = format!("sync {account} {phase}");
        let cursor = Some((account, phase, cursor));
        self.write_checked(&path, started, (&records, deleted), refused, cursor)
    }

    /// Writes the records of a reply just sent through a network's API (`rapport serve`'s send),
    /// with the network's own ids, through the same checks and record writer as sync, so the sync
    /// that later reads the same post back meets it without a duplicate. No cursor moves.
    pub fn write_sent(
        &self,
        account: &str,
        records: &[Record],
    ) -> Result<(ImportCounts, Vec<String>)> {
        let started = crate::import::now();
        let (records, refused) = checked(records, started);
        let path = format!("sent {account}");
        let (counts, refused, _) =
            self.write_checked(&path, started, (&records, &[]), refused, None)?;
        Ok((counts, refused))
    }

    /// Writes records that passed the checks, then removes what was deleted, and saves the cursor
    /// `(account, phase, cursor)` when given, in one transaction; returns also how many rows the
    /// deletions removed.
    fn write_checked(
        &self,
        path: &str,
        started: i64,
        (records, deleted): (&[Record], &[Deletion]),
        refused: Vec<String>,
        cursor: Option<(&str, &str, &str)>,
    ) -> Result<(ImportCounts, Vec<String>, u64)> {
        let mut removed = 0;
        let meta = ImportMeta {
            path: path.to_owned(),
            format: "sync".to_owned(),
            checksum: String::new(),
            bytes: 0,
            started_at: started,
        };
        let row = self.store.import(&meta, |writer| {
            for record in records {
                writer.write(record)?;
            }
            for deletion in deleted {
                removed += match deletion {
                    Deletion::Id(network, id) => writer.delete(*network, id)?,
                    Deletion::Undone(interaction) => writer.undo(interaction)?,
                };
            }
            if let Some((account, phase, cursor)) = cursor {
                writer.save_cursor(account, phase, cursor)?;
            }
            Ok::<_, Error>(ImportCounts {
                read: (records.len() + refused.len()) as u64,
                skipped: refused.len() as u64,
                ..ImportCounts::default()
            })
        })?;
        Ok((row.counts, refused, removed))
    }

    fn sync_cursor(&self, account: &str, phase: &str) -> Result<Option<String>> {
        let cursors = self.read()?.sync_cursors(Some(account))?;
        Ok(cursors.into_iter().find(|c| c.phase == phase).map(|c| c.cursor))
    }
}

/// The records that pass the checks every import applies (what a server sends is as hostile as
/// any file), and the reasons of those refused.
fn checked(records: &[Record], started: i64) -> (Vec<Record>, Vec<String>) {
    let mut refused = Vec::new();
    let records = records
        .iter()
        .filter_map(|record| {
            let mut record = record.clone();
            match rapport_import::check_record(&mut record, started) {
                Ok(()) => Some(record),
                Err(why) => {
                    refused.push(why.to_string());
                    None
                }
            }
        })
        .collect();
    (records, refused)
}

impl Snapshot<'_> {
    /// The sync cursors saved for `account` (every account's when `None`).
    pub fn sync_cursors(&self, account: Option<&str>) -> Result<Vec<SyncCursor>> {
        Ok(self.store.sync_cursors(account)?)
    }

    /// The undated follows on `network` from or to the account whose native id is `native_id`,
    /// as whole lists of followers and follows give them: what sync holds a new reading of those
    /// lists against. Dated follows (with ids of their own) are left to the deletions that name
    /// them.
    pub fn listed_follows(&self, network: Network, native_id: &str) -> Result<Vec<Interaction>> {
        let found = self.store.find_accounts(native_id)?;
        let Some(account) = found.iter().find(|a| a.network == network && a.native_id == native_id)
        else {
            return Ok(Vec::new());
        };
        let follows: Vec<_> = self
            .store
            .interactions_touching(&[account.id], None)?
            .into_iter()
            .filter(|r| r.network == network && r.kind == InteractionKind::Follow && r.at.is_none())
            .collect();
        // Each other end once: the account itself is one end of every follow.
        let ends: Vec<i64> = follows
            .iter()
            .map(|r| if r.source == account.id { r.target } else { r.source })
            .chain([account.id])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let names: HashMap<i64, String> =
            self.store.accounts(&ends)?.into_iter().map(|a| (a.id, a.native_id)).collect();
        Ok(follows
            .iter()
            .filter_map(|r| {
                let (source, target) = (names.get(&r.source)?, names.get(&r.target)?);
                Some(Interaction::new(network, None, source, target, InteractionKind::Follow))
            })
            .collect())
    }
}

/// A shared engine is a sync's target too (a server syncs through the engine all its requests
/// share): its writes take `&self`.
impl Target for &Engine {
    fn cursor(&self, account: &str, phase: &str) -> Result<Option<String>, BoxError> {
        Ok(self.sync_cursor(account, phase)?)
    }

    fn write(
        &mut self,
        account: &str,
        phase: &str,
        records: &[Record],
        deleted: &[Deletion],
        cursor: &str,
    ) -> Result<Written, BoxError> {
        let (counts, refused, deleted) =
            self.sync_apply(account, phase, records, deleted, cursor)?;
        Ok(Written { new: counts.new, known: counts.known, deleted, refused })
    }

    fn circle(&self, network: Network, n: usize) -> Result<Vec<String>, BoxError> {
        let read = self.read()?;
        if n == 0 || matches!(read.me(None), Err(Error::NoMe)) {
            return Ok(Vec::new());
        }
        let view = View { network: Some(network), ..View::default() };
        let people =
            read.people(&view, &PeopleQuery { limit: Some(n), ..PeopleQuery::default() })?;
        Ok(people
            .people
            .iter()
            .flat_map(|p| &p.accounts)
            .filter(|a| a.network == network && !a.is_me)
            .map(|a| a.native_id.clone())
            .collect())
    }

    fn listed_follows(
        &self,
        network: Network,
        account: &str,
    ) -> Result<Vec<Interaction>, BoxError> {
        Ok(self.read()?.listed_follows(network, account)?)
    }
}
