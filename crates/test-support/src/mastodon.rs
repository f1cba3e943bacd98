//! A stand-in for a Mastodon server on loopback: no Mastodon can be installed on these machines,
//! so this serves the REST API's documented shapes (entities written from the documentation's
//! field lists, not copied from it) for the endpoints sync calls, with what makes a real server
//! hard: `Link` pagination by `max_id` and `min_id`, `X-RateLimit-*` headers, and faults on
//! demand (a 429, a 503, an expired token, a cursor that repeats, a body too large, malformed
//! JSON), plus OAuth with PKCE S256 checked as the server would, and the streaming API's user
//! stream (`/api/v1/streaming/user`, server-sent events with `:thump` heartbeats) that can be
//! switched off or made to drop after a number of events.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// A fault the next matching request meets.
#[derive(Clone, Debug)]
pub enum Fault {
    /// 429 Too Many Requests with `Retry-After: 1`.
    TooMany,
    /// 503 Service Unavailable.
    Unavailable,
    /// A `Content-Length` of 1 GiB, and no body.
    Huge,
    /// A body cut in the middle of the JSON.
    Malformed,
}

/// What the stand-in serves; tests fill it before and between syncs.
#[derive(Default)]
pub struct State {
    /// The host (`127.0.0.1:port`) that actor and status URIs are on.
    pub host: String,
    /// Accounts by local id.
    pub accounts: BTreeMap<u64, Value>,
    /// The token the connected user holds.
    pub token: String,
    /// True once the token has expired: every authenticated call gets 401.
    pub expired: bool,
    /// The scopes the user approved (space-separated, as the authorization page asked them).
    pub scopes: String,
    /// The own account's statuses, by id.
    pub statuses: BTreeMap<u64, Value>,
    /// Every status known by id (own and others'), for `GET /api/v1/statuses/:id`.
    pub all_statuses: HashMap<u64, Value>,
    /// Favourites by favourite id (their pagination ids are not the statuses' ids).
    pub favourites: BTreeMap<u64, Value>,
    /// Notifications by id.
    pub notifications: BTreeMap<u64, Value>,
    /// Conversations by id.
    pub conversations: BTreeMap<u64, Value>,
    /// Follow edges (follower, followed) by relationship id.
    pub follows: BTreeMap<u64, (u64, u64)>,
    /// Accounts the connected user blocks, by block id.
    pub blocks: BTreeMap<u64, Value>,
    /// Accounts the connected user mutes, by mute id.
    pub mutes: BTreeMap<u64, Value>,
    /// Faults for the next requests whose path (with its query) starts with the given prefix.
    pub faults: VecDeque<(String, Fault)>,
    /// When set, `Link` headers hand out this same cursor forever.
    pub lying_cursor: Option<String>,
    /// The delay before each answer, standing for network latency.
    pub latency: Duration,
    /// Every request's method and path with query, in order.
    pub log: Vec<String>,
    /// Requests left in the rate-limit window.
    pub remaining: u32,
    /// Events waiting for the user stream: `(event, payload)`, such as `("notification", {..})`.
    pub streamed: VecDeque<(String, Value)>,
    /// When true the streaming API answers 503, as a server whose streaming service is down.
    pub stream_off: bool,
    /// When set, the stream drops its connection after sending this many more events.
    pub stream_drops_after: Option<usize>,
    /// How many times the user stream was opened.
    pub stream_opened: usize,
    /// When true the server predates grouped notifications (Mastodon before 4.3):
    /// `/api/v2/notifications` answers 404.
    pub v1_only: bool,
    /// When true the server takes only the out-of-band redirect when an app registers, as an
    /// instance that refuses a loopback address would.
    pub oob_only: bool,
    /// The PKCE challenge and redirect URI of each authorization code.
    codes: HashMap<String, (String, String)>,
    next_id: u64,
}

