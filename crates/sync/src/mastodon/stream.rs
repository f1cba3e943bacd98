//! `rapport sync --follow` on Mastodon: the streaming API's user stream
//! (`/api/v1/streaming/user`, server-sent events: `notification` and `update`), with polling of
//! the recent phases (own statuses, favourites, notifications) before each connection, so what
//! happened while the stream was down is caught up, and instead of the stream while it is
//! unavailable. A refused token stops the tail with the message to connect again.
//!
//! The stream is read on a thread of its own that hands parsed events over a channel, so batches
//! are written on time however quiet the stream is.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use rapport_model::Network;

use super::api::{Notification, Status};
use super::{App, Client, Run, map};
use crate::http::{self, Http, Limits};
use crate::live::{Backoff, Batch, Listener, LiveOptions, LiveSummary, pause};
use crate::walk::Phase;
use crate::{Deletion, Options, Quiet, Result, SyncError, Target};

/// The stream's path.
const PATH: &str = "/api/v1/streaming/user";

/// The phase whose cursor is the id of the last event streamed.
const PHASE: &str = "stream";

/// How long the channel is waited on before a due batch and a stop are checked.
const TICK: Duration = Duration::from_millis(20);

/// One event of the stream.
enum Event {
    /// An event with its name and its data.
    Message(String, String),
    /// The connection ended, and why.
    Ended(String),
}

/// Follows the account of `app` live until `live` says to stop.
pub(crate) fn follow(
    app: &mut App,
    target: &mut dyn Target,
    options: &Options,
    live: &LiveOptions,
    listener: &mut dyn Listener,
) -> Result<LiveSummary> {
    let account = format!("mastodon:{}", app.actor);
    let recent = Options { recent_only: true, ..options.clone() };
    let mut summary = LiveSummary::default();
    let mut backoff = Backoff::new(live.max_backoff);
    let mut opened_before = false;
    while !live.done(summary.kept) {
        // Catching up by polling: after a drop, and every `poll` while the stream is unavailable.
        let polled = super::sync(app, target, &recent, &mut Quiet)?;
        let new: u64 = polled.phases.iter().map(|p| p.new).sum();
        let items: u64 = polled.phases.iter().map(|p| p.read).sum();
        summary.new += new;
        // A page read is a page written (with its cursor), which makes the kept views stale.
        if items > 0 {
            listener.stored(usize::try_from(items).unwrap_or(usize::MAX), new);
        }
        let events = match open(app, &options.limits) {
            Ok(events) => events,
            Err(e @ SyncError::Unauthorized { .. }) => return Err(e),
            Err(e) => {
                let wait = live.poll.max(backoff.next());
                listener.retrying(&format!("{e}; polling meanwhile"), wait);
                if !pause(wait, live, summary.kept) {
                    break;
                }
                continue;
            }
        };
        summary.reconnects += u64::from(opened_before);
        opened_before = true;
        listener.connected(&format!("{}{PATH}", app.instance));
        let mut http = Http::new(options.limits.clone());
        let home = rapport_import::mastodon::host(&app.instance).unwrap_or("").to_owned();
        let run = Run {
            client: std::cell::RefCell::new(Client { app: &*app, http: &mut http }),
            me: map::Me { home, local_id: app.account_id.clone(), actor: app.actor.clone() },
            parents: std::cell::RefCell::new(std::collections::HashMap::new()),
            expanded: std::cell::RefCell::default(),
            options,
        };
        let mut progress = Quiet;
        let mut phase = Phase::new(target, &mut progress, &account, PHASE, PATH, usize::MAX);
        let ended = read(&run, &mut phase, &events, live, listener, &mut summary, &mut backoff)?;
        match ended {
            None => break,
            Some(why) => {
                let wait = backoff.next();
                listener.retrying(&why, wait);
                if !pause(wait, live, summary.kept) {
                    break;
                }
            }
        }
    }
    Ok(summary)
}

/// Opens the user stream and starts the thread that reads it.
fn open(app: &App, limits: &Limits) -> Result<Receiver<Event>> {
    let endpoint = format!("GET {PATH}");
    // The stream has no end: no total deadline, but a read timeout far above the heartbeats.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(limits.connect))
        .timeout_per_read(Some(limits.read))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("rapport/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let url = format!("{}{PATH}", app.instance);
    let response = agent
        .get(&url)
        .header("authorization", &format!("Bearer {}", app.token))
        .header("accept", "text/event-stream")
        .call()
        .map_err(|e| SyncError::Network { endpoint: endpoint.clone(), why: e.to_string() })?;
    let status = response.status().as_u16();
    if status == 401 || status == 403 {
        return Err(SyncError::Unauthorized {
            endpoint,
            account: app.instance.clone(),
            network: "mastodon",
            code: String::new(),
            message: format!("{status}"),
        });
    }
    if status != 200 {
        return Err(SyncError::Status {
            endpoint,
            status,
            code: String::new(),
            message: String::new(),
        });
    }
    let (send, receive) = mpsc::channel();
    let max_line = usize::try_from(limits.max_body).unwrap_or(usize::MAX);
    let body = response.into_body().into_reader();
    std::thread::spawn(move || {
        let why = events(BufReader::new(body), max_line, &send);
        let _ = send.send(Event::Ended(why));
    });
    Ok(receive)
}

/// Parses server-sent events until the stream ends or the receiver is gone; returns why it ended.
/// A line longer than `max_line` ends the stream: no event is that large.
fn events(mut reader: impl BufRead, max_line: usize, send: &mpsc::Sender<Event>) -> String {
    let (mut event, mut data) = (String::new(), String::new());
    let mut line = String::new();
    loop {
        line.clear();
        match reader.by_ref().take(max_line as u64 + 1).read_line(&mut line) {
            Ok(0) => return "the server closed the stream".into(),
            Ok(n) if n > max_line => {
                return format!("a line of the stream was over {max_line} bytes");
            }
            Ok(_) => {}
            Err(e) => return format!("the stream dropped ({e})"),
        }
        let text = line.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !data.is_empty()
                && send
                    .send(Event::Message(std::mem::take(&mut event), std::mem::take(&mut data)))
                    .is_err()
            {
                return "stopped".into();
            }
            event.clear();
        } else if let Some(name) = text.strip_prefix("event:") {
            name.trim().clone_into(&mut event);
        } else if let Some(more) = text.strip_prefix("data:") {
            if !data.is_empty() {
                data.push('\n');
            }
            data.push_str(more.strip_prefix(' ').unwrap_or(more));
        }
        // Comments (`:thump`) are heartbeats; other fields (`id:`, `retry:`) are not used.
    }
}

