//! A firehose replay on loopback, for tests and benchmarks of `rapport sync --follow` that cannot
//! start the real network: `com.atproto.sync.subscribeRepos` as a websocket that sends the given
//! frames (made with `rapport_import::bluesky::build`) from the cursor asked for, at a given rate,
//! and can drop the connection after some frames; every other XRPC query a sync makes is answered
//! with empty lists (and `getProfiles` with a profile per DID asked, `getFollowers` with the
//! followers given), as a PDS with an idle AppView would. It records when each frame was sent,
//! for latency measurements.
//!
//! It also stands in for Jetstream (no Jetstream server can run here): `/subscribe` sends the given
//! JSON events (their shapes as Jetstream's documentation gives them) as text messages, those at or
//! after the `cursor` asked for (`time_us`), commits only of the `wantedCollections` asked for;
//! asked for compression (`compress=true`, or the `Socket-Encoding: zstd` header) it sends each
//! event as Jetstream then does, a binary message of one zstd frame made with its dictionary (one
//! the test trains with [`train_dictionary`]: Jetstream's own file cannot be fetched here).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tungstenite::Message;

/// What the replay serves.
#[derive(Default)]
pub struct ReplayState {
    /// The frames, with their sequence numbers, in order.
    pub frames: Vec<(i64, Vec<u8>)>,
    /// Jetstream's events, with their `time_us`, in order.
    pub events: Vec<(i64, String)>,
    /// The `wantedCollections` of the last Jetstream connection.
    pub wanted: Vec<String>,
    /// The zstd dictionary Jetstream's events are compressed with when a connection asks.
    pub dictionary: Option<Vec<u8>>,
    /// The `time_us` of an event whose compressed frame is sent cut in half.
    pub damaged: Option<i64>,
    /// Whether each Jetstream connection asked for compression, in order.
    pub compressed: Vec<bool>,
    /// Frames per second; as fast as the client reads when `None`.
    pub rate: Option<f64>,
    /// When set, the next connection is dropped after sending this many frames.
    pub drop_after: Option<usize>,
    /// The cursor each connection asked for, in order (`None`: no cursor).
    pub connections: Vec<Option<i64>>,
    /// When each frame was sent (its last byte written), by sequence number.
    pub sent: HashMap<i64, Instant>,
    /// The followers `getFollowers` lists (profile views with `viewer.followedBy`), in one page.
    pub followers: Vec<serde_json::Value>,
    /// The DID and handle `getProfile` answers with.
    pub owner: (String, String),
    /// An access token the replay refuses as expired (`ExpiredToken`); `refreshSession` then
    /// hands out `access-2` and `refresh-2`.
    pub expired: Option<String>,
}

/// The replay server; dropping it stops it.
pub struct Replay {
    /// `http://127.0.0.1:port`: the service a Bluesky connection names.
    pub url: String,
    /// What it serves.
    pub state: Arc<Mutex<ReplayState>>,
    stop: Arc<AtomicBool>,
}

impl Replay {
    /// Starts a replay on a free loopback port.
    pub fn start(state: ReplayState) -> Replay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(state));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopping) = (Arc::clone(&state), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (state, stopping) = (Arc::clone(&shared), Arc::clone(&stopping));
                std::thread::spawn(move || {
                    let _ = serve(stream, &state, &stopping);
                });
            }
        });
        Replay { url, state, stop }
    }

    /// Locks the state, to change what is served or read what was sent.
    pub fn with<T>(&self, f: impl FnOnce(&mut ReplayState) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn serve(stream: TcpStream, state: &Mutex<ReplayState>, stop: &AtomicBool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = [0u8; 4096];
    let n = stream.peek(&mut head)?;
    let line = String::from_utf8_lossy(&head[..n]);
    let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
    if path.starts_with("/xrpc/com.atproto.sync.subscribeRepos") || path.starts_with("/subscribe?")
    {
        return subscribe(stream, state, stop);
    }
    query(stream, state, &path)
}

/// Answers an XRPC query with empty lists, the owner's profile, or a profile per DID asked.
fn query(mut stream: TcpStream, state: &Mutex<ReplayState>, path: &str) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        request.extend_from_slice(&buf[..n]);
    }
    let (did, handle) = state.lock().unwrap().owner.clone();
    let followers = state.lock().unwrap().followers.clone();
    let head = String::from_utf8_lossy(&request).to_ascii_lowercase();
    let expired = state.lock().unwrap().expired.clone();
    let refused = expired.is_some_and(|token| head.contains(&format!("bearer {token}\r\n")));
    let (status, body) = if path.starts_with("/xrpc/com.atproto.server.refreshSession") {
        (
            200,
            json!({"did": did, "handle": handle, "accessJwt": "access-2", "refreshJwt": "refresh-2"}),
        )
    } else if refused {
        (400, json!({"error": "ExpiredToken", "message": "Token has expired"}))
    } else if path.starts_with("/xrpc/app.bsky.actor.getProfiles") {
        let profiles: Vec<_> = path
            .split(['?', '&'])
            .filter_map(|p| p.strip_prefix("actors="))
            .map(|d| {
                let d = d.replace("%3A", ":");
                json!({"did": d, "handle": format!("{}.test", d.rsplit(':').next().unwrap())})
            })
            .collect();
        (200, json!({ "profiles": profiles }))
    } else {
        (
            200,
            json!({"did": did, "handle": handle, "records": [], "notifications": [], "followers": followers,
            "follows": [], "mutes": [], "subject": {"did": did, "handle": handle}}),
        )
    };
    let body = body.to_string();
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    stream.flush()
}

