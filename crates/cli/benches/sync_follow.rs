//! How fast `rapport sync --follow` keeps up with Bluesky's firehose, and how soon an event shows
//! in `today`: a recorded stream replayed into the release binary over a loopback websocket.
//!
//! The store is the demo generator's at 10,000 people (`rapport demo --people N`); its Bluesky
//! owner is the account followed. The stream is firehose-shaped commit frames (made with the
//! repository importer's frame writer): 5 % likes and replies to the owner's posts, 15 % records
//! of the circle (the 50 strongest Bluesky relationships), 80 % strangers among themselves, which
//! must be dropped; probes are spread evenly over the stream, at most one in 100 frames: each a
//! question in reply to the owner from a member of the circle whom no answer waits for yet, one
//! probe each. The stream is dated by the
//! store's own clock, as a tail that starts after a sync meets it. The replay (`rapport_test_support::firehose`) sends the frames at the
//! given rate and notes when each was sent.
//!
//! Measured: the rate the tail kept up with (frames over the time from the first frame sent to
//! the cursor of the last one stored), the tail's CPU time while following (from /proc, the whole
//! sync before it excluded), run pinned to one core with `taskset` when it exists; and for each
//! probe the time from its frame sent to the moment a `today` read in this process lists it.
//!
//! The tail's CPU time is split by thread (`/proc/PID/task`): the thread reading the stream and
//! writing the batches (`tail`), and the one bringing the kept views up to date (`views`).
//!
//! `cargo bench -p rapport-cli --bench sync_follow [-- RATES SECONDS PEOPLE]`: RATES is a list
//! such as `2000,200,0` (0: as fast as the tail reads), each run on a fresh copy of one store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark")]

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ipld_core::ipld::Ipld;
use rapport_engine::model::Network;
use rapport_engine::sync::bluesky::Session;
use rapport_engine::sync::{Connection, Credentials};
use rapport_engine::{ActionKind, Config, Engine, PeopleQuery, TodayQuery, View};
use rapport_import::bluesky::build;
use rapport_test_support::firehose::{Replay, ReplayState};

/// The demo owner's Bluesky DID.
const OWNER: &str = "did:plc:greenforkgardensupply";

fn map(pairs: Vec<(&str, Ipld)>) -> Ipld {
    Ipld::Map(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<BTreeMap<_, _>>())
}

fn text(s: &str) -> Ipld {
    Ipld::String(s.to_owned())
}

fn at(seconds: i64) -> Ipld {
    text(&rapport_engine::model::time::format(seconds))
}

fn post_ref(did: &str, rkey: &str) -> Ipld {
    map(vec![
        ("uri", text(&format!("at://{did}/app.bsky.feed.post/{rkey}"))),
        ("cid", text("bafy")),
    ])
}

fn like(did: &str, rkey: &str, when: i64) -> Ipld {
    map(vec![
        ("$type", text("app.bsky.feed.like")),
        ("createdAt", at(when)),
        ("subject", post_ref(did, rkey)),
    ])
}

fn reply(words: &str, did: &str, rkey: &str, when: i64) -> Ipld {
    let parent = post_ref(did, rkey);
    map(vec![
        ("$type", text("app.bsky.feed.post")),
        ("createdAt", at(when)),
        ("text", text(words)),
        ("reply", map(vec![("root", parent.clone()), ("parent", parent)])),
    ])
}

fn stranger(i: u64) -> String {
    format!("did:plc:stranger{:016}", i % 50_000)
}