impl State {
    /// A fresh id, increasing like Mastodon's.
    pub fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Adds an account `username` on `domain` (`None`: this server) and returns its local id.
    pub fn account(&mut self, username: &str, domain: Option<&str>, name: &str) -> u64 {
        let id = self.id();
        let host = domain.unwrap_or(&self.host).to_owned();
        let acct = match domain {
            Some(d) => format!("{username}@{d}"),
            None => username.to_owned(),
        };
        // The fields of the documentation's Account entity that matter here, and a few more.
        let account = json!({
            "id": id.to_string(), "username": username, "acct": acct, "display_name": name,
            "locked": false, "bot": false, "discoverable": true, "group": false,
            "created_at": "2022-01-01T00:00:00.000Z", "note": "<p></p>",
            "url": format!("https://{host}/@{username}"), "uri": format!("https://{host}/users/{username}"),
            "avatar": "", "avatar_static": "", "header": "", "header_static": "",
            "followers_count": 0, "following_count": 0, "statuses_count": 0,
            "last_status_at": null, "emojis": [], "fields": []
        });
        self.accounts.insert(id, account);
        id
    }

    /// A status by `author` (a local account id), optionally replying to `reply_to` (a status id)
    /// and mentioning `mentions` (account ids), with `visibility`.
    pub fn status(
        &mut self,
        author: u64,
        text: &str,
        reply_to: Option<u64>,
        mentions: &[u64],
        visibility: &str,
        at: &str,
    ) -> u64 {
        let id = self.id();
        let account = self.accounts[&author].clone();
        let uri = format!("{}/statuses/{id}", account["uri"].as_str().unwrap());
        let mentions: Vec<Value> = mentions
            .iter()
            .map(|m| {
                let a = &self.accounts[m];
                json!({"id": a["id"], "username": a["username"], "acct": a["acct"], "url": a["url"]})
            })
            .collect();
        let parent = reply_to.map(|r| self.all_statuses[&r].clone());
        let status = json!({
            "id": id.to_string(), "uri": uri, "url": format!("{}/{id}", account["url"].as_str().unwrap()),
            "created_at": at, "account": account, "content": format!("<p>{}</p>", html_escape(text)),
            "visibility": visibility, "sensitive": false, "spoiler_text": "",
            "media_attachments": [], "application": null, "mentions": mentions,
            "tags": [], "emojis": [], "reblogs_count": 0, "favourites_count": 0, "replies_count": 0,
            "in_reply_to_id": parent.as_ref().map(|p| p["id"].clone()),
            "in_reply_to_account_id": parent.as_ref().map(|p| p["account"]["id"].clone()),
            "reblog": null, "poll": null, "card": null, "language": "en", "text": null,
            "edited_at": null
        });
        self.all_statuses.insert(id, status);
        id
    }

    /// A boost by `author` of the status `of`.
    pub fn boost(&mut self, author: u64, of: u64, at: &str) -> u64 {
        let id = self.id();
        let account = self.accounts[&author].clone();
        let original = self.all_statuses[&of].clone();
        let status = json!({
            "id": id.to_string(), "uri": format!("{}/statuses/{id}/activity", account["uri"].as_str().unwrap()),
            "created_at": at, "account": account, "content": "", "visibility": "public",
            "spoiler_text": "", "mentions": [], "tags": [], "reblog": original,
            "in_reply_to_id": null, "in_reply_to_account_id": null
        });
        self.all_statuses.insert(id, status);
        id
    }

    /// Puts a status on the own account's timeline.
    pub fn own(&mut self, status: u64) {
        let value = self.all_statuses[&status].clone();
        self.statuses.insert(status, value);
    }

    /// Makes the own account favourite `status`.
    pub fn favourite(&mut self, status: u64) {
        let id = self.id();
        let value = self.all_statuses[&status].clone();
        self.favourites.insert(id, value);
    }

    /// The scenario's bo asks "me" a question in a public mention, notified: what a test of an
    /// answer sent back needs. Returns the status id.
    pub fn bo_asks_about_the_compost_bin(&mut self) -> u64 {
        let bo = self.accounts.iter().find(|(_, a)| a["username"] == "bo").map(|(id, _)| *id);
        let bo = bo.expect("the scenario's bo: call StandIn::scenario first");
        let at = "2025-03-05T09:00:00.000Z";
        let id =
            self.status(bo, "@me does the compost bin come in green?", None, &[1], "public", at);
        self.notify("mention", bo, Some(id), at);
        id
    }

