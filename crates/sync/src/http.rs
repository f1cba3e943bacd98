//! Every HTTP call of sync goes through here: one blocking `ureq` agent with a connect timeout, a
//! read timeout and a total deadline per call; bodies refused when their declared length is over
//! the endpoint's limit and capped while streaming; the rate-limit headers of both networks
//! honoured (`X-RateLimit-*` of Mastodon, `RateLimit-*` of Bluesky's PDS); 429 and 5xx retried
//! with exponential backoff, a bounded number of times.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Result, SyncError};

/// The time limits and retry policy of one client.
#[derive(Clone, Debug)]
pub struct Limits {
    /// How long connecting may take.
    pub connect: Duration,
    /// How long any single read from the socket may wait.
    pub read: Duration,
    /// How long one call may take in all, body included.
    pub total: Duration,
    /// The largest body any endpoint may send.
    pub max_body: u64,
    /// How many times a 429 or 5xx is retried before giving up.
    pub retries: u32,
    /// The first backoff; each retry doubles it.
    pub backoff: Duration,
    /// The longest wait sync accepts for a rate limit to reset; a longer one stops the sync,
    /// which resumes when run again.
    pub max_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(30),
            total: Duration::from_secs(120),
            // A page of 100 notifications with their records is well under a megabyte.
            max_body: 8 << 20,
            retries: 5,
            backoff: Duration::from_secs(1),
            // Mastodon's window is five minutes; a reset at its far end, plus the margin, fits.
            max_wait: Duration::from_secs(330),
        }
    }
}

/// One answer: its body and the pagination links of its `Link` header.
#[derive(Debug, Default)]
pub struct Answer {
    /// The body.
    pub body: Vec<u8>,
    /// The `rel="next"` link (older items, in Mastodon's lists).
    pub next: Option<String>,
    /// The `rel="prev"` link (newer items).
    pub prev: Option<String>,
}

/// A request to make: method, URL, query, bearer token and body.
pub struct Request<'a> {
    /// The name errors use for the call (`app.bsky.notification.listNotifications`,
    /// `GET /api/v1/notifications`), never containing a token.
    pub endpoint: &'a str,
    /// The full URL, without the query.
    pub url: &'a str,
    /// Query parameters.
    pub query: &'a [(&'a str, &'a str)],
    /// The bearer token, when the call is authenticated.
    pub bearer: Option<&'a str>,
    /// The body of a POST.
    pub body: Body<'a>,
}

