//! `follow` on a Bluesky account against the firehose replay (recorded frames on a loopback
//! websocket; the real PDS's firehose is tested by the CLI's network test): what concerns the
//! account or its circle is kept and the rest dropped, batches are written with the stream's
//! sequence number, a dropped stream is opened again a few numbers before the cursor without
//! anything twice, and a malformed frame is an error naming the endpoint and its place. A plain
//! sync's replay of the stream ends at the present even when the server is never silent.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use ipld_core::ipld::Ipld;
use rapport_import::bluesky::build;
use rapport_sync::bluesky::Session;
use rapport_sync::{Connection, Listener, LiveOptions, SyncError};
use rapport_test_support::firehose::{self, Replay, ReplayState};

use crate::mastodon::options;
use crate::memory::Memory;

const ME: &str = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa";
const BOB: &str = "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb";
const ZED: &str = "did:plc:zzzzzzzzzzzzzzzzzzzzzzzz";
const YAN: &str = "did:plc:yyyyyyyyyyyyyyyyyyyyyyyy";

fn record(kind: &str, subject: Ipld) -> Ipld {
    let mut m = BTreeMap::new();
    m.insert("$type".to_owned(), Ipld::String(kind.to_owned()));
    m.insert("createdAt".to_owned(), Ipld::String("2025-05-01T10:00:00Z".to_owned()));
    m.insert("subject".to_owned(), subject);
    Ipld::Map(m)
}

fn like(of: &str) -> Ipld {
    let mut m = BTreeMap::new();
    m.insert("uri".to_owned(), Ipld::String(format!("at://{of}/app.bsky.feed.post/3k")));
    m.insert("cid".to_owned(), Ipld::String("bafy".to_owned()));
    record("app.bsky.feed.like", Ipld::Map(m))
}

/// Six frames: a stranger likes my post (kept), strangers like each other (dropped), my circle
/// (bob) likes a stranger (kept), an identity frame, I follow yan (kept), yan likes zed (kept:
/// yan is in my circle since).
fn frames() -> Vec<(i64, Vec<u8>)> {
    let follow = record("app.bsky.graph.follow", Ipld::String(YAN.to_owned()));
    let mut identity = BTreeMap::new();
    identity.insert("seq".to_owned(), Ipld::Integer(14));
    identity.insert("did".to_owned(), Ipld::String(BOB.to_owned()));
    vec![
        (10, build::commit_frame(10, ZED, &[("app.bsky.feed.like/1", Some(&like(ME)))])),
        (11, build::commit_frame(11, ZED, &[("app.bsky.feed.like/2", Some(&like(YAN)))])),
        (12, build::commit_frame(12, BOB, &[("app.bsky.feed.like/3", Some(&like(ZED)))])),
        (14, build::frame("#identity", &Ipld::Map(identity))),
        (15, build::commit_frame(15, ME, &[("app.bsky.graph.follow/4", Some(&follow))])),
        (16, build::commit_frame(16, YAN, &[("app.bsky.feed.like/5", Some(&like(ZED)))])),
    ]
}

fn connection(replay: &Replay) -> Connection {
    Connection::Bluesky(Session {
        service: replay.url.clone(),
        did: ME.to_owned(),
        handle: "me.test".to_owned(),
        access: "access".to_owned(),
        refresh: "refresh".to_owned(),
    })
}

fn live(max_events: u64) -> LiveOptions {
    LiveOptions {
        max_events: Some(max_events),
        until: Some(Instant::now() + Duration::from_secs(30)),
        linger: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        ..LiveOptions::default()
    }
}

#[derive(Default)]
struct Heard {
    connected: usize,
    stored: usize,
    rotated: Vec<String>,
}