    /// A notification of `kind` from `from` about `status`.
    pub fn notify(&mut self, kind: &str, from: u64, status: Option<u64>, at: &str) -> u64 {
        let id = self.id();
        let notification = json!({
            "id": id.to_string(), "type": kind, "created_at": at,
            "account": self.accounts[&from], "status": status.map(|s| self.all_statuses[&s].clone()),
            // As Mastodon groups them: favourites and boosts of one status, and follows.
            "group_key": match (kind, status) {
                ("favourite" | "reblog", Some(s)) => format!("{kind}-{s}"),
                ("follow", _) => "follow".to_owned(),
                _ => format!("ungrouped-{id}"),
            }
        });
        self.notifications.insert(id, notification);
        id
    }

    /// A notification, as [`State::notify`], that the user stream also delivers as it happens.
    pub fn notify_live(&mut self, kind: &str, from: u64, status: Option<u64>, at: &str) -> u64 {
        let id = self.notify(kind, from, status, at);
        let payload = self.notifications[&id].clone();
        self.streamed.push_back(("notification".into(), payload));
        id
    }

    /// Deletes `status` as its author would: it leaves the timelines, and the notifications about
    /// it go too, as Mastodon removes them.
    pub fn delete(&mut self, status: u64) {
        self.all_statuses.remove(&status);
        self.statuses.remove(&status);
        let id = status.to_string();
        self.favourites.retain(|_, v| v["id"] != id.as_str());
        self.notifications.retain(|_, n| n["status"]["id"] != id.as_str());
    }

    /// [`State::delete`], and the user stream says `delete` with the status's local id.
    pub fn delete_live(&mut self, status: u64) {
        self.delete(status);
        self.streamed.push_back(("delete".into(), Value::String(status.to_string())));
    }

    /// The own account takes back its favourite of `status`.
    pub fn unfavourite(&mut self, status: u64) {
        let id = status.to_string();
        self.favourites.retain(|_, v| v["id"] != id.as_str());
    }

    /// `follower` no longer follows `followed`.
    pub fn unfollow(&mut self, follower: u64, followed: u64) {
        self.follows.retain(|_, edge| *edge != (follower, followed));
    }

    /// A conversation whose last status is `status`, between the own account and `with`.
    pub fn conversation(&mut self, with: u64, status: u64) {
        let id = self.id();
        let value = json!({"id": id.to_string(), "unread": false, "accounts": [self.accounts[&with]],
            "last_status": self.all_statuses[&status]});
        self.conversations.insert(id, value);
    }

    /// `follower` follows `followed`.
    pub fn follow(&mut self, follower: u64, followed: u64) {
        let id = self.id();
        self.follows.insert(id, (follower, followed));
    }
}

