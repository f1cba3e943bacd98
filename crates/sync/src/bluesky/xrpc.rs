//! The XRPC client of one Bluesky session: queries with the access token, refreshed with
//! `com.atproto.server.refreshSession` when the server says it expired.

use serde::de::DeserializeOwned;

use super::Session;
use crate::http::{self, Body, Http, Request};
use crate::{Result, SyncError};

/// The error codes with which a PDS refuses a token (expired, revoked or malformed).
const TOKEN_REFUSED: [&str; 4] =
    ["ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"];

/// A session's client.
pub(crate) struct Xrpc<'s> {
    pub(crate) session: &'s mut Session,
    pub(crate) http: Http,
}

impl Xrpc<'_> {
    /// Calls the query `method` and decodes its answer, refreshing the session once if the server
    /// refuses the access token.
    pub(crate) fn query<T: DeserializeOwned>(
        &mut self,
        method: &str,
        params: &[(&str, &str)],
    ) -> Result<T> {
        match self.call(method, params) {
            Err(e) if refused(&e) => {
                self.refresh()?;
                self.call(method, params)
            }
            other => other,
        }
    }

    /// Calls the procedure `method` with a JSON `input` (a POST), refreshing the session once if
    /// the server refuses the access token: a refused token is refused before anything is done.
    pub(crate) fn procedure<T: DeserializeOwned>(
        &mut self,
        method: &str,
        input: &serde_json::Value,
    ) -> Result<T> {
        match self.send(method, &[], Body::Json(input)) {
            Err(e) if refused(&e) => {
                self.refresh()?;
                self.send(method, &[], Body::Json(input))
            }
            other => other,
        }
    }

    fn call<T: DeserializeOwned>(&mut self, method: &str, params: &[(&str, &str)]) -> Result<T> {
        self.send(method, params, Body::None)
    }

    fn send<T: DeserializeOwned>(
        &mut self,
        method: &str,
        params: &[(&str, &str)],
        body: Body<'_>,
    ) -> Result<T> {
        let url = format!("{}/xrpc/{method}", self.session.service);
        let answer = self.http.call(&Request {
            endpoint: method,
            url: &url,
            query: params,
            bearer: Some(&self.session.access),
            body,
        })?;
        http::json(method, &answer.body)
    }

    /// Trades the refresh token for new tokens; a refused refresh token means the user must
    /// connect again.
    fn refresh(&mut self) -> Result<()> {
        const METHOD: &str = "com.atproto.server.refreshSession";
        let url = format!("{}/xrpc/{METHOD}", self.session.service);
        let answer = self.http.call(&Request {
            endpoint: METHOD,
            url: &url,
            query: &[],
            bearer: Some(&self.session.refresh),
            body: Body::Empty,
        });
        let answer = match answer {
            Err(SyncError::Status { status: 400 | 401, code, message, .. }) => {
                return Err(SyncError::Unauthorized {
                    endpoint: METHOD.to_owned(),
                    account: self.session.handle.clone(),
                    network: "bluesky",
                    code,
                    message,
                });
            }
            other => other?,
        };
        let tokens: Tokens = http::json(METHOD, &answer.body)?;
        if tokens.did != self.session.did {
            return Err(SyncError::Input(format!(
                "{METHOD} answered for {}, not for {}; run `rapport connect bluesky {}` again",
                crate::quote(&tokens.did),
                self.session.did,
                self.session.handle
            )));
        }
        self.session.access = tokens.access_jwt;
        self.session.refresh = tokens.refresh_jwt;
        tracing::debug!(did = %self.session.did, "bluesky session refreshed");
        Ok(())
    }
}

/// The tokens of `createSession` and `refreshSession`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Tokens {
    pub(crate) did: String,
    pub(crate) handle: String,
    pub(crate) access_jwt: String,
    pub(crate) refresh_jwt: String,
}

/// True when `e` is the server refusing the access token.
fn refused(e: &SyncError) -> bool {
    matches!(e, SyncError::Status { status: 400 | 401, code, .. } if TOKEN_REFUSED.contains(&code.as_str()))
        || matches!(e, SyncError::Status { status: 401, .. })
}
