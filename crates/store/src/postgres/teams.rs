//! Team mode's tables: users, memberships (a role per user and workspace), sessions, API tokens,
//! invitations and the audit log.
//!
//! Every statement is parameterised. Tokens arrive already hashed (32 bytes) and passwords as PHC
//! strings: this module never sees a secret. Roles and audit actions are stored as the names
//! `rapport-teams` gives them, with CHECK constraints on roles so no other value gets in.
//! Lookups that authenticate (a session, an API token) return the member's role in the same
//! query, so a request is resolved to (user, workspace, role) in one round trip, and a user
//! removed from a workspace loses it at their next request.

use postgres::GenericClient;
use postgres::error::SqlState;

use crate::{Result, StoreError};

/// A user, with their password hash, for checking a login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserLogin {
    /// The user's id.
    pub id: i64,
    /// Their name as they chose it.
    pub name: String,
    /// The Argon2id PHC string.
    pub password: String,
}

/// A user in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// The user's id.
    pub id: i64,
    /// Their name.
    pub name: String,
    /// When they were created, in seconds since 1970.
    pub created_at: i64,
    /// How many workspaces they belong to.
    pub workspaces: i64,
}

/// A workspace a user belongs to, and their role in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRow {
    /// The workspace's id.
    pub workspace_id: i64,
    /// The workspace's name.
    pub workspace: String,
    /// The role's name (owner, editor, viewer).
    pub role: String,
}

/// A member of a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    /// The user's id.
    pub user_id: i64,
    /// Their name.
    pub name: String,
    /// The role's name.
    pub role: String,
}

/// Who a session or API token acts as, where, with what role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user's id.
    pub user_id: i64,
    /// The user's name.
    pub user_name: String,
    /// The workspace the request acts in.
    pub workspace_id: i64,
    /// The role's name in that workspace.
    pub role: String,
}

/// An API token as its owner sees it listed (never its secret, which is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRow {
    /// The token's id, to revoke it by.
    pub id: i64,
    /// The name its owner gave it.
    pub name: String,
    /// The workspace it acts in.
    pub workspace_id: i64,
    /// When it was created, in seconds since 1970.
    pub created_at: i64,
    /// When it was last used, in seconds since 1970.
    pub last_used_at: Option<i64>,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// When, in seconds since 1970.
    pub at: i64,
    /// Who (their name when it was written).
    pub user_name: String,
    /// The action's name.
    pub action: String,
    /// On what.
    pub subject: String,
}

fn seconds(column: &str) -> String {
    format!("extract(epoch from {column})::bigint")
}

/// Creates a user; their name must be free (without case).
///
/// # Errors
/// [`StoreError::Conflict`] when the name is taken.
pub fn create_user(c: &mut impl GenericClient, name: &str, password: &str) -> Result<i64> {
    match c.query_one(
        "INSERT INTO users (name, password) VALUES ($1, $2) RETURNING id",
        &[&name, &password],
    ) {
        Ok(row) => Ok(row.get(0)),
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => Err(StoreError::Conflict(
            format!("a user named '{name}' exists already; choose another name"),
        )),
        Err(e) if e.code() == Some(&SqlState::CHECK_VIOLATION) => {
            Err(StoreError::Conflict("a user name has 1 to 64 characters".into()))
        }
        Err(e) => Err(e.into()),
    }
}

/// The user named `name` (without case), with their password hash.
pub fn user_login(c: &mut impl GenericClient, name: &str) -> Result<Option<UserLogin>> {
    let row = c.query_opt(
        "SELECT id, name, password FROM users WHERE lower(name) = lower($1)",
        &[&name],
    )?;
    Ok(row.map(|r| UserLogin { id: r.get(0), name: r.get(1), password: r.get(2) }))
}

