//! The loopback redirect of `rapport connect mastodon` (RFC 8252, section 7.3): Rapport listens on
//! 127.0.0.1 at a port the system picks, registers `http://127.0.0.1:PORT/callback` as the app's
//! redirect, and the instance's approval page sends the browser back there with the code, so the
//! user pastes nothing. The `state` sent with the authorization must come back with the code, so
//! another page cannot hand Rapport a code of its choosing.
//!
//! What arrives is hostile like anything from a network: one request line read, capped at 8 KiB
//! with a timeout of 5 s, only `GET /callback` answered, every other request refused and waited
//! past. It is a single request line on loopback, which the HTTP crates of the workspace (the
//! dashboard's axum on its async runtime) would serve at the price of a runtime in a blocking
//! command; std's listener does it in a few lines.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::{Result, SyncError};

/// The path the instance redirects to.
const PATH: &str = "/callback";

/// The most of a request read: its request line and headers.
const REQUEST_LIMIT: u64 = 8 * 1024;

/// How long one connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// How often the listener is looked at while nothing comes.
const POLL: Duration = Duration::from_millis(50);

/// A listener waiting for the approval page's redirect.
pub(crate) struct Callback {
    listener: TcpListener,
    uri: String,
}

/// How the user answered the approval page: what the redirect (or a pasted address or code)
/// carries.
#[derive(Debug, PartialEq, Eq)]
pub enum Approval {
    /// The code (from a redirect, with the state matching).
    Code(String),
    /// The user or the instance said no (`error`, and its description when given).
    Refused(String),
}

impl Callback {
    /// Listens on a port of 127.0.0.1 the system picks.
    pub(crate) fn listen() -> Result<Callback> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| {
                SyncError::Input(format!("listening on 127.0.0.1 for the redirect: {e}"))
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| SyncError::Input(format!("listening on 127.0.0.1: {e}")))?
            .port();
        Ok(Callback { listener, uri: format!("http://127.0.0.1:{port}{PATH}") })
    }

    /// The redirect URI to register and authorize with.
    pub(crate) fn uri(&self) -> &str {
        &self.uri
    }

    /// Waits until `until` for the redirect carrying `state`, or for a line the user pasted
    /// (`pasted`: the code, or the address the browser was sent to). Requests that are not the
    /// redirect, or carry another state, are answered and waited past.
    pub(crate) fn wait(
        &self,
        state: &str,
        pasted: &Receiver<String>,
        until: Instant,
    ) -> Result<Approval> {
        let mut stdin_open = true;
        while Instant::now() < until {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Some(outcome) = answer(stream, state) {
                        return Ok(outcome);
                    }
                    continue;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => {
                    return Err(SyncError::Input(format!(
                        "waiting on {} for the redirect: {e}",
                        self.uri
                    )));
                }
            }
            if stdin_open {
                match pasted.try_recv() {
                    Ok(line) => return pasted_outcome(&line, state),
                    Err(TryRecvError::Disconnected) => stdin_open = false,
                    Err(TryRecvError::Empty) => {}
                }
            }
            std::thread::sleep(POLL);
        }
        Err(SyncError::Input(format!(
            "no approval reached {} in time; run `rapport connect mastodon` again",
            self.uri
        )))
    }
}

/// Reads one request and answers it; the outcome when it was the redirect with `state`.
fn answer(mut stream: TcpStream, state: &str) -> Option<Approval> {
    // An accepted stream may inherit the listener's non-blocking mode on some systems.
    let ready =
        stream.set_nonblocking(false).and_then(|()| stream.set_read_timeout(Some(READ_TIMEOUT)));
    if ready.is_err() {
        return None;
    }
    let mut line = String::new();
    let read = BufReader::new((&mut stream).take(REQUEST_LIMIT)).read_line(&mut line);
    let (status, body, outcome) = match read.ok().and_then(|_| request_target(&line)) {
        None => ("400 Bad Request", "Not a request Rapport understands.", None),
        Some(target) => match target.split_once('?') {
            Some((PATH, query)) => match from_query(query, state) {
                Some(Approval::Code(code)) => (
                    "200 OK",
                    "Rapport has your approval. You can close this page: the terminal says when the account is connected.",
                    Some(Approval::Code(code)),
                ),
                Some(refused) => {
                    ("200 OK", "Rapport was not approved. You can close this page.", Some(refused))
                }
                None => (
                    "400 Bad Request",
                    "This approval is not the one Rapport is waiting for.",
                    None,
                ),
            },
            _ => ("404 Not Found", "Nothing here.", None),
        },
    };
    let page = format!("<!doctype html><meta charset=utf-8><title>Rapport</title><p>{body}</p>");
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{page}",
        page.len()
    );
    // What the client sent beyond the line is read before closing (bounded, like the request): a
    // socket closed with unread data resets the connection, and the browser would show an error
    // instead of the page.
    let _ = stream.shutdown(Shutdown::Write);
    let _ = std::io::copy(&mut (&mut stream).take(REQUEST_LIMIT), &mut std::io::sink());
    outcome
}

