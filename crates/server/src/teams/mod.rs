//! Team mode (`rapport serve --database postgres://…`): the same dashboard and API for many
//! people, over workspaces of one PostgreSQL database.
//!
//! Every request passes [`guard::guard`] first, which resolves it to a [`caller::Caller`] (user,
//! workspace, role) from a session cookie or an API token, checks the role against
//! `rapport_teams::allows`, checks CSRF for cookie sessions, and writes the audit entry of every
//! successful change. Requests for the dashboard then go to their workspace's own router and
//! engine ([`workspaces::dispatch`]): a workspace's data is not merely filtered out of another's
//! answers, it is in no engine another workspace's requests reach, so asking for it by id, handle
//! or guess is answered exactly as asking for something that does not exist.

mod accounts;
mod audit_log;
mod caller;
mod guard;
mod invitations;
mod login;
mod members;
mod pages;
pub(crate) mod pending;
mod permission;
mod principals;
mod settings;
mod sync;
mod tokens;
mod workspaces;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::{get, post};
use rapport_engine::team::rules::{LimiterParams, LoginLimiter};
use rapport_engine::team::{Client, PgDatabase, TableResult};

use crate::error::ApiError;
use crate::{Error, Running};

/// How a team server runs.
#[derive(Clone, Debug)]
pub struct TeamOptions {
    /// The PostgreSQL database (`postgres://user:password@host:port/database`).
    pub database: String,
    /// Where to listen; a port of 0 picks a free one.
    pub addr: SocketAddr,
    /// The largest upload accepted, in bytes.
    pub upload_limit: u64,
    /// The folder for files kept beside a workspace's store (credentials of connected accounts).
    pub local: PathBuf,
    /// Host names the server answers for besides its address (`rapport.example.com`, or
    /// `name:port`), as a reverse proxy passes them on.
    pub hosts: Vec<String>,
    /// The most database connections the server holds (`None`: the store's default).
    pub pool_size: Option<u32>,
    /// When failed logins lock an account or an address.
    pub login_limit: LimiterParams,
}

/// What every team request shares; cloning it is cheap.
#[derive(Clone)]
pub(crate) struct TeamState(Arc<Inner>);

pub(crate) struct Inner {
    db: PgDatabase,
    workspaces: workspaces::Open,
    limiter: Mutex<LoginLimiter>,
    /// Who verified tokens and sessions stand for, for a moment (see `principals.rs`).
    principals: principals::Principals,
    /// Cookies are `Secure` (and `__Host-` named) unless the server listens on loopback only.
    secure: bool,
    hosts: Vec<String>,
    upload_limit: u64,
    local: PathBuf,
    /// Mastodon approvals started and not yet finished, per member.
    approvals: accounts::Approvals,
}

impl std::ops::Deref for TeamState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl TeamState {
    /// Runs team-table queries on a pooled connection, off the async runtime.
    pub(crate) async fn tables<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Client) -> TableResult<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || rapport_engine::team::with_client(&db, f))
            .await
            .map_err(|_| ApiError::internal("the database call failed on this request"))?
            .map_err(ApiError::from)
    }
}

/// A failure of the team rules (the random source, a hash): the user's fault only for a
/// password of the wrong length.
pub(crate) fn rules_error(err: rapport_engine::team::rules::TeamsError) -> ApiError {
    use rapport_engine::team::rules::TeamsError;
    match err {
        TeamsError::PasswordLength { .. } | TeamsError::UserName => {
            ApiError::bad_request(err.to_string())
        }
        _ => {
            tracing::error!(%err, "team rules failed");
            ApiError::internal(err.to_string())
        }
    }
}

/// Connects to the database (bringing its schema up to date), binds the address and serves.
pub fn start(options: TeamOptions) -> Result<Running, Error> {
    let db = match options.pool_size {
        Some(size) => rapport_engine::team::connect_with_pool(&options.database, size),
        None => rapport_engine::team::connect(&options.database),
    }
    .map_err(Error::Open)?;
    let runtime = crate::runtime()?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(options.addr))
        .map_err(|source| Error::Bind { addr: options.addr, source })?;
    let addr =
        listener.local_addr().map_err(|source| Error::Bind { addr: options.addr, source })?;
    let mut hosts = crate::allowed_hosts(addr);
    if !hosts.is_empty() {
        hosts.extend(options.hosts.iter().map(|h| h.to_ascii_lowercase()));
    }
    let state = TeamState(Arc::new(Inner {
        db,
        workspaces: workspaces::Open::default(),
        limiter: Mutex::new(LoginLimiter::new(options.login_limit)),
        principals: principals::Principals::default(),
        secure: !addr.ip().is_loopback(),
        hosts,
        upload_limit: options.upload_limit,
        local: options.local,
        approvals: accounts::Approvals::default(),
    }));
    let stopping = state.clone();
    let kept = state.clone();
    crate::spawn(runtime, listener, router(state), None, kept, move || stopping.workspaces.stop())
}

fn router(state: TeamState) -> Router {
    Router::new()
        .route("/assets/{name}", get(crate::assets::get))
        .route("/login", get(login::page).post(login::form))
        .route("/logout", post(login::logout_form))
        .route("/invite", get(invitations::page).post(invitations::form))
        .route("/workspaces", get(workspaces::page))
        .route("/workspaces/switch", post(workspaces::switch_form))
        .route("/api/team/login", post(login::api))
        .route("/api/team/logout", post(login::logout_api))
        .route("/api/team/me", get(workspaces::me))
        .route("/api/team/workspaces/switch", post(workspaces::switch_api))
        .route("/api/team/tokens", get(tokens::list).post(tokens::create))
        .route("/api/team/tokens/{id}/revoke", post(tokens::revoke))
        .route("/api/team/members", get(members::list).post(members::change))
        .route("/api/team/invitations", post(invitations::create))
        .route("/api/team/invitations/accept", post(invitations::accept))
        .route("/api/team/audit-log", get(audit_log::get))
        .route("/api/team/accounts", get(accounts::list).post(accounts::connect))
        .route("/api/team/accounts/mastodon/code", post(accounts::mastodon_code))
        .route("/api/team/accounts/disconnect", post(accounts::disconnect))
        .route("/api/sync", post(sync::post))
        .route("/api/settings", get(settings::get).post(settings::set))
        .fallback(workspaces::dispatch)
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}