/// The body of a request.
pub enum Body<'a> {
    /// A GET.
    None,
    /// A POST without a body (`refreshSession` refuses one).
    Empty,
    /// A POST of JSON.
    Json(&'a Value),
    /// A POST of an HTML form.
    Form(&'a [(&'a str, &'a str)]),
}

/// The HTTP client of one sync: an agent, its limits, and the rate budget the server announced.
pub struct Http {
    agent: ureq::Agent,
    limits: Limits,
    /// How many requests were sent, retries included.
    pub requests: u64,
    /// How long was spent waiting for rate limits and backoff.
    pub waited: Duration,
}

impl Http {
    /// A client with these limits.
    pub fn new(limits: Limits) -> Http {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(limits.total))
            .timeout_connect(Some(limits.connect))
            .timeout_per_read(Some(limits.read))
            .http_status_as_error(false)
            // A token must never follow a redirect to another host.
            .max_redirects(0)
            .user_agent(concat!("rapport/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Http { agent, limits, requests: 0, waited: Duration::ZERO }
    }

    /// Makes the request, retrying 429 and 5xx with backoff, and returns the successful answer.
    /// Any other status is [`SyncError::Status`] with the body's error code and message.
    pub fn call(&mut self, request: &Request<'_>) -> Result<Answer> {
        let endpoint = request.endpoint;
        let mut backoff = self.limits.backoff;
        let mut tries = 0u32;
        loop {
            tries += 1;
            self.requests += 1;
            let mut response = self.send(request).map_err(|e| network(endpoint, &e))?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let declared = header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok());
            if let Some(size) = declared.filter(|s| *s > self.limits.max_body) {
                return Err(SyncError::TooLarge {
                    endpoint: endpoint.to_owned(),
                    size,
                    limit: self.limits.max_body,
                });
            }
            let body = response
                .body_mut()
                .with_config()
                .limit(self.limits.max_body)
                .read_to_vec()
                .map_err(|e| match e {
                    ureq::Error::BodyExceedsLimit(_) => SyncError::TooLarge {
                        endpoint: endpoint.to_owned(),
                        size: self.limits.max_body,
                        limit: self.limits.max_body,
                    },
                    e => network(endpoint, &e),
                })?;
            if status == 429 || status >= 500 {
                if tries > self.limits.retries {
                    return Err(SyncError::GaveUp {
                        endpoint: endpoint.to_owned(),
                        why: format!("answered {status} {tries} times in a row"),
                    });
                }
                // A 429 is about the rate budget, whose reset the headers tell; a 5xx is not.
                let asked = if status == 429 {
                    retry_after(&headers)
                } else {
                    retry_after_header(&headers)
                };
                let wait = asked.unwrap_or(backoff).max(backoff);
                self.wait(endpoint, wait)?;
                backoff = backoff.saturating_mul(2);
                continue;
            }
            if !(200..300).contains(&status) {
                let (code, message) = error_body(&body);
                return Err(SyncError::Status {
                    endpoint: endpoint.to_owned(),
                    status,
                    code,
                    message,
                });
            }
            // The budget is spent: wait for its reset now rather than earn a 429 on the next call.
            if remaining(&headers) == Some(0) {
                let wait = reset_in(&headers).unwrap_or(backoff);
                self.wait(endpoint, wait)?;
            }
            let link = header(&headers, "link").unwrap_or_default();
            return Ok(Answer {
                body,
                next: link_rel(&link, "next"),
                prev: link_rel(&link, "prev"),
            });
        }
    }

    fn send(&self, r: &Request<'_>) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let auth = r.bearer.map(|t| format!("Bearer {t}"));
        match r.body {
            Body::None => {
                let mut req = self.agent.get(r.url);
                for (k, v) in r.query {
                    req = req.query(*k, *v);
                }
                if let Some(auth) = &auth {
                    req = req.header("authorization", auth);
                }
                req.call()
            }
            Body::Empty | Body::Json(_) | Body::Form(_) => {
                let mut req = self.agent.post(r.url);
                for (k, v) in r.query {
                    req = req.query(*k, *v);
                }
                if let Some(auth) = &auth {
                    req = req.header("authorization", auth);
                }
                match r.body {
                    Body::Json(value) => req
                        .header("content-type", "application/json")
                        .send(value.to_string().as_bytes()),
                    Body::Form(form) => req.send_form(form.iter().copied()),
                    Body::None | Body::Empty => req.send_empty(),
                }
            }
        }
    }

    /// Sleeps `wait`, or gives up when it is longer than the limits allow.
    fn wait(&mut self, endpoint: &str, wait: Duration) -> Result<()> {
        if wait > self.limits.max_wait {
            return Err(SyncError::GaveUp {
                endpoint: endpoint.to_owned(),
                why: format!(
                    "asked to wait {} s for its rate limit, more than the {} s allowed",
                    wait.as_secs(),
                    self.limits.max_wait.as_secs()
                ),
            });
        }
        tracing::debug!(endpoint, wait_ms = wait.as_millis() as u64, "waiting for the server");
        std::thread::sleep(wait);
        self.waited += wait;
        Ok(())
    }
}

/// Decodes a JSON body, naming the endpoint and the line and column of any fault.
pub fn json<T: DeserializeOwned>(endpoint: &str, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| SyncError::Json {
        endpoint: endpoint.to_owned(),
        line: e.line(),
        column: e.column(),
        why: e.to_string(),
    })
}

fn network(endpoint: &str, e: &ureq::Error) -> SyncError {
    let why = match e {
        ureq::Error::Timeout(which) => format!("no answer in time ({which} timeout)"),
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => {
            format!("could not connect ({e})")
        }
        other => format!("the call failed ({other})"),
    };
    SyncError::Network { endpoint: endpoint.to_owned(), why }
}