/// The stand-in server; dropping it stops it.
pub struct StandIn {
    /// `http://127.0.0.1:port`.
    pub url: String,
    /// What it serves.
    pub state: Arc<Mutex<State>>,
    /// The local id of the account that connects.
    pub me: u64,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StandIn {
    /// Starts a stand-in on a free loopback port with one local account, `me`, whose token is
    /// handed out by OAuth.
    pub fn start() -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut state = State { host: addr.to_string(), remaining: 300, ..State::default() };
        state.token = "stand-in-token-7f3a".into();
        let me = state.account("me", None, "Me Myself");
        let state = Arc::new(Mutex::new(state));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopping) = (Arc::clone(&state), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = serve(stream, &state);
                });
            }
        });
        StandIn { url: format!("http://{addr}"), state, me, stop, thread: Some(thread) }
    }

    /// What the user does in the browser: approves the authorization page at `url` and reads
    /// the code it shows. The page's PKCE challenge and redirect are kept to check the token
    /// request.
    pub fn approve(&self, url: &str) -> String {
        self.approval(url).0
    }

    /// What the authorization page at `url` does once the user approves it with a redirect other
    /// than out of band: sends the browser to the redirect URI with the code and the request's
    /// `state`, as Mastodon does. Returns that address.
    pub fn approve_and_redirect(&self, url: &str) -> String {
        let (code, redirect, state) = self.approval(url);
        format!("{redirect}?code={code}&state={state}")
    }

    /// The code an approval of `url` gives, with the request's redirect URI and (encoded) state.
    fn approval(&self, url: &str) -> (String, String, String) {
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let param = |k: &str| {
            query.split('&').find_map(|p| p.strip_prefix(&format!("{k}="))).unwrap_or("").to_owned()
        };
        assert_eq!(param("code_challenge_method"), "S256", "{url}");
        assert_eq!(param("response_type"), "code");
        let mut state = self.state.lock().unwrap();
        state.scopes = decode(&param("scope"));
        let code = format!("code-{}", state.id());
        let redirect = decode(&param("redirect_uri"));
        state.codes.insert(code.clone(), (param("code_challenge"), redirect.clone()));
        (code, redirect, param("state"))
    }

    /// A small account: bo (remote) replies to me and mentions me, cy favourites and boosts my post,
    /// dee follows me, I reply to bo, favourite bo's post, boost it, DM bo, and follow bo and cy; bo
    /// follows dee (the circle's graph); I block spam and mute loud.
    pub fn scenario(&self) {
        self.with(|s| {
            let me = 1;
            let bo = s.account("bo", Some("far.example"), "Bo");
            let cy = s.account("cy", None, "Cy");
            let dee = s.account("dee", Some("near.example"), "Dee");
            let mine = s.status(
                me,
                "compost tips #garden",
                None,
                &[],
                "public",
                "2025-03-01T10:00:00.000Z",
            );
            s.own(mine);
            let reply = s.status(
                bo,
                "@me thanks!",
                Some(mine),
                &[me],
                "public",
                "2025-03-01T11:00:00.000Z",
            );
            s.notify("mention", bo, Some(reply), "2025-03-01T11:00:00.000Z");
            let shout =
                s.status(bo, "hello @me", None, &[me], "public", "2025-03-02T09:00:00.000Z");
            s.notify("mention", bo, Some(shout), "2025-03-02T09:00:00.000Z");
            s.notify("favourite", cy, Some(mine), "2025-03-01T12:00:00.000Z");
            s.notify("reblog", cy, Some(mine), "2025-03-01T12:30:00.000Z");
            s.notify("follow", dee, None, "2025-03-01T13:00:00.000Z");
            s.notify("poll", bo, Some(shout), "2025-03-03T09:00:00.000Z");
            let answer = s.status(
                me,
                "@bo you're welcome",
                Some(reply),
                &[bo],
                "public",
                "2025-03-01T14:00:00.000Z",
            );
            s.own(answer);
            let boost = s.boost(me, shout, "2025-03-02T10:00:00.000Z");
            s.own(boost);
            let dm = s.status(
                me,
                "@bo a private word",
                None,
                &[bo],
                "direct",
                "2025-03-02T11:00:00.000Z",
            );
            s.own(dm);
            s.conversation(bo, dm);
            s.favourite(shout);
            s.follow(dee, me);
            s.follow(me, bo);
            s.follow(me, cy);
            s.follow(bo, dee);
            // Last, so that the ids above stay what tests rely on.
            let spam = s.account("spam", Some("junk.example"), "Free Followers");
            let block = s.id();
            s.blocks.insert(block, s.accounts[&spam].clone());
            let loud = s.account("loud", Some("near.example"), "Loud");
            let mute = s.id();
            s.mutes.insert(mute, s.accounts[&loud].clone());
        });
    }

    /// Adds `n` statuses of mine, each favourited by a new remote account: a long sync for tests
    /// that stop one half-way.
    pub fn busy(&self, n: usize) {
        self.with(|s| {
            for i in 0..n {
                let fan = s.account(&format!("fan{i}"), Some("fans.example"), &format!("Fan {i}"));
                let at = format!("2025-04-01T{:02}:{:02}:00.000Z", i / 60 % 24, i % 60);
                let post = s.status(1, &format!("post {i}"), None, &[], "public", &at);
                s.own(post);
                s.notify("favourite", fan, Some(post), &at);
            }
        });
    }

    /// Locks the state, to change what is served.
    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// One answer.
struct Answer {
    status: u16,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
}

fn answer(status: u16, body: &Value) -> Answer {
    Answer { status, body: body.to_string().into_bytes(), headers: Vec::new() }
}

