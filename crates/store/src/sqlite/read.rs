//! The read queries, each mapping rows by hand into the store's row types.

use std::collections::{BTreeMap, HashSet};

use rapport_model::{ActorKind, InteractionKind, Network, Timestamp};
use rusqlite::{Connection, OptionalExtension, Params, Row, params};

use crate::rows::{EdgeRow, ImportCounts, ImportMeta, ImportRow, KindCount, Stats};
use crate::{AccountRow, InteractionRow, PostRow};
use crate::{Result, StoreError};

const ACCOUNT_COLUMNS: &str =
    "id, network, native_id, handle, display_name, url, bot, coalesce(person, -id), is_me,
     description, kind";

fn network(code: u8) -> rusqlite::Result<Network> {
    Network::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| corrupt(format!("network code {code}")))
}

fn actor_kind(name: Option<String>) -> rusqlite::Result<Option<ActorKind>> {
    name.map(|n| n.parse().map_err(|e| corrupt(format!("{e}")))).transpose()
}

fn kind(code: u8) -> rusqlite::Result<InteractionKind> {
    InteractionKind::from_code(code).ok_or_else(|| corrupt(format!("interaction kind code {code}")))
}

fn corrupt(what: String) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(StoreError::Corrupt(what)))
}

fn account_row(r: &Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        id: r.get(0)?,
        network: network(r.get(1)?)?,
        native_id: r.get(2)?,
        handle: r.get(3)?,
        display_name: r.get(4)?,
        url: r.get(5)?,
        bot: r.get(6)?,
        person: r.get(7)?,
        is_me: r.get(8)?,
        description: r.get(9)?,
        kind: actor_kind(r.get(10)?)?,
    })
}

fn interaction_row(r: &Row<'_>) -> rusqlite::Result<InteractionRow> {
    Ok(InteractionRow {
        id: r.get(0)?,
        network: network(r.get(1)?)?,
        kind: kind(r.get(2)?)?,
        source: r.get(3)?,
        target: r.get(4)?,
        at: r.get(5)?,
        post_id: r.get(6)?,
        reply_to: r.get(7)?,
        text: r.get(8)?,
    })
}

const INTERACTION_COLUMNS: &str = "id, network, kind, source, target, at, post_id, reply_to, text";

pub(super) fn accounts_where(
    conn: &Connection,
    filter: &str,
    params: impl Params,
) -> Result<Vec<AccountRow>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE {filter} ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params, account_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn find_accounts(conn: &Connection, query: &str) -> Result<Vec<AccountRow>> {
    let q = query.trim().trim_start_matches('@');
    let mut rows = accounts_where(
        conn,
        "handle = ?1 COLLATE NOCASE OR native_id = ?1 OR display_name = ?1 COLLATE NOCASE",
        [q],
    )?;
    // Exact handle matches rank first, then native ids, then display names; "me" wins ties.
    rows.sort_by_key(|a| {
        let handle = a.handle.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(q));
        (!handle, a.native_id != q, !a.is_me, a.id)
    });
    Ok(rows)
}

pub(super) fn accounts_by_id(conn: &Connection, ids: &[i64]) -> Result<Vec<AccountRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?1"))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = stmt.query_row([id], account_row).optional()? {
            out.push(row);
        }
    }
    Ok(out)
}

pub(super) fn interactions_touching(
    conn: &Connection,
    accounts: &[i64],
    as_of: Option<Timestamp>,
) -> Result<Vec<InteractionRow>> {
    let as_of = as_of.unwrap_or(i64::MAX);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for column in ["source", "target"] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {INTERACTION_COLUMNS} FROM interactions
             WHERE {column} = ?1 AND (at IS NULL OR at <= ?2)"
        ))?;
        for account in accounts {
            for row in stmt.query_map(params![account, as_of], interaction_row)? {
                let row = row?;
                if seen.insert(row.id) {
                    out.push(row);
                }
            }
        }
    }
    out.sort_by_key(|r| (r.at.unwrap_or(i64::MIN), r.id));
    Ok(out)
}

/// How many entries of the source and target indexes name one of `accounts` (a row naming two of
/// them counts twice): the indexes alone answer it, without a row of the table.
fn index_entries(conn: &Connection, accounts: &[i64]) -> Result<u64> {
    let mut count = 0u64;
    for column in ["source", "target"] {
        let mut stmt =
            conn.prepare_cached(&format!("SELECT count(*) FROM interactions WHERE {column} = ?1"))?;
        for account in accounts {
            count += stmt.query_row([account], |r| r.get::<_, u64>(0))?;
        }
    }
    Ok(count)
}

