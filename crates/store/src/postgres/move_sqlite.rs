//! Moving a personal SQLite store into a workspace: every row of every table, with its ids (so the
//! ids of daily actions still name the same people), in one transaction that checks the counts.
//!
//! Moving is idempotent: rows are upserted by their keys, so moving the same store twice leaves
//! the workspace as once, and moving it again after more imports brings the workspace up to date.
//! The check after the copy demands that each table of the workspace holds exactly the SQLite
//! store's rows: a workspace holding other data as well is refused and left unchanged.
//! Kept views are not moved: they are a cache, computed again on first read.

use std::path::Path;

use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rusqlite::types::ValueRef;

use super::{PgDatabase, WorkspaceId, ensure_partitions, lock_workspace};
use crate::{Result, SqliteStore, StoreError};

/// How a column is typed in PostgreSQL; SQLite's integers become these.
#[derive(Clone, Copy)]
enum Column {
    Int8,
    Int2,
    Bool,
    Text,
}

use Column::{Bool, Int2, Int8, Text};

/// A table to move: its name, its columns and their types, and how many leading columns are its
/// key (after `workspace_id`). Parents before children.
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Column)],
    key: usize,
}

const TABLES: &[Table] = &[
    Table { name: "people", columns: &[("id", Int8), ("name", Text)], key: 1 },
    Table {
        name: "accounts",
        columns: &[
            ("id", Int8),
            ("network", Int2),
            ("native_id", Text),
            ("handle", Text),
            ("display_name", Text),
            ("url", Text),
            ("bot", Bool),
            ("person", Int8),
            ("is_me", Bool),
            ("description", Text),
            ("kind", Text),
        ],
        key: 1,
    },
    Table {
        name: "imports",
        columns: &[
            ("id", Int8),
            ("path", Text),
            ("format", Text),
            ("checksum", Text),
            ("bytes", Int8),
            ("started_at", Int8),
            ("finished_at", Int8),
            ("records_read", Int8),
            ("records_new", Int8),
            ("records_known", Int8),
            ("records_skipped", Int8),
        ],
        key: 1,
    },
    Table {
        name: "interactions",
        columns: &[
            ("id", Int8),
            ("network", Int2),
            ("kind", Int2),
            ("source", Int8),
            ("target", Int8),
            ("at", Int8),
            ("post_id", Text),
            ("reply_to", Text),
            ("text", Text),
            ("import", Int8),
        ],
        key: 1,
    },
    Table {
        name: "posts",
        columns: &[
            ("id", Int8),
            ("network", Int2),
            ("native_id", Text),
            ("author", Int8),
            ("at", Int8),
            ("text", Text),
            ("reply_to", Text),
            ("reply_to_author", Int8),
            ("quote_of", Text),
            ("private", Bool),
            ("import", Int8),
        ],
        key: 1,
    },
    Table { name: "post_hashtags", columns: &[("post", Int8), ("tag", Text)], key: 2 },
    Table { name: "post_mentions", columns: &[("post", Int8), ("account", Int8)], key: 2 },
    Table { name: "post_links", columns: &[("post", Int8), ("url", Text)], key: 2 },
    Table { name: "settings", columns: &[("key", Text), ("value", Text)], key: 1 },
    Table {
        name: "action_state",
        columns: &[("id", Text), ("state", Text), ("until", Int8), ("at", Int8)],
        key: 1,
    },
    Table {
        name: "sync_cursors",
        columns: &[("account", Text), ("phase", Text), ("cursor", Text), ("at", Int8)],
        key: 2,
    },
];

/// How many rows of each table the workspace holds after a move, as checked against the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveCounts {
    /// Table name and row count, in the order the tables were moved.
    pub tables: Vec<(&'static str, u64)>,
}