/// Writes the stream's events in batches until the tail must stop (`None`) or the stream ends
/// (`Some(why)`).
fn read(
    run: &Run<'_, '_>,
    phase: &mut Phase<'_>,
    events: &Receiver<Event>,
    live: &LiveOptions,
    listener: &mut dyn Listener,
    summary: &mut LiveSummary,
    backoff: &mut Backoff,
) -> Result<Option<String>> {
    let mut batch = Batch::new();
    // The URIs of the statuses streamed, by local id: a `delete` names only the local id.
    let mut uris: HashMap<String, String> = HashMap::new();
    let mut last = String::new();
    loop {
        if batch.due(live) {
            batch.write(phase, listener, summary)?;
        }
        if live.done(summary.kept) {
            batch.write(phase, listener, summary)?;
            return Ok(None);
        }
        let (name, data) = match events.recv_timeout(TICK) {
            Ok(Event::Message(name, data)) => (name, data),
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(Event::Ended(why)) => {
                batch.write(phase, listener, summary)?;
                return Ok(Some(why));
            }
            Err(RecvTimeoutError::Disconnected) => {
                batch.write(phase, listener, summary)?;
                return Ok(Some("the stream's reader stopped".into()));
            }
        };
        backoff.reset();
        summary.seen += 1;
        let endpoint = format!("{PATH} event {name}");
        let mut records = Vec::new();
        let id = match name.as_str() {
            "notification" => {
                let n: Notification = http::json(&endpoint, data.as_bytes())?;
                let id = n.id.clone();
                if let Some(s) = &n.status {
                    remember(&mut uris, s);
                }
                run.notification(n, &mut records, &mut phase.summary)?;
                id
            }
            "update" => {
                let s: Status = http::json(&endpoint, data.as_bytes())?;
                remember(&mut uris, &s);
                run.status(&s, &mut records, &mut phase.summary)?;
                s.id
            }
            "delete" => {
                // The payload is the deleted status's local id, bare. It names the status streamed
                // under that id, or else one of the account's own, whose URI Mastodon forms from
                // the local id; either removes nothing that is not stored.
                let id = data.trim();
                let mut deleted = vec![Deletion::Id(
                    Network::Mastodon,
                    format!("{}/statuses/{id}", run.me.actor),
                )];
                if let Some(uri) = uris.remove(id) {
                    deleted.push(Deletion::Id(Network::Mastodon, uri));
                }
                summary.kept += 1;
                batch.add(Vec::new(), deleted);
                batch.advance(last.clone());
                continue;
            }
            // Edits, filters and announcements change no relationship.
            _ => continue,
        };
        if !records.is_empty() {
            summary.kept += 1;
            batch.add(records, Vec::new());
        }
        last.clone_from(&id);
        batch.advance(id);
    }
}

/// How many streamed statuses' URIs are remembered for their deletion: a day of a busy home
/// timeline, a few megabytes.
const REMEMBERED: usize = 100_000;

/// Remembers the URI of a streamed status (and of the status it boosts) by local id, forgetting
/// all once [`REMEMBERED`] are kept.
fn remember(uris: &mut HashMap<String, String>, status: &Status) {
    if uris.len() >= REMEMBERED {
        uris.clear();
    }
    uris.insert(status.id.clone(), status.uri.clone());
    if let Some(boosted) = &status.reblog {
        uris.insert(boosted.id.clone(), boosted.uri.clone());
    }
}

/// The events `input` parses to, and why the stream ended.
#[cfg(test)]
fn parsed(input: &str) -> Vec<(String, String)> {
    let (send, receive) = mpsc::channel();
    let why = events(input.as_bytes(), 1 << 10, &send);
    drop(send);
    let mut out: Vec<(String, String)> = receive
        .into_iter()
        .filter_map(|e| match e {
            Event::Message(n, d) => Some((n, d)),
            Event::Ended(_) => None,
        })
        .collect();
    out.push(("end".into(), why));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_server_sent_events() {
        let input = ":)\nevent: update\ndata: {\"a\":\ndata: 1}\n\n:thump\nevent: notification\r\ndata: {}\r\n\r\n";
        let got = parsed(input);
        assert_eq!(
            got,
            [
                ("update".to_owned(), "{\"a\":\n1}".to_owned()),
                ("notification".to_owned(), "{}".to_owned()),
                ("end".to_owned(), "the server closed the stream".to_owned()),
            ]
        );
        let long = format!("data: {}\n\n", "x".repeat(2000));
        assert!(parsed(&long)[0].1.contains("over 1024 bytes"));
    }
}