fn serve(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = Vec::new();
    // The request head, up to its blank line, bounded.
    while !head.ends_with(b"\r\n\r\n") && head.len() < 65_536 {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        head.extend(line);
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    if !matches!(request.parse(&head), Ok(httparse::Status::Complete(_))) {
        return Ok(());
    }
    let method = request.method.unwrap_or("").to_owned();
    let target = request.path.unwrap_or("").to_owned();
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    let auth = header("authorization");
    let length: usize = header("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let latency = state.lock().unwrap().latency;
    std::thread::sleep(latency);
    if target.starts_with("/api/v1/streaming/user") {
        return stream_user(stream, state, auth.as_deref());
    }
    let (answer, fault) = {
        let mut s = state.lock().unwrap();
        s.log.push(format!("{method} {target}"));
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let query = parse_query(query);
        let fault = s
            .faults
            .iter()
            .position(|(p, _)| target.starts_with(p.as_str()))
            .and_then(|i| s.faults.remove(i))
            .map(|(_, f)| f);
        let answer = match &fault {
            Some(Fault::TooMany) => {
                let mut a = answer(429, &json!({"error": "Too many requests"}));
                a.headers.push(("Retry-After".into(), "1".into()));
                a
            }
            Some(Fault::Unavailable) => answer(503, &json!({"error": "Service unavailable"})),
            _ => route(&mut s, &method, path, &query, auth.as_deref(), &body),
        };
        (answer, fault)
    };
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-type: application/json; charset=utf-8\r\nconnection: close\r\n",
        answer.status
    );
    let remaining = {
        let mut s = state.lock().unwrap();
        s.remaining = s.remaining.saturating_sub(1).max(1);
        s.remaining
    };
    head.push_str(&format!("x-ratelimit-limit: 300\r\nx-ratelimit-remaining: {remaining}\r\nx-ratelimit-reset: 2099-01-01T00:00:00.000Z\r\n"));
    for (k, v) in &answer.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    match fault {
        Some(Fault::Huge) => {
            head.push_str("content-length: 1073741824\r\n\r\n");
            out.write_all(head.as_bytes())?;
        }
        Some(Fault::Malformed) => {
            let cut = &answer.body[..answer.body.len() / 2];
            head.push_str(&format!("content-length: {}\r\n\r\n", cut.len()));
            out.write_all(head.as_bytes())?;
            out.write_all(cut)?;
        }
        _ => {
            head.push_str(&format!("content-length: {}\r\n\r\n", answer.body.len()));
            out.write_all(head.as_bytes())?;
            out.write_all(&answer.body)?;
        }
    }
    out.flush()
}

/// The user stream: server-sent events from [`State::streamed`] as they are queued, a `:thump`
/// comment every second, until the stand-in stops, the client leaves, or a drop is due.
fn stream_user(
    mut out: TcpStream,
    state: &Mutex<State>,
    auth: Option<&str>,
) -> std::io::Result<()> {
    let refusal = {
        let mut s = state.lock().unwrap();
        s.log.push("GET /api/v1/streaming/user".into());
        if s.expired || auth != Some(&format!("Bearer {}", s.token)) {
            Some((401, r#"{"error":"The access token is invalid"}"#))
        } else if s.stream_off {
            Some((503, r#"{"error":"Streaming is unavailable"}"#))
        } else {
            s.stream_opened += 1;
            None
        }
    };
    if let Some((status, body)) = refusal {
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        out.write_all(head.as_bytes())?;
        out.write_all(body.as_bytes())?;
        return out.flush();
    }
    out.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-store\r\nconnection: close\r\n\r\n")?;
    out.write_all(b":)\n")?;
    out.flush()?;
    let mut beat = std::time::Instant::now();
    // Bounded: a test's stream lasts as long as its stand-in, at most ten minutes.
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(600) {
        let next = {
            let mut s = state.lock().unwrap();
            if s.stream_drops_after == Some(0) {
                s.stream_drops_after = None;
                return Ok(());
            }
            let next = s.streamed.pop_front();
            if next.is_some()
                && let Some(n) = s.stream_drops_after.as_mut()
            {
                *n -= 1;
            }
            next
        };
        match next {
            Some((event, payload)) => {
                // A `delete` carries the bare id, not JSON.
                let data = match &payload {
                    Value::String(bare) => bare.clone(),
                    other => other.to_string(),
                };
                out.write_all(format!("event: {event}\ndata: {data}\n\n").as_bytes())?;
                out.flush()?;
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
        if beat.elapsed() >= Duration::from_secs(1) {
            out.write_all(b":thump\n")?;
            out.flush()?;
            beat = std::time::Instant::now();
        }
    }
    Ok(())
}

/// The query's parameters; the values of a repeated key (`id[]=1&id[]=2`) joined by commas.
fn parse_query(query: &str) -> HashMap<String, String> {
    let mut params: HashMap<String, String> = HashMap::new();
    for (k, v) in query.split('&').filter_map(|p| p.split_once('=')) {
        params
            .entry(decode(k))
            .and_modify(|joined| {
                joined.push(',');
                joined.push_str(&decode(v));
            })
            .or_insert_with(|| decode(v));
    }
    params
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn route(
    s: &mut State,
    method: &str,
    path: &str,
    query: &HashMap<String, String>,
    auth: Option<&str>,
    body: &[u8],
) -> Answer {
    match (method, path) {
        ("POST", "/api/v1/apps") => {
            let form = parse_query(&String::from_utf8_lossy(body));
            let redirect = form.get("redirect_uris").cloned().unwrap_or_default();
            let oob = redirect == "urn:ietf:wg:oauth:2.0:oob";
            let absolute = redirect.starts_with("http://") || redirect.starts_with("https://");
            if !(oob || absolute && !s.oob_only) {
                return answer(
                    422,
                    &json!({"error": "Validation failed: Redirect URI must be an absolute URI."}),
                );
            }
            answer(
                200,
                &json!({"id": "1", "name": form.get("client_name"), "website": form.get("website"),
                "redirect_uri": redirect, "redirect_uris": [redirect], "client_id": "stand-in-client", "client_secret": "stand-in-secret",
                "vapid_key": ""}),
            )
        }
        ("POST", "/oauth/token") => {
            let form = parse_query(&String::from_utf8_lossy(body));
            let code = form.get("code").cloned().unwrap_or_default();
            let verifier = form.get("code_verifier").cloned().unwrap_or_default();
            let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            match s.codes.remove(&code) {
                Some((expected, redirect))
                    if expected == challenge
                        && form.get("redirect_uri") == Some(&redirect)
                        && form.get("client_secret").map(String::as_str)
                            == Some("stand-in-secret") =>
                {
                    answer(
                        200,
                        &json!({"access_token": s.token, "token_type": "Bearer", "scope": s.scopes, "created_at": 1_700_000_000}),
                    )
                }
                _ => answer(
                    400,
                    &json!({"error": "invalid_grant", "error_description": "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}),
                ),
            }
        }
        ("GET", _) => {
            if auth != Some(&format!("Bearer {}", s.token)) || s.expired {
                return answer(401, &json!({"error": "The access token is invalid"}));
            }
            get(s, path, query)
        }
        ("POST", "/api/v1/statuses") => {
            if auth != Some(&format!("Bearer {}", s.token)) || s.expired {
                return answer(401, &json!({"error": "The access token is invalid"}));
            }
            let writes = s.scopes.split(' ').any(|w| w == "write" || w == "write:statuses");
            if !writes {
                return answer(
                    403,
                    &json!({"error": "This action is outside the authorized scopes"}),
                );
            }
            post_status(s, body)
        }
        _ => answer(404, &json!({"error": "Record not found"})),
    }
}

fn get(s: &State, path: &str, query: &HashMap<String, String>) -> Answer {
    let me = s
        .accounts
        .values()
        .find(|a| a["username"] == "me" && a["acct"] == "me")
        .cloned()
        .unwrap_or(Value::Null);
    let me_id: u64 = me["id"].as_str().and_then(|i| i.parse().ok()).unwrap_or(0);
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["api", "v1", "accounts", "verify_credentials"] => answer(200, &me),
        ["api", "v1", "accounts", "lookup"] => {
            let acct = query.get("acct").cloned().unwrap_or_default();
            let local = acct.strip_suffix(&format!("@{}", s.host)).unwrap_or(&acct).to_owned();
            match s.accounts.values().find(|a| a["acct"] == local.as_str()) {
                Some(a) => answer(200, a),
                None => answer(404, &json!({"error": "Record not found"})),
            }
        }
        ["api", "v1", "accounts", id, "statuses"] if id.parse() == Ok(me_id) => {
            page(s, path, query, &s.statuses)
        }
        ["api", "v1", "accounts", id, which @ ("followers" | "following")] => {
            let Ok(id) = id.parse::<u64>() else {
                return answer(404, &json!({"error": "Record not found"}));
            };
            let items: BTreeMap<u64, &Value> = s
                .follows
                .iter()
                .filter(|(_, (a, b))| if *which == "followers" { *b == id } else { *a == id })
                .map(|(k, (a, b))| (*k, &s.accounts[if *which == "followers" { a } else { b }]))
                .collect();
            page(s, path, query, &items)
        }
        ["api", "v2", "search"] => search(s, query),
        ["api", "v1", "accounts", "relationships"] => {
            let ids = query.get("id[]").map(String::as_str).unwrap_or("");
            let listed =
                |list: &BTreeMap<u64, Value>, id: &str| list.values().any(|a| a["id"] == id);
            let relationships: Vec<Value> = ids
                .split(',')
                .filter_map(|id| id.parse::<u64>().ok())
                .filter(|id| s.accounts.contains_key(id))
                .map(|id| {
                    let follows = |a: u64, b: u64| s.follows.values().any(|f| *f == (a, b));
                    let key = id.to_string();
                    json!({
                        "id": key, "following": follows(me_id, id), "showing_reblogs": true,
                        "notifying": false, "languages": null, "followed_by": follows(id, me_id),
                        "blocking": listed(&s.blocks, &key), "blocked_by": false,
                        "muting": listed(&s.mutes, &key), "muting_notifications": false,
                        "requested": false, "requested_by": false, "domain_blocking": false,
                        "endorsed": false, "note": ""
                    })
                })
                .collect();
            answer(200, &json!(relationships))
        }
        ["api", "v1", "favourites"] => page(s, path, query, &s.favourites),
        ["api", "v1", "notifications"] => page(s, path, query, &s.notifications),
        ["api", "v2", "notifications"] if !s.v1_only => grouped(s, path, query),
        ["api", "v2", "notifications", key, "accounts"] if !s.v1_only => {
            // The account of each notification of the group, paged by notification id as
            // Mastodon pages it.
            let accounts: BTreeMap<u64, &Value> = s
                .notifications
                .iter()
                .filter(|(_, n)| n["group_key"] == *key)
                .map(|(id, n)| (*id, &n["account"]))
                .collect();
            page(s, path, query, &accounts)
        }
        ["api", "v1", "conversations"] => page(s, path, query, &s.conversations),
        ["api", "v1", "blocks"] => page(s, path, query, &s.blocks),
        ["api", "v1", "mutes"] => page(s, path, query, &s.mutes),
        ["api", "v1", "statuses", id] => {
            match id.parse().ok().and_then(|i: u64| s.all_statuses.get(&i)) {
                Some(status) => answer(200, status),
                None => answer(404, &json!({"error": "Record not found"})),
            }
        }
        _ => answer(404, &json!({"error": "Record not found"})),
    }
}

/// How many accounts a notification group names in `sample_account_ids`, as Mastodon does.
const SAMPLES: usize = 8;

/// `GET /api/v2/notifications`: the page of notifications `page` would give, grouped by
/// `group_key` (newest group first), with each group's accounts and statuses listed once beside
/// the groups, and the same `Link` header.
fn grouped(s: &State, path: &str, query: &HashMap<String, String>) -> Answer {
    let mut flat = page(s, path, query, &s.notifications);
    let items: Vec<Value> = serde_json::from_slice(&flat.body).unwrap_or_default();
    let (mut groups, mut accounts, mut statuses): (Vec<Value>, Vec<Value>, Vec<Value>) =
        (Vec::new(), Vec::new(), Vec::new());
    for n in &items {
        let key = n["group_key"].clone();
        if groups.iter().any(|g| g["group_key"] == key) {
            continue;
        }
        let members: Vec<&Value> =
            s.notifications.values().rev().filter(|m| m["group_key"] == key).collect();
        let in_page: Vec<&Value> = items.iter().filter(|m| m["group_key"] == key).collect();
        let mut samples: Vec<Value> = Vec::new();
        for m in &members {
            if samples.len() < SAMPLES && !samples.contains(&m["account"]["id"]) {
                samples.push(m["account"]["id"].clone());
            }
            if !accounts.iter().any(|a| a["id"] == m["account"]["id"])
                && samples.contains(&m["account"]["id"])
            {
                accounts.push(m["account"].clone());
            }
        }
        if !n["status"].is_null() && !statuses.iter().any(|st| st["id"] == n["status"]["id"]) {
            statuses.push(n["status"].clone());
        }
        groups.push(json!({
            "group_key": key, "notifications_count": members.len(), "type": n["type"],
            "most_recent_notification_id": members[0]["id"],
            "page_min_id": in_page.last().map(|m| m["id"].clone()),
            "page_max_id": in_page.first().map(|m| m["id"].clone()),
            "latest_page_notification_at": in_page.first().map(|m| m["created_at"].clone()),
            "sample_account_ids": samples,
            "status_id": n["status"]["id"].clone(),
        }));
    }
    flat.body = json!({"accounts": accounts, "statuses": statuses, "notification_groups": groups})
        .to_string()
        .into_bytes();
    flat
}

/// `POST /api/v1/statuses` (a JSON body): a status by the connected user, replying to
/// `in_reply_to_id` when given, mentioning the local accounts its text names; 422 as Mastodon
/// answers a missing text or an unknown status.
fn post_status(s: &mut State, body: &[u8]) -> Answer {
    let Ok(form) = serde_json::from_slice::<Value>(body) else {
        return answer(400, &json!({"error": "Invalid JSON"}));
    };
    let text = form["status"].as_str().unwrap_or("").to_owned();
    if text.trim().is_empty() {
        return answer(422, &json!({"error": "Validation failed: Text can't be blank"}));
    }
    let reply_to = match form["in_reply_to_id"].as_str().map(str::parse::<u64>) {
        None => None,
        Some(Ok(id)) if s.all_statuses.contains_key(&id) => Some(id),
        Some(_) => return answer(404, &json!({"error": "Record not found"})),
    };
    let mentions: Vec<u64> = s
        .accounts
        .iter()
        .filter(|(_, a)| text.contains(&format!("@{}", a["acct"].as_str().unwrap_or("\0"))))
        .map(|(id, _)| *id)
        .collect();
    let visibility = form["visibility"].as_str().unwrap_or("public").to_owned();
    let at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let id = s.status(1, &text, reply_to, &mentions, &visibility, &at);
    s.own(id);
    answer(200, &s.all_statuses[&id])
}

/// `GET /api/v2/search?q=URI&resolve=true&type=statuses`: the status with that URI, as the
/// instance knows it.
fn search(s: &State, query: &HashMap<String, String>) -> Answer {
    let q = query.get("q").cloned().unwrap_or_default();
    let statuses: Vec<&Value> =
        s.all_statuses.values().filter(|st| st["uri"] == q.as_str()).collect();
    answer(200, &json!({"accounts": [], "statuses": statuses, "hashtags": []}))
}

/// A page of `items` (keyed by pagination id) as Mastodon pages: newest first; `max_id` for
/// older, `min_id` for the page right after it, `since_id` for the newest after it; `Link` with
/// `next` (older) and `prev` (newer).
fn page<V: std::borrow::Borrow<Value>>(
    s: &State,
    path: &str,
    query: &HashMap<String, String>,
    items: &BTreeMap<u64, V>,
) -> Answer {
    let limit: usize = query.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20).min(80);
    let num = |k: &str| query.get(k).and_then(|v| v.parse::<u64>().ok());
    let mut chosen: Vec<(u64, &Value)> = if let Some(min) = num("min_id") {
        items.range(min + 1..).take(limit).map(|(k, v)| (*k, v.borrow())).collect()
    } else {
        let max = num("max_id").unwrap_or(u64::MAX);
        items.range(..max).rev().take(limit).map(|(k, v)| (*k, v.borrow())).collect()
    };
    chosen.sort_by_key(|c| std::cmp::Reverse(c.0));
    let body = Value::Array(chosen.iter().map(|(_, v)| (*v).clone()).collect());
    let mut a = answer(200, &body);
    let base = format!("http://{}{path}", s.host);
    if let (Some(newest), Some(oldest)) = (chosen.first(), chosen.last()) {
        let (next, prev) = match &s.lying_cursor {
            Some(c) => (c.clone(), c.clone()),
            None => (oldest.0.to_string(), newest.0.to_string()),
        };
        a.headers.push((
            "link".into(),
            format!("<{base}?max_id={next}>; rel=\"next\", <{base}?min_id={prev}>; rel=\"prev\""),
        ));
    }
    a
}
