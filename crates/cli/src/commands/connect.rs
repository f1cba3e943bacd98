//! `rapport connect bluesky|mastodon`: link an account through the network's official API. The
//! tokens go to the credentials file beside the store (mode 0600) and are never printed.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use rapport_engine::Engine;
use rapport_engine::sync::http::Limits;
use rapport_engine::sync::mastodon::Approval;
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
    /// Connect a Mastodon account: open the page shown and approve Rapport (reading, and posting the replies you send from the dashboard); the page sends the code back to this machine
    Mastodon {
        /// The instance, like mastodon.social
        instance: String,
        /// Have the page show a code to paste instead of sending it back to this machine (for a
        /// browser on another machine)
        #[arg(long)]
        paste_code: bool,
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
        Network::Mastodon { instance, paste_code } => {
            let auth = if *paste_code {
                mastodon::authorize(instance, Limits::default())?
            } else {
                mastodon::authorize_loopback(instance, Limits::default())?
            };
            let mut err = std::io::stderr().lock();
            const ASKS: &str =
                "it asks to read, and to post only the replies you send from the dashboard";
            if auth.redirects() {
                // The page last: what a script reads up to before it approves.
                writeln!(
                    err,
                    "Open this page and approve Rapport ({ASKS}); this command goes on once the page sends you back."
                )?;
                writeln!(
                    err,
                    "(With the browser on another machine, the page it sends you to will not load: paste that page's address here.)"
                )?;
                writeln!(err, "{}", auth.url)?;
            } else {
                writeln!(
                    err,
                    "Open this page, approve Rapport ({ASKS}), and paste the code it shows:"
                )?;
                writeln!(err, "{}", auth.url)?;
                if std::io::stdin().is_terminal() {
                    write!(err, "code: ")?;
                }
            }
            err.flush()?;
            drop(err);
            let until = Instant::now() + APPROVAL_WAIT;
            match auth.wait(&pasted_line(), until)? {
                Approval::Code(code) => {
                    Connection::Mastodon(mastodon::finish(auth, &code, Limits::default())?)
                }
                Approval::Refused(why) => {
                    anyhow::bail!(
                        "{instance} did not approve Rapport ({why}); nothing was connected"
                    )
                }
            }
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

/// How long `connect mastodon` waits for the user to approve.
const APPROVAL_WAIT: Duration = Duration::from_secs(15 * 60);

/// The first line of stdin once the user types it (nothing when stdin ends first), read on a
/// thread of its own so the wait for a redirect goes on meanwhile.
fn pasted_line() -> Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).is_ok_and(|n| n > 0)
            && !line.trim().is_empty()
        {
            let _ = sender.send(line);
        }
    });
    receiver
}

/// The first line of stdin, without its line ending.
pub(super) fn first_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading stdin")?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    anyhow::ensure!(!line.is_empty(), "nothing was read from stdin");
    Ok(line)
}
