//! Deleting a workspace: every row of it, in every table that has a `workspace_id`, and its
//! partitions of the interactions and accounts tables, in one transaction, with the entry that records the
//! deletion written to the global audit log (the workspace's own log goes with it).

use postgres::Transaction;

use super::audit::{self, AuditEntry};
use super::{PARTITIONED, PgDatabase, WorkspaceId, partition};
use crate::{Result, StoreError};

/// How many rows of each table a deleted workspace held, by table name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedCounts {
    /// (table, rows), by table name.
    pub tables: Vec<(String, u64)>,
}

/// The tables that hold rows of workspaces, found in the catalogue rather than listed here, so a
/// table a later migration adds is deleted from too. A partition is not listed: its parent is.
pub fn workspace_tables(c: &mut impl postgres::GenericClient) -> Result<Vec<String>> {
    let rows = c.query(
        "SELECT c.relname::text FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE a.attname = 'workspace_id' AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
            AND NOT c.relispartition AND n.nspname = current_schema()
          ORDER BY 1",
        &[],
    )?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// Deletes `workspace` and everything in it, writing `entry` to the global log (its `workspace`
/// is ignored: the workspace is gone). Waits for the workspace's running writes to finish; on any
/// error nothing is deleted.
pub fn delete_workspace(
    db: &PgDatabase,
    workspace: WorkspaceId,
    entry: &AuditEntry,
) -> Result<DeletedCounts> {
    let mut client = db.client()?;
    let mut tx = client.transaction()?;
    // A stronger lock than writers take: no write of the workspace runs while it goes.
    tx.query_opt("SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE", &[&workspace.0])?
        .ok_or_else(|| StoreError::NoWorkspace(format!("#{}", workspace.0)))?;
    let mut counts = DeletedCounts { tables: Vec::new() };
    for table in workspace_tables(&mut tx)? {
        let rows = delete_rows(&mut tx, &table, workspace.0)?;
        counts.tables.push((table, rows));
    }
    for table in PARTITIONED {
        tx.batch_execute(&format!("DROP TABLE IF EXISTS {}", partition(table, workspace.0)))?;
    }
    tx.execute("DELETE FROM workspaces WHERE id = $1", &[&workspace.0])?;
    audit::append(&mut tx, &AuditEntry { workspace: None, ..entry.clone() })?;
    tx.commit()?;
    Ok(counts)
}

/// Deletes the workspace's rows of `table`; returns how many there were. The interactions and
/// accounts are only counted: their partitions are dropped whole afterwards, rather than deleted
/// row by row.
fn delete_rows(tx: &mut Transaction<'_>, table: &str, workspace: i64) -> Result<u64> {
    // The table name comes from the catalogue; quoted all the same.
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    if PARTITIONED.contains(&table) {
        let sql = format!("SELECT count(*) FROM {quoted} WHERE workspace_id = $1");
        let rows: i64 = tx.query_one(&sql, &[&workspace])?.try_get(0)?;
        return Ok(rows.max(0) as u64);
    }
    Ok(tx.execute(&format!("DELETE FROM {quoted} WHERE workspace_id = $1"), &[&workspace])?)
}
