//! `rapport sync --follow` on Bluesky: the PDS's firehose (`com.atproto.sync.subscribeRepos`), a
//! websocket of every commit the server hosts. Each frame is decoded by the repository importer
//! (`rapport_import::bluesky::decode_frame`); the events that concern the account (its own records,
//! and anyone's records that name it) or its circle (the records of the strongest relationships
//! and of whoever it follows) are kept, the rest dropped. Kept events are written in small batches
//! with the frame's sequence number as the cursor, in one transaction; a reconnection starts a few
//! sequence numbers before the cursor, which adds nothing the store has. A silent stream is pinged,
//! then given up and opened again, with a backoff.

use std::cell::RefCell;
use std::collections::HashSet;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use rapport_import::bluesky::{Commit, Frame, FrameError, Mapped, decode_frame};
use rapport_model::{InteractionKind, Network, Record};
use tungstenite::client::IntoClientRequest;
use tungstenite::protocol::WebSocketConfig;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use super::{Run, Session, jetstream};
use crate::http::{Http, Limits};
use crate::live::{Backoff, Batch, Listener, LiveOptions, LiveSummary, pause};
use crate::walk::Phase;
use crate::{Connection, Deletion, Options, PhaseSummary, Quiet, Result, SyncError, Target};

/// The stream's method.
const METHOD: &str = "com.atproto.sync.subscribeRepos";

/// The phase whose cursor is the stream's sequence number.
const PHASE: &str = "firehose";

/// The phase whose cursor is Jetstream's `time_us`.
const JETSTREAM: &str = "jetstream";

