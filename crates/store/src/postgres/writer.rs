//! The record writer of one import transaction into one workspace.
//!
//! Interactions and new accounts are buffered and written with binary COPY straight into their
//! tables. The writer knows what is new without asking the database row by row, because the
//! workspace's lock keeps anyone else from writing to it meanwhile: every stored account of the
//! workspace is loaded when the batch starts, and the interactions of a buffer are checked
//! against the ids this batch wrote and, when the workspace held interactions before, against
//! the stored ones in one query. A plain COPY of new rows is several times faster than an
//! `INSERT … ON CONFLICT` through a staging table, which tries each row and backs it out again.
//! Account and post records, few and wide, are written one statement each; accounts known only by
//! reference wait in memory and go in one COPY when the batch ends (or before an account record,
//! which may name one of them). The first batch of a workspace writes its partitions of the
//! accounts and interactions tables as tables of their own, without indexes, and builds the
//! indexes (one sort each, with the session's sort memory raised for it) and attaches them when
//! the batch ends (see the migrations): no row of an all-new load is checked against a unique key.

use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use rapport_model::{Account, ActorKind, Interaction, Network, Post, Record};

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use crate::batch::{AccountMaps, IdHasher, Occurrences, Pending};
use crate::ids::{interaction_id, named_interaction_ids, post_id};
use crate::{RecordWriter, Result};

/// How many interactions are buffered before they are sorted by id and copied.
const CHUNK: usize = 1 << 18;

pub(super) struct PgWriter<'t, 'c> {
    tx: &'t mut Transaction<'c>,
    workspace: i64,
    import: i64,
    /// Every account id of the workspace (stored, or new in this batch), by native id.
    accounts: AccountMaps,
    /// Accounts new in this batch and not yet written: id, network, native id.
    new_accounts: Vec<(i64, i16, String)>,
    next_account: i64,
    pending: Vec<Pending>,
    occurrences: Occurrences,
    /// The ids of the interactions this batch wrote, when more than one buffer is written.
    written: HashSet<i64, BuildHasherDefault<IdHasher>>,
    /// True when the workspace held interactions before the batch: new ones are then checked
    /// against the stored ones.
    had_interactions: bool,
    /// The table interactions are copied into: the partitioned table, or the workspace's new
    /// partition while this batch writes it.
    interactions: String,
    /// True when this batch writes the workspace's first partition, to attach when it ends.
    new_partition: bool,
    /// The table accounts are written to: the partitioned table, or the workspace's new partition
    /// while this batch writes it.
    accounts_table: String,
    /// True when this batch writes the workspace's first accounts partition.
    new_accounts_partition: bool,
    pub(super) new: u64,
    pub(super) known: u64,
}