/// See [`crate::Read::interactions_touching_since`]: the counts read the source and target indexes
/// alone, the new rows the import index's range after `after`. One writer at a time numbers the
/// imports, so no import below the newest seen can commit later.
pub(super) fn interactions_touching_since(
    conn: &Connection,
    accounts: &[i64],
    after: i64,
) -> Result<crate::TouchingSince> {
    let newest_import: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM imports", [], |r| r.get(0))?;
    let count = index_entries(conn, accounts)?;
    let touching: HashSet<i64> = accounts.iter().copied().collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {INTERACTION_COLUMNS} FROM interactions WHERE import > ?1 AND import <= ?2 ORDER BY id"
    ))?;
    let mut rows = Vec::new();
    for row in stmt.query_map([after, newest_import], interaction_row)? {
        let row = row?;
        if touching.contains(&row.source) || touching.contains(&row.target) {
            rows.push(row);
        }
    }
    Ok(crate::TouchingSince { newest_import, count, rows })
}

pub(super) fn for_each_edge(
    conn: &Connection,
    as_of: Option<Timestamp>,
    f: &mut dyn FnMut(&EdgeRow),
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {EDGE_COLUMNS} FROM interactions WHERE at IS NULL OR at <= ?1 ORDER BY id"
    ))?;
    let mut rows = stmt.query([as_of.unwrap_or(i64::MAX)])?;
    while let Some(r) = rows.next()? {
        f(&edge_row(r)?);
    }
    Ok(())
}

/// See [`crate::Read::edges_since`]: the count reads the smallest index, the new rows the import
/// index's range after `after`. One writer at a time numbers the imports, so no import below the
/// newest seen can commit later.
pub(super) fn edges_since(
    conn: &Connection,
    after: i64,
    f: &mut dyn FnMut(&EdgeRow),
) -> Result<crate::EdgesMark> {
    let import: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM imports", [], |r| r.get(0))?;
    let count = conn.query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EDGE_COLUMNS} FROM interactions WHERE import > ?1 AND import <= ?2"
    ))?;
    let mut rows = stmt.query([after, import])?;
    while let Some(r) = rows.next()? {
        f(&edge_row(r)?);
    }
    Ok(crate::EdgesMark { import, count })
}

const EDGE_COLUMNS: &str = "id, network, kind, source, target, at";

fn edge_row(r: &Row<'_>) -> rusqlite::Result<EdgeRow> {
    Ok(EdgeRow {
        id: r.get(0)?,
        network: network(r.get(1)?)?,
        kind: kind(r.get(2)?)?,
        source: r.get(3)?,
        target: r.get(4)?,
        at: r.get(5)?,
    })
}

/// SQLite keeps no statistics of how many rows an account has, and for `source IN (…) OR target IN
/// (…)` it probes both indexes and fetches each row from the table by id: for the accounts of
/// "me", a third of a store, that is several times slower than one pass over the table. So the
/// rows are counted in the indexes first (which hold all a count needs), and the table is read in
/// one pass when they are more than a tenth of it, else through the indexes.
pub(super) fn for_each_edge_touching(
    conn: &Connection,
    accounts: &[i64],
    f: &mut dyn FnMut(&EdgeRow),
) -> Result<()> {
    if accounts.is_empty() {
        return Ok(());
    }
    let touching = index_entries(conn, accounts)?;
    let total: u64 = conn.query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))?;
    let list = vec!["?"; accounts.len()].join(", ");
    let how = if touching.saturating_mul(10) > total { "NOT INDEXED" } else { "" };
    let mut stmt = conn.prepare(&format!(
        "SELECT {EDGE_COLUMNS} FROM interactions {how} WHERE source IN ({list}) OR target IN ({list})"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(accounts.iter().chain(accounts)))?;
    while let Some(r) = rows.next()? {
        f(&edge_row(r)?);
    }
    Ok(())
}

pub(super) fn newest_at(conn: &Connection, on: Option<Network>) -> Result<Option<Timestamp>> {
    Ok(match on {
        None => conn.query_row("SELECT max(at) FROM interactions", [], |r| r.get(0))?,
        Some(n) => {
            conn.query_row("SELECT max(at) FROM interactions WHERE network = ?1", [n as u8], |r| {
                r.get(0)
            })?
        }
    })
}

const POST_COLUMNS: &str = "id, network, native_id, author, at, text, reply_to, private";

fn post_row(r: &Row<'_>) -> rusqlite::Result<PostRow> {
    Ok(PostRow {
        id: r.get(0)?,
        network: network(r.get(1)?)?,
        native_id: r.get(2)?,
        author: r.get(3)?,
        at: r.get(4)?,
        text: r.get(5)?,
        hashtags: Vec::new(),
        links: Vec::new(),
        reply_to: r.get(6)?,
        private: r.get(7)?,
    })
}

