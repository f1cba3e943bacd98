//! `rapport serve`: the local dashboard and its JSON API, from the same store and with the same
//! numbers as the other commands.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rapport_engine::Config;
use rapport_server::{DEFAULT_UPLOAD_MIB, Options, TeamOptions};

use super::serve_config::{self, ServeFile};
use crate::cli::Global;

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Read the server's settings from this TOML file (flags override it; README: Teams)
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The port to listen on (0 picks a free one) [default: 7878]
    #[arg(long)]
    port: Option<u16>,
    /// Listen on this address instead of 127.0.0.1; anything but loopback requires a token
    #[arg(long, value_name = "ADDR")]
    bind: Option<IpAddr>,
    /// The token every request must carry (generated and printed once when --bind needs one)
    #[arg(long, env = "RAPPORT_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// With --database: a host name the team opens the server by (behind a reverse proxy), besides its address
    #[arg(long = "host", value_name = "NAME")]
    hosts: Vec<String>,
    /// The largest export the Import page accepts, in MiB [default: 512]
    #[arg(long, value_name = "MIB")]
    max_upload_mib: Option<u64>,
}

/// The settings the server starts with: flags over the config file over the defaults.
struct Settings {
    database: Option<String>,
    addr: SocketAddr,
    token: Option<String>,
    hosts: Vec<String>,
    upload_limit: u64,
    file: ServeFile,
}

fn settings(global: &Global, args: &ServeArgs) -> anyhow::Result<Settings> {
    let loaded = match &args.config {
        Some(path) => serve_config::load(path)?,
        None => {
            serve_config::Loaded { file: ServeFile::default(), database: None, warnings: vec![] }
        }
    };
    for warning in &loaded.warnings {
        eprintln!("warning: {}", crate::terminal::neutralise(warning));
    }
    let file = loaded.file;
    let ip = args.bind.or(file.bind).unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let port = args.port.or(file.port).unwrap_or(DEFAULT_PORT);
    let hosts = if args.hosts.is_empty() {
        file.hosts.clone().unwrap_or_default()
    } else {
        args.hosts.clone()
    };
    let mib = args.max_upload_mib.or(file.max_upload_mib).unwrap_or(DEFAULT_UPLOAD_MIB);
    Ok(Settings {
        database: global.database.clone().or(loaded.database),
        addr: SocketAddr::new(ip, port),
        token: args.token.clone().or_else(|| file.token.clone()),
        hosts,
        upload_limit: mib.saturating_mul(1024 * 1024),
        file,
    })
}

/// The port `rapport serve` listens on unless told otherwise.
const DEFAULT_PORT: u16 = 7878;

pub(crate) fn run(global: &Global, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let db = global.db.clone().unwrap_or_else(Config::default_db);
    let settings = settings(global, args)?;
    let ip = settings.addr.ip();
    if let Some(database) = &settings.database {
        return serve_team(database, &db, &settings);
    }
    let mut options = Options::local(&db, settings.addr.port());
    options.addr = settings.addr;
    options.token = settings.token.clone();
    options.upload_limit = settings.upload_limit;
    options.view = global.view();
    let generated = options.token.is_none() && !ip.is_loopback();
    let running = rapport_server::start(options)?;
    let mut banner = format!("Rapport is serving {} at {}\n", db.display(), running.url());
    if generated && let Some(token) = running.token() {
        banner.push_str(&format!(
            "Access token (shown once; scripts send `Authorization: Bearer TOKEN`): {token}\n"
        ));
    }
    banner.push_str("Stop it with Ctrl-C.\n");
    announce_and_wait(&banner, running)
}

/// Prints the banner, then serves until the server stops.
fn announce_and_wait(banner: &str, running: rapport_server::Running) -> anyhow::Result<ExitCode> {
    // A closed stdout (`rapport serve | head -1`) must not stop the server.
    let mut out = super::stdout();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    running.wait()?;
    Ok(ExitCode::SUCCESS)
}

/// Team mode: many users, logins and workspaces over the PostgreSQL database of --database.
fn serve_team(
    database: &str,
    db: &std::path::Path,
    settings: &Settings,
) -> anyhow::Result<ExitCode> {
    let addr = settings.addr;
    anyhow::ensure!(
        settings.token.is_none(),
        "with --database, people log in with their own names and API tokens; leave out --token (and the config file's token)"
    );
    let local =
        db.parent().map_or_else(|| std::path::PathBuf::from("."), std::path::Path::to_owned);
    let options = TeamOptions {
        database: database.to_owned(),
        addr,
        upload_limit: settings.upload_limit,
        local,
        hosts: settings.hosts.clone(),
        pool_size: settings.file.pool_size,
        login_limit: settings.file.login_limit(),
    };
    let running = rapport_server::start_team(options)?;
    let mut banner = format!("Rapport (team mode) is serving at http://{}/login\n", running.addr());
    if !addr.ip().is_loopback() {
        banner.push_str(
            "Session cookies are Secure: put the server behind HTTPS (a reverse proxy) for browsers to log in.\n",
        );
    }
    banner.push_str("No users yet? `rapport admin create-owner --name NAME --workspace NAME`. Stop it with Ctrl-C.\n");
    announce_and_wait(&banner, running)
}
