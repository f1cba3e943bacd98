//! Fresh stores of each backend for the conformance suite, with the few checks that must look
//! under the `Store` trait (row counts, referential integrity, a schema marked newer).

use rapport_store::{Backend, PgStore, SqliteStore, StoreError};
use rapport_test_support::postgres::Database;

/// Makes a fresh, empty store of one backend.
pub(crate) type Maker = fn() -> Fresh;

/// A fresh store and what keeps it alive: its folder, or its test database.
pub(crate) struct Fresh {
    pub(crate) store: Backend,
    place: Place,
}

enum Place {
    Sqlite(tempfile::TempDir),
    Postgres(Database),
}

/// The workspace the suite's PostgreSQL stores are opened for.
pub(crate) const WORKSPACE: &str = "conformance";

pub(crate) fn sqlite() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("store.db")).unwrap();
    Fresh { store: Backend::Sqlite(store), place: Place::Sqlite(dir) }
}

pub(crate) fn postgres() -> Fresh {
    let db = rapport_test_support::postgres::database();
    let store = PgStore::open(db.url(), WORKSPACE).unwrap();
    Fresh { store: Backend::Postgres(store), place: Place::Postgres(db) }
}

impl Fresh {
    /// Opens the same store again, as a new process would.
    pub(crate) fn reopen(&self) -> Result<Backend, StoreError> {
        Ok(match &self.place {
            Place::Sqlite(dir) => Backend::Sqlite(SqliteStore::open(&dir.path().join("store.db"))?),
            Place::Postgres(db) => Backend::Postgres(PgStore::open(db.url(), WORKSPACE)?),
        })
    }

    /// Runs `sql` (one number back) directly on the store's database.
    fn number(&self, sqlite: &str, postgres: &str) -> i64 {
        match (&self.place, &self.store) {
            (Place::Sqlite(dir), _) => rusqlite::Connection::open(dir.path().join("store.db"))
                .unwrap()
                .query_row(sqlite, [], |r| r.get(0))
                .unwrap(),
            (Place::Postgres(_), Backend::Postgres(store)) => store
                .database()
                .client()
                .unwrap()
                .query_one(postgres, &[&store.workspace().0])
                .unwrap()
                .get(0),
            _ => unreachable!("a store of the place's backend"),
        }
    }

    /// How many rows of `table` the store holds (in its workspace).
    pub(crate) fn rows(&self, table: &str) -> i64 {
        self.number(
            &format!("SELECT count(*) FROM {table}"),
            &format!("SELECT count(*) FROM {table} WHERE workspace_id = $1"),
        )
    }

    /// Rows naming an account, person or post the store does not hold.
    pub(crate) fn dangling_references(&self) -> i64 {
        let checks = [
            ("interactions", "source", "accounts"),
            ("interactions", "target", "accounts"),
            ("posts", "author", "accounts"),
            ("post_mentions", "account", "accounts"),
            ("post_mentions", "post", "posts"),
            ("post_hashtags", "post", "posts"),
            ("accounts", "person", "people"),
        ];
        checks
            .iter()
            .map(|(table, column, parent)| {
                self.number(
                    &format!(
                        "SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = t.{column})"
                    ),
                    &format!(
                        "SELECT count(*) FROM {table} t WHERE t.workspace_id = $1
                           AND t.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {parent} p
                           WHERE p.workspace_id = t.workspace_id AND p.id = t.{column})"
                    ),
                )
            })
            .sum()
    }

    /// Records a migration newer than this build knows, as a newer Rapport would have.
    pub(crate) fn mark_newer_schema(&self) {
        match &self.place {
            Place::Sqlite(dir) => {
                rusqlite::Connection::open(dir.path().join("store.db"))
                    .unwrap()
                    .execute(
                        "INSERT INTO schema_migrations VALUES (99999999999999, 'future', 0)",
                        [],
                    )
                    .unwrap();
            }
            Place::Postgres(db) => {
                postgres::Client::connect(db.url(), postgres::NoTls)
                    .unwrap()
                    .batch_execute(
                        "INSERT INTO rapport_schema_migrations VALUES (99999999999999, 'future', 0)",
                    )
                    .unwrap();
            }
        }
    }
}