/// A probe: its frame's seq, its author, and the time its reply says it was made.
struct Probe {
    seq: i64,
    who: String,
    at: i64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let rates: Vec<u64> = args
        .first()
        .map_or("2000", String::as_str)
        .split(',')
        .filter_map(|r| r.parse().ok())
        .collect();
    let seconds = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let people: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let rapport = env!("CARGO_BIN_EXE_rapport");
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    let made = Instant::now();
    let demo = Command::new(rapport)
        .arg("--db")
        .arg(&base)
        .args(["demo", "--people", &people.to_string()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(demo.success());
    eprintln!("demo store of {people} people made in {:.1} s", made.elapsed().as_secs_f64());
    for rate in rates {
        let run = dir.path().join(format!("run-{rate}"));
        std::fs::create_dir(&run).unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let from = dir.path().join(format!("base.db{suffix}"));
            if from.exists() {
                std::fs::copy(&from, run.join(format!("rapport.db{suffix}"))).unwrap();
            }
        }
        follow(rapport, &run, rate, seconds);
    }
}

/// One replay at `rate` events per second for `seconds`, into the store in `dir`.
fn follow(rapport: &str, dir: &Path, rate: u64, seconds: u64) {
    let db = dir.join("rapport.db");
    let engine = Engine::open(&Config::with_db(&db)).unwrap();
    let circle = circle(&engine);
    // Probes come from members of the circle no answer waits for yet: a question from someone
    // already waiting joins their waiting item, which keeps the date of their oldest message.
    let askers = askers(&engine, &circle);
    eprintln!("circle: {} Bluesky accounts, {} with no answer waiting", circle.len(), askers.len());

    // The recorded stream, dated by the store's own clock (its newest interaction), as a tail
    // started right after a sync meets it. A stream dated a week or more past the data would make
    // the first batch choose discover's blend again (see the engine's `blend`), as happens once a
    // week of the data's clock.
    let now = data_now(&engine);
    // As fast as the tail reads: as many frames as the 2,000 a second would send.
    let total = (if rate > 0 { rate } else { 2000 } * seconds) as i64;
    // Probes spread over the stream, one per asker at most: at 2,000 events/s, one in 1,000 frames.
    let every = (total / askers.len().max(1) as i64).max(100);
    let mut frames = Vec::with_capacity(total as usize);
    let mut probes = Vec::new();
    for seq in 1..=total {
        let i = seq as u64;
        let when = now - 86_400 + (seq % 3600);
        let member = &circle[i as usize % circle.len()].0;
        let (did, path, record) = if seq % every == every / 2 && probes.len() < askers.len() {
            let k = probes.len();
            // A minute apart, each newer than anything the store holds (as a new question is):
            // each probe is told apart by its time.
            let made = now + 60 * (k as i64 + 1);
            let (asker, handle) = askers[k].clone();
            probes.push(Probe { seq, who: handle, at: made });
            let words = format!("which seeds would you start with, probe {k}?");
            (asker, "app.bsky.feed.post", reply(&words, OWNER, "3owner", made))
        } else {
            match i % 20 {
                0 => (stranger(i), "app.bsky.feed.like", like(OWNER, "3owner", when)),
                1 => (member.clone(), "app.bsky.feed.like", like(&stranger(i * 7), "3p", when)),
                2 | 3 => (
                    member.clone(),
                    "app.bsky.feed.post",
                    reply("nice one", &stranger(i * 3), "3p", when),
                ),
                4..=11 => (stranger(i), "app.bsky.feed.like", like(&stranger(i * 13), "3p", when)),
                _ => (
                    stranger(i),
                    "app.bsky.feed.post",
                    reply("agreed", &stranger(i * 11), "3p", when),
                ),
            }
        };
        let key = format!("{path}/3k{seq:010}");
        frames.push((seq, build::commit_frame(seq, &did, &[(&key, Some(&record))])));
    }
    let bytes: usize = frames.iter().map(|(_, f)| f.len()).sum();
    eprintln!("{total} frames ({:.1} MiB), {} probes", bytes as f64 / 1048576.0, probes.len());

    let replay = Replay::start(ReplayState {
        frames,
        rate: (rate > 0).then_some(rate as f64),
        owner: (OWNER.to_owned(), "greenfork.bsky.social".to_owned()),
        ..ReplayState::default()
    });
    let mut credentials = Credentials::load(dir).unwrap();
    credentials.connections.push(Connection::Bluesky(Session {
        service: replay.url.clone(),
        did: OWNER.to_owned(),
        handle: "greenfork.bsky.social".to_owned(),
        access: "access".to_owned(),
        refresh: "refresh".to_owned(),
    }));
    credentials.save().unwrap();

    // The tail, pinned to one core when taskset is there.
    let pinned = Path::new("/usr/bin/taskset").exists();
    let mut command = if pinned {
        let mut c = Command::new("taskset");
        c.args(["-c", "1", rapport]);
        c
    } else {
        Command::new(rapport)
    };
    let mut tail = command
        .arg("--db")
        .arg(&db)
        .args([
            "sync",
            "--follow",
            "--circle",
            "50",
            "--max-seconds",
            &(seconds * 10 + 120).to_string(),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = tail.id();
    let mut lines = std::io::BufReader::new(tail.stdout.take().unwrap()).lines();
    assert!(lines.by_ref().map_while(Result::ok).any(|l| l.contains("following live")));
    let cpu_before = threads(pid);
    std::thread::spawn(move || lines.for_each(drop));

    // Probes seen in today, and the last frame's cursor stored.
    let account = format!("bluesky:{OWNER}");
    let mut seen: Vec<Option<Instant>> = probes.iter().map(|_| None).collect();
    let deadline = Instant::now() + Duration::from_secs(seconds * 10 + 100);
    let mut caught_up = None;
    let mut reads = Vec::new();
    while Instant::now() < deadline && (caught_up.is_none() || seen.iter().any(Option::is_none)) {
        let read = engine.read().unwrap();
        let started = Instant::now();
        if let Ok(today) = read.today(&View::default(), &TodayQuery { limit: 10_000 }) {
            reads.push(started.elapsed());
            let found = Instant::now();
            for (probe, seen) in probes.iter().zip(&mut seen) {
                if seen.is_none()
                    && today.actions.iter().any(|a| {
                        a.kind == ActionKind::Answer
                            && a.at == Some(probe.at)
                            && a.who.contains(&probe.who)
                    })
                {
                    *seen = Some(found);
                }
            }
        }
        if caught_up.is_none() {
            let cursors = read.sync_cursors(Some(&account)).unwrap();
            if cursors.iter().any(|c| c.phase == "firehose" && c.cursor == total.to_string()) {
                caught_up = Some(Instant::now());
            }
        }
        drop(read);
        std::thread::sleep(Duration::from_millis(10));
    }
    let cpu_after = threads(pid);
    let _ = tail.kill();
    let _ = tail.wait();
    let sent = replay.with(|s| s.sent.clone());
    let first = sent.get(&1).copied().unwrap();
    let caught_up = caught_up.expect("the tail never stored the last frame's cursor");
    let span = caught_up.duration_since(first).as_secs_f64();
    let mut latencies: Vec<f64> = probes
        .iter()
        .zip(&seen)
        .filter_map(|(p, s)| {
            Some(s.as_ref()?.duration_since(*sent.get(&p.seq)?).as_secs_f64() * 1000.0)
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    reads.sort();
    let pct = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "stream: {total} frames asked at {} events/s; the tail stored the last frame's cursor {span:.1} s after the first was sent: {:.0} events/s kept up with",
        if rate > 0 { rate.to_string() } else { "unlimited".into() },
        total as f64 / span
    );
    let spent = |name: &str| {
        let of = |m: &BTreeMap<String, f64>| m.get(name).copied().unwrap_or(0.0);
        of(&cpu_after) - of(&cpu_before)
    };
    let (reading, views) = (spent("tail"), spent("views"));
    let all = cpu_after.values().sum::<f64>() - cpu_before.values().sum::<f64>();
    println!(
        "CPU while following{}: reading and writing (thread `tail`) {reading:.1} s, {:.0} events per CPU second; bringing the views up to date (thread `views`) {views:.1} s; all threads (the views' parallel work runs on the pool's) {all:.1} s",
        if pinned { ", the process pinned to one core" } else { "" },
        total as f64 / reading.max(0.01),
    );
    println!(
        "event to today: {} of {} probes seen; median {:.0} ms, 90th percentile {:.0} ms, worst {:.0} ms; a today read took median {:.0} ms",
        latencies.len(),
        probes.len(),
        pct(0.5),
        pct(0.9),
        pct(1.0),
        reads.get(reads.len() / 2).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    );
    println!("load average: {}", load.trim());
}

/// The data's "now": the newest moment of the interactions the store holds.
fn data_now(engine: &Engine) -> i64 {
    let read = engine.read().unwrap();
    read.people(&View::default(), &PeopleQuery { limit: Some(1), ..PeopleQuery::default() })
        .unwrap()
        .as_of
}

/// The members of `circle` today's list has no answer waiting for.
fn askers(engine: &Engine, circle: &[(String, String)]) -> Vec<(String, String)> {
    let read = engine.read().unwrap();
    let today = read.today(&View::default(), &TodayQuery { limit: 10_000 }).unwrap();
    let waiting: Vec<&str> = today
        .actions
        .iter()
        .filter(|a| a.kind == ActionKind::Answer)
        .map(|a| a.who.as_str())
        .collect();
    circle
        .iter()
        .filter(|(_, handle)| !waiting.iter().any(|w| w.trim_start_matches('@') == handle))
        .cloned()
        .collect()
}

/// The Bluesky accounts of the 50 strongest relationships on Bluesky: (DID, handle).
fn circle(engine: &Engine) -> Vec<(String, String)> {
    let view = View { network: Some(Network::Bluesky), ..View::default() };
    let read = engine.read().unwrap();
    let listing =
        read.people(&view, &PeopleQuery { limit: Some(50), ..PeopleQuery::default() }).unwrap();
    listing
        .people
        .iter()
        .flat_map(|p| &p.accounts)
        .filter(|a| a.network == Network::Bluesky && !a.is_me)
        .map(|a| (a.native_id.clone(), a.handle.clone().unwrap_or_default()))
        .collect()
}

/// The user and system CPU seconds of each named thread of process `pid` so far, summed by name.
fn threads(pid: u32) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return out };
    for task in tasks.flatten() {
        let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
        // After the command's name: state is field 3, utime 14 and stime 15 (1-based).
        let ticks = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
        *out.entry(name.trim().to_owned()).or_insert(0.0) += (ticks(14) + ticks(15)) / 100.0;
    }
    out
}
