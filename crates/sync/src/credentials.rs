//! The connected accounts and their tokens, in `credentials.json` beside the store.
//!
//! The file is created with mode 0600 (written to a temporary file of that mode, then renamed over
//! the old one, so a crash never leaves half a file) and refused when others can read it. Tokens
//! live only here: never in the store, never in logs (the `Debug` of a connection redacts them),
//! never printed.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rapport_model::Network;
use serde::{Deserialize, Serialize};

use crate::{Result, SyncError, bluesky, mastodon};

/// The file's name in the data directory.
pub const FILE: &str = "credentials.json";

/// One connected account.
#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "network", rename_all = "lowercase")]
pub enum Connection {
    /// A Bluesky account and its session.
    Bluesky(bluesky::Session),
    /// A Mastodon account and its app's token.
    Mastodon(mastodon::App),
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Connection({}, tokens redacted)", self.key())
    }
}

impl Connection {
    /// The account's key in the store's sync cursors: `bluesky:<DID>` or `mastodon:<actor URI>`.
    pub fn key(&self) -> String {
        match self {
            Connection::Bluesky(s) => format!("bluesky:{}", s.did),
            Connection::Mastodon(a) => format!("mastodon:{}", a.actor),
        }
    }

    /// The name a user knows the account by: its handle, or `user@instance`.
    pub fn name(&self) -> String {
        match self {
            Connection::Bluesky(s) => s.handle.clone(),
            Connection::Mastodon(a) => a.acct.clone(),
        }
    }

    /// The network.
    pub fn network(&self) -> Network {
        match self {
            Connection::Bluesky(_) => Network::Bluesky,
            Connection::Mastodon(_) => Network::Mastodon,
        }
    }

    /// The server it talks to.
    pub fn server(&self) -> &str {
        match self {
            Connection::Bluesky(s) => &s.service,
            Connection::Mastodon(a) => &a.instance,
        }
    }

    /// True when `query` names this account: its handle or `user@instance` (with or without a
    /// leading `@`), its DID or actor URI, or its key.
    pub fn is(&self, query: &str) -> bool {
        let q = query.trim().trim_start_matches('@').to_ascii_lowercase();
        let key = self.key().to_ascii_lowercase();
        q == self.name().to_ascii_lowercase()
            || q == key
            || key.split_once(':').is_some_and(|(_, id)| id == q)
    }
}

/// The credentials file and the connections it holds.
#[derive(Debug)]
pub struct Credentials {
    path: PathBuf,
    /// The connected accounts, in the order they were connected.
    pub connections: Vec<Connection>,
}

#[derive(Serialize, Deserialize)]
struct OnDisk {
    version: u32,
    connections: Vec<Connection>,
}

impl Credentials {
    /// Reads the credentials file of data directory `dir`; a missing file holds no connections.
    pub fn load(dir: &Path) -> Result<Credentials> {
        let path = dir.join(FILE);
        let fail = |why: String| SyncError::Credentials { path: path.clone(), why };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Credentials { path, connections: Vec::new() });
            }
            Err(e) => return Err(fail(format!("could not be read ({e})"))),
        };
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode()).unwrap_or(0);
        if mode & 0o077 != 0 {
            return Err(fail(format!(
                "others can read it (mode {:o}); run `chmod 600 {}` and check who copied it",
                mode & 0o777,
                path.display()
            )));
        }
        let disk: OnDisk = serde_json::from_slice(&bytes).map_err(|e| {
            fail(format!(
                "is not valid at line {}, column {} ({e}); fix it or delete it and run `rapport connect` again",
                e.line(),
                e.column()
            ))
        })?;
        Ok(Credentials { path, connections: disk.connections })
    }

    /// Writes the file: a temporary file of mode 0600 beside it, synced, then renamed over it.
    pub fn save(&self) -> Result<()> {
        let fail = |why: String| SyncError::Credentials { path: self.path.clone(), why };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| fail(format!("its folder could not be created ({e})")))?;
        }
        let disk = OnDisk { version: 1, connections: self.connections.clone() };
        let bytes = serde_json::to_vec_pretty(&disk)
            .map_err(|e| fail(format!("could not be encoded ({e})")))?;
        let tmp = self.path.with_extension("json.tmp");
        let _ = std::fs::remove_file(&tmp);
        let write = || -> std::io::Result<()> {
            let mut file =
                std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            fail(format!("could not be written ({e})"))
        })
    }

    /// Adds a connection, replacing the one of the same account.
    pub fn upsert(&mut self, connection: Connection) {
        let key = connection.key();
        match self.connections.iter_mut().find(|c| c.key() == key) {
            Some(slot) => *slot = connection,
            None => self.connections.push(connection),
        }
    }

    /// The connection `query` names (see [`Connection::is`]).
    pub fn find(&self, query: &str) -> Option<&Connection> {
        self.connections.iter().find(|c| c.is(query))
    }

    /// Removes and returns the connection `query` names.
    pub fn remove(&mut self, query: &str) -> Option<Connection> {
        let index = self.connections.iter().position(|c| c.is(query))?;
        Some(self.connections.remove(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Connection {
        Connection::Bluesky(bluesky::Session {
            service: "http://127.0.0.1:1".into(),
            did: "did:plc:abc".into(),
            handle: "ada.test".into(),
            access: "secret-access".into(),
            refresh: "secret-refresh".into(),
        })
    }

    #[test]
    fn saved_with_mode_0600_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut creds = Credentials::load(dir.path()).unwrap();
        assert!(creds.connections.is_empty());
        creds.upsert(session());
        creds.upsert(session());
        creds.save().unwrap();
        let mode = std::fs::metadata(dir.path().join(FILE)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let back = Credentials::load(dir.path()).unwrap();
        assert_eq!(back.connections.len(), 1);
        assert!(back.find("@ada.test").is_some());
        assert!(back.find("did:plc:abc").is_some());
        assert!(back.find("bob.test").is_none());
        assert!(!format!("{back:?}").contains("secret"));
    }

    #[test]
    fn refuses_a_file_others_can_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        std::fs::write(&path, br#"{"version":1,"connections":[]}"#).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = Credentials::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::write(&path, b"{\"version\":1,").unwrap();
        let err = Credentials::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
    }
}