/// Fills in the hashtags and links of posts.
fn with_entities(conn: &Connection, mut posts: Vec<PostRow>) -> Result<Vec<PostRow>> {
    let mut tags =
        conn.prepare_cached("SELECT tag FROM post_hashtags WHERE post = ?1 ORDER BY tag")?;
    let mut links =
        conn.prepare_cached("SELECT url FROM post_links WHERE post = ?1 ORDER BY url")?;
    for post in &mut posts {
        post.hashtags =
            tags.query_map([post.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        post.links = links.query_map([post.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    }
    posts.sort_by_key(|p| std::cmp::Reverse((p.at, p.id)));
    Ok(posts)
}

pub(super) fn posts_by(
    conn: &Connection,
    authors: &[i64],
    as_of: Option<Timestamp>,
) -> Result<Vec<PostRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {POST_COLUMNS} FROM posts WHERE author = ?1 AND (at IS NULL OR at <= ?2)"
    ))?;
    let mut out = Vec::new();
    for author in authors {
        for row in stmt.query_map(params![author, as_of.unwrap_or(i64::MAX)], post_row)? {
            out.push(row?);
        }
    }
    with_entities(conn, out)
}

pub(super) fn posts_between(
    conn: &Connection,
    since: Timestamp,
    until: Timestamp,
) -> Result<Vec<PostRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {POST_COLUMNS} FROM posts WHERE private = 0 AND at > ?1 AND at <= ?2"
    ))?;
    let rows = stmt.query_map(params![since, until], post_row)?.collect::<rusqlite::Result<_>>()?;
    with_entities(conn, rows)
}

pub(super) fn action_states(
    conn: &Connection,
) -> Result<std::collections::HashMap<String, (crate::ActionState, Option<Timestamp>)>> {
    let mut stmt = conn.prepare("SELECT id, state, until FROM action_state")?;
    let rows = stmt.query_map([], |r| {
        let state: String = r.get(1)?;
        let state = match state.as_str() {
            "done" => crate::ActionState::Done,
            "snoozed" => crate::ActionState::Snoozed,
            other => return Err(corrupt(format!("action state '{other}'"))),
        };
        Ok((r.get::<_, String>(0)?, (state, r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn stats(conn: &Connection) -> Result<Stats> {
    let count = |sql: &str| -> Result<u64> {
        Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n.max(0) as u64)?)
    };
    let mut by_kind: BTreeMap<(Network, InteractionKind), (u64, u64)> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT network, kind, count(*), count(*) - count(at) FROM interactions
         GROUP BY network, kind",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let key = (network(r.get(0)?)?, kind(r.get(1)?)?);
        by_kind.insert(key, (r.get::<_, i64>(2)? as u64, r.get::<_, i64>(3)? as u64));
    }
    let span = |sql: &str| -> Result<(Option<i64>, Option<i64>)> {
        Ok(conn.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))?)
    };
    let (i_first, i_last) = span("SELECT min(at), max(at) FROM interactions")?;
    let (p_first, p_last) = span("SELECT min(at), max(at) FROM posts")?;
    Ok(Stats {
        accounts: count("SELECT count(*) FROM accounts")?,
        people: count(
            "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM accounts WHERE person IS NULL)",
        )?,
        interactions: count("SELECT count(*) FROM interactions")?,
        posts: count("SELECT count(*) FROM posts")?,
        by_kind: by_kind
            .into_iter()
            .map(|((network, kind), (count, undated))| KindCount { network, kind, count, undated })
            .collect(),
        first_at: [i_first, p_first].into_iter().flatten().min(),
        last_at: [i_last, p_last].into_iter().flatten().max(),
        imports: count("SELECT count(*) FROM imports")?,
    })
}

pub(super) fn imports(conn: &Connection) -> Result<Vec<ImportRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, path, format, checksum, bytes, started_at, finished_at, records_read,
             records_new, records_known, records_skipped FROM imports ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ImportRow {
            id: r.get(0)?,
            meta: ImportMeta {
                path: r.get(1)?,
                format: r.get(2)?,
                checksum: r.get(3)?,
                bytes: r.get::<_, i64>(4)? as u64,
                started_at: r.get(5)?,
            },
            finished_at: r.get(6)?,
            counts: ImportCounts {
                read: r.get::<_, i64>(7)? as u64,
                new: r.get::<_, i64>(8)? as u64,
                known: r.get::<_, i64>(9)? as u64,
                skipped: r.get::<_, i64>(10)? as u64,
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}