impl Listener for Heard {
    fn connected(&mut self, _: &str) {
        self.connected += 1;
    }
    fn stored(&mut self, _: usize, _: u64) {
        self.stored += 1;
    }
    fn retrying(&mut self, _: &str, _: Duration) {}
    fn rotated(&mut self, connection: &Connection) {
        if let Connection::Bluesky(session) = connection {
            self.rotated.push(session.refresh.clone());
        }
    }
}

#[test]
fn keeps_what_concerns_me_and_my_circle_with_the_stream_cursor() {
    let replay = Replay::start(ReplayState { frames: frames(), ..ReplayState::default() });
    let mut target = Memory { circle: vec![BOB.to_owned()], ..Memory::default() };
    let mut heard = Heard::default();
    let summary = rapport_sync::follow(
        &mut connection(&replay),
        &mut target,
        &options(),
        &live(4),
        &mut heard,
    )
    .unwrap();
    let edges: Vec<String> = target.edges().into_iter().collect();
    let short =
        |e: &str| e.replace(ME, "me").replace(BOB, "bob").replace(ZED, "zed").replace(YAN, "yan");
    let edges: Vec<String> = edges.iter().map(|e| short(e)).collect();
    assert_eq!(edges, ["follow me yan", "like bob zed", "like yan zed", "like zed me"]);
    assert_eq!((summary.seen, summary.kept), (6, 4), "{summary:?}");
    let cursor = &target.cursors[&(format!("bluesky:{ME}"), "firehose".to_owned())];
    assert_eq!(cursor, "16");
    assert!(heard.stored >= 1 && heard.connected == 1);
}

#[test]
fn a_dropped_stream_is_opened_again_before_its_cursor_and_adds_nothing_twice() {
    let replay = Replay::start(ReplayState {
        frames: frames(),
        drop_after: Some(3),
        ..ReplayState::default()
    });
    let mut target = Memory { circle: vec![BOB.to_owned()], ..Memory::default() };
    let live = LiveOptions { rewind: 2, ..live(5) };
    let summary = rapport_sync::follow(
        &mut connection(&replay),
        &mut target,
        &options(),
        &live,
        &mut Heard::default(),
    )
    .unwrap();
    assert_eq!(summary.reconnects, 1, "{summary:?}");
    // The first connection had no cursor; the second asked from 12 - 2.
    assert_eq!(replay.with(|s| s.connections.clone()), [None, Some(10)]);
    // Frame 12 came twice, with the same AT URI, which the store keeps once.
    let twelve = format!("at://{BOB}/app.bsky.feed.like/3");
    let count = |uri: &str| {
        target
            .records
            .iter()
            .filter(|r| matches!(r, rapport_model::Record::Interaction(i) if i.native_id.as_deref() == Some(uri)))
            .count()
    };
    assert_eq!(count(&twelve), 2);
    assert_eq!(target.edges().len(), 4);
}

