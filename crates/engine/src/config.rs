//! Where the store lives.

use std::path::PathBuf;

/// The engine's configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The store's SQLite file.
    pub db: PathBuf,
}

impl Config {
    /// The configuration with the store at `db`.
    pub fn with_db(db: impl Into<PathBuf>) -> Config {
        Config { db: db.into() }
    }

    /// The default store file: `rapport.db` in the user's data directory (for example
    /// `~/.local/share/rapport/rapport.db` on Linux), or the current folder when there is none.
    pub fn default_db() -> PathBuf {
        directories::ProjectDirs::from("", "", "rapport")
            .map_or_else(|| PathBuf::from("rapport.db"), |d| d.data_dir().join("rapport.db"))
    }
}
