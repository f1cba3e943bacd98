//! Downloading an account's repository from an AT Protocol server over XRPC: the handle is resolved
//! with `com.atproto.identity.resolveHandle`, the repository fetched with `com.atproto.sync.getRepo`,
//! and the account's signing key taken from its DID document (see [`super::identity`]).

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::identity;
use super::names::{self, Names};
use super::signature::Key;
use super::syntax;
use crate::{ErrorKind, ImportError};

/// The server asked when the user names none.
pub const DEFAULT_SERVICE: &str = "https://bsky.social";

/// No answer of the small JSON calls comes near this.
const MAX_JSON: u64 = 1 << 20;

/// How long a download may take and how much it may bring. The defaults suit a slow home
/// connection and the heaviest real accounts (a few hundred megabytes); a server that never
/// answers, stalls, or sends more is stopped with a message saying which limit it hit.
#[derive(Clone, Copy, Debug)]
pub struct FetchLimits {
    /// Connecting, the name lookup and TLS included.
    pub connect: Duration,
    /// Waiting for the next bytes of an answer (its headers or its body).
    pub read: Duration,
    /// Everything: resolving the handle and downloading the repository.
    pub total: Duration,
    /// The largest repository accepted, in bytes: a declared length above it is refused before
    /// anything is read, and a body that runs past it is cut off. The repository is held in
    /// memory while it is read, so this is also the download's memory bound.
    pub max_repo: u64,
}

impl Default for FetchLimits {
    fn default() -> FetchLimits {
        FetchLimits {
            connect: Duration::from_secs(15),
            read: Duration::from_secs(60),
            total: Duration::from_secs(30 * 60),
            max_repo: 1 << 30,
        }
    }
}

/// A repository downloaded from a server, ready for [`super::read_fetched`].
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The account's DID.
    pub did: String,
    /// The account's handle, when the server told it.
    pub handle: Option<String>,
    /// The server it came from, without a trailing `/`.
    pub service: String,
    /// The repository: a CAR file.
    pub car: Vec<u8>,
    /// The account's signing key, from its DID document: the commit must carry its signature.
    pub key: Key,
    /// The handles and names of the accounts the repository meets, once [`name_met`] found them.
    pub names: Option<Names>,
}

impl Fetched {
    /// The name errors and the import log use for it: `bsky:<handle or DID>`.
    pub fn origin(&self) -> PathBuf {
        PathBuf::from(format!("bsky:{}", self.handle.as_deref().unwrap_or(&self.did)))
    }
}

/// Resolves `spec` (a handle or a DID, optionally prefixed with `bsky:` or `@`) on `service`,
/// downloads the account's repository from it, and the account's signing key from its DID
/// document (for `did:plc`, from the PLC `directory`), within the default [`FetchLimits`].
pub fn fetch_repo(spec: &str, service: &str, directory: &str) -> Result<Fetched, ImportError> {
    fetch_repo_within(spec, service, directory, &FetchLimits::default())
}

