//! Where the store lives.

use std::path::PathBuf;

/// The engine's configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The store's SQLite file.
    pub db: PathBuf,
    /// A PostgreSQL database to keep the store in instead of `db` (`postgres://…`), for teams;
    /// `db`'s folder still holds the local files kept beside the store (credentials).
    pub database: Option<String>,
    /// The workspace of `database` to open (created if missing) [default: `default`].
    pub workspace: Option<String>,
}

impl Config {
    /// The configuration with the store at `db`.
    pub fn with_db(db: impl Into<PathBuf>) -> Config {
        Config { db: db.into(), database: None, workspace: None }
    }

    /// This configuration with the store in `workspace` of the PostgreSQL database at `url`.
    pub fn with_database(self, url: impl Into<String>, workspace: Option<String>) -> Config {
        Config { database: Some(url.into()), workspace, ..self }
    }

    /// The workspace opened when none is named.
    pub const DEFAULT_WORKSPACE: &str = "default";

    /// The configuration with the store at `db`, or at [`Config::default_db`] when none is given
    /// (the one place a front end's `--db`/`RAPPORT_DB` falls back to the default).
    pub fn with_db_or_default(db: Option<PathBuf>) -> Config {
        Config::with_db(db.unwrap_or_else(Config::default_db))
    }

    /// The demo's own store, `demo.db` beside the default one, so the demo never writes into the
    /// user's data.
    pub fn demo() -> Config {
        Config::with_db(Config::default_db().with_file_name("demo.db"))
    }

    /// The default store file: `rapport.db` in the user's data directory (for example
    /// `~/.local/share/rapport/rapport.db` on Linux), or the current folder when there is none.
    pub fn default_db() -> PathBuf {
        directories::ProjectDirs::from("", "", "rapport")
            .map_or_else(|| PathBuf::from("rapport.db"), |d| d.data_dir().join("rapport.db"))
    }

    /// Deletes the store: its file and the write-ahead log and shared-memory files SQLite keeps
    /// beside it. Files already absent are fine; the store must not be open.
    pub fn remove_store(&self) -> std::io::Result<()> {
        // The store knows which files beside the database are its own.
        rapport_store::SqliteStore::remove(&self.db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remove_store_deletes_the_database_and_its_sqlite_files() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::with_db(dir.path().join("demo.db"));
        let engine = crate::Engine::open(&config).unwrap();
        drop(engine);
        for name in ["demo.db-wal", "demo.db-shm", "other.db"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        config.remove_store().unwrap();
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["other.db"], "only the store's own files go");
        config.remove_store().unwrap();
    }

    #[test]
    fn the_default_and_the_demo_store_sit_side_by_side() {
        let default = Config::with_db_or_default(None).db;
        assert_eq!(default, Config::default_db());
        assert_eq!(Config::demo().db, default.with_file_name("demo.db"));
        assert_eq!(Config::with_db_or_default(Some("x.db".into())).db, PathBuf::from("x.db"));
    }
}
