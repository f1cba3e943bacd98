//! Downloading an account's repository from an AT Protocol server over XRPC: the handle is resolved
//! with `com.atproto.identity.resolveHandle`, the repository fetched with `com.atproto.sync.getRepo`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Deserialize;

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
}

impl Fetched {
    /// The name errors and the import log use for it: `bsky:<handle or DID>`.
    pub fn origin(&self) -> PathBuf {
        PathBuf::from(format!("bsky:{}", self.handle.as_deref().unwrap_or(&self.did)))
    }
}

/// Resolves `spec` (a handle or a DID, optionally prefixed with `bsky:` or `@`) on `service` and
/// downloads the account's repository from it, within the default [`FetchLimits`].
pub fn fetch_repo(spec: &str, service: &str) -> Result<Fetched, ImportError> {
    fetch_repo_within(spec, service, &FetchLimits::default())
}

/// [`fetch_repo`] within the given limits.
pub fn fetch_repo_within(
    spec: &str,
    service: &str,
    limits: &FetchLimits,
) -> Result<Fetched, ImportError> {
    let account = spec.trim();
    let account = account.strip_prefix("bsky:").unwrap_or(account);
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
        if !valid_did(account) {
            return Err(fail(format!("'{account}' is not a valid DID")));
        }
        // The handle is a courtesy for the summary: a server that cannot describe the repository
        // can still serve it.
        let handle = client
            .json::<Described>("com.atproto.repo.describeRepo", "repo", account)
            .ok()
            .map(|d| d.handle)
            .filter(|h| valid_handle(h));
        (account.to_owned(), handle)
    } else if valid_handle(account) {
        let resolved: Resolved =
            client.json("com.atproto.identity.resolveHandle", "handle", account).map_err(&fail)?;
        if !valid_did(&resolved.did) {
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
    Ok(Fetched { did, handle, service: service.to_owned(), car })
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
struct Client<'s> {
    service: &'s str,
    agent: ureq::Agent,
    limits: FetchLimits,
    deadline: Instant,
}

impl<'s> Client<'s> {
    fn new(service: &'s str, limits: &FetchLimits) -> Client<'s> {
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
        let body = self.bytes(method, key, value, MAX_JSON)?;
        serde_json::from_slice(&body)
            .map_err(|e| format!("{} answered {method} with unexpected JSON ({e})", self.service))
    }

    /// Calls the query `method` with one parameter and returns its body, at most `limit` bytes.
    /// The body is streamed into memory and cut off past `limit`; a larger declared length is
    /// refused before any of it is read.
    fn bytes(&self, method: &str, key: &str, value: &str, limit: u64) -> Result<Vec<u8>, String> {
        let url = format!("{}/xrpc/{method}", self.service);
        let left = self.deadline.saturating_duration_since(Instant::now());
        let mut response = self
            .agent
            .get(&url)
            .query(key, value)
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
        Err(format!("{} answered {method} for {value} with {status}{detail}", self.service))
    }
}

/// A DID as the AT Protocol allows it: `did:<method>:<id>` in a restricted alphabet.
pub fn valid_did(did: &str) -> bool {
    let mut parts = did.splitn(3, ':');
    let ok_id = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._:%-".contains(&b))
    };
    parts.next() == Some("did")
        && parts.next().is_some_and(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.next().is_some_and(ok_id)
        && did.len() <= 2048
}

/// A handle: a domain name of at least two labels of letters, digits and hyphens.
pub fn valid_handle(handle: &str) -> bool {
    let labels: Vec<&str> = handle.split('.').collect();
    handle.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_handles_and_dids_apart() {
        assert!(valid_handle("alice.test"));
        assert!(valid_handle("ada.example.org"));
        assert!(!valid_handle("alice"));
        assert!(!valid_handle("al ice.test"));
        assert!(!valid_handle("-a.test"));
        assert!(valid_did("did:plc:nhxcyu4ewwhl5pqil4dotqjo"));
        assert!(valid_did("did:web:example.com"));
        assert!(!valid_did("did:plc:"));
        assert!(!valid_did("did:plc:a/b"));
    }

    #[test]
    fn refuses_bad_specs_without_any_request() {
        let err = |spec: &str, service: &str| match fetch_repo(spec, service) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{spec} was fetched"),
        };
        assert!(err("alice.test", "ftp://x").contains("not an http"));
        assert!(err("bsky:not a handle", "http://127.0.0.1:9").contains("neither a handle"));
        assert!(err("did:plc:", "http://127.0.0.1:9").contains("not a valid DID"));
    }
}
