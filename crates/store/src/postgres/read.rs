//! The read queries of one workspace, each mapping rows by hand into the store's row types, and
//! the kept views' write. Every query names `workspace_id = $1`: nothing here reads across
//! workspaces.

use std::collections::{BTreeMap, HashMap};

use postgres::types::{ToSql, Type};
use postgres::{Client, Row, Transaction};
use rapport_model::{ActorKind, InteractionKind, Network, Timestamp};

use crate::rows::{EdgeRow, ImportCounts, ImportMeta, ImportRow, KindCount, Stats, SyncCursor};
use crate::{AccountRow, ActionState, InteractionRow, PostRow, Result, StoreError};

fn network(code: i16) -> Result<Network> {
    usize::try_from(code)
        .ok()
        .and_then(|c| Network::ALL.get(c).copied())
        .ok_or_else(|| StoreError::Corrupt(format!("network code {code}")))
}

fn actor_kind(name: Option<String>) -> Result<Option<ActorKind>> {
    name.map(|n| n.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))).transpose()
}

fn kind(code: i16) -> Result<InteractionKind> {
    u8::try_from(code)
        .ok()
        .and_then(InteractionKind::from_code)
        .ok_or_else(|| StoreError::Corrupt(format!("interaction kind code {code}")))
}

/// A count, never negative.
fn count(row: &Row, column: usize) -> Result<u64> {
    Ok(row.try_get::<_, i64>(column)?.max(0) as u64)
}

const ACCOUNT_COLUMNS: &str =
    "id, network, native_id, handle, display_name, url, bot, coalesce(person, -id), is_me,
     description, kind";

fn account_row(r: &Row) -> Result<AccountRow> {
    Ok(AccountRow {
        id: r.try_get(0)?,
        network: network(r.try_get(1)?)?,
        native_id: r.try_get(2)?,
        handle: r.try_get(3)?,
        display_name: r.try_get(4)?,
        url: r.try_get(5)?,
        bot: r.try_get(6)?,
        person: r.try_get(7)?,
        is_me: r.try_get(8)?,
        description: r.try_get(9)?,
        kind: actor_kind(r.try_get(10)?)?,
    })
}

/// The workspace's accounts matching `filter` (an SQL condition; `$2` is `ids` when given), by id.
pub(super) fn accounts_where(
    client: &mut Client,
    workspace: i64,
    filter: &str,
    ids: Option<&[i64]>,
) -> Result<Vec<AccountRow>> {
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE workspace_id = $1 AND {filter} ORDER BY id"
    );
    let rows = match ids {
        Some(ids) => client.query(&sql, &[&workspace, &ids])?,
        None => client.query(&sql, &[&workspace])?,
    };
    rows.iter().map(account_row).collect()
}