/// [`fetch_repo`] within the given limits.
pub fn fetch_repo_within(
    spec: &str,
    service: &str,
    directory: &str,
    limits: &FetchLimits,
) -> Result<Fetched, ImportError> {
    // Not trimmed: the AT Protocol's syntax has no surrounding whitespace, so " alice.test" is refused.
    let account = spec.strip_prefix("bsky:").unwrap_or(spec);
    let account = account.strip_prefix('@').unwrap_or(account);
    let fail = |why: String| ImportError {
        file: PathBuf::from(format!("bsky:{account}")),
        location: None,
        kind: ErrorKind::Fetch(why),
    };
    let service = service.trim().trim_end_matches('/');
    if !(service.starts_with("http://") || service.starts_with("https://")) {
        return Err(fail(format!(
            "the service '{service}' is not an http:// or https:// address; pass --service https://…"
        )));
    }
    let client = Client::new(service, limits);
    let (did, handle) = if account.starts_with("did:") {
        if !syntax::did(account) {
            return Err(fail(format!("'{account}' is not a valid DID")));
        }
        // The handle is a courtesy for the summary: a server that cannot describe the repository
        // can still serve it.
        let handle = client
            .json::<Described>("com.atproto.repo.describeRepo", "repo", account)
            .ok()
            .map(|d| d.handle)
            .filter(|h| syntax::handle(h));
        (account.to_owned(), handle)
    } else if syntax::handle(account) {
        let resolved: Resolved =
            client.json("com.atproto.identity.resolveHandle", "handle", account).map_err(&fail)?;
        if !syntax::did(&resolved.did) {
            return Err(fail(format!(
                "{service} resolved {account} to '{}', which is not a DID",
                resolved.did
            )));
        }
        (resolved.did, Some(account.to_ascii_lowercase()))
    } else {
        return Err(fail(format!(
            "'{account}' is neither a handle (like alice.bsky.social) nor a DID (like did:plc:…)"
        )));
    };
    let car =
        client.bytes("com.atproto.sync.getRepo", "did", &did, limits.max_repo).map_err(&fail)?;
    let key = identity::resolve_key(&client.agent, &did, directory).map_err(&fail)?;
    Ok(Fetched { did, handle, service: service.to_owned(), car, key, names: None })
}

/// How long naming the accounts a repository meets may take: past it, the rest stay DIDs.
const NAMING: Duration = Duration::from_secs(120);

/// Names the accounts the repository of `fetched` meets (see [`super::names`]) but those in
/// `named` (already named in the store): through the AppView at `appview` when given, and the
/// server the repository came from. Naming is a courtesy: what cannot be named stays a DID, and
/// the import goes on.
pub fn name_met(fetched: &mut Fetched, appview: Option<&str>, named: &HashSet<String>) {
    let limits = FetchLimits { total: NAMING, ..FetchLimits::default() };
    // The repository is read once more for its accounts: a few milliseconds for most, and this
    // way the import's own reading stays a single pass that holds no list of what it met.
    let Ok(records) = super::parse(&fetched.car) else { return };
    let mut dids = names::met(&records, &fetched.did);
    let met = dids.len();
    dids.retain(|d| !named.contains(d));
    let appview = appview.map(|a| a.trim().trim_end_matches('/')).filter(|a| !a.is_empty());
    let appview = appview.map(|a| Client::new(a, &limits));
    let server = Client::new(&fetched.service, &limits);
    let mut names = names::name(&dids, appview.as_ref(), &server);
    names.report.items = met as u64;
    for _ in dids.len()..met {
        names.report.outcome("named before");
    }
    fetched.names = Some(names);
}

/// The answer of `com.atproto.identity.resolveHandle`.
#[derive(Deserialize)]
struct Resolved {
    did: String,
}

/// The part of `com.atproto.repo.describeRepo`'s answer that is used.
#[derive(Deserialize)]
struct Described {
    handle: String,
}

/// The body of an XRPC error.
#[derive(Deserialize, Default)]
struct XrpcError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    message: String,
}

/// A blocking XRPC client of one server, with one deadline for all its calls.
pub(super) struct Client<'s> {
    service: &'s str,
    agent: ureq::Agent,
    limits: FetchLimits,
    deadline: Instant,
}

impl<'s> Client<'s> {
    pub(super) fn new(service: &'s str, limits: &FetchLimits) -> Client<'s> {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(limits.connect))
            .timeout_per_read(Some(limits.read))
            .timeout_recv_response(Some(limits.read))
            .http_status_as_error(false)
            .build()
            .into();
        Client { service, agent, limits: *limits, deadline: Instant::now() + limits.total }
    }

