//! `rapport serve --config FILE`: the server's settings in a TOML file, so a team's server starts
//! from a file an administrator keeps (and the database password need not be on a command line,
//! where every local user can read it in the process list).
//!
//! Flags (and the environment variables clap reads for them) override the file; the file
//! overrides the defaults. Unknown keys are an error naming the key, its line and column, so a
//! misspelt setting is never silently ignored.

use std::net::IpAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use rapport_engine::team::rules::LimiterParams;
use serde::Deserialize;

/// What a config file may say; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServeFile {
    /// The PostgreSQL database of team mode (`postgres://user:password@host/db`).
    database_url: Option<String>,
    /// A file whose first line is that URL (kept 0600 by whoever holds the password).
    database_url_file: Option<PathBuf>,
    pub(crate) bind: Option<IpAddr>,
    pub(crate) port: Option<u16>,
    pub(crate) token: Option<String>,
    pub(crate) hosts: Option<Vec<String>>,
    pub(crate) max_upload_mib: Option<u64>,
    /// Team mode: the most PostgreSQL connections the server holds.
    pub(crate) pool_size: Option<u32>,
    /// Team mode: when failed logins lock an account or an address.
    login_limit: Option<LoginLimit>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginLimit {
    per_account: Option<u32>,
    per_address: Option<u32>,
    window_minutes: Option<u64>,
}

/// A config file read, with the warnings it deserves.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) file: ServeFile,
    /// The database URL, from `database_url` or the first line of `database_url_file`.
    pub(crate) database: Option<String>,
    pub(crate) warnings: Vec<String>,
}

impl ServeFile {
    /// The login limiter's settings: the file's, over the defaults.
    pub(crate) fn login_limit(&self) -> LimiterParams {
        let mut params = LimiterParams::default();
        if let Some(limit) = &self.login_limit {
            params.per_account = limit.per_account.unwrap_or(params.per_account);
            params.per_address = limit.per_address.unwrap_or(params.per_address);
            if let Some(minutes) = limit.window_minutes {
                params.window = Duration::from_secs(minutes.saturating_mul(60));
            }
        }
        params
    }
}

/// Reads and checks the config file at `path`.
pub(crate) fn load(path: &Path) -> anyhow::Result<Loaded> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    let file = parse(&text).with_context(|| format!("in the config file {}", path.display()))?;
    anyhow::ensure!(
        file.database_url.is_none() || file.database_url_file.is_none(),
        "the config file {} gives both database_url and database_url_file; keep one",
        path.display()
    );
    if let Some(limit) = &file.login_limit {
        let zero = [limit.per_account, limit.per_address].contains(&Some(0))
            || limit.window_minutes == Some(0);
        anyhow::ensure!(
            !zero,
            "in the config file {}: login_limit values start at 1",
            path.display()
        );
    }
    anyhow::ensure!(
        file.pool_size != Some(0),
        "in the config file {}: pool_size starts at 1",
        path.display()
    );
    let mut warnings = Vec::new();
    let secret_inline =
        file.token.is_some() || file.database_url.as_deref().is_some_and(has_password);
    if secret_inline && readable_by_others(path)? {
        warnings.push(format!(
            "the config file {} holds a password or token and others may read it; `chmod 600` it",
            path.display()
        ));
    }
    let database = match &file.database_url_file {
        Some(url_file) => {
            // A relative path is read beside the config file, wherever the server starts.
            let url_file = path.parent().map_or_else(|| url_file.clone(), |dir| dir.join(url_file));
            let text = std::fs::read_to_string(&url_file)
                .with_context(|| format!("cannot read database_url_file {}", url_file.display()))?;
            let url = text.lines().next().unwrap_or("").trim().to_owned();
            anyhow::ensure!(!url.is_empty(), "database_url_file {} is empty", url_file.display());
            if has_password(&url) && readable_by_others(&url_file)? {
                warnings.push(format!(
                    "{} holds the database password and others may read it; `chmod 600` it",
                    url_file.display()
                ));
            }
            Some(url)
        }
        None => file.database_url.clone(),
    };
    Ok(Loaded { file, database, warnings })
}

fn parse(text: &str) -> anyhow::Result<ServeFile> {
    // toml's message names the line, the column and the unknown or mistyped key.
    Ok(toml::from_str(text)?)
}

/// Whether a PostgreSQL URL (or key=value string) carries a password.
fn has_password(url: &str) -> bool {
    if let Some(rest) = url.split_once("://").map(|(_, rest)| rest) {
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let userinfo = authority.rsplit_once('@').map_or("", |(info, _)| info);
        userinfo.contains(':') || url.contains("password=")
    } else {
        url.contains("password")
    }
}

fn readable_by_others(path: &Path) -> anyhow::Result<bool> {
    let mode = std::fs::metadata(path)
        .with_context(|| format!("cannot read the permissions of {}", path.display()))?
        .permissions()
        .mode();
    Ok(mode & 0o077 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let err = parse("port = 8080\nbnid = \"192.0.2.10\"\n").unwrap_err().to_string();
        assert!(err.contains("bnid") && err.contains("line 2"), "{err}");
        let err = parse("[login_limit]\nper_acount = 3\n").unwrap_err().to_string();
        assert!(err.contains("per_acount") && err.contains("line 2"), "{err}");
        let err = parse("port = \"eighty\"\n").unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn every_key_is_read() {
        let file = parse(
            "database_url = \"postgres://rapport@localhost/rapport\"\nbind = \"192.0.2.10\"\n\
             port = 9000\ntoken = \"t\"\nhosts = [\"rapport.example.com\"]\nmax_upload_mib = 64\n\
             pool_size = 4\n[login_limit]\nper_account = 3\nper_address = 9\nwindow_minutes = 5\n",
        )
        .unwrap();
        assert_eq!(file.port, Some(9000));
        assert_eq!(file.bind, Some(IpAddr::from([192, 0, 2, 10])));
        assert_eq!(file.pool_size, Some(4));
        let limit = file.login_limit();
        assert_eq!((limit.per_account, limit.per_address), (3, 9));
        assert_eq!(limit.window, Duration::from_secs(300));
        assert_eq!(ServeFile::default().login_limit(), LimiterParams::default());
    }

    #[test]
    fn the_readme_s_example_is_a_valid_config() {
        let readme = include_str!("../../../../README.md");
        let start = readme.find("# /etc/rapport/rapport.toml").expect("the README's example");
        let example = &readme[start..];
        let example = &example[..example.find("```").expect("the example's end")];
        let file = parse(example).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file.database_url_file.as_deref(), Some(Path::new("database-url")));
        assert_eq!(file.login_limit(), LimiterParams::default(), "the README shows the defaults");
        assert_eq!(file.port, Some(7878));
    }

    #[test]
    fn passwords_are_found_in_either_form_of_url() {
        assert!(has_password("postgres://u:secret@h/db"));
        assert!(has_password("postgres://u@h/db?password=secret"));
        assert!(has_password("host=h user=u password=secret"));
        assert!(!has_password("postgres://u@h:5432/db"));
        assert!(!has_password("postgres://h/db"));
    }
}