/// Replaces a user's password hash and ends their sessions.
pub fn set_password(c: &mut impl GenericClient, user: i64, password: &str) -> Result<bool> {
    let mut tx = c.transaction()?;
    let changed =
        tx.execute("UPDATE users SET password = $2 WHERE id = $1", &[&user, &password])?;
    tx.execute("DELETE FROM sessions WHERE user_id = $1", &[&user])?;
    tx.commit()?;
    Ok(changed == 1)
}

/// Every user, by name.
pub fn users(c: &mut impl GenericClient) -> Result<Vec<UserRow>> {
    let sql = format!(
        "SELECT u.id, u.name, {}, count(m.workspace_id) FROM users u \
         LEFT JOIN memberships m ON m.user_id = u.id GROUP BY u.id ORDER BY lower(u.name)",
        seconds("u.created_at")
    );
    let rows = c.query(&sql, &[])?;
    Ok(rows
        .iter()
        .map(|r| UserRow {
            id: r.get(0),
            name: r.get(1),
            created_at: r.get(2),
            workspaces: r.get(3),
        })
        .collect())
}

/// Gives `user` the role `role` in `workspace`, replacing any role they had there.
pub fn set_member(c: &mut impl GenericClient, user: i64, workspace: i64, role: &str) -> Result<()> {
    c.execute(
        "INSERT INTO memberships (user_id, workspace_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, workspace_id) DO UPDATE SET role = excluded.role",
        &[&user, &workspace, &role],
    )?;
    Ok(())
}

/// Removes `user` from `workspace`, with their sessions and tokens there.
pub fn remove_member(c: &mut impl GenericClient, user: i64, workspace: i64) -> Result<bool> {
    let mut tx = c.transaction()?;
    let removed = tx.execute(
        "DELETE FROM memberships WHERE user_id = $1 AND workspace_id = $2",
        &[&user, &workspace],
    )?;
    for table in ["sessions", "api_tokens"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE user_id = $1 AND workspace_id = $2"),
            &[&user, &workspace],
        )?;
    }
    tx.commit()?;
    Ok(removed == 1)
}

/// Gives `user` the role `role` in `workspace` (`None` removes them, as [`remove_member`] does)
/// and writes `entry` in the same transaction, so the log holds every role change and nothing
/// else. Returns `false`, changing nothing, when there was no member to remove.
pub fn change_member(
    c: &mut impl GenericClient,
    user: i64,
    workspace: i64,
    role: Option<&str>,
    entry: &super::audit::AuditEntry,
) -> Result<bool> {
    let mut tx = c.transaction()?;
    let changed = match role {
        Some(role) => set_member(&mut tx, user, workspace, role).map(|()| true)?,
        None => remove_member(&mut tx, user, workspace)?,
    };
    if changed {
        super::audit::append(&mut tx, entry)?;
        tx.commit()?;
    }
    Ok(changed)
}

/// The workspaces `user` belongs to, by name.
pub fn memberships(c: &mut impl GenericClient, user: i64) -> Result<Vec<MembershipRow>> {
    let rows = c.query(
        "SELECT w.id, w.name, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id \
             WHERE m.user_id = $1 ORDER BY lower(w.name), w.id",
        &[&user],
    )?;
    Ok(rows
        .iter()
        .map(|r| MembershipRow { workspace_id: r.get(0), workspace: r.get(1), role: r.get(2) })
        .collect())
}

/// The members of `workspace`, by name.
pub fn members(c: &mut impl GenericClient, workspace: i64) -> Result<Vec<MemberRow>> {
    let rows = c.query(
        "SELECT u.id, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.workspace_id = $1 ORDER BY lower(u.name)",
        &[&workspace],
    )?;
    Ok(rows
        .iter()
        .map(|r| MemberRow { user_id: r.get(0), name: r.get(1), role: r.get(2) })
        .collect())
}

