//! `rapport serve`: the local dashboard, with the JSON API under `/api/`.
//!
//! [`start`] opens the store (one engine, shared by every request), binds the address (127.0.0.1 unless told
//! otherwise; anywhere else only with a token), and serves the pages and the API from a tokio
//! runtime of its own until [`Running::stop`] or the process ends. This crate is the only one that
//! knows HTTP; everything it shows comes from the engine.
#![deny(missing_docs)]

mod api;
mod assets;
mod engines;
mod error;
mod events;
mod imports;
mod pages;
mod routes;
mod security;
mod state;
mod teams;

use std::net::SocketAddr;
use std::path::PathBuf;

use rapport_engine::Config;
use tokio::sync::oneshot;

pub use error::Error;
pub use teams::{TeamOptions, start as start_team};

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The store's file.
    pub db: PathBuf,
    /// Where to listen; a port of 0 picks a free one.
    pub addr: SocketAddr,
    /// The token every request must carry; required (and generated when `None`) for an address
    /// other than loopback.
    pub token: Option<String>,
    /// The largest upload accepted, in bytes.
    pub upload_limit: u64,
}

impl Options {
    /// Loopback on `port`, for the store at `db`, with the default cap.
    pub fn local(db: impl Into<PathBuf>, port: u16) -> Options {
        Options {
            db: db.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            token: None,
            upload_limit: DEFAULT_UPLOAD_MIB * 1024 * 1024,
        }
    }
}

/// The default cap on uploads, in MiB: room for a large archive, not for a disk-filling one.
pub const DEFAULT_UPLOAD_MIB: u64 = 512;

/// A server that is running.
pub struct Running {
    addr: SocketAddr,
    token: Option<String>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), Error>>>,
}

impl Running {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The token it requires, when it requires one.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The address to open in a browser (with the token once, when one is needed).
    pub fn url(&self) -> String {
        match &self.token {
            Some(token) => format!("http://{}/?token={token}", self.addr),
            None => format!("http://{}/", self.addr),
        }
    }

    /// Serves until the server fails (or forever).
    pub fn wait(mut self) -> Result<(), Error> {
        match self.thread.take() {
            Some(thread) => thread.join().unwrap_or_else(|_| {
                Err(Error::Serve(std::io::Error::other("the server thread panicked")))
            }),
            None => Ok(()),
        }
    }

    /// Stops serving: open event streams end, requests in flight finish.
    pub fn stop(mut self) -> Result<(), Error> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(thread) => thread.join().unwrap_or(Ok(())),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Opens the store, binds the address and starts serving on threads of its own.
pub fn start(options: Options) -> Result<Running, Error> {
    let loopback = options.addr.ip().is_loopback();
    let token = match options.token {
        Some(token) => Some(checked_token(token)?),
        None if loopback => None,
        None => Some(security::random_token()),
    };
    let engines = engines::Engines::start(&Config::with_db(&options.db))?;
    let runtime = runtime()?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(options.addr))
        .map_err(|source| Error::Bind { addr: options.addr, source })?;
    let addr =
        listener.local_addr().map_err(|source| Error::Bind { addr: options.addr, source })?;
    let secrets = security::Secrets {
        csrf: security::random_token(),
        token: token.clone(),
        hosts: allowed_hosts(addr),
    };
    let state = state::AppState::new(engines, secrets, options.upload_limit);
    let changes = state.changes.clone();
    runtime.spawn(events::watch(state.clone()));
    spawn(runtime, listener, routes::router(state), token, (), move || {
        let _ = changes.send(events::Change::Shutdown);
    })
}

/// The runtime a server runs on.
fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("rapport-http")
        .enable_all()
        .build()
        .map_err(Error::Thread)
}

/// Serves `app` on `listener` from a thread of its own until stopped; `on_stop` runs when the
/// stop is asked for (to end open event streams). Handlers see the client's address. `keep` is
/// dropped last, after the runtime: a database client closes its connections by blocking, which
/// must not happen on the runtime's threads.
fn spawn(
    runtime: tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    app: axum::Router,
    token: Option<String>,
    keep: impl Send + 'static,
    on_stop: impl FnOnce() + Send + 'static,
) -> Result<Running, Error> {
    let addr = listener.local_addr().map_err(Error::Serve)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("rapport-serve".into())
        .spawn(move || {
            let served = runtime.block_on(async move {
                let app = app.into_make_service_with_connect_info::<SocketAddr>();
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                        on_stop();
                    })
                    .await
                    .map_err(Error::Serve)
            });
            drop(runtime);
            drop(keep);
            served
        })
        .map_err(Error::Thread)?;
    Ok(Running { addr, token, stop: Some(stop), thread: Some(thread) })
}

/// The Host headers a browser sends for this server: the loopback names, and the address itself;
/// none (any) for an unspecified address, which only listens with a token.
pub(crate) fn allowed_hosts(addr: SocketAddr) -> Vec<String> {
    if addr.ip().is_unspecified() {
        return Vec::new();
    }
    let port = addr.port();
    let mut hosts = vec![addr.to_string()];
    if addr.ip().is_loopback() {
        hosts.extend([
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ]);
    }
    hosts.dedup();
    hosts
}

/// A token given by the user, if it is usable in a header and a cookie and long enough to guess.
fn checked_token(token: String) -> Result<String, Error> {
    let usable = token.len() >= 16
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b));
    if usable {
        Ok(token)
    } else {
        Err(Error::Options(
            "a token needs at least 16 characters of letters, digits, '-', '_', '.' or '~'; leave it out to have one generated".into(),
        ))
    }
}
