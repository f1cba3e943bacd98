//! A short-lived memory of who verified sessions and API tokens stand for, so the team guard does
//! not ask PostgreSQL on every request (under load that lookup, which also notes a token's use,
//! was a database write per read).
//!
//! An entry lives [`TTL`]. A change made through this server that may alter who a token or
//! session stands for (a revoked token, a changed role or membership, a logout, a switch of
//! workspace: every write but the listed ones) empties the memory once its handler has finished
//! (see `guard.rs`), and an epoch keeps a lookup that began before the change from storing its
//! now stale answer. Changes made elsewhere (`rapport admin`, another server on the same
//! database) and a session's expiry take effect within [`TTL`]. Only answers that open something
//! are kept: an unknown token is asked of the database every time, so guessing fills nothing.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::Method;
use rapport_engine::team::rules::{TokenHash, TokenKind};
use rapport_engine::team::tables::Principal;

/// How long a verified token or session is believed without asking the database again.
pub(crate) const TTL: Duration = Duration::from_secs(2);

/// At most this many entries; past it the expired go, and if none has, all of them.
const CAPACITY: usize = 10_000;

/// Writes that cannot change who any token or session stands for: the workspace's data, and a
/// new API token (which is nobody's yet). Every other write empties the memory. A path ending in
/// `/` covers everything under it.
const KEEPS: [&str; 9] = [
    "/api/import",
    "/api/today/",
    "/api/person/",
    "/api/me",
    "/api/send",
    "/api/sync",
    "/api/settings",
    "/api/check",
    "/api/team/tokens",
];

/// Whether a request may change who a token or session stands for.
pub(crate) fn may_change(method: &Method, path: &str) -> bool {
    let writes = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    writes && !KEEPS.iter().any(|k| if k.ends_with('/') { path.starts_with(k) } else { path == *k })
}

type Key = (TokenKind, TokenHash);

#[derive(Default)]
pub(crate) struct Principals(Mutex<Memory>);

#[derive(Default)]
struct Memory {
    /// Moves whenever the memory is emptied.
    epoch: u64,
    entries: HashMap<Key, (Instant, Principal)>,
}

impl Principals {
    fn memory(&self) -> std::sync::MutexGuard<'_, Memory> {
        // Nothing here can be left half-changed by a panic: a poisoned lock is still usable.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The epoch to hand back to [`Principals::keep`] with what a lookup finds.
    pub(crate) fn epoch(&self) -> u64 {
        self.memory().epoch
    }

    /// Who the token or session stands for, if verified less than [`TTL`] ago.
    pub(crate) fn get(&self, kind: TokenKind, hash: TokenHash) -> Option<Principal> {
        let mut memory = self.memory();
        let (at, principal) = memory.entries.get(&(kind, hash))?;
        if at.elapsed() < TTL {
            return Some(principal.clone());
        }
        memory.entries.remove(&(kind, hash));
        None
    }

    /// Remembers what a lookup that began at `epoch` found, unless the memory was emptied since.
    pub(crate) fn keep(&self, epoch: u64, kind: TokenKind, hash: TokenHash, principal: &Principal) {
        let mut memory = self.memory();
        if memory.epoch != epoch {
            return;
        }
        if memory.entries.len() >= CAPACITY {
            memory.entries.retain(|_, (at, _)| at.elapsed() < TTL);
            if memory.entries.len() >= CAPACITY {
                memory.entries.clear();
            }
        }
        memory.entries.insert((kind, hash), (Instant::now(), principal.clone()));
    }

    /// Forgets everything, and every lookup still under way.
    pub(crate) fn forget_all(&self) {
        let mut memory = self.memory();
        memory.epoch += 1;
        memory.entries.clear();
    }
}

/// Empties the memory when dropped: at the end of a request that may change a caller, also when
/// the request is cancelled (the client went away) after its handler committed.
pub(crate) struct ForgetWhenDone<'a>(pub(crate) &'a Principals);

impl Drop for ForgetWhenDone<'_> {
    fn drop(&mut self) {
        self.0.forget_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn someone() -> Principal {
        Principal { user_id: 1, user_name: "a".into(), workspace_id: 2, role: "editor".into() }
    }

    #[test]
    fn a_lookup_that_began_before_a_change_keeps_nothing() {
        let memory = Principals::default();
        let hash = TokenHash([7; 32]);
        let epoch = memory.epoch();
        memory.forget_all();
        memory.keep(epoch, TokenKind::Api, hash, &someone());
        assert_eq!(memory.get(TokenKind::Api, hash), None);
        memory.keep(memory.epoch(), TokenKind::Api, hash, &someone());
        assert_eq!(memory.get(TokenKind::Api, hash), Some(someone()));
        // A session with the same bytes is another key.
        assert_eq!(memory.get(TokenKind::Session, hash), None);
        memory.forget_all();
        assert_eq!(memory.get(TokenKind::Api, hash), None);
        memory.keep(memory.epoch(), TokenKind::Api, hash, &someone());
        drop(ForgetWhenDone(&memory));
        assert_eq!(memory.get(TokenKind::Api, hash), None);
    }

    #[test]
    fn only_data_writes_and_new_tokens_keep_the_memory() {
        assert!(!may_change(&Method::GET, "/api/team/members"));
        assert!(!may_change(&Method::POST, "/api/today/x/done"));
        assert!(!may_change(&Method::POST, "/api/team/tokens"));
        assert!(may_change(&Method::POST, "/api/team/tokens/3/revoke"));
        assert!(may_change(&Method::POST, "/api/team/members"));
        assert!(may_change(&Method::POST, "/logout"));
        assert!(may_change(&Method::POST, "/workspaces/switch"));
        assert!(may_change(&Method::POST, "/api/team/invitations/accept"));
        assert!(may_change(&Method::DELETE, "/api/team/workspaces/4"));
    }
}