/// The target of a `GET` request line (`GET /callback?… HTTP/1.1`).
fn request_target(line: &str) -> Option<&str> {
    let mut parts = line.trim_end_matches(['\r', '\n']).split(' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("GET"), Some(target), Some(version), None) if version.starts_with("HTTP/1.") => {
            Some(target)
        }
        _ => None,
    }
}

/// The outcome a redirect's query gives, when its state is `state`.
fn from_query(query: &str, state: &str) -> Option<Approval> {
    let mut found = (None, None, None, None);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "code" => found.0 = Some(value.into_owned()),
            "state" => found.1 = Some(value.into_owned()),
            "error" => found.2 = Some(value.into_owned()),
            "error_description" => found.3 = Some(value.into_owned()),
            _ => {}
        }
    }
    if found.1.as_deref() != Some(state) {
        return None;
    }
    match found {
        (_, _, Some(error), description) => {
            Some(Approval::Refused(crate::quote(&match description {
                Some(d) => format!("{error}: {d}"),
                None => error,
            })))
        }
        (Some(code), ..) => Some(Approval::Code(code)),
        _ => None,
    }
}

/// What the user pasted: the code the page showed, or the address the browser was sent to (a
/// browser on another machine cannot reach this one's loopback, and shows it in its address bar).
fn pasted_outcome(line: &str, state: &str) -> Result<Approval> {
    let line = line.trim();
    match line.split_once('?') {
        Some((_, query)) if line.contains("code=") || line.contains("error=") => {
            from_query(query, state).ok_or_else(|| {
                SyncError::Input(
                    "the pasted address is not the approval Rapport asked for (its state differs); run `rapport connect mastodon` again".into(),
                )
            })
        }
        _ => Ok(Approval::Code(line.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    fn send(uri: &str, request: &[u8]) -> String {
        let address = uri.trim_start_matches("http://").split('/').next().unwrap();
        let mut stream = TcpStream::connect(address).unwrap();
        stream.write_all(request).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn the_redirect_with_the_state_gives_the_code_and_others_are_waited_past() {
        let callback = Callback::listen().unwrap();
        let uri = callback.uri().to_owned();
        assert!(uri.starts_with("http://127.0.0.1:") && uri.ends_with("/callback"), "{uri}");
        let client = std::thread::spawn(move || {
            let path = uri.split_once("127.0.0.1:").unwrap().1;
            let path = &path[path.find('/').unwrap()..];
            [
                send(&uri, b"GET /favicon.ico HTTP/1.1\r\n\r\n"),
                send(
                    &uri,
                    format!("GET {path}?code=stolen&state=other HTTP/1.1\r\n\r\n").as_bytes(),
                ),
                send(&uri, b"POST /callback?code=x&state=s1 HTTP/1.1\r\n\r\n"),
                send(&uri, &[b'G'; 9000]),
                send(
                    &uri,
                    format!("GET {path}?code=c%2B1&state=s1 HTTP/1.1\r\nHost: x\r\n\r\n")
                        .as_bytes(),
                ),
            ]
        });
        let (_keep, pasted) = mpsc::channel();
        let until = Instant::now() + Duration::from_secs(20);
        assert_eq!(callback.wait("s1", &pasted, until).unwrap(), Approval::Code("c+1".into()));
        let answers = client.join().unwrap();
        for (answer, status) in answers.iter().zip(["404", "400", "400", "400", "200"]) {
            assert!(answer.starts_with(&format!("HTTP/1.1 {status}")), "{answer}");
        }
        assert!(answers[4].contains("Rapport has your approval"), "{}", answers[4]);
    }

    #[test]
    fn a_refusal_and_a_paste_are_understood() {
        let state = "s2";
        assert_eq!(
            from_query("error=access_denied&error_description=The+user+said+no&state=s2", state),
            Some(Approval::Refused("access_denied: The user said no".into()))
        );
        assert_eq!(from_query("code=c&state=s3", state), None, "another state");
        assert_eq!(from_query("code=c", state), None, "no state");
        assert_eq!(pasted_outcome(" abc123 \n", state).unwrap(), Approval::Code("abc123".into()));
        assert_eq!(
            pasted_outcome("http://127.0.0.1:9/callback?code=abc&state=s2", state).unwrap(),
            Approval::Code("abc".into())
        );
        assert!(pasted_outcome("http://127.0.0.1:9/callback?code=abc&state=s9", state).is_err());
    }

    #[test]
    fn a_paste_ends_the_wait_and_nothing_ends_it_at_the_deadline() {
        let callback = Callback::listen().unwrap();
        let (tx, pasted) = mpsc::channel();
        tx.send("pasted-code".to_owned()).unwrap();
        let until = Instant::now() + Duration::from_secs(20);
        assert_eq!(
            callback.wait("s", &pasted, until).unwrap(),
            Approval::Code("pasted-code".into())
        );
        drop(tx);
        let err = callback.wait("s", &pasted, Instant::now() + Duration::from_millis(200));
        assert!(err.unwrap_err().to_string().contains("no approval reached"));
    }
}
