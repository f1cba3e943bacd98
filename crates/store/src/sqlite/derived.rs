//! Derived views: bodies the engine computes from the data and keeps, valid for one generation of
//! the data (see the `derived` migration for what moves the generation).

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
    conn.execute(
        "DELETE FROM derived WHERE generation < (SELECT value FROM store_generation WHERE id = 1)",
        [],
    )?;
    conn.execute(
        "INSERT INTO derived (key, generation, body) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET generation = excluded.generation, body = excluded.body",
        params![key, generation, body],
    )?;
    Ok(())
}
