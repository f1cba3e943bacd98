//! `rapport serve`: the local dashboard and its JSON API, from the same store and with the same
//! numbers as the other commands.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Args;
use rapport_engine::Config;
use rapport_server::{DEFAULT_UPLOAD_MIB, Options};

use crate::cli::Global;

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 7878)]
    port: u16,
    /// Listen on this address instead of 127.0.0.1; anything but loopback requires a token
    #[arg(long, value_name = "ADDR")]
    bind: Option<IpAddr>,
    /// The token every request must carry (generated and printed once when --bind needs one)
    #[arg(long, env = "RAPPORT_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The largest export the Import page accepts, in MiB
    #[arg(long, default_value_t = DEFAULT_UPLOAD_MIB, value_name = "MIB")]
    max_upload_mib: u64,
}

pub(crate) fn run(global: &Global, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let db = global.db.clone().unwrap_or_else(Config::default_db);
    let ip = args.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let mut options = Options::local(&db, args.port);
    options.addr = SocketAddr::new(ip, args.port);
    options.token = args.token.clone();
    options.upload_limit = args.max_upload_mib.saturating_mul(1024 * 1024);
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
    // A closed stdout (`rapport serve | head -1`) must not stop the server.
    let mut out = super::stdout();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    running.wait()?;
    Ok(ExitCode::SUCCESS)
}
