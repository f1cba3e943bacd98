//! The connection pool of a [`super::PgDatabase`]: r2d2 over the `postgres` client, made lazy.
//!
//! Each connection costs PostgreSQL a new backend process, which under load is most of what a
//! single CLI command pays on this backend. So the pool opens nothing ahead of need (no idle
//! minimum) and its first connection is the one `connect` made to check the URL, handed over
//! rather than thrown away: a command that reads makes exactly one connection. A server's pool
//! grows to its size ([`POOL_SIZE`] unless set) as requests come.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use postgres::{Client, NoTls};
use r2d2_postgres::PostgresConnectionManager;

use crate::{Result, StoreError};

/// How many connections the pool opens at most, unless a server's setting says otherwise: a
/// server's concurrent requests beyond this wait for one (up to [`CHECKOUT_TIMEOUT`]).
pub(super) const POOL_SIZE: u32 = 16;
/// How long a request waits for a pooled connection, or for the server to come back after a
/// restart, before it fails with [`StoreError::Pool`] rather than hanging.
const CHECKOUT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The connection pool of a [`super::PgDatabase`].
pub type Pool = r2d2::Pool<Manager>;
/// A connection checked out of the [`Pool`]; it goes back when dropped.
pub type PooledClient = r2d2::PooledConnection<Manager>;

/// Makes the pool's connections: the first is one already open, the rest new.
pub struct Manager {
    new: PostgresConnectionManager<NoTls>,
    first: Mutex<Option<Client>>,
    /// True until the first checkout: the pool holds only connections made a moment ago, which
    /// need no round trip to prove they work.
    unchecked: AtomicBool,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Client;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Client, postgres::Error> {
        // A poisoned lock only means another thread panicked while taking the first connection.
        let first = self.first.lock().ok().and_then(|mut first| first.take());
        match first {
            Some(client) if !client.is_closed() => Ok(client),
            _ => self.new.connect(),
        }
    }

    fn is_valid(&self, client: &mut Client) -> Result<(), postgres::Error> {
        // Checked at every checkout, so a connection a server restart broke is replaced, never
        // handed out.
        if self.unchecked.swap(false, Ordering::Relaxed) {
            return Ok(());
        }
        self.new.is_valid(client)
    }

    fn has_broken(&self, client: &mut Client) -> bool {
        self.new.has_broken(client)
    }
}

/// A lazy pool of at most `size` connections whose first is `first`, already open to `config`'s
/// server.
pub(super) fn build(config: postgres::Config, first: Client, size: u32) -> Result<Pool> {
    let manager = Manager {
        new: PostgresConnectionManager::new(config, NoTls),
        first: Mutex::new(Some(first)),
        unchecked: AtomicBool::new(true),
    };
    r2d2::Pool::builder()
        .max_size(size.max(1))
        .min_idle(Some(0))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .build(manager)
        .map_err(StoreError::from)
}