pub(super) fn find_accounts(
    client: &mut Client,
    workspace: i64,
    query: &str,
) -> Result<Vec<AccountRow>> {
    let q = query.trim().trim_start_matches('@');
    // lower() in the C collation folds ASCII letters only, as SQLite's NOCASE does, and matches
    // the handle index's expression.
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE workspace_id = $1 AND (
             (handle IS NOT NULL AND lower(handle COLLATE \"C\") = lower($2::text COLLATE \"C\"))
             OR native_id = $2
             OR lower(display_name COLLATE \"C\") = lower($2::text COLLATE \"C\"))
         ORDER BY id"
    );
    let mut rows: Vec<AccountRow> =
        client.query(&sql, &[&workspace, &q])?.iter().map(account_row).collect::<Result<_>>()?;
    // Exact handle matches rank first, then native ids, then display names; "me" wins ties.
    rows.sort_by_key(|a| {
        let handle = a.handle.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(q));
        (!handle, a.native_id != q, !a.is_me, a.id)
    });
    Ok(rows)
}

pub(super) fn merged_persons(client: &mut Client, workspace: i64) -> Result<HashMap<i64, i64>> {
    client
        .query(
            "SELECT id, person FROM accounts WHERE workspace_id = $1 AND person IS NOT NULL",
            &[&workspace],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

pub(super) fn interactions_touching(
    client: &mut Client,
    workspace: i64,
    accounts: &[i64],
    as_of: Option<Timestamp>,
) -> Result<Vec<InteractionRow>> {
    let rows = client.query(
        "SELECT id, network, kind, source, target, at, post_id, reply_to, text FROM interactions
          WHERE workspace_id = $1 AND (source = ANY($2) OR target = ANY($2))
            AND (at IS NULL OR at <= $3)",
        &[&workspace, &accounts, &as_of.unwrap_or(i64::MAX)],
    )?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(InteractionRow {
                id: r.try_get(0)?,
                network: network(r.try_get(1)?)?,
                kind: kind(r.try_get(2)?)?,
                source: r.try_get(3)?,
                target: r.try_get(4)?,
                at: r.try_get(5)?,
                post_id: r.try_get(6)?,
                reply_to: r.try_get(7)?,
                text: r.try_get(8)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|r| (r.at.unwrap_or(i64::MIN), r.id));
    Ok(out)
}

/// Runs `sql` and calls `f` for each row as it arrives, without holding the whole result.
fn for_each_row(
    client: &mut Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    mut f: impl FnMut(&Row) -> Result<()>,
) -> Result<()> {
    use postgres::fallible_iterator::FallibleIterator;
    let mut rows = client.query_raw(sql, params.iter().copied())?;
    while let Some(row) = rows.next()? {
        f(&row)?;
    }
    Ok(())
}

pub(super) fn for_each_edge(
    client: &mut Client,
    workspace: i64,
    as_of: Option<Timestamp>,
    f: &mut dyn FnMut(&EdgeRow),
) -> Result<()> {
    let as_of = as_of.unwrap_or(i64::MAX);
    for_each_edge_where(client, "(at IS NULL OR at <= $2) ORDER BY id", &[&workspace, &as_of], f)
}

/// One statement: the planner ORs the two indexes' matches, so each row comes once.
pub(super) fn for_each_edge_touching(
    client: &mut Client,
    workspace: i64,
    accounts: &[i64],
    f: &mut dyn FnMut(&EdgeRow),
) -> Result<()> {
    let touching = "(source = ANY($2) OR target = ANY($2))";
    for_each_edge_where(client, touching, &[&workspace, &accounts], f)
}

/// Calls `f` with who did what to whom and when, for each interaction of the workspace (`$1`)
/// that `condition` selects.
fn for_each_edge_where(
    client: &mut Client,
    condition: &str,
    params: &[&(dyn ToSql + Sync)],
    f: &mut dyn FnMut(&EdgeRow),
) -> Result<()> {
    let sql = format!(
        "SELECT id, network, kind, source, target, at FROM interactions
          WHERE workspace_id = $1 AND {condition}"
    );
    for_each_row(client, &sql, params, |r| {
        f(&EdgeRow {
            id: r.try_get(0)?,
            network: network(r.try_get(1)?)?,
            kind: kind(r.try_get(2)?)?,
            source: r.try_get(3)?,
            target: r.try_get(4)?,
            at: r.try_get(5)?,
        });
        Ok(())
    })
}

pub(super) fn newest_at(
    client: &mut Client,
    workspace: i64,
    on: Option<Network>,
) -> Result<Option<Timestamp>> {
    let row = match on {
        None => client
            .query_one("SELECT max(at) FROM interactions WHERE workspace_id = $1", &[&workspace])?,
        Some(n) => client.query_one(
            "SELECT max(at) FROM interactions WHERE workspace_id = $1 AND network = $2",
            &[&workspace, &i16::from(n as u8)],
        )?,
    };
    Ok(row.try_get(0)?)
}

pub(super) fn for_each_post_since(
    client: &mut Client,
    workspace: i64,
    after: i64,
    f: &mut crate::PostVisitor<'_>,
) -> Result<()> {
    for_each_row(
        client,
        "SELECT import, author, at, text FROM posts
          WHERE workspace_id = $1 AND NOT private AND import > $2",
        &[&workspace, &after],
        |r| {
            f(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
            Ok(())
        },
    )
}

/// See [`crate::Read::posts_mark`].
pub(super) fn posts_mark(client: &mut Client, workspace: i64) -> Result<(i64, u64)> {
    let row = client.query_one(
        "SELECT (SELECT coalesce(max(id), 0) FROM imports WHERE workspace_id = $1),
                (SELECT count(*) FROM posts WHERE workspace_id = $1 AND NOT private)",
        &[&workspace],
    )?;
    Ok((row.try_get(0)?, row.try_get::<_, i64>(1)?.unsigned_abs()))
}

const POST_COLUMNS: &str = "id, network, native_id, author, at, text, reply_to, private";

fn post_row(r: &Row) -> Result<PostRow> {
    Ok(PostRow {
        id: r.try_get(0)?,
        network: network(r.try_get(1)?)?,
        native_id: r.try_get(2)?,
        author: r.try_get(3)?,
        at: r.try_get(4)?,
        text: r.try_get(5)?,
        hashtags: Vec::new(),
        links: Vec::new(),
        reply_to: r.try_get(6)?,
        private: r.try_get(7)?,
    })
}

/// The posts of `rows` with their hashtags and links, newest first.
fn with_entities(client: &mut Client, workspace: i64, rows: &[Row]) -> Result<Vec<PostRow>> {
    let mut posts = rows.iter().map(post_row).collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for r in client.query(
        "SELECT post, tag FROM post_hashtags WHERE workspace_id = $1 AND post = ANY($2)
          ORDER BY post, tag COLLATE \"C\"",
        &[&workspace, &ids],
    )? {
        tags.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
    }
    let mut links: HashMap<i64, Vec<String>> = HashMap::new();
    for r in client.query(
        "SELECT post, url FROM post_links WHERE workspace_id = $1 AND post = ANY($2)
          ORDER BY post, url COLLATE \"C\"",
        &[&workspace, &ids],
    )? {
        links.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
    }
    for post in &mut posts {
        post.hashtags = tags.remove(&post.id).unwrap_or_default();
        post.links = links.remove(&post.id).unwrap_or_default();
    }
    posts.sort_by_key(|p| std::cmp::Reverse((p.at, p.id)));
    Ok(posts)
}

pub(super) fn posts_by(
    client: &mut Client,
    workspace: i64,
    authors: &[i64],
    as_of: Option<Timestamp>,
) -> Result<Vec<PostRow>> {
    let rows = client.query(
        &format!(
            "SELECT {POST_COLUMNS} FROM posts
              WHERE workspace_id = $1 AND author = ANY($2) AND (at IS NULL OR at <= $3)"
        ),
        &[&workspace, &authors, &as_of.unwrap_or(i64::MAX)],
    )?;
    with_entities(client, workspace, &rows)
}

pub(super) fn posts_between(
    client: &mut Client,
    workspace: i64,
    since: Timestamp,
    until: Timestamp,
) -> Result<Vec<PostRow>> {
    let rows = client.query(
        &format!(
            "SELECT {POST_COLUMNS} FROM posts
              WHERE workspace_id = $1 AND NOT private AND at > $2 AND at <= $3"
        ),
        &[&workspace, &since, &until],
    )?;
    with_entities(client, workspace, &rows)
}

pub(super) fn action_states(
    client: &mut Client,
    workspace: i64,
) -> Result<HashMap<String, (ActionState, Option<Timestamp>)>> {
    client
        .query_typed(
            "SELECT id, state, until FROM action_state WHERE workspace_id = $1",
            &[(&workspace, Type::INT8)],
        )?
        .iter()
        .map(|r| {
            let state = match r.try_get::<_, &str>(1)? {
                "done" => ActionState::Done,
                "snoozed" => ActionState::Snoozed,
                other => return Err(StoreError::Corrupt(format!("action state '{other}'"))),
            };
            Ok((r.try_get(0)?, (state, r.try_get(2)?)))
        })
        .collect()
}

pub(super) fn stats(client: &mut Client, workspace: i64) -> Result<Stats> {
    let mut by_kind: BTreeMap<(Network, InteractionKind), (u64, u64)> = BTreeMap::new();
    for r in client.query(
        "SELECT network, kind, count(*), count(*) - count(at) FROM interactions
          WHERE workspace_id = $1 GROUP BY network, kind",
        &[&workspace],
    )? {
        by_kind.insert(
            (network(r.try_get(0)?)?, kind(r.try_get(1)?)?),
            (count(&r, 2)?, count(&r, 3)?),
        );
    }
    let r = client.query_one(
        "SELECT (SELECT count(*) FROM accounts WHERE workspace_id = $1),
                (SELECT count(*) FROM people WHERE workspace_id = $1)
                  + (SELECT count(*) FROM accounts WHERE workspace_id = $1 AND person IS NULL),
                (SELECT count(*) FROM interactions WHERE workspace_id = $1),
                (SELECT count(*) FROM posts WHERE workspace_id = $1),
                (SELECT count(*) FROM imports WHERE workspace_id = $1),
                (SELECT min(at) FROM interactions WHERE workspace_id = $1),
                (SELECT max(at) FROM interactions WHERE workspace_id = $1),
                (SELECT min(at) FROM posts WHERE workspace_id = $1),
                (SELECT max(at) FROM posts WHERE workspace_id = $1)",
        &[&workspace],
    )?;
    let at = |i: usize| -> Result<Option<i64>> { Ok(r.try_get(i)?) };
    Ok(Stats {
        accounts: count(&r, 0)?,
        people: count(&r, 1)?,
        interactions: count(&r, 2)?,
        posts: count(&r, 3)?,
        by_kind: by_kind
            .into_iter()
            .map(|((network, kind), (count, undated))| KindCount { network, kind, count, undated })
            .collect(),
        first_at: [at(5)?, at(7)?].into_iter().flatten().min(),
        last_at: [at(6)?, at(8)?].into_iter().flatten().max(),
        imports: count(&r, 4)?,
    })
}

pub(super) fn imports(client: &mut Client, workspace: i64) -> Result<Vec<ImportRow>> {
    client
        .query(
            "SELECT id, path, format, checksum, bytes, started_at, finished_at, records_read,
                 records_new, records_known, records_skipped
               FROM imports WHERE workspace_id = $1 ORDER BY id",
            &[&workspace],
        )?
        .iter()
        .map(|r| {
            Ok(ImportRow {
                id: r.try_get(0)?,
                meta: ImportMeta {
                    path: r.try_get(1)?,
                    format: r.try_get(2)?,
                    checksum: r.try_get(3)?,
                    bytes: count(r, 4)?,
                    started_at: r.try_get(5)?,
                },
                finished_at: r.try_get(6)?,
                counts: ImportCounts {
                    read: count(r, 7)?,
                    new: count(r, 8)?,
                    known: count(r, 9)?,
                    skipped: count(r, 10)?,
                },
            })
        })
        .collect()
}

pub(super) fn setting(client: &mut Client, workspace: i64, key: &str) -> Result<Option<String>> {
    client
        .query_typed_opt(
            "SELECT value FROM settings WHERE workspace_id = $1 AND key = $2",
            &[(&workspace, Type::INT8), (&key, Type::TEXT)],
        )?
        .map(|r| r.try_get(0))
        .transpose()
        .map_err(StoreError::from)
}

pub(super) fn settings(client: &mut Client, workspace: i64) -> Result<Vec<(String, String)>> {
    client
        .query_typed(
            "SELECT key, value FROM settings WHERE workspace_id = $1 ORDER BY key COLLATE \"C\"",
            &[(&workspace, Type::INT8)],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

pub(super) fn sync_cursors(
    client: &mut Client,
    workspace: i64,
    account: Option<&str>,
) -> Result<Vec<SyncCursor>> {
    client
        .query(
            "SELECT account, phase, cursor, at FROM sync_cursors
              WHERE workspace_id = $1 AND ($2::text IS NULL OR account = $2)
              ORDER BY account COLLATE \"C\", phase COLLATE \"C\"",
            &[&workspace, &account],
        )?
        .iter()
        .map(|r| {
            Ok(SyncCursor {
                account: r.try_get(0)?,
                phase: r.try_get(1)?,
                cursor: r.try_get(2)?,
                at: r.try_get(3)?,
            })
        })
        .collect()
}

/// A kept view, if it was kept at `generation` (the snapshot's).
pub(super) fn derived(
    client: &mut Client,
    workspace: i64,
    generation: i64,
    key: &str,
) -> Result<Option<Vec<u8>>> {
    client
        // Typed: one round trip, where a prepared statement would be two for a single use.
        .query_typed_opt(
            "SELECT body FROM derived WHERE workspace_id = $1 AND key = $2 AND generation = $3",
            &[(&workspace, Type::INT8), (&key, Type::TEXT), (&generation, Type::INT8)],
        )?
        .map(|r| r.try_get(0))
        .transpose()
        .map_err(StoreError::from)
}

/// Keeps a view (see [`crate::Store::put_derived`]), in a transaction holding the workspace's lock.
pub(super) fn put_derived(
    tx: &mut Transaction<'_>,
    workspace: i64,
    key: &str,
    generation: i64,
    body: &[u8],
) -> Result<()> {
    // Stale views go, and so do the other views of this key's slot (its text up to the first
    // `#`): an older build's, or one computed for settings that have since changed.
    tx.execute(
        "DELETE FROM derived WHERE workspace_id = $1 AND (
             generation < (SELECT generation FROM workspaces WHERE id = $1)
             OR (strpos($2, '#') > 0 AND key <> $2
                 AND substr(key, 1, strpos($2, '#')) = substr($2, 1, strpos($2, '#'))))",
        &[&workspace, &key],
    )?;
    tx.execute(
        "INSERT INTO derived (workspace_id, key, generation, body) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id, key) DO UPDATE
             SET generation = excluded.generation, body = excluded.body",
        &[&workspace, &key, &generation, &body],
    )?;
    Ok(())
}

/// State kept across generations (see [`crate::Read::kept_state`]).
pub(super) fn kept_state(
    client: &mut Client,
    workspace: i64,
    key: &str,
) -> Result<Option<Vec<u8>>> {
    client
        .query_opt(
            "SELECT body FROM kept_state WHERE workspace_id = $1 AND key = $2",
            &[&workspace, &key],
        )?
        .map(|r| r.try_get(0))
        .transpose()
        .map_err(StoreError::from)
}

/// See [`crate::Store::replace_kept_state`], in a transaction holding the workspace's lock, so the
/// check of `seen` and the write are one step for every other writer.
pub(super) fn replace_kept_state(
    tx: &mut Transaction<'_>,
    workspace: i64,
    key: &str,
    seen: Option<&[u8]>,
    body: &[u8],
) -> Result<Vec<u8>> {
    let current: Option<Vec<u8>> = tx
        .query_opt(
            "SELECT body FROM kept_state WHERE workspace_id = $1 AND key = $2",
            &[&workspace, &key],
        )?
        .map(|r| r.try_get(0))
        .transpose()?;
    // Another writer's choice stands; a row gone since (another build's slot) is simply written.
    if let Some(current) = current
        && Some(current.as_slice()) != seen
    {
        return Ok(current);
    }
    tx.execute(
        "DELETE FROM kept_state WHERE workspace_id = $1 AND strpos($2, '#') > 0 AND key <> $2
             AND substr(key, 1, strpos($2, '#')) = substr($2, 1, strpos($2, '#'))",
        &[&workspace, &key],
    )?;
    tx.execute(
        "INSERT INTO kept_state (workspace_id, key, body) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, key) DO UPDATE SET body = excluded.body",
        &[&workspace, &key, &body],
    )?;
    Ok(body.to_vec())
}
