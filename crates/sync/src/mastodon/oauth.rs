//! Connecting a Mastodon account: the app registered with `POST /api/v1/apps`, then OAuth 2 with
//! PKCE (S256), as the API documentation describes, the code coming back through a redirect to
//! loopback (`callback`) or shown by the instance for the user to paste (out of band); the token is
//! checked with `verify_credentials` before it is kept.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use std::sync::mpsc::Receiver;
use std::time::Instant;

use super::api::{ApiAccount, Application, Token};
use super::callback::{Approval, Callback};
use super::{App, SCOPES, map};
use crate::http::{self, Body, Http, Limits, Request};
use crate::{Result, SyncError};

/// The redirect URI that asks the server to show the code to the user.
const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

/// A started authorization: the page the user opens, and what finishing it needs.
pub struct Authorization {
    /// The page where the user approves the app (and, out of band, is shown a code).
    pub url: String,
    instance: String,
    client_id: String,
    client_secret: String,
    verifier: String,
    redirect_uri: String,
    /// What the redirect must carry back.
    state: String,
    /// The listener the approval page redirects to, when the instance took the loopback redirect.
    callback: Option<Callback>,
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Authorization({}, secrets redacted)", self.instance)
    }
}

/// The instance's base URL from what the user typed: `mastodon.social`, `https://…`, or an
/// explicit `http://` address (a server on this machine).
pub fn instance_url(instance: &str) -> Result<String> {
    let trimmed = instance.trim().trim_end_matches('/');
    let url = if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let host = rapport_import::mastodon::host(&url).unwrap_or("");
    let valid = !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        && url.matches("://").count() == 1
        && !url[url.find("://").map_or(0, |i| i + 3)..].contains('/');
    if !valid {
        return Err(SyncError::Input(format!(
            "'{instance}' is not an instance address like mastodon.social or https://mastodon.social"
        )));
    }
    Ok(url)
}

/// Registers Rapport as an app on `instance` and returns the authorization page to open, which
/// shows the user a code to paste (what a server, which cannot listen on the user's machine, asks
/// for).
pub fn authorize(instance: &str, limits: Limits) -> Result<Authorization> {
    start(&instance_url(instance)?, None, limits)
}

/// [`authorize`] with the code sent back to a listener on this machine's loopback, so the user
/// only approves; an instance that refuses the loopback redirect is asked for an out-of-band code
/// instead (see [`Authorization::redirects`]).
pub fn authorize_loopback(instance: &str, limits: Limits) -> Result<Authorization> {
    let instance = instance_url(instance)?;
    match start(&instance, Some(Callback::listen()?), limits.clone()) {
        Err(SyncError::Status { status: 422, .. }) => start(&instance, None, limits),
        other => other,
    }
}

fn start(instance: &str, callback: Option<Callback>, limits: Limits) -> Result<Authorization> {
    const ENDPOINT: &str = "POST /api/v1/apps";
    let redirect_uri = callback.as_ref().map_or(OUT_OF_BAND, Callback::uri).to_owned();
    let mut http = Http::new(limits);
    let url = format!("{instance}/api/v1/apps");
    let form = [
        ("client_name", "Rapport"),
        ("redirect_uris", redirect_uri.as_str()),
        ("scopes", SCOPES),
        ("website", "https://example.invalid/rapport"),
    ];
    let answer = http.call(&Request {
        endpoint: ENDPOINT,
        url: &url,
        query: &[],
        bearer: None,
        body: Body::Form(&form),
    })?;
    let app: Application = http::json(ENDPOINT, &answer.body)?;
    let verifier = random(48);
    let state = random(16);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let query = [
        ("response_type", "code"),
        ("client_id", app.client_id.as_str()),
        ("redirect_uri", redirect_uri.as_str()),
        ("scope", SCOPES),
        ("state", state.as_str()),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let encoded: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    Ok(Authorization {
        url: format!("{instance}/oauth/authorize?{}", encoded.join("&")),
        instance: instance.to_owned(),
        client_id: app.client_id,
        client_secret: app.client_secret,
        verifier,
        redirect_uri,
        state,
        callback,
    })
}

/// `bytes` random bytes, URL-safe base64.
fn random(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

impl Authorization {
    /// True when the approval page sends the code back to this machine by itself; false when it
    /// shows a code for the user to paste.
    pub fn redirects(&self) -> bool {
        self.callback.is_some()
    }

    /// Waits until `until` for the approval: the redirect to loopback, or a line the user pasted
    /// (`pasted`: the code, or the address the browser was sent to when it could not reach this
    /// machine). Out of band, only the pasted line.
    pub fn wait(&self, pasted: &Receiver<String>, until: Instant) -> Result<Approval> {
        match &self.callback {
            Some(callback) => callback.wait(&self.state, pasted, until),
            None => {
                let wait = until.saturating_duration_since(Instant::now());
                let line = pasted.recv_timeout(wait).map_err(|_| {
                    SyncError::Input(
                        "no code was pasted; run `rapport connect mastodon` again".into(),
                    )
                })?;
                Ok(Approval::Code(line.trim().to_owned()))
            }
        }
    }
}

/// Trades the code the user was shown for a token, checks it, and returns the connected account.
pub fn finish(auth: Authorization, code: &str, limits: Limits) -> Result<App> {
    const ENDPOINT: &str = "POST /oauth/token";
    let code = code.trim();
    if code.is_empty()
        || code.len() > 512
        || code.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(SyncError::Input(
            "the authorization code is empty or malformed; copy it again from the page".into(),
        ));
    }
    let mut http = Http::new(limits);
    let url = format!("{}/oauth/token", auth.instance);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("client_id", auth.client_id.as_str()),
        ("client_secret", auth.client_secret.as_str()),
        ("redirect_uri", auth.redirect_uri.as_str()),
        ("code_verifier", auth.verifier.as_str()),
        ("scope", SCOPES),
    ];
    let answer = match http.call(&Request {
        endpoint: ENDPOINT,
        url: &url,
        query: &[],
        bearer: None,
        body: Body::Form(&form),
    }) {
        Err(SyncError::Status { status: 400 | 401, code, message, .. }) => {
            return Err(SyncError::Input(format!(
                "{} refused the authorization code ({code}: {message}); run `rapport connect mastodon {}` again and paste the new code",
                auth.instance, auth.instance
            )));
        }
        other => other?,
    };
    let token: Token = http::json(ENDPOINT, &answer.body)?;
    let mut app = App {
        instance: auth.instance,
        client_id: auth.client_id,
        client_secret: auth.client_secret,
        token: token.access_token,
        account_id: String::new(),
        actor: String::new(),
        acct: String::new(),
    };
    let me: ApiAccount = super::Client { app: &app, http: &mut http }.get(super::VERIFY, &[])?.0;
    let home = rapport_import::mastodon::host(&app.instance).unwrap_or("").to_owned();
    app.actor = map::actor(&me, &home).ok_or_else(|| {
        SyncError::Input(format!(
            "{} describes the account as '{}', which is not an account address",
            app.instance, me.acct
        ))
    })?;
    app.account_id = me.id;
    // The name is printed and listed: what the server says is made safe for a terminal.
    app.acct = crate::quote(&format!("{}@{home}", me.acct));
    Ok(app)
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_addresses() {
        assert_eq!(instance_url("mastodon.social").unwrap(), "https://mastodon.social");
        assert_eq!(instance_url("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
        assert!(instance_url("https://a.example/path").is_err());
        assert!(instance_url("a b").is_err());
        assert!(instance_url("").is_err());
        assert_eq!(encode("urn:ietf:wg:oauth:2.0:oob"), "urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob");
    }
}
