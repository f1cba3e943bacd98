//! Derived views: bodies the engine computes from the data and keeps, valid for one generation of
//! the data (see the `derived` migration for what moves the generation); and kept state, which
//! the engine keeps across generations (see the `kept_state` migration).

use rusqlite::{Connection, OptionalExtension, params};

use crate::Result;

pub(super) fn generation(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT value FROM store_generation WHERE id = 1", [], |r| r.get(0))?)
}

pub(super) fn get(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row(
            "SELECT body FROM derived WHERE key = ?1
               AND generation = (SELECT value FROM store_generation WHERE id = 1)",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

pub(super) fn put(conn: &Connection, key: &str, generation: i64, body: &[u8]) -> Result<()> {
    // Stale views go, and so do the other views of this key's slot (its text up to the first
    // `#`): an older build's, or one computed for settings that have since changed.
    conn.execute(
        "DELETE FROM derived
          WHERE generation < (SELECT value FROM store_generation WHERE id = 1)
             OR (instr(?1, '#') > 0 AND key <> ?1
                 AND substr(key, 1, instr(?1, '#')) = substr(?1, 1, instr(?1, '#')))",
        [key],
    )?;
    conn.execute(
        "INSERT INTO derived (key, generation, body) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET generation = excluded.generation, body = excluded.body",
        params![key, generation, body],
    )?;
    Ok(())
}

pub(super) fn state(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT body FROM kept_state WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// See [`crate::Store::replace_kept_state`]: one transaction, so the check of `seen` and the write
/// are one step for every other writer.
pub(super) fn replace_state(
    conn: &mut Connection,
    key: &str,
    seen: Option<&[u8]>,
    body: &[u8],
) -> Result<Vec<u8>> {
    let tx = conn.transaction()?;
    // Another writer's choice stands; a row gone since (another build's slot) is simply written.
    if let Some(current) = state(&tx, key)?
        && Some(current.as_slice()) != seen
    {
        return Ok(current);
    }
    tx.execute(
        "DELETE FROM kept_state
          WHERE instr(?1, '#') > 0 AND key <> ?1
            AND substr(key, 1, instr(?1, '#')) = substr(?1, 1, instr(?1, '#'))",
        [key],
    )?;
    tx.execute(
        "INSERT INTO kept_state (key, body) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET body = excluded.body",
        params![key, body],
    )?;
    tx.commit()?;
    Ok(body.to_vec())
}