fn header(headers: &ureq::http::HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// What the server's rate-limit headers say remains of the budget.
fn remaining(headers: &ureq::http::HeaderMap) -> Option<u64> {
    ["x-ratelimit-remaining", "ratelimit-remaining"]
        .iter()
        .find_map(|h| header(headers, h))
        .and_then(|v| v.trim().parse().ok())
}

/// How long until the rate limit resets: Mastodon gives an RFC 3339 time, Bluesky Unix seconds.
fn reset_in(headers: &ureq::http::HeaderMap) -> Option<Duration> {
    let value = ["x-ratelimit-reset", "ratelimit-reset"].iter().find_map(|h| header(headers, h))?;
    let at = match value.trim().parse::<i64>() {
        Ok(seconds) => seconds,
        Err(_) => rapport_model::time::parse(value.trim())?,
    };
    let now = crate::now();
    // A reset in the past means the budget is back already; a second's margin covers clock skew.
    Some(Duration::from_secs(u64::try_from(at - now).unwrap_or(0) + 1))
}

/// The wait a 429 asks for: `Retry-After` seconds, or the rate limit's reset.
fn retry_after(headers: &ureq::http::HeaderMap) -> Option<Duration> {
    retry_after_header(headers).or_else(|| reset_in(headers))
}

/// The `Retry-After` header in seconds.
fn retry_after_header(headers: &ureq::http::HeaderMap) -> Option<Duration> {
    header(headers, "retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// The `error` and `message` (XRPC) or `error` and `error_description` (Mastodon, OAuth) of an
/// error body, cut short and stripped of control characters, as they reach a terminal.
fn error_body(body: &[u8]) -> (String, String) {
    let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let text = |k: &str| value.get(k).and_then(Value::as_str).map(crate::quote).unwrap_or_default();
    let message = match text("message") {
        m if m.is_empty() => text("error_description"),
        m => m,
    };
    (text("error"), message)
}

/// The target of the link with relation `rel` in a `Link` header.
pub fn link_rel(header: &str, rel: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let wanted = params.split(';').any(|p| {
            let p = p.trim();
            p == format!("rel=\"{rel}\"") || p == format!("rel={rel}")
        });
        wanted.then(|| target.to_owned())
    })
}

/// The value of the query parameter `key` in a URL.
pub fn query_param(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| v.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_link_headers() {
        let h = r#"<https://m.example/api/v1/notifications?max_id=7>; rel="next", <https://m.example/api/v1/notifications?min_id=9>; rel="prev""#;
        assert_eq!(
            link_rel(h, "next").as_deref(),
            Some("https://m.example/api/v1/notifications?max_id=7")
        );
        assert_eq!(
            query_param(&link_rel(h, "prev").unwrap_or_default(), "min_id").as_deref(),
            Some("9")
        );
        assert_eq!(link_rel("", "next"), None);
        assert_eq!(link_rel("garbage; rel=next", "next"), None);
    }

    #[test]
    fn json_errors_name_endpoint_and_position() {
        let err = json::<Value>("GET /api/v1/x", b"{\n  \"a\": [1,\n  }").unwrap_err().to_string();
        assert!(err.starts_with("GET /api/v1/x sent malformed JSON at line 3, column 3"), "{err}");
    }

    #[test]
    fn rate_limit_resets_in_both_networks_forms() {
        let mut headers = ureq::http::HeaderMap::new();
        let at = crate::now() + 10;
        headers.insert("ratelimit-reset", at.to_string().parse().unwrap());
        headers.insert("ratelimit-remaining", "0".parse().unwrap());
        assert_eq!(remaining(&headers), Some(0));
        assert_eq!(reset_in(&headers), Some(Duration::from_secs(11)));
        let mut headers = ureq::http::HeaderMap::new();
        let iso = time::OffsetDateTime::from_unix_timestamp(at).unwrap();
        let iso = iso.format(&time::format_description::well_known::Rfc3339).unwrap();
        headers.insert("x-ratelimit-reset", iso.parse().unwrap());
        assert_eq!(reset_in(&headers), Some(Duration::from_secs(11)));
        headers.insert("retry-after", "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
    }

    #[test]
    fn error_bodies_are_neutralised() {
        let (code, message) = error_body(br#"{"error":"ExpiredToken","message":"gone\u001b[31m"}"#);
        assert_eq!((code.as_str(), message.as_str()), ("ExpiredToken", "gone\u{241b}[31m"));
    }
}