/// Starts a session of `user` in `workspace` (where they must be a member), valid for
/// `ttl_seconds`.
pub fn create_session(
    c: &mut impl GenericClient,
    token_hash: &[u8; 32],
    user: i64,
    workspace: i64,
    ttl_seconds: i64,
) -> Result<bool> {
    let created = c.execute(
        "INSERT INTO sessions (token_hash, user_id, workspace_id, expires_at) \
             SELECT $1, $2, $3, now() + make_interval(secs => $4) FROM memberships \
             WHERE user_id = $2 AND workspace_id = $3",
        &[&token_hash.as_slice(), &user, &workspace, &(ttl_seconds as f64)],
    )?;
    Ok(created == 1)
}

const PRINCIPAL: &str = "SELECT u.id, u.name, m.workspace_id, m.role FROM users u \
     JOIN memberships m ON m.user_id = u.id";

fn principal(row: &postgres::Row) -> Principal {
    Principal {
        user_id: row.get(0),
        user_name: row.get(1),
        workspace_id: row.get(2),
        role: row.get(3),
    }
}

/// Who the unexpired session with this hash acts as, if any (and if they are still a member of
/// its workspace).
pub fn session(c: &mut impl GenericClient, token_hash: &[u8; 32]) -> Result<Option<Principal>> {
    let sql = format!(
        "{PRINCIPAL} JOIN sessions s ON s.user_id = u.id AND s.workspace_id = m.workspace_id \
         WHERE s.token_hash = $1 AND s.expires_at > now()"
    );
    let row = c.query_opt(&sql, &[&token_hash.as_slice()])?;
    Ok(row.as_ref().map(principal))
}

/// Moves a session to another workspace of its user; false when they are no member there.
pub fn switch_workspace(
    c: &mut impl GenericClient,
    token_hash: &[u8; 32],
    workspace: i64,
) -> Result<bool> {
    let moved = c.execute(
        "UPDATE sessions s SET workspace_id = $2 FROM memberships m \
             WHERE s.token_hash = $1 AND s.expires_at > now() \
             AND m.user_id = s.user_id AND m.workspace_id = $2",
        &[&token_hash.as_slice(), &workspace],
    )?;
    Ok(moved == 1)
}

/// Ends a session (logout); also clears every expired session, so the table does not grow.
pub fn end_session(c: &mut impl GenericClient, token_hash: &[u8; 32]) -> Result<()> {
    c.execute(
        "DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= now()",
        &[&token_hash.as_slice()],
    )?;
    Ok(())
}

/// Creates an API token for `user` in `workspace` (where they must be a member); its id, or
/// `None` when they are not.
pub fn create_api_token(
    c: &mut impl GenericClient,
    token_hash: &[u8; 32],
    user: i64,
    workspace: i64,
    name: &str,
) -> Result<Option<i64>> {
    let row = c.query_opt(
        "INSERT INTO api_tokens (token_hash, user_id, workspace_id, name) \
             SELECT $1, $2, $3, $4 FROM memberships WHERE user_id = $2 AND workspace_id = $3 \
             RETURNING id",
        &[&token_hash.as_slice(), &user, &workspace, &name],
    )?;
    Ok(row.map(|r| r.get(0)))
}

/// Who the unrevoked API token with this hash acts as, noting its use.
pub fn api_token(c: &mut impl GenericClient, token_hash: &[u8; 32]) -> Result<Option<Principal>> {
    let sql = format!(
        "WITH used AS (UPDATE api_tokens SET last_used_at = now() \
           WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id, workspace_id) \
         {PRINCIPAL} JOIN used t ON t.user_id = u.id AND t.workspace_id = m.workspace_id"
    );
    let row = c.query_opt(&sql, &[&token_hash.as_slice()])?;
    Ok(row.as_ref().map(principal))
}

