//! The audit entry of a change, written in the change's own transaction.
//!
//! A team server records who imported, synced, merged, sent or changed a setting. Written after
//! the change, an entry could be lost (the change committed, the entry's write failed) or the
//! other way round; written inside it, the two commit together or not at all. The engine's write
//! calls do not know about users, so the entry travels beside them: [`audited`] makes it pending
//! on the calling thread, and the next write transaction of the entry's workspace on that thread
//! (an import batch, a merge, a setting, an action's state) inserts it just before it commits.
//! Cache writes (`put_derived`) are not changes and leave it pending.

use std::cell::RefCell;

use postgres::GenericClient;

use crate::Result;

/// An audit-log entry waiting for the change it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The workspace whose log it goes to (`None`: the global log, for what concerns no one
    /// workspace or a workspace that is gone).
    pub workspace: Option<i64>,
    /// Who did it (id and name); `None` for `rapport admin` on the server's machine.
    pub user: Option<(i64, String)>,
    /// The action's stored name.
    pub action: String,
    /// On what.
    pub subject: String,
}

thread_local! {
    /// The entry the next write transaction on this thread writes, and whether one did.
    static PENDING: RefCell<Option<AuditEntry>> = const { RefCell::new(None) };
}

/// Runs `f` with `entry` pending on this thread: the first write transaction of the entry's
/// workspace that `f` commits carries it. Returns what `f` returned, and whether a committed
/// transaction wrote the entry (when not, `f` changed nothing in that workspace, or failed before
/// its change committed, and the caller decides whether the entry is still worth writing).
pub fn audited<T>(entry: AuditEntry, f: impl FnOnce() -> T) -> (T, bool) {
    let outer = PENDING.with(|p| p.borrow_mut().replace(entry));
    let out = f();
    let left = PENDING.with(|p| std::mem::replace(&mut *p.borrow_mut(), outer));
    (out, left.is_none())
}

/// Writes this thread's pending entry in `tx` when it belongs to `workspace`, and says whether it
/// did. The entry stays pending until [`committed`] is called after the transaction commits: a
/// transaction that fails takes its copy of the entry with it, and the entry waits for the next.
pub(super) fn write_pending(tx: &mut impl GenericClient, workspace: i64) -> Result<bool> {
    let entry = PENDING.with(|p| p.borrow().clone().filter(|e| e.workspace == Some(workspace)));
    match entry {
        Some(entry) => append(tx, &entry).map(|()| true),
        None => Ok(false),
    }
}

/// The transaction that wrote the pending entry has committed: it is written.
pub(super) fn committed() {
    PENDING.with(|p| p.borrow_mut().take());
}

/// Inserts one entry in the audit log.
pub fn append(c: &mut impl GenericClient, entry: &AuditEntry) -> Result<()> {
    let (user_id, user_name) = match &entry.user {
        Some((id, name)) => (Some(*id), name.as_str()),
        None => (None, "rapport admin"),
    };
    c.execute(
        "INSERT INTO audit_log (workspace_id, user_id, user_name, action, subject) \
         VALUES ($1, $2, $3, $4, $5)",
        &[&entry.workspace, &user_id, &user_name, &entry.action, &entry.subject],
    )?;
    Ok(())
}