/// How long one read of the socket waits, so that a batch is written on time and a stop is heard
/// while the stream is quiet.
const TICK: Duration = Duration::from_millis(20);

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// Follows the account of `session` live until `live` says to stop.
pub(crate) fn follow(
    session: &mut Session,
    target: &mut dyn Target,
    options: &Options,
    live: &LiveOptions,
    listener: &mut dyn Listener,
) -> Result<LiveSummary> {
    let account = format!("bluesky:{}", session.did);
    let did = session.did.clone();
    let service = session.service.clone();
    let circle = target
        .circle(Network::Bluesky, options.circle)
        .map_err(|e| SyncError::Store { phase: "circle".into(), why: e.to_string() })?;
    let mut concerned: HashSet<String> = circle.into_iter().chain([did.clone()]).collect();
    // The circle was named by the sync before; strangers who name the account are looked up.
    let run = Run {
        xrpc: RefCell::new(super::Xrpc { session, http: Http::new(options.limits.clone()) }),
        named: RefCell::new(concerned.clone()),
        threads: RefCell::new(0),
        did: did.clone(),
        options,
    };
    let mut progress = Quiet;
    // Jetstream's cursor is a time, the firehose's a sequence number: each has its phase.
    let (name, rewind) = match &live.jetstream {
        Some(_) => (JETSTREAM, jetstream::REWIND_US),
        None => (PHASE, live.rewind),
    };
    let jetstream = jetstream::Jetstream::of(live, &options.limits)?;
    let mut phase = Phase::new(target, &mut progress, &account, name, METHOD, usize::MAX);
    let mut last: Option<i64> = phase.saved()?.and_then(|c| c.parse().ok());
    let mut summary = LiveSummary::default();
    let mut backoff = Backoff::new(live.max_backoff);
    let mut connected_before = false;
    // A replay also ends at the first frame the server says it emitted after the replay began (to
    // the second): a busy server is never silent, and what follows is the next sync's to read.
    let present = crate::now();
    while !live.done(summary.kept) {
        let from = last.map(|seq| seq.saturating_sub(rewind).max(0));
        // A replay without a cursor reads what the server still holds, from its oldest event.
        let from = if live.quiet.is_some() { Some(from.unwrap_or(0)) } else { from };
        let url = match &jetstream {
            Some(jetstream) => Ok(jetstream.url(from)),
            None => firehose_url(&service, from),
        };
        let endpoint = jetstream.as_ref().map_or(METHOD, |j| j.endpoint());
        let mut socket = match url.and_then(|url| open(&url, endpoint, &options.limits)) {
            Ok(socket) => socket,
            Err(e) if live.quiet.is_some() => {
                summary.gave_up = Some(e.to_string());
                break;
            }
            Err(e) => {
                let wait = backoff.next();
                listener.retrying(&e.to_string(), wait);
                if pause(wait, live, summary.kept) {
                    continue;
                }
                break;
            }
        };
        summary.reconnects += u64::from(connected_before);
        connected_before = true;
        if from.is_none() {
            // Without a cursor the stream starts at its live end: what happened since the last
            // sync is read once more from the lists (the socket keeps the frames meanwhile), so
            // nothing falls between the two; what comes both ways is stored once.
            let before = run.xrpc.borrow().session.refresh.clone();
            let caught = catch_up(&run, &mut *phase.target, &account);
            let xrpc = run.xrpc.borrow();
            if xrpc.session.refresh != before {
                listener.rotated(&Connection::Bluesky(xrpc.session.clone()));
            }
            drop(xrpc);
            match caught {
                Ok((items, new)) if items > 0 => {
                    summary.new += new;
                    listener.stored(0, new);
                }
                Ok(_) => {}
                Err(e @ SyncError::Unauthorized { .. }) => return Err(e),
                Err(e) => {
                    let wait = backoff.next();
                    listener.retrying(&e.to_string(), wait);
                    if pause(wait, live, summary.kept) {
                        continue;
                    }
                    break;
                }
            }
        }
        let how = match &live.jetstream {
            Some(base) => format!("Jetstream {base} from {} µs", from.unwrap_or(-1)),
            None => format!("{service} {METHOD} from seq {}", from.unwrap_or(-1)),
        };
        listener.connected(&how);
        let mut tail = Tail {
            run: &run,
            phase: &mut phase,
            concerned: &mut concerned,
            listener,
            summary: &mut summary,
            last: &mut last,
            live,
            jetstream: jetstream.as_ref(),
            present,
        };
        let dropped = tail.read(&mut socket, &mut backoff)?;
        let _ = socket.close(None);
        match dropped {
            None => break,
            Some(why) if live.quiet.is_some() => {
                summary.gave_up = Some(why);
                break;
            }
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

/// How long the stream must be silent for a replay to end: the server sends what it holds as fast
/// as it can, so a pause this long means the replay has reached the present.
const QUIET: Duration = Duration::from_secs(2);

/// The longest a replay reads: a server whose frames never reach the present (a clock far behind,
/// or one that lies) cannot keep a plain sync going; the cursor saved so far stands.
const REPLAY_MAX: Duration = Duration::from_secs(300);

/// What happened since the stream's saved cursor (or all the server still holds), read to its
/// present end and stored as `--follow` stores it: the one way a plain sync sees deletions (an
/// unlike, an unfollow, a deleted reply), which no list shows. The cursor is then where the next
/// sync, or `--follow`, goes on from. A stream that cannot be read leaves the phase with the
/// reason among its skipped items, and the rest of the sync stands.
pub(crate) fn replay(
    session: &mut Session,
    target: &mut dyn Target,
    options: &Options,
) -> Result<PhaseSummary> {
    let live = LiveOptions {
        quiet: Some(QUIET),
        rewind: 0,
        until: Some(Instant::now() + REPLAY_MAX),
        ..LiveOptions::default()
    };
    let mut done = follow(session, target, options, &live, &mut Unheard)?;
    if done.gave_up.is_none() && live.done(0) {
        done.gave_up = Some(format!(
            "the stream had not reached the present after {} minutes",
            REPLAY_MAX.as_secs() / 60
        ));
    }
    let mut phase = PhaseSummary::new(PHASE);
    (phase.read, phase.new, phase.deleted) = (done.seen, done.new, done.deleted);
    if let Some(why) = done.gave_up {
        phase.skip(format!(
            "{METHOD} could not be read to its end ({why}); deletions since the last sync wait for the next"
        ));
    }
    Ok(phase)
}

/// A replay's listener: a plain sync prints its summary at the end, and the caller saves tokens
/// the server rotated, which the session holds.
struct Unheard;

impl Listener for Unheard {
    fn connected(&mut self, _: &str) {}
    fn stored(&mut self, _: usize, _: u64) {}
    fn retrying(&mut self, _: &str, _: Duration) {}
    fn rotated(&mut self, _: &Connection) {}
}

/// Reads the recent phases (the own records and the notifications) as a round of sync does;
/// returns the items read and the records new.
fn catch_up(run: &Run<'_, '_>, target: &mut dyn Target, account: &str) -> Result<(u64, u64)> {
    let mut phases = Vec::new();
    for collection in super::COLLECTIONS {
        phases.push(run.repo(target, &mut Quiet, account, collection)?);
    }
    phases.push(run.notifications(target, &mut Quiet, account)?);
    Ok(phases.iter().fold((0, 0), |(read, new), p| (read + p.read, new + p.new)))
}

/// The firehose's address on `service` from `cursor` (the live end without one).
fn firehose_url(service: &str, cursor: Option<i64>) -> Result<String> {
    let base = if let Some(rest) = service.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = service.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        return Err(SyncError::Input(format!("the service '{service}' is not an http(s) address")));
    };
    let mut url = format!("{base}/xrpc/{METHOD}");
    if let Some(cursor) = cursor {
        url.push_str(&format!("?cursor={cursor}"));
    }
    Ok(url)
}

/// Opens the stream at `url` (of `endpoint`, which errors name), with the connect timeout of
/// `limits`, frames no larger than its body limit, and reads that return every [`TICK`].
fn open(url: &str, endpoint: &str, limits: &Limits) -> Result<Socket> {
    let network = |why: String| SyncError::Network { endpoint: endpoint.to_owned(), why };
    let request = url.into_client_request().map_err(|e| network(e.to_string()))?;
    let host = request.uri().host().unwrap_or_default().to_owned();
    let port = request.uri().port_u16().unwrap_or(if url.starts_with("wss") { 443 } else { 80 });
    let addresses =
        (host.as_str(), port).to_socket_addrs().map_err(|e| network(format!("{host}: {e}")))?;
    let stream = addresses
        .into_iter()
        .find_map(|a| TcpStream::connect_timeout(&a, limits.connect).ok())
        .ok_or_else(|| network(format!("could not connect to {host}:{port}")))?;
    let handle = stream.try_clone().map_err(|e| network(e.to_string()))?;
    let io = |e: std::io::Error| network(e.to_string());
    handle.set_read_timeout(Some(limits.read)).map_err(io)?;
    handle.set_write_timeout(Some(limits.read)).map_err(io)?;
    let size = usize::try_from(limits.max_body).unwrap_or(usize::MAX);
    let config = WebSocketConfig::default().max_message_size(Some(size)).max_frame_size(Some(size));
    let (socket, _) = tungstenite::client_tls_with_config(request, stream, Some(config), None)
        .map_err(|e| network(format!("the websocket handshake failed ({e})")))?;
    handle.set_read_timeout(Some(TICK)).map_err(io)?;
    Ok(socket)
}

/// One connection's reading: frames to batches.
struct Tail<'t, 'p, 's, 'o> {
    run: &'t Run<'s, 'o>,
    phase: &'t mut Phase<'p>,
    concerned: &'t mut HashSet<String>,
    listener: &'t mut dyn Listener,
    summary: &'t mut LiveSummary,
    last: &'t mut Option<i64>,
    live: &'t LiveOptions,
    /// The Jetstream followed, if not the firehose: it reads binary messages its own way.
    jetstream: Option<&'t jetstream::Jetstream>,
    /// When a replay began: frames the server emitted after it are the present, where it ends.
    present: i64,
}

impl Tail<'_, '_, '_, '_> {
    /// Reads frames until the tail must stop (`None`) or the stream drops (`Some(why)`); a
    /// malformed frame is an error, after the frames before it are stored.
    fn read(&mut self, socket: &mut Socket, backoff: &mut Backoff) -> Result<Option<String>> {
        let mut batch = Batch::new();
        let mut heard = Instant::now();
        let mut pings = 0u32;
        loop {
            if batch.due(self.live) {
                batch.write(self.phase, self.listener, self.summary)?;
            }
            if self.live.done(self.summary.kept) {
                batch.write(self.phase, self.listener, self.summary)?;
                return Ok(None);
            }
            let message = match socket.read() {
                Ok(message) => message,
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if self.live.quiet.is_some_and(|q| heard.elapsed() >= q) {
                        batch.write(self.phase, self.listener, self.summary)?;
                        return Ok(None);
                    }
                    if heard.elapsed() < self.live.idle * (pings + 1) {
                        continue;
                    }
                    if pings >= 3 {
                        batch.write(self.phase, self.listener, self.summary)?;
                        return Ok(Some(format!(
                            "the stream was silent for {} s, even to pings",
                            heard.elapsed().as_secs()
                        )));
                    }
                    pings += 1;
                    // A failed ping shows as a failed read next.
                    let _ = socket.send(Message::Ping(Vec::new().into()));
                    continue;
                }
                Err(e) => {
                    batch.write(self.phase, self.listener, self.summary)?;
                    return Ok(Some(format!("the stream dropped ({e})")));
                }
            };
            heard = Instant::now();
            pings = 0;
            let frame = match message {
                Message::Binary(bytes) => match self.jetstream {
                    // Jetstream's are compressed events.
                    Some(jetstream) => jetstream
                        .binary(&bytes, &self.run.did)
                        .map_err(|why| FrameError { seq: None, why }),
                    None => decode_frame(&bytes, &self.run.did),
                },
                // Jetstream's events are JSON text.
                Message::Text(text) => jetstream::decode(&text, &self.run.did)
                    .map_err(|why| FrameError { seq: None, why }),
                Message::Close(_) => {
                    batch.write(self.phase, self.listener, self.summary)?;
                    return Ok(Some("the server closed the stream".into()));
                }
                // Pings are answered by the socket itself.
                _ => continue,
            };
            backoff.reset();
            self.summary.seen += 1;
            match frame {
                Ok(Frame::Commit(commit)) => {
                    let (seq, time) = (commit.seq, commit.time);
                    let kept = self.keep(commit);
                    if !kept.records.is_empty() || !kept.deleted.is_empty() {
                        batch.add(self.name(kept.records), kept.deleted);
                        self.summary.kept += 1;
                    }
                    batch.carry(kept.carried);
                    batch.advance(seq.to_string());
                    *self.last = Some(seq);
                    if self.live.quiet.is_some() && time.is_some_and(|t| t > self.present) {
                        batch.write(self.phase, self.listener, self.summary)?;
                        return Ok(None);
                    }
                }
                Ok(Frame::Other { seq: Some(seq), .. }) => {
                    batch.advance(seq.to_string());
                    *self.last = Some(seq);
                }
                Ok(Frame::Other { seq: None, .. }) => {}
                Ok(Frame::Error { error, message }) => {
                    batch.write(self.phase, self.listener, self.summary)?;
                    // A cursor ahead of the server (a server started afresh) is dropped.
                    if error == "FutureCursor" {
                        *self.last = None;
                    }
                    return Ok(Some(crate::quote(&format!(
                        "the server ended the stream: {error} {message}"
                    ))));
                }
                Err(e) => {
                    batch.write(self.phase, self.listener, self.summary)?;
                    return Err(SyncError::Frame {
                        endpoint: self.jetstream.map_or(METHOD, |j| j.endpoint()).to_owned(),
                        seq: e.seq,
                        after: *self.last,
                        why: crate::quote(&e.why),
                    });
                }
            }
        }
    }

    /// What of `commit` concerns the account or its circle.
    fn keep(&mut self, commit: Commit) -> Kept {
        keep(commit, self.concerned, &self.run.did, &mut self.phase.summary)
    }

    /// Names the strangers among `records`; a lookup that fails leaves them bare DIDs, which the
    /// next whole sync names, rather than stopping the tail.
    fn name(&mut self, records: Vec<Record>) -> Vec<Record> {
        if records.is_empty() {
            return records;
        }
        let before = self.run.xrpc.borrow().session.refresh.clone();
        let named = match self.run.name(records.clone()) {
            Ok(named) => named,
            Err(e) => {
                tracing::warn!(error = %e, "could not name the accounts of a live event");
                records
            }
        };
        let xrpc = self.run.xrpc.borrow();
        if xrpc.session.refresh != before {
            self.listener.rotated(&Connection::Bluesky(xrpc.session.clone()));
        }
        named
    }
}

/// What one commit brings to a batch.
#[derive(Debug, Default, PartialEq)]
struct Kept {
    /// The records kept.
    records: Vec<Record>,
    /// The deletions of the account and its circle: an event of their own.
    deleted: Vec<Deletion>,
    /// Others' deletions of what may be an interaction with the account (a like, repost, follow,
    /// block or post: a reply or mention): the stream no longer tells whom the record named, so
    /// they are carried along with the next batch, and remove nothing unless stored.
    carried: Vec<Deletion>,
}

/// The collections whose records become interactions or posts: what a deletion can take away.
const INTERACTIONS: [&str; 5] = [
    "app.bsky.feed.post",
    "app.bsky.feed.like",
    "app.bsky.feed.repost",
    "app.bsky.graph.follow",
    "app.bsky.graph.block",
];

/// What of `commit` is kept: all the records of the account and its circle (`concerned`), and
/// anyone's interactions with the account; the deletions of the concerned, and others' deletions
/// of interactions to carry along. A follow by the account brings its subject into the circle
/// from then on; a follow between two others is kept as the circle's follows are read. Skipped
/// records of the concerned are counted with reasons.
fn keep(
    commit: Commit,
    concerned: &mut HashSet<String>,
    me: &str,
    summary: &mut PhaseSummary,
) -> Kept {
    let by_concerned = concerned.contains(&commit.repo);
    let mut kept = Kept::default();
    for mapped in commit.records {
        match mapped {
            Mapped::Records(records) => {
                let with_me = records.iter().any(
                    |r| matches!(r, Record::Interaction(i) if i.source == me || i.target == me),
                );
                if !(by_concerned || with_me) {
                    continue;
                }
                for mut record in records {
                    if let Record::Interaction(i) = &mut record
                        && i.kind == InteractionKind::Follow
                    {
                        if i.source == me {
                            concerned.insert(i.target.clone());
                        } else if i.target != me {
                            // The circle's follows are read with `getFollows`, which gives no
                            // record URI or date for others' follows: kept the same way, the two
                            // meet without a duplicate.
                            i.native_id = None;
                            i.at = None;
                        }
                    }
                    kept.records.push(record);
                }
            }
            Mapped::Skipped(why) if by_concerned => summary.skip(why),
            Mapped::Invalid(why) if by_concerned => summary.skip(format!("malformed: {why}")),
            Mapped::Skipped(_) | Mapped::Invalid(_) => {}
        }
    }
    for uri in commit.deleted {
        let collection = uri.strip_prefix("at://").and_then(|rest| rest.split('/').nth(1));
        if by_concerned {
            kept.deleted.push(Deletion::Id(Network::Bluesky, uri));
        } else if collection.is_some_and(|c| INTERACTIONS.contains(&c)) {
            kept.carried.push(Deletion::Id(Network::Bluesky, uri));
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use rapport_model::Interaction;

    use super::*;

    const ME: &str = "did:plc:me";

    fn commit(repo: &str, records: Vec<Vec<Record>>) -> Commit {
        Commit {
            seq: 1,
            repo: repo.to_owned(),
            records: records.into_iter().map(Mapped::Records).collect(),
            deleted: Vec::new(),
            time: None,
        }
    }

    fn interaction(source: &str, target: &str, kind: InteractionKind) -> Record {
        Record::Interaction(Interaction::new(Network::Bluesky, Some(1), source, target, kind))
    }

    #[test]
    fn keeps_what_concerns_me_or_my_circle_and_drops_the_rest() {
        let mut concerned: HashSet<String> = [ME.to_owned(), "did:plc:bob".to_owned()].into();
        let mut summary = PhaseSummary::new(PHASE);
        let cases = [
            ("a like of mine by a stranger", "did:plc:zed", ("did:plc:zed", ME), true),
            (
                "a stranger's like of a stranger",
                "did:plc:zed",
                ("did:plc:zed", "did:plc:yan"),
                false,
            ),
            ("my circle liking a stranger", "did:plc:bob", ("did:plc:bob", "did:plc:yan"), true),
            ("my own follow", ME, (ME, "did:plc:new"), true),
            ("then the one I followed", "did:plc:new", ("did:plc:new", "did:plc:yan"), true),
        ];
        for (name, repo, (source, target), expected) in cases {
            let kind = if source == ME { InteractionKind::Follow } else { InteractionKind::Like };
            let kept = keep(
                commit(repo, vec![vec![interaction(source, target, kind)]]),
                &mut concerned,
                ME,
                &mut summary,
            );
            assert_eq!(!kept.records.is_empty(), expected, "{name}");
        }
    }

    #[test]
    fn a_follow_between_others_is_kept_as_get_follows_gives_it() {
        let mut concerned: HashSet<String> = [ME.to_owned(), "did:plc:bob".to_owned()].into();
        let mut follow = Interaction::new(
            Network::Bluesky,
            Some(5),
            "did:plc:bob",
            "did:plc:dan",
            InteractionKind::Follow,
        );
        follow.native_id = Some("at://did:plc:bob/app.bsky.graph.follow/1".into());
        let mut summary = PhaseSummary::new(PHASE);
        let kept = keep(
            commit("did:plc:bob", vec![vec![Record::Interaction(follow.clone())]]),
            &mut concerned,
            ME,
            &mut summary,
        );
        let read = Interaction::new(
            Network::Bluesky,
            None,
            "did:plc:bob",
            "did:plc:dan",
            InteractionKind::Follow,
        );
        assert_eq!(kept.records, [Record::Interaction(read)]);
    }

    #[test]
    fn deletions_of_the_circle_are_events_and_others_are_carried() {
        let mut concerned: HashSet<String> = [ME.to_owned(), "did:plc:bob".to_owned()].into();
        let mut summary = PhaseSummary::new(PHASE);
        let deleting = |repo: &str, uris: &[&str]| Commit {
            seq: 1,
            repo: repo.to_owned(),
            records: Vec::new(),
            deleted: uris.iter().map(|u| (*u).to_owned()).collect(),
            time: None,
        };
        let mine = format!("at://{ME}/app.bsky.graph.follow/1");
        let kept = keep(deleting(ME, &[&mine]), &mut concerned, ME, &mut summary);
        assert_eq!(kept.deleted, [Deletion::Id(Network::Bluesky, mine)]);
        let like = "at://did:plc:zed/app.bsky.feed.like/2";
        let profile = "at://did:plc:zed/app.bsky.actor.profile/self";
        let kept =
            keep(deleting("did:plc:zed", &[like, profile]), &mut concerned, ME, &mut summary);
        assert!(kept.deleted.is_empty());
        assert_eq!(kept.carried, [Deletion::Id(Network::Bluesky, like.to_owned())]);
    }
}
