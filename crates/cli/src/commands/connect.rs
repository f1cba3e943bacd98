//! `rapport connect bluesky|mastodon`: link an account through the network's official API. The
//! tokens go to the credentials file beside the store (mode 0600) and are never printed.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use rapport_engine::Engine;
use rapport_engine::sync::http::Limits;
use rapport_engine::sync::{Connection, Credentials, bluesky, mastodon};

#[derive(Debug, Args)]
pub(crate) struct ConnectArgs {
    #[command(subcommand)]
    network: Network,
}

#[derive(Debug, Subcommand)]
enum Network {
    /// Connect a Bluesky account with an app password (Settings, Privacy and security, App passwords)
    Bluesky {
        /// The account's handle (or DID, or e-mail)
        handle: String,
        /// The account's server
        #[arg(long, env = "RAPPORT_BSKY_SERVICE", value_name = "URL", default_value = rapport_engine::BSKY_SERVICE)]
        service: String,
        /// Read the app password from the first line of stdin instead of prompting
        #[arg(long)]
        password_stdin: bool,
    },
    /// Connect a Mastodon account: open the page shown, approve Rapport (read only), paste the code
    Mastodon {
        /// The instance, like mastodon.social
        instance: String,
    },
}

pub(crate) fn run(engine: &Engine, args: &ConnectArgs) -> anyhow::Result<ExitCode> {
    let dir = super::sync::data_dir(engine);
    let mut credentials = Credentials::load(&dir)?;
    let connection = match &args.network {
        Network::Bluesky { handle, service, password_stdin } => {
            let password = if *password_stdin {
                first_line()?
            } else {
                rpassword::prompt_password(format!("app password for {handle}: "))
                    .context("reading the app password (or pass --password-stdin)")?
            };
            Connection::Bluesky(bluesky::connect(
                service,
                handle,
                password.trim(),
                Limits::default(),
            )?)
        }
        Network::Mastodon { instance } => {
            let auth = mastodon::authorize(instance, Limits::default())?;
            let mut err = std::io::stderr().lock();
            writeln!(
                err,
                "Open this page, approve Rapport (it asks to read only), and paste the code it shows:"
            )?;
            writeln!(err, "{}", auth.url)?;
            if std::io::stdin().is_terminal() {
                write!(err, "code: ")?;
            }
            err.flush()?;
            drop(err);
            let code = first_line()?;
            Connection::Mastodon(mastodon::finish(auth, &code, Limits::default())?)
        }
    };
    let name = connection.name();
    let server = connection.server().to_owned();
    credentials.upsert(connection);
    credentials.save()?;
    let mut out = super::stdout();
    writeln!(out, "connected {name} on {server}; run `rapport sync` to pull its relationships")?;
    Ok(ExitCode::SUCCESS)
}

/// The first line of stdin, without its line ending.
pub(super) fn first_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading stdin")?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    anyhow::ensure!(!line.is_empty(), "nothing was read from stdin");
    Ok(line)
}