impl<'t, 'c> PgWriter<'t, 'c> {
    pub(super) fn new(
        tx: &'t mut Transaction<'c>,
        workspace: i64,
        import: i64,
    ) -> Result<PgWriter<'t, 'c>> {
        let mut accounts = AccountMaps::default();
        let mut next_account = 1;
        {
            use postgres::fallible_iterator::FallibleIterator;
            let mut rows = tx.query_raw(
                "SELECT network, native_id, id FROM accounts WHERE workspace_id = $1",
                [&workspace],
            )?;
            while let Some(r) = rows.next()? {
                let network: i16 = r.try_get(0)?;
                let id: i64 = r.try_get(2)?;
                next_account = next_account.max(id + 1);
                if let Some(map) = usize::try_from(network).ok().and_then(|n| accounts.get_mut(n)) {
                    map.insert(r.try_get(1)?, id);
                }
            }
        }
        let had_interactions = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM interactions WHERE workspace_id = $1)",
                &[&workspace],
            )?
            .try_get(0)?;
        let new_partition = !super::has_partition(tx, "interactions", workspace)?;
        let interactions = if new_partition {
            let name = super::partition("interactions", workspace);
            // Dropped with the transaction if the batch fails.
            tx.batch_execute(&format!("CREATE TABLE {name} (LIKE interactions)"))?;
            name
        } else {
            "interactions".to_owned()
        };
        let new_accounts_partition = !super::has_partition(tx, "accounts", workspace)?;
        let accounts_table = if new_accounts_partition {
            let name = super::partition("accounts", workspace);
            tx.batch_execute(&format!("CREATE TABLE {name} (LIKE accounts INCLUDING DEFAULTS)"))?;
            name
        } else {
            "accounts".to_owned()
        };
        Ok(PgWriter {
            tx,
            workspace,
            import,
            accounts,
            new_accounts: Vec::new(),
            next_account,
            pending: Vec::with_capacity(CHUNK),
            occurrences: Occurrences::default(),
            written: HashSet::default(),
            had_interactions,
            interactions,
            new_partition,
            accounts_table,
            new_accounts_partition,
            new: 0,
            known: 0,
        })
    }

    fn count(&mut self, new: bool) {
        if new {
            self.new += 1;
        } else {
            self.known += 1;
        }
    }

    /// The id of an account known only by reference; a new one is queued for writing.
    fn account_ref(&mut self, network: Network, native_id: &str) -> i64 {
        if let Some(id) = self.accounts[network as usize].get(native_id) {
            return *id;
        }
        let id = self.next_account;
        self.next_account += 1;
        self.new_accounts.push((id, i16::from(network as u8), native_id.to_owned()));
        self.accounts[network as usize].insert(native_id.to_owned(), id);
        id
    }

    fn account(&mut self, a: &Account, is_me: bool) -> Result<()> {
        // An account referred to earlier in the batch may still wait in the buffer.
        self.flush_accounts()?;
        let network = i16::from(a.network as u8);
        let known = self.accounts[a.network as usize].get(&a.id).copied();
        match known {
            Some(id) => {
                // What the source says fills in what the store did not know; nothing is erased.
                let sql = format!(
                    "UPDATE {} SET handle = coalesce($3, handle),
                         display_name = coalesce($4, display_name), url = coalesce($5, url),
                         bot = bot OR $6, is_me = is_me OR $7,
                         description = coalesce($8, description), kind = coalesce($9, kind)
                     WHERE workspace_id = $1 AND id = $2",
                    self.accounts_table
                );
                self.tx.execute(
                    &sql,
                    &[
                        &self.workspace,
                        &id,
                        &a.handle,
                        &a.display_name,
                        &a.url,
                        &a.bot,
                        &is_me,
                        &a.description,
                        &a.kind.map(ActorKind::as_str),
                    ],
                )?;
            }
            None => {
                let id = self.next_account;
                self.next_account += 1;
                let sql = format!(
                    "INSERT INTO {} (workspace_id, id, network, native_id, handle,
                         display_name, url, bot, is_me, description, kind)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    self.accounts_table
                );
                self.tx.execute(
                    &sql,
                    &[
                        &self.workspace,
                        &id,
                        &network,
                        &a.id,
                        &a.handle,
                        &a.display_name,
                        &a.url,
                        &a.bot,
                        &is_me,
                        &a.description,
                        &a.kind.map(ActorKind::as_str),
                    ],
                )?;
                self.accounts[a.network as usize].insert(a.id.clone(), id);
            }
        }
        self.count(known.is_none());
        Ok(())
    }

    fn interaction(&mut self, i: &Interaction) -> Result<()> {
        let source = self.account_ref(i.network, &i.source);
        let target = self.account_ref(i.network, &i.target);
        self.pending.push(Pending::new(i, source, target));
        if self.pending.len() >= CHUNK {
            self.flush(false)?;
        }
        Ok(())
    }

    fn post(&mut self, p: &Post) -> Result<()> {
        let author = self.account_ref(p.network, &p.author);
        let reply_to_author = p.reply_to_author.as_deref().map(|a| self.account_ref(p.network, a));
        let mentions: Vec<i64> =
            p.mentions.iter().map(|m| self.account_ref(p.network, m)).collect();
        let id = post_id(p.network, &p.id);
        let changed = self.tx.execute(
            "INSERT INTO posts (workspace_id, id, network, native_id, author, at, text, reply_to,
                 reply_to_author, quote_of, private, import)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT DO NOTHING",
            &[
                &self.workspace,
                &id,
                &i16::from(p.network as u8),
                &p.id,
                &author,
                &p.at,
                &p.text,
                &p.reply_to,
                &reply_to_author,
                &p.quote_of,
                &p.private,
                &self.import,
            ],
        )?;
        self.count(changed == 1);
        if changed == 0 {
            return Ok(());
        }
        // Each list goes in one statement; duplicates within a list are one row, as in SQLite.
        self.tx.execute(
            "INSERT INTO post_hashtags (workspace_id, post, tag)
             SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING",
            &[&self.workspace, &id, &p.hashtags],
        )?;
        self.tx.execute(
            "INSERT INTO post_mentions (workspace_id, post, account)
             SELECT $1, $2, unnest($3::bigint[]) ON CONFLICT DO NOTHING",
            &[&self.workspace, &id, &mentions],
        )?;
        self.tx.execute(
            "INSERT INTO post_links (workspace_id, post, url)
             SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING",
            &[&self.workspace, &id, &p.links],
        )?;
        Ok(())
    }

    /// Copies the accounts new in this batch into their table.
    fn flush_accounts(&mut self) -> Result<()> {
        if self.new_accounts.is_empty() {
            return Ok(());
        }
        let sink = self.tx.copy_in(&format!(
            "COPY {} (workspace_id, id, network, native_id) FROM STDIN BINARY",
            self.accounts_table
        ))?;
        let mut copy =
            BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::INT2, Type::TEXT]);
        for (id, network, native_id) in &self.new_accounts {
            copy.write(&[&self.workspace, id, network, native_id])?;
        }
        copy.finish()?;
        self.new_accounts.clear();
        Ok(())
    }

    /// Writes the buffered interactions that are new, in id order; `last` tells that the batch
    /// ends here.
    fn flush(&mut self, last: bool) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut pending = std::mem::take(&mut self.pending);
        self.occurrences.sort(&mut pending, last);
        let stored: HashSet<i64, BuildHasherDefault<IdHasher>> = if self.had_interactions {
            let ids: Vec<i64> = pending.iter().map(|p| p.id).collect();
            let rows = self.tx.query(
                "SELECT id FROM interactions WHERE workspace_id = $1 AND id = ANY($2)",
                &[&self.workspace, &ids],
            )?;
            rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?
        } else {
            HashSet::default()
        };
        let sink = self.tx.copy_in(&format!(
            "COPY {} (workspace_id, id, network, kind, source, target, at, post_id, reply_to,
                 text, import) FROM STDIN BINARY",
            self.interactions
        ))?;
        let mut copy = BinaryCopyInWriter::new(
            sink,
            &[
                Type::INT8,
                Type::INT8,
                Type::INT2,
                Type::INT2,
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::INT8,
            ],
        );
        let mut inserted = 0;
        // Sorted by id, a row already written in this buffer is the one just before it.
        let mut previous = None;
        for p in &pending {
            let repeated = previous == Some(p.id) || self.written.contains(&p.id);
            previous = Some(p.id);
            if repeated || stored.contains(&p.id) {
                continue;
            }
            copy.write(&[
                &self.workspace,
                &p.id,
                &i16::from(p.network),
                &i16::from(p.kind),
                &p.source,
                &p.target,
                &p.at,
                &p.post_id(),
                &p.reply_to(),
                &p.text(),
                &self.import,
            ])?;
            inserted += 1;
        }
        copy.finish()?;
        if !last {
            self.written.extend(pending.iter().map(|p| p.id));
        }
        self.new += inserted;
        self.known += pending.len() as u64 - inserted;
        pending.clear();
        self.pending = pending;
        Ok(())
    }

    /// Writes what is buffered, and attaches a new partition with its indexes (built now, one
    /// sort each; attaching adopts them as the partitioned table's) and its statistics (a table
    /// loaded whole has none until autovacuum comes by, and the planner then guesses a few hundred
    /// rows: the whole-store read took a bitmap scan and a sort instead of the key's order); the
    /// batch is then complete.
    pub(super) fn finish(&mut self) -> Result<()> {
        self.flush(true)?;
        self.flush_accounts()?;
        if self.new_partition || self.new_accounts_partition {
            // Each index is one sort: in memory rather than in runs on disk, for this transaction.
            self.tx.batch_execute("SET LOCAL maintenance_work_mem = '256MB'")?;
        }
        let workspace = self.workspace;
        if self.new_partition {
            let name = &self.interactions;
            self.tx.batch_execute(&format!(
                "ALTER TABLE {name} ADD PRIMARY KEY (workspace_id, id);
                 CREATE INDEX ON {name} (workspace_id, source, at);
                 CREATE INDEX ON {name} (workspace_id, target, at);
                 ALTER TABLE interactions ATTACH PARTITION {name} FOR VALUES IN ({workspace});
                 ANALYZE {name};"
            ))?;
            self.new_partition = false;
        }
        if self.new_accounts_partition {
            // The same indexes as the partitioned table's, which attaching adopts.
            let name = &self.accounts_table;
            self.tx.batch_execute(&format!(
                "ALTER TABLE {name} ADD PRIMARY KEY (workspace_id, id);
                 CREATE UNIQUE INDEX ON {name} (workspace_id, network, native_id);
                 CREATE INDEX ON {name} (workspace_id, lower(handle COLLATE \"C\"))
                     WHERE handle IS NOT NULL;
                 CREATE INDEX ON {name} (workspace_id, person) WHERE person IS NOT NULL;
                 ALTER TABLE accounts ATTACH PARTITION {name} FOR VALUES IN ({workspace});
                 ANALYZE {name};"
            ))?;
            self.new_accounts_partition = false;
        }
        Ok(())
    }
}

impl RecordWriter for PgWriter<'_, '_> {
    fn write(&mut self, record: &Record) -> Result<()> {
        match record {
            Record::Me(a) => self.account(a, true),
            Record::Account(a) => self.account(a, false),
            Record::Interaction(i) => self.interaction(i),
            Record::Post(p) => self.post(p),
        }
    }

    fn save_cursor(&mut self, account: &str, phase: &str, cursor: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sync_cursors (workspace_id, account, phase, cursor, at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (workspace_id, account, phase)
             DO UPDATE SET cursor = excluded.cursor, at = excluded.at",
            &[&self.workspace, &account, &phase, &cursor, &crate::now()],
        )?;
        Ok(())
    }

    fn undo(&mut self, interaction: &Interaction) -> Result<u64> {
        self.flush(false)?;
        let id = interaction_id(interaction);
        self.written.remove(&id);
        let removed = self.tx.execute(
            &format!("DELETE FROM {} WHERE workspace_id = $1 AND id = $2", self.interactions),
            &[&self.workspace, &id],
        )?;
        Ok(removed)
    }

    fn delete(&mut self, network: Network, native_id: &str) -> Result<u64> {
        self.flush(false)?;
        let post = post_id(network, native_id);
        let mentioned: Vec<String> = self
            .tx
            .query(
                "SELECT a.native_id FROM post_mentions m
                 JOIN accounts a ON a.workspace_id = m.workspace_id AND a.id = m.account
                 WHERE m.workspace_id = $1 AND m.post = $2",
                &[&self.workspace, &post],
            )?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let ids = named_interaction_ids(network, native_id, &mentioned);
        // A row written earlier in this batch and deleted now may be written again later in it.
        for id in &ids {
            self.written.remove(id);
        }
        let mut removed = self.tx.execute(
            &format!("DELETE FROM {} WHERE workspace_id = $1 AND id = ANY($2)", self.interactions),
            &[&self.workspace, &ids],
        )?;
        for table in ["post_hashtags", "post_mentions", "post_links"] {
            self.tx.execute(
                &format!("DELETE FROM {table} WHERE workspace_id = $1 AND post = $2"),
                &[&self.workspace, &post],
            )?;
        }
        removed += self.tx.execute(
            "DELETE FROM posts WHERE workspace_id = $1 AND id = $2",
            &[&self.workspace, &post],
        )?;
        Ok(removed)
    }
}