    /// What a failed call means for the user, naming the limit it hit.
    fn failure(&self, method: &str, e: &ureq::Error) -> String {
        let service = self.service;
        let timeout = match e {
            ureq::Error::Timeout(t) => Some(*t),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                Some(ureq::Timeout::PerRead)
            }
            _ => None,
        };
        match (timeout, e) {
            (Some(ureq::Timeout::Connect | ureq::Timeout::Resolve), _) => format!(
                "could not connect to {service} within {} s; check the address (--service) and the connection",
                self.limits.connect.as_secs()
            ),
            (Some(ureq::Timeout::Global), _) => format!(
                "{service} did not finish {method} within {} s, the deadline for the whole download; try again later or on a faster connection",
                self.limits.total.as_secs()
            ),
            (Some(_), _) => format!(
                "{service} sent nothing for {} s during {method}; the server is not answering, try again later",
                self.limits.read.as_secs()
            ),
            (None, ureq::Error::BodyExceedsLimit(limit)) => format!(
                "{service} sent more than {limit} bytes for {method}, more than any repository this version reads; the download was stopped"
            ),
            (None, other) => format!(
                "could not reach {service} ({other}); check the address (--service) and the connection"
            ),
        }
    }

    /// Calls the query `method` with one parameter and decodes its JSON answer.
    fn json<T: for<'de> Deserialize<'de>>(
        &self,
        method: &str,
        key: &str,
        value: &str,
    ) -> Result<T, String> {
        self.json_query(method, &[(key, value)])
    }

    /// Calls the query `method` with `params` (a key may repeat) and decodes its JSON answer.
    pub(super) fn json_query<T: for<'de> Deserialize<'de>>(
        &self,
        method: &str,
        params: &[(&str, &str)],
    ) -> Result<T, String> {
        let body = self.bytes_query(method, params, MAX_JSON)?;
        serde_json::from_slice(&body)
            .map_err(|e| format!("{} answered {method} with unexpected JSON ({e})", self.service))
    }

    /// Calls the query `method` with one parameter and returns its body, at most `limit` bytes.
    fn bytes(&self, method: &str, key: &str, value: &str, limit: u64) -> Result<Vec<u8>, String> {
        self.bytes_query(method, &[(key, value)], limit)
    }

    /// Calls the query `method` with `params` and returns its body, at most `limit` bytes. The
    /// body is streamed into memory and cut off past `limit`; a larger declared length is refused
    /// before any of it is read.
    fn bytes_query(
        &self,
        method: &str,
        params: &[(&str, &str)],
        limit: u64,
    ) -> Result<Vec<u8>, String> {
        let url = format!("{}/xrpc/{method}", self.service);
        let left = self.deadline.saturating_duration_since(Instant::now());
        let mut response = self
            .agent
            .get(&url)
            .query_pairs(params.iter().copied())
            .config()
            .timeout_global(Some(left.max(Duration::from_millis(1))))
            .build()
            .call()
            .map_err(|e| self.failure(method, &e))?;
        let status = response.status();
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(declared) = declared.filter(|n| *n > limit) {
            return Err(format!(
                "{} announced {declared} bytes for {method}, more than the {limit} accepted; nothing was downloaded",
                self.service
            ));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| self.failure(method, &e))?;
        if status.is_success() {
            return Ok(body);
        }
        let error: XrpcError = serde_json::from_slice(&body).unwrap_or_default();
        let detail = match (error.error.as_str(), error.message.as_str()) {
            ("", "") => String::new(),
            (code, "") | ("", code) => format!(": {code}"),
            (code, message) => format!(": {code}: {message}"),
        };
        let value = params.first().map_or("", |(_, v)| v);
        Err(format!("{} answered {method} for {value} with {status}{detail}", self.service))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_specs_without_any_request() {
        let err = |spec: &str, service: &str| match fetch_repo(spec, service, "http://127.0.0.1:9")
        {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{spec} was fetched"),
        };
        assert!(err("alice.test", "ftp://x").contains("not an http"));
        assert!(err("bsky:not a handle", "http://127.0.0.1:9").contains("neither a handle"));
        assert!(err("did:plc:", "http://127.0.0.1:9").contains("not a valid DID"));
        assert!(err(" alice.test", "http://127.0.0.1:9").contains("neither a handle"));
        assert!(err("127.0.0.1", "http://127.0.0.1:9").contains("neither a handle"));
    }
}
