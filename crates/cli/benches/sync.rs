//! How long `rapport sync` takes for an account with 10,000 followers and 50,000 notifications,
//! against the Mastodon stand-in answering every request after 50 ms, beside the floors: the
//! requests the pages need times the latency, and the time Mastodon's rate limit (300 requests
//! per 5 minutes) would impose on them. The stand-in does not enforce the limit (that would make
//! the run last minutes doing nothing): the floor is computed from the requests counted.
//!
//! Rapport's CPU time (user and system, from the shell's `times`) is printed beside them: what the
//! sync costs apart from waiting.
//!
//! Then it syncs again "an hour later" (the own lists' cursors cleared), when the lists of
//! followers and following are read whole again and held against the follows stored.
//!
//! `cargo bench -p rapport-cli --bench sync [-- FOLLOWERS NOTIFICATIONS LATENCY_MS]`; with
//! `RAPPORT_BIN=PATH` it runs that build of `rapport` instead of the one built with it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark")]

use std::process::Command;
use std::time::{Duration, Instant};

use rapport_test_support::mastodon::StandIn;

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let followers = args.first().copied().unwrap_or(10_000);
    let notifications = args.get(1).copied().unwrap_or(50_000);
    let latency = Duration::from_millis(args.get(2).copied().unwrap_or(50));
    let server = StandIn::start();
    let built = Instant::now();
    server.with(|s| {
        let me = 1;
        let post = s.status(
            me,
            "the post everyone likes",
            None,
            &[],
            "public",
            "2025-01-01T00:00:00.000Z",
        );
        s.own(post);
        for i in 0..followers.max(notifications) {
            let fan = s.account(&format!("fan{i}"), Some("fans.example"), &format!("Fan {i}"));
            if i < followers {
                s.follow(fan, me);
            }
            if i < notifications {
                let at =
                    format!("2025-02-{:02}T{:02}:{:02}:00.000Z", 1 + i % 28, i / 60 % 24, i % 60);
                s.notify(if i % 2 == 0 { "favourite" } else { "reblog" }, fan, Some(post), &at);
            }
        }
    });
    eprintln!("stand-in filled in {:.1} s", built.elapsed().as_secs_f64());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.db");
    // `RAPPORT_BIN` runs another build (an older one, to alternate old and new in one run).
    let built_here = env!("CARGO_BIN_EXE_rapport").to_owned();
    let rapport = &std::env::var("RAPPORT_BIN").unwrap_or(built_here);
    let mut connect = Command::new(rapport)
        .arg("--db")
        .arg(&db)
        .args(["connect", "mastodon", &server.url])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let page = {
        use std::io::BufRead;
        let stderr = connect.stderr.take().unwrap();
        std::io::BufReader::new(stderr)
            .lines()
            .map(Result::unwrap)
            .find(|l| l.starts_with("http"))
            .unwrap()
    };
    let code = server.approve(&page);
    {
        use std::io::Write;
        connect.stdin.take().unwrap().write_all(format!("{code}\n").as_bytes()).unwrap();
    }
    assert!(connect.wait().unwrap().success());
    server.with(|s| s.latency = latency);
    let first = timed_sync(rapport, &db, &server);
    println!("{}", first.out);
    first.print("first sync", followers, notifications, latency);
    // An hour later the own lists are read whole again, each held against the follows stored
    // (the unfollows they show are removed); the statuses and favourites windows are read again.
    let store = rusqlite::Connection::open(&db).unwrap();
    store
        .execute("DELETE FROM sync_cursors WHERE phase IN ('followers', 'following')", [])
        .unwrap();
    drop(store);
    let again = timed_sync(rapport, &db, &server);
    println!("{}", again.out);
    again.print("an hour later", followers, notifications, latency);
}

/// One timed `rapport sync --circle 0`.
struct Timed {
    out: String,
    seconds: f64,
    cpu: f64,
    requests: f64,
}

/// Runs `rapport sync --circle 0` on `db` against `server` and times it.
fn timed_sync(rapport: &str, db: &std::path::Path, server: &StandIn) -> Timed {
    server.with(|s| s.log.clear());
    let started = Instant::now();
    // The shell's `times` reports the CPU time of its child: Rapport's own work, apart from the
    // stand-in's (which runs in this process) and from waiting on the network.
    let out = Command::new("sh")
        .args(["-c", r#""$@"; code=$?; times >&2; exit $code"#, "sh", rapport])
        .arg("--db")
        .arg(db)
        .args(["sync", "--circle", "0"])
        .output()
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let cpu: f64 = stderr
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .map(|t| {
            let (m, s) = t.trim_end_matches('s').split_once('m').unwrap_or(("0", "0"));
            m.parse::<f64>().unwrap_or(0.0) * 60.0 + s.parse::<f64>().unwrap_or(0.0)
        })
        .sum();
    let requests = server.with(|s| s.log.len()) as f64;
    let out = String::from_utf8_lossy(&out.stdout).trim_end().to_owned();
    Timed { out, seconds, cpu, requests }
}

impl Timed {
    fn print(&self, what: &str, followers: u64, notifications: u64, latency: Duration) {
        let Timed { seconds, cpu, requests, .. } = self;
        let latency_floor = requests * latency.as_secs_f64();
        // 300 requests per 5 minutes, the budget full at the start.
        let rate_floor = (requests - 300.0).max(0.0);
        println!(
            "{what}: followers {followers}, notifications {notifications}, latency {} ms: {requests} requests; measured {seconds:.1} s; latency floor {latency_floor:.1} s; rate-limit floor {rate_floor:.0} s; Rapport's CPU time {cpu:.1} s",
            latency.as_millis(),
        );
    }
}
