//! The bounded load test of team mode: USERS concurrent users (editors, with API tokens) across
//! WORKSPACES workspaces of sample data on a real PostgreSQL started here, each looping for
//! SECONDS over mixed requests on loopback: reads (people, today, a person, who am I, the people
//! page) nine times in ten, writes once in ten (an action marked done, or an API token created).
//! Printed: read latencies (p50, p99, max), requests, errors, and the writes lost, counted
//! afterwards (tokens answered 201 but missing from the database; actions answered done but
//! still listed), with the load average; then each kind of read's p50 and p99, to show where
//! the time goes.
//!
//! `cargo bench -p rapport-server --bench team_load [-- USERS WORKSPACES SECONDS]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark")]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rapport_engine::Engine;
use rapport_engine::sample::SampleSpec;
use rapport_engine::team::rules::{Role, Token, TokenKind, hash_password};
use rapport_engine::team::tables;
use rapport_server::TeamOptions;
use rapport_test_support::postgres::{Cluster, database_on};
use serde_json::Value;

struct Worker {
    token: String,
    keys: Arc<Vec<String>>,
    actions: Arc<Vec<String>>,
}

#[derive(Default)]
struct Tally {
    /// Each read's kind (an index of [`READS`]) and latency.
    reads: Vec<(usize, Duration)>,
    errors: u64,
    tokens_created: Vec<String>,
    marked: Vec<String>,
}

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let users = args.first().copied().unwrap_or(50) as usize;
    let spaces = args.get(1).copied().unwrap_or(5) as usize;
    let seconds = args.get(2).copied().unwrap_or(60);
    let cluster = Cluster::start();
    let db = database_on(&cluster);
    let pg = rapport_engine::team::connect(db.url()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let hash = hash_password("a long enough password").unwrap();
    let mut workers = Vec::new();
    let mut user_ids = Vec::new();
    let mut client = pg.client().unwrap();
    for w in 0..spaces {
        let space = pg.create_workspace(&format!("client {w}")).unwrap().id;
        let engine = Engine::open_workspace(&pg, space, dir.path()).unwrap();
        let spec = SampleSpec { seed: w as u64 + 1, people: 200, ..SampleSpec::default() };
        engine.load_sample(&spec).unwrap();
        let people = engine.read().unwrap().stats().unwrap();
        println!("workspace {w}: {} interactions, {} people", people.interactions, people.people);
        let mut tokens = Vec::new();
        for u in 0..users / spaces {
            let user =
                tables::create_user(&mut *client, &format!("u{w}-{u}"), hash.as_str()).unwrap();
            tables::set_member(&mut *client, user, space.0, Role::Editor.as_str()).unwrap();
            let token = Token::generate(TokenKind::Api).unwrap();
            tables::create_api_token(&mut *client, &token.hash().0, user, space.0, "load").unwrap();
            tokens.push(token.text().to_owned());
            user_ids.push(user);
        }
        workers.push(tokens);
    }
    let options = TeamOptions {
        database: db.url().to_owned(),
        addr: ([127, 0, 0, 1], 0).into(),
        upload_limit: 1024 * 1024,
        local: dir.path().to_owned(),
        hosts: Vec::new(),
        pool_size: None,
        login_limit: rapport_engine::team::rules::LimiterParams::default(),
    };
    let running = rapport_server::start_team(options).unwrap();
    let base = format!("http://{}", running.addr());
    let agent = || -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into()
    };
    let get = |agent: &ureq::Agent, token: &str, path: &str| -> Option<(u16, String)> {
        let mut r = agent
            .get(&format!("{base}{path}"))
            .header("authorization", &format!("Bearer {token}"))
            .call()
            .ok()?;
        Some((r.status().as_u16(), r.body_mut().read_to_string().ok()?))
    };
    // Each workspace's people and actions, read once through the server (which opens its engine).
    let a = agent();
    let mut plan = Vec::new();
    for tokens in &workers {
        let people: Value =
            serde_json::from_str(&get(&a, &tokens[0], "/api/people?limit=50").unwrap().1).unwrap();
        let keys: Vec<String> = people["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["key"].as_str().unwrap().to_owned())
            .collect();
        let today: Value =
            serde_json::from_str(&get(&a, &tokens[0], "/api/today?limit=200").unwrap().1).unwrap();
        let actions: Vec<String> = today["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect();
        let (keys, actions) = (Arc::new(keys), Arc::new(actions));
        for token in tokens {
            plan.push(Worker {
                token: token.clone(),
                keys: Arc::clone(&keys),
                actions: Arc::clone(&actions),
            });
        }
    }
    println!("{} users across {spaces} workspaces for {seconds} s on {base}", plan.len());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let shared = Arc::new(base.clone());
    let threads: Vec<_> = plan
        .into_iter()
        .enumerate()
        .map(|(n, worker)| {
            let base = Arc::clone(&shared);
            std::thread::spawn(move || {
                let agent = agent();
                let auth = format!("Bearer {}", worker.token);
                let mut tally = Tally::default();
                let mut i = n;
                while Instant::now() < deadline {
                    i += 1;
                    let key = &worker.keys[i % worker.keys.len().max(1)];
                    let started = Instant::now();
                    let (status, write) = if i % 10 == 0 {
                        let name = format!("load-{n}-{i}");
                        let r = agent
                            .post(&format!("{base}/api/team/tokens"))
                            .header("authorization", &auth)
                            .header("content-type", "application/json")
                            .send(format!(r#"{{"name":"{name}"}}"#));
                        let status = r.map(|r| r.status().as_u16()).unwrap_or(0);
                        if status == 201 {
                            tally.tokens_created.push(name);
                        }
                        (status, true)
                    } else if i % 10 == 5 && !worker.actions.is_empty() {
                        let id = &worker.actions[(i / 10) % worker.actions.len()];
                        let r = agent
                            .post(&format!("{base}/api/today/{id}/done"))
                            .header("authorization", &auth)
                            .header("content-type", "application/json")
                            .send("{}");
                        let status = r.map(|r| r.status().as_u16()).unwrap_or(0);
                        if status < 300 {
                            tally.marked.push(id.clone());
                        }
                        (if status == 404 { 200 } else { status }, true)
                    } else {
                        let path = match READS[i % READS.len()] {
                            "/api/person/KEY" => format!("/api/person/{}", encode(key)),
                            other => other.to_owned(),
                        };
                        let r = agent
                            .get(&format!("{base}{path}"))
                            .header("authorization", &auth)
                            .call();
                        let status = r
                            .map(|mut r| {
                                let _ = r.body_mut().read_to_string();
                                r.status().as_u16()
                            })
                            .unwrap_or(0);
                        (status, false)
                    };
                    if !write {
                        tally.reads.push((i % READS.len(), started.elapsed()));
                    }
                    if !(200..300).contains(&status) {
                        tally.errors += 1;
                        if tally.errors <= 2 {
                            eprintln!("error: status {status} (a write: {write})");
                        }
                    }
                }
                (worker, tally)
            })
        })
        .collect();
    let mut by_kind: Vec<(usize, Duration)> = Vec::new();
    let (mut errors, mut created, mut lost_tokens, mut lost_marks, mut marks) = (0, 0, 0, 0, 0);
    let mut results = Vec::new();
    for t in threads {
        results.push(t.join().unwrap());
    }
    let existing: HashSet<String> = user_ids
        .iter()
        .flat_map(|user| tables::api_tokens(&mut *client, *user).unwrap())
        .map(|t| t.name)
        .collect();
    for (worker, tally) in &results {
        by_kind.extend(&tally.reads);
        errors += tally.errors;
        created += tally.tokens_created.len();
        lost_tokens += tally.tokens_created.iter().filter(|n| !existing.contains(*n)).count();
        let today: Value =
            serde_json::from_str(&get(&a, &worker.token, "/api/today?limit=1000").unwrap().1)
                .unwrap();
        let listed: HashSet<&str> = today["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        marks += tally.marked.len();
        lost_marks += tally.marked.iter().filter(|id| listed.contains(id.as_str())).count();
    }
    let mut reads: Vec<Duration> = by_kind.iter().map(|(_, d)| *d).collect();
    reads.sort_unstable();
    let at = |q: f64| quantile(&reads, q);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "reads {}: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; writes: {created} tokens, {marks} actions done; errors {errors}; lost writes: {lost_tokens} tokens, {lost_marks} actions; load average {}",
        reads.len(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        reads.last().unwrap().as_secs_f64() * 1e3,
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    for (kind, path) in READS.iter().enumerate() {
        let mut these: Vec<Duration> =
            by_kind.iter().filter(|(k, _)| *k == kind).map(|(_, d)| *d).collect();
        these.sort_unstable();
        println!(
            "  {path}: {} reads, p50 {:.1} ms, p99 {:.1} ms",
            these.len(),
            quantile(&these, 0.50).as_secs_f64() * 1e3,
            quantile(&these, 0.99).as_secs_f64() * 1e3
        );
    }
    drop(running);
}

/// The reads, in turn (`KEY`: a person of the workspace).
const READS: [&str; 5] =
    ["/api/people?limit=20", "/api/today", "/api/person/KEY", "/api/team/me", "/people"];

/// The `q` quantile of sorted latencies (zero when there are none).
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let at = ((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1));
    sorted.get(at).copied().unwrap_or_default()
}

/// Percent-encodes a path segment (a person's key may be a URL).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