/// Moves every row of the SQLite store at `from` into `workspace` of `to` (see the module's
/// comment), in one transaction: on any error the workspace is unchanged.
pub fn move_sqlite(from: &Path, to: &PgDatabase, workspace: WorkspaceId) -> Result<MoveCounts> {
    // Opening checks the store's health and brings its schema up to date first.
    drop(SqliteStore::open(from)?);
    let mut source = rusqlite::Connection::open_with_flags(
        from,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::Open { path: from.to_owned(), source: e })?;
    // One read transaction: the rows moved are one moment of the store.
    let source = source.transaction()?;
    let mut client = to.client()?;
    let mut tx = client.transaction()?;
    lock_workspace(&mut tx, workspace)?;
    ensure_partitions(&mut tx, workspace.0)?;
    let mut counts = MoveCounts { tables: Vec::new() };
    for table in TABLES {
        let expected = copy_table(&source, &mut tx, workspace.0, table, from)?;
        let sql = format!("SELECT count(*) FROM {} WHERE workspace_id = $1", table.name);
        let found = tx.query_one(&sql, &[&workspace.0])?.try_get::<_, i64>(0)?.max(0) as u64;
        if found != expected {
            return Err(StoreError::MoveMismatch { table: table.name, expected, found });
        }
        counts.tables.push((table.name, found));
    }
    let audited = super::audit::write_pending(&mut tx, workspace.0)?;
    tx.commit()?;
    if audited {
        super::audit::committed();
    }
    Ok(counts)
}

/// Upserts every row of `table` into the workspace; returns how many the source holds.
fn copy_table(
    source: &rusqlite::Connection,
    tx: &mut Transaction<'_>,
    workspace: i64,
    table: &Table,
    from: &Path,
) -> Result<u64> {
    let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
    let staging = format!("rapport_move_{}", table.name);
    tx.batch_execute(&format!(
        "CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS
             SELECT {} FROM {} WITH NO DATA",
        names.join(", "),
        table.name
    ))?;
    let types: Vec<Type> = table
        .columns
        .iter()
        .map(|(_, c)| match c {
            Int8 => Type::INT8,
            Int2 => Type::INT2,
            Bool => Type::BOOL,
            Text => Type::TEXT,
        })
        .collect();
    let sink = tx.copy_in(&format!("COPY {staging} FROM STDIN BINARY"))?;
    let mut copy = BinaryCopyInWriter::new(sink, &types);
    let mut stmt = source.prepare(&format!("SELECT {} FROM {}", names.join(", "), table.name))?;
    let mut rows = stmt.query([])?;
    let mut moved = 0u64;
    while let Some(row) = rows.next()? {
        let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::with_capacity(names.len());
        for (i, (name, column)) in table.columns.iter().enumerate() {
            let bad = || {
                StoreError::Corrupt(format!(
                    "{}: {}.{name} of row {} is not what the schema says",
                    from.display(),
                    table.name,
                    moved + 1
                ))
            };
            values.push(value(row.get_ref(i)?, *column).ok_or_else(bad)?);
        }
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| &**v).collect();
        copy.write(&refs)?;
        moved += 1;
    }
    copy.finish()?;
    let key = names[..table.key].join(", ");
    let rest = &names[table.key..];
    let on_conflict = if rest.is_empty() {
        "DO NOTHING".to_owned()
    } else {
        let sets: Vec<String> = rest.iter().map(|n| format!("{n} = excluded.{n}")).collect();
        format!("DO UPDATE SET {}", sets.join(", "))
    };
    tx.execute(
        &format!(
            "INSERT INTO {table} (workspace_id, {columns}) SELECT $1, {columns} FROM {staging}
             ON CONFLICT (workspace_id, {key}) {on_conflict}",
            table = table.name,
            columns = names.join(", "),
        ),
        &[&workspace],
    )?;
    Ok(moved)
}

/// A SQLite value as the PostgreSQL column takes it, or `None` when it is not of that type.
fn value(v: ValueRef<'_>, column: Column) -> Option<Box<dyn ToSql + Sync>> {
    Some(match (column, v) {
        (Int8, ValueRef::Null) => Box::new(None::<i64>),
        (Int8, ValueRef::Integer(n)) => Box::new(Some(n)),
        (Int2, ValueRef::Integer(n)) => Box::new(i16::try_from(n).ok()?),
        (Bool, ValueRef::Integer(n)) => Box::new(n != 0),
        (Text, ValueRef::Null) => Box::new(None::<String>),
        (Text, ValueRef::Text(t)) => Box::new(std::str::from_utf8(t).ok()?.to_owned()),
        _ => return None,
    })
}