#[test]
fn a_malformed_frame_is_an_error_naming_the_endpoint_and_seq() {
    let mut frames = frames();
    frames.truncate(3);
    let bad = build::commit_frame(13, ZED, &[("app.bsky.feed.like/9", Some(&like(ME)))]);
    frames.push((13, bad[..bad.len() - 7].to_vec()));
    let replay = Replay::start(ReplayState { frames, ..ReplayState::default() });
    let mut target = Memory { circle: vec![BOB.to_owned()], ..Memory::default() };
    let err = rapport_sync::follow(
        &mut connection(&replay),
        &mut target,
        &options(),
        &live(10),
        &mut Heard::default(),
    )
    .unwrap_err();
    assert!(matches!(err, SyncError::Frame { after: Some(12), .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message
            .starts_with("com.atproto.sync.subscribeRepos sent a malformed frame (after seq 12)"),
        "{message}"
    );
    // What came before it is stored, with its cursor.
    assert_eq!(target.edges().len(), 2);
    assert_eq!(target.cursors[&(format!("bluesky:{ME}"), "firehose".to_owned())], "12");
}

#[test]
fn tokens_renewed_while_naming_are_handed_over_to_be_saved() {
    let replay = Replay::start(ReplayState {
        frames: frames(),
        expired: Some("access".to_owned()),
        owner: (ME.to_owned(), "me.test".to_owned()),
        ..ReplayState::default()
    });
    let mut target = Memory { circle: vec![BOB.to_owned()], ..Memory::default() };
    let mut heard = Heard::default();
    let mut connection = connection(&replay);
    rapport_sync::follow(&mut connection, &mut target, &options(), &live(4), &mut heard).unwrap();
    // zed, a stranger who liked my post, was named after the session was refreshed once.
    assert_eq!(heard.rotated, ["refresh-2"]);
    let Connection::Bluesky(session) = connection else { panic!("not bluesky") };
    assert_eq!((session.access.as_str(), session.refresh.as_str()), ("access-2", "refresh-2"));
}

/// A Jetstream commit event (JSON, as Jetstream's documentation shows them) at `time` in `did`'s
/// repository: `operation` of the record `collection/rkey`, with `record` unless a deletion.
fn jet(time: i64, did: &str, operation: &str, path: &str, record: Option<&str>) -> (i64, String) {
    let (collection, rkey) = path.split_once('/').unwrap();
    let record = record.map(|r| format!(r#","record":{r}"#)).unwrap_or_default();
    let text = format!(
        r#"{{"did":"{did}","time_us":{time},"kind":"commit","commit":{{"rev":"r{time}","operation":"{operation}","collection":"{collection}","rkey":"{rkey}"{record}}}}}"#
    );
    (time, text)
}

/// A like of `of`'s post, as Jetstream sends the record.
fn like_json(of: &str) -> String {
    format!(
        r#"{{"$type":"app.bsky.feed.like","createdAt":"2025-05-01T10:00:00Z","subject":{{"cid":"bafy","uri":"at://{of}/app.bsky.feed.post/3k"}}}}"#
    )
}

/// Jetstream's story: a stranger likes my post (kept), strangers like each other (dropped), bob
/// of my circle likes a stranger (kept), an identity event, a collection not asked for, I follow
/// yan (kept), bob takes his like back (kept).
fn jetstream_events() -> Vec<(i64, String)> {
    let follow = format!(
        r#"{{"$type":"app.bsky.graph.follow","createdAt":"2025-05-01T10:00:00Z","subject":"{YAN}"}}"#
    );
    let identity = format!(
        r#"{{"did":"{BOB}","time_us":4000,"kind":"identity","identity":{{"did":"{BOB}","handle":"bob.test","seq":9,"time":"2025-05-01T10:00:00Z"}}}}"#
    );
    vec![
        jet(1000, ZED, "create", "app.bsky.feed.like/1", Some(&like_json(ME))),
        jet(2000, ZED, "create", "app.bsky.feed.like/2", Some(&like_json(YAN))),
        jet(3000, BOB, "create", "app.bsky.feed.like/3", Some(&like_json(ZED))),
        (4000, identity),
        jet(4500, ZED, "create", "app.bsky.feed.generator/4", Some(r#"{"$type":"x"}"#)),
        jet(5000, ME, "create", "app.bsky.graph.follow/4", Some(&follow)),
        jet(6000, BOB, "delete", "app.bsky.feed.like/3", None),
    ]
}

// Issue 13: Jetstream as the second source of --follow (against the stand-in: no Jetstream server
// can run here). The same story as the firehose's: what concerns me or my circle is kept, a
// deletion by my circle is applied, the cursor is `time_us`, only the wanted collections are
// asked for, and a dropped stream is opened again seconds before its cursor.
#[test]
fn jetstream_is_followed_like_the_firehose() {
    let replay = Replay::start(ReplayState {
        events: jetstream_events(),
        drop_after: Some(2),
        ..ReplayState::default()
    });
    let mut target = Memory { circle: vec![BOB.to_owned()], ..Memory::default() };
    // Five kept: zed's like of mine twice (before and after the drop), bob's like, my follow,
    // bob's deletion.
    let live = LiveOptions { jetstream: Some(replay.url.clone()), ..live(5) };
    let summary = rapport_sync::follow(
        &mut connection(&replay),
        &mut target,
        &options(),
        &live,
        &mut Heard::default(),
    )
    .unwrap();
    let short =
        |e: &str| e.replace(ME, "me").replace(BOB, "bob").replace(ZED, "zed").replace(YAN, "yan");
    let edges: Vec<String> = target.edges().iter().map(|e| short(e)).collect();
    assert_eq!(edges, ["follow me yan", "like zed me"], "{summary:?}");
    assert_eq!(summary.deleted, 1, "{summary:?}");
    let cursor = &target.cursors[&(format!("bluesky:{ME}"), "jetstream".to_owned())];
    assert_eq!(cursor, "6000");
    // Dropped after two events; opened again five seconds (in microseconds) before the cursor.
    assert_eq!(replay.with(|s| s.connections.clone()), [None, Some(0)]);
    let wanted = replay.with(|s| s.wanted.clone());
    assert!(wanted.contains(&"app.bsky.feed.like".to_owned()), "{wanted:?}");
    assert!(!wanted.iter().any(|w| w == "app.bsky.feed.generator"), "{wanted:?}");
}

/// A dictionary trained on generated events, written to a file in `dir` as a user would save
/// Jetstream's.
fn dictionary_file(dir: &std::path::Path, name: &str, samples: usize) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, firehose::train_dictionary(&firehose::sample_events(samples))).unwrap();
    path
}

/// Follows the Jetstream `replay` until four events are kept (or it fails), with `dictionary`.
fn follow_jetstream(
    replay: &Replay,
    dictionary: Option<std::path::PathBuf>,
    options: &rapport_sync::Options,
) -> (Memory, rapport_sync::Result<rapport_sync::LiveSummary>) {
    let mut target = Memory { circle: vec![BOB.to_owned()], ..Memory::default() };
    let live = LiveOptions {
        jetstream: Some(replay.url.clone()),
        jetstream_dictionary: dictionary,
        ..live(4)
    };
    let result = rapport_sync::follow(
        &mut connection(replay),
        &mut target,
        options,
        &live,
        &mut Heard::default(),
    );
    (target, result)
}

// Issue 13: "zstd where offered". Jetstream's stand-in compresses each event with a dictionary
// trained here (Jetstream's own cannot be fetched); given it, the tail asks for the compressed
// stream and stores exactly what the plain JSON stream gives.
#[test]
fn a_compressed_jetstream_stores_what_the_plain_one_does() {
    let dir = tempfile::tempdir().unwrap();
    let path = dictionary_file(dir.path(), "jetstream.dict", 600);
    let serve = || {
        Replay::start(ReplayState {
            events: jetstream_events(),
            dictionary: Some(std::fs::read(&path).unwrap()),
            ..ReplayState::default()
        })
    };
    let (plain_replay, packed_replay) = (serve(), serve());
    let (plain, done) = follow_jetstream(&plain_replay, None, &options());
    done.unwrap();
    let (packed, done) = follow_jetstream(&packed_replay, Some(path.clone()), &options());
    let summary = done.unwrap();
    assert_eq!(plain_replay.with(|s| s.compressed.clone()), [false]);
    assert_eq!(packed_replay.with(|s| s.compressed.clone()), [true]);
    assert_eq!(packed.distinct(), plain.distinct());
    assert_eq!(packed.cursors, plain.cursors);
    assert_eq!(packed.edges().len(), 2, "{:?}", packed.edges());
    assert_eq!((summary.kept, summary.deleted), (4, 1), "{summary:?}");
}

// Issue 13: a frame of another dictionary, or a damaged one, is an error naming the Jetstream
// endpoint and the place in the stream; what came before it is stored whole, with its cursor,
// and nothing of the frame itself.
#[test]
fn a_wrong_dictionary_or_a_damaged_frame_is_an_error_naming_jetstream_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dictionary_file(dir.path(), "ours.dict", 600);
    let theirs = dictionary_file(dir.path(), "theirs.dict", 500);
    let cases = [
        ("another dictionary", &theirs, None, None, 0),
        ("a frame cut in half", &ours, Some(3000), Some(2000), 1),
    ];
    for (name, dictionary, damaged, after, stored) in cases {
        let replay = Replay::start(ReplayState {
            events: jetstream_events(),
            dictionary: Some(std::fs::read(&ours).unwrap()),
            damaged,
            ..ReplayState::default()
        });
        let (target, result) = follow_jetstream(&replay, Some(dictionary.clone()), &options());
        let err = result.unwrap_err();
        assert!(matches!(err, SyncError::Frame { after: a, .. } if a == after), "{name}: {err:?}");
        let message = err.to_string();
        let endpoint = format!("{}/subscribe", replay.url.replace("http://", "ws://"));
        assert!(message.starts_with(&format!("{endpoint} sent a malformed frame")), "{message}");
        assert!(message.contains("not a zstd frame of the dictionary given"), "{message}");
        assert_eq!(target.edges().len(), stored, "{name}");
        let cursor = target.cursors.get(&(format!("bluesky:{ME}"), "jetstream".to_owned()));
        assert_eq!(cursor.cloned(), after.map(|a| a.to_string()), "{name}");
    }
}

// Issue 13: a small frame that unpacks to more than the body limit (a decompression bomb) is
// refused while it is unpacked, before it is held whole.
#[test]
fn a_compressed_event_larger_than_the_body_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dictionary_file(dir.path(), "jetstream.dict", 600);
    let mut events = jetstream_events();
    let huge = format!(
        r#"{{"$type":"app.bsky.feed.post","createdAt":"2025-05-01T10:00:00Z","text":"{}"}}"#,
        "a".repeat(4 << 20)
    );
    events.insert(1, jet(1500, BOB, "create", "app.bsky.feed.post/9", Some(&huge)));
    let replay = Replay::start(ReplayState {
        events,
        dictionary: Some(std::fs::read(&path).unwrap()),
        ..ReplayState::default()
    });
    let mut options = options();
    options.limits.max_body = 64 << 10;
    let (target, result) = follow_jetstream(&replay, Some(path), &options);
    let err = result.unwrap_err();
    let message = err.to_string();
    assert!(message.contains("(after seq 1000)"), "{message}");
    assert!(message.contains("unpacks to more than the limit of 65536 bytes"), "{message}");
    assert_eq!(target.edges().len(), 1);
}

// Issue 13: on Bluesky, someone on another server who stops following me is seen by no replay of
// my server's firehose; a plain sync holds each whole reading of my followers against the last
// one's AT URIs, and removes the follow no longer listed, or listed with another record (undone
// and made again), but not one listed without its record's URI.
#[test]
fn a_follower_no_longer_listed_is_removed_by_a_plain_sync() {
    let follower = |did: &str, rkey: Option<&str>| {
        let handle = format!("{}.test", &did[8..11]);
        match rkey {
            Some(rkey) => serde_json::json!({"did": did, "handle": handle,
                "viewer": {"followedBy": format!("at://{did}/app.bsky.graph.follow/{rkey}")}}),
            None => serde_json::json!({"did": did, "handle": handle}),
        }
    };
    let replay = Replay::start(ReplayState {
        followers: vec![
            follower(BOB, Some("3kb")),
            follower(ZED, Some("3kz")),
            follower(YAN, Some("3ky")),
        ],
        owner: (ME.to_owned(), "me.test".to_owned()),
        ..ReplayState::default()
    });
    let mut connection = connection(&replay);
    let mut target = Memory::default();
    let sync = |connection: &mut Connection, target: &mut Memory| {
        rapport_sync::sync(connection, target, &options(), &mut rapport_sync::Quiet).unwrap()
    };
    sync(&mut connection, &mut target);
    let short = |e: &String| {
        e.replace(ME, "me").replace(BOB, "bob").replace(ZED, "zed").replace(YAN, "yan")
    };
    let edges = |target: &Memory| target.edges().iter().map(short).collect::<Vec<_>>();
    assert_eq!(edges(&target), ["follow bob me", "follow yan me", "follow zed me"]);
    // zed stopped following me, yan unfollowed and followed again, and bob's comes without
    // the viewer's state this time.
    replay.with(|s| s.followers = vec![follower(BOB, None), follower(YAN, Some("3ky2"))]);
    // An hour later, when the list is read whole again.
    target.cursors.remove(&(format!("bluesky:{ME}"), "followers".to_owned()));
    let again = sync(&mut connection, &mut target);
    assert_eq!(edges(&target), ["follow bob me", "follow yan me"], "{again:#?}");
    let uris: Vec<&str> = target
        .records
        .iter()
        .filter_map(|r| match r {
            rapport_model::Record::Interaction(i) => i.native_id.as_deref(),
            _ => None,
        })
        .collect();
    assert!(uris.iter().any(|u| u.ends_with("/3ky2")) && !uris.iter().any(|u| u.ends_with("/3ky")));
    assert!(uris.iter().any(|u| u.ends_with("/3kb")), "{uris:?}");
    let followers = again.phases.iter().find(|p| p.phase == "followers").unwrap();
    assert_eq!(followers.deleted, 2, "{followers:?}");
}

// Issue 13: a Jetstream that cannot be reached is named as such, not as the firehose.
#[test]
fn an_unreachable_jetstream_is_named() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let replay = Replay::start(ReplayState::default());
    let live = LiveOptions {
        jetstream: Some(format!("http://{address}")),
        quiet: Some(Duration::from_millis(100)),
        ..live(1)
    };
    let summary = rapport_sync::follow(
        &mut connection(&replay),
        &mut Memory::default(),
        &options(),
        &live,
        &mut Heard::default(),
    )
    .unwrap();
    let why = summary.gave_up.unwrap();
    assert!(why.starts_with(&format!("ws://{address}/subscribe: could not connect")), "{why}");
}

#[test]
fn a_plain_syncs_replay_ends_at_the_present_on_a_stream_that_is_never_silent() {
    // The past (my circle's like), then a frame every 20 ms for a minute, each stamped as emitted
    // now: never two seconds of silence, so only the frames' own time can end the replay.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    let now = rapport_model::time::format(now.as_secs() as i64 + 5);
    let mut frames =
        vec![(10, build::commit_frame(10, BOB, &[("app.bsky.feed.like/3", Some(&like(ME)))]))];
    for seq in 11..3011 {
        let path = format!("app.bsky.feed.like/{seq}");
        frames.push((seq, build::commit_frame_at(seq, ZED, &[(&path, Some(&like(YAN)))], &now)));
    }
    let replay = Replay::start(ReplayState { frames, rate: Some(50.0), ..ReplayState::default() });
    let mut target = Memory { circle: vec![BOB.to_owned()], ..Memory::default() };
    let summary = rapport_sync::sync(
        &mut connection(&replay),
        &mut target,
        &options(),
        &mut rapport_sync::Quiet,
    )
    .unwrap();
    let phase = summary.phases.iter().find(|p| p.phase == "firehose").unwrap();
    assert!(phase.reasons.is_empty(), "{:?}", phase.reasons);
    let cursor: i64 =
        target.cursors[&(format!("bluesky:{ME}"), "firehose".to_owned())].parse().unwrap();
    assert!((11..100).contains(&cursor), "stopped at {cursor}");
    assert!(target.edges().iter().any(|e| e == &format!("like {BOB} {ME}")));
}