/// The API tokens of `user`, newest first.
pub fn api_tokens(c: &mut impl GenericClient, user: i64) -> Result<Vec<ApiTokenRow>> {
    let sql = format!(
        "SELECT id, name, workspace_id, {}, {}, revoked_at IS NOT NULL FROM api_tokens \
         WHERE user_id = $1 ORDER BY id DESC",
        seconds("created_at"),
        seconds("last_used_at")
    );
    let rows = c.query(&sql, &[&user])?;
    Ok(rows
        .iter()
        .map(|r| ApiTokenRow {
            id: r.get(0),
            name: r.get(1),
            workspace_id: r.get(2),
            created_at: r.get(3),
            last_used_at: r.get(4),
            revoked: r.get(5),
        })
        .collect())
}

/// Revokes one of `user`'s API tokens; false when they have no unrevoked token with that id.
pub fn revoke_api_token(c: &mut impl GenericClient, user: i64, id: i64) -> Result<bool> {
    let revoked = c.execute(
        "UPDATE api_tokens SET revoked_at = now() \
             WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
        &[&id, &user],
    )?;
    Ok(revoked == 1)
}

/// Records an invitation into `workspace` with `role`, valid for `ttl_seconds`.
pub fn create_invitation(
    c: &mut impl GenericClient,
    token_hash: &[u8; 32],
    workspace: i64,
    role: &str,
    invited_by: Option<i64>,
    ttl_seconds: i64,
) -> Result<()> {
    c.execute(
        "INSERT INTO invitations (token_hash, workspace_id, role, invited_by, expires_at) \
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))",
        &[&token_hash.as_slice(), &workspace, &role, &invited_by, &(ttl_seconds as f64)],
    )?;
    Ok(())
}

/// Accepts an invitation: in one transaction, marks it used (once), creates the user and makes
/// them a member. `None` when the invitation is unknown, used or expired; the user's id and
/// workspace otherwise.
///
/// # Errors
/// [`StoreError::Conflict`] when the name is taken; the invitation stays unused then.
pub fn accept_invitation(
    c: &mut impl GenericClient,
    token_hash: &[u8; 32],
    name: &str,
    password: &str,
) -> Result<Option<(i64, i64)>> {
    let mut tx = c.transaction()?;
    let Some(invitation) = tx.query_opt(
        "SELECT workspace_id, role FROM invitations \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() FOR UPDATE",
        &[&token_hash.as_slice()],
    )?
    else {
        return Ok(None);
    };
    let (workspace, role): (i64, String) = (invitation.get(0), invitation.get(1));
    let user = create_user(&mut tx, name, password)?;
    set_member(&mut tx, user, workspace, &role)?;
    tx.execute(
        "UPDATE invitations SET used_at = now(), used_by = $2 WHERE token_hash = $1",
        &[&token_hash.as_slice(), &user],
    )?;
    tx.commit()?;
    Ok(Some((user, workspace)))
}

/// Appends an entry to the audit log of `workspace` (none for what concerns no one workspace).
pub fn append_audit(
    c: &mut impl GenericClient,
    workspace: Option<i64>,
    user: Option<(i64, &str)>,
    action: &str,
    subject: &str,
) -> Result<()> {
    let entry = super::audit::AuditEntry {
        workspace,
        user: user.map(|(id, name)| (id, name.to_owned())),
        action: action.to_owned(),
        subject: subject.to_owned(),
    };
    super::audit::append(c, &entry)
}

/// The newest `limit` entries of `workspace`'s audit log, newest first.
pub fn audit_log(c: &mut impl GenericClient, workspace: i64, limit: i64) -> Result<Vec<AuditRow>> {
    let sql = format!(
        "SELECT {}, user_name, action, subject FROM audit_log WHERE workspace_id = $1 \
         ORDER BY id DESC LIMIT $2",
        seconds("at")
    );
    let rows = c.query(&sql, &[&workspace, &limit])?;
    Ok(rows
        .iter()
        .map(|r| AuditRow {
            at: r.get(0),
            user_name: r.get(1),
            action: r.get(2),
            subject: r.get(3),
        })
        .collect())
}