/// The websocket: frames after the cursor, at the rate, then silence (answering pings) until the
/// client leaves, the replay stops, or a drop is due.
#[expect(clippy::result_large_err, reason = "the type of tungstenite's handshake callback")]
fn subscribe(
    stream: TcpStream,
    state: &Mutex<ReplayState>,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let (mut cursor, mut jetstream, mut wanted) = (None, false, Vec::new());
    let mut compress = false;
    let mut socket = tungstenite::accept_hdr(
        stream,
        |request: &tungstenite::handshake::server::Request, response| {
            jetstream = request.uri().path() == "/subscribe";
            let params: Vec<(&str, &str)> = request
                .uri()
                .query()
                .unwrap_or("")
                .split('&')
                .filter_map(|p| p.split_once('='))
                .collect();
            cursor = params
                .iter()
                .find(|(k, _)| *k == "cursor")
                .and_then(|(_, c)| c.parse::<i64>().ok());
            wanted = params
                .iter()
                .filter(|(k, _)| *k == "wantedCollections")
                .map(|(_, c)| (*c).to_owned())
                .collect();
            compress = params.contains(&("compress", "true"))
                || request
                    .headers()
                    .get("socket-encoding")
                    .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"zstd"));
            Ok(response)
        },
    )
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    let (frames, rate, drop_after) = {
        let mut s = state.lock().unwrap();
        s.connections.push(cursor);
        let frames: Vec<(i64, Message)> = if jetstream {
            let asked = |text: &str| {
                let event: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
                event["kind"] != "commit"
                    || event["commit"]["collection"]
                        .as_str()
                        .is_some_and(|c| wanted.iter().any(|w| w == c))
            };
            s.wanted.clone_from(&wanted);
            s.compressed.push(compress);
            let mut packer = match (&s.dictionary, compress) {
                (Some(dictionary), true) => {
                    Some(zstd::bulk::Compressor::with_dictionary(3, dictionary).unwrap())
                }
                _ => None,
            };
            s.events
                .iter()
                .filter(|(time, text)| cursor.is_none_or(|c| *time >= c) && asked(text))
                .map(|(time, text)| match &mut packer {
                    Some(packer) => {
                        let mut frame = packer.compress(text.as_bytes()).unwrap();
                        if s.damaged == Some(*time) {
                            frame.truncate(frame.len() / 2);
                        }
                        (*time, Message::Binary(frame.into()))
                    }
                    None => (*time, Message::Text(text.clone().into())),
                })
                .collect()
        } else {
            s.frames
                .iter()
                .filter(|(seq, _)| cursor.is_none_or(|c| *seq > c))
                .map(|(seq, frame)| (*seq, Message::Binary(frame.clone().into())))
                .collect()
        };
        (frames, s.rate, s.drop_after.take())
    };
    let started = Instant::now();
    for (i, (seq, frame)) in frames.into_iter().enumerate() {
        if drop_after == Some(i) || stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        if let Some(rate) = rate {
            let due = started + Duration::from_secs_f64(i as f64 / rate);
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
        }
        if socket.send(frame).is_err() {
            return Ok(());
        }
        state.lock().unwrap().sent.insert(seq, Instant::now());
    }
    socket.get_ref().set_read_timeout(Some(Duration::from_millis(200)))?;
    // Bounded: a replay lasts as long as its test, at most ten minutes.
    while started.elapsed() < Duration::from_secs(600) && !stop.load(Ordering::SeqCst) {
        match socket.read() {
            Ok(Message::Close(_)) | Err(tungstenite::Error::ConnectionClosed) => return Ok(()),
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// A zstd dictionary trained on `samples` (Jetstream events), as Jetstream trained its own on
/// events of the real network.
pub fn train_dictionary(samples: &[String]) -> Vec<u8> {
    zstd::dict::from_samples(samples, 16 << 10).unwrap()
}

/// `n` Jetstream commit events of the shapes its documentation gives (likes, follows and posts of
/// made-up accounts), to train a dictionary on.
pub fn sample_events(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let (did, subject) = (format!("did:plc:sample{i:019}"), format!("did:plc:other{:019}", i * 7 % n));
            let (collection, record) = match i % 3 {
                0 => ("app.bsky.feed.like", json!({"$type": "app.bsky.feed.like", "createdAt": "2025-05-01T10:00:00Z",
                    "subject": {"cid": format!("bafyrei{i:052}"), "uri": format!("at://{subject}/app.bsky.feed.post/3l{i:011}")}})),
                1 => ("app.bsky.graph.follow", json!({"$type": "app.bsky.graph.follow", "createdAt": "2025-05-01T10:00:00Z", "subject": subject})),
                _ => ("app.bsky.feed.post", json!({"$type": "app.bsky.feed.post", "createdAt": "2025-05-01T10:00:00Z",
                    "langs": ["en"], "text": format!("sample post number {i} about gardens and seeds")})),
            };
            json!({"did": did, "time_us": 1_725_000_000_000_000_i64 + i as i64, "kind": "commit",
                "commit": {"rev": format!("3l{i:011}"), "operation": "create", "collection": collection,
                "rkey": format!("3k{i:011}"), "record": record, "cid": format!("bafyrei{i:052}")}})
            .to_string()
        })
        .collect()
}
