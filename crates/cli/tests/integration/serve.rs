//! `rapport serve`: the real binary prints its address, answers on it, and refuses a weak token.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::Sandbox;

#[test]
fn serve_prints_its_address_and_answers_there() {
    let sandbox = Sandbox::new();
    let demo = sandbox.rapport(&["demo", "--people", "40"]).output().expect("running the demo");
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let (mut child, addr) = serve(&sandbox, &[]);
    let answer = get_json(&addr, "/api/people?limit=1");
    // The server runs until stopped: stop the one this test started.
    child.kill().expect("stopping the server");
    let _ = child.wait();
    assert_eq!(answer["people"].as_array().map(Vec::len), Some(1), "{answer}");
}

/// Starts `rapport serve --port 0` with `flags` before the subcommand; returns the child and the
/// address it printed.
fn serve(sandbox: &Sandbox, flags: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .env_remove("RAPPORT_DB")
        .arg("--db")
        .arg(sandbox.db())
        .args(flags)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting rapport serve");
    let mut first = String::new();
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    stdout.read_line(&mut first).expect("a line");
    let url = first.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:"));
    let addr = url.map(|u| u.trim_start_matches("http://").trim_end_matches('/').to_owned());
    (child, addr.unwrap_or_else(|| panic!("no address printed: {first}")))
}

/// The JSON body of `GET path` on `addr`.
fn get_json(addr: &str, path: &str) -> serde_json::Value {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
        .expect("send");
    let mut out = String::new();
    let _ = stream.read_to_string(&mut out);
    let (head, body) = out.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{out}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// `--as` and `--as-of` before `serve` give the pages the numbers the commands give with the same
/// flags: the people (order, stage, counts, strength) and today's actions.
#[test]
fn serve_as_another_account_as_of_a_date_gives_the_commands_numbers() {
    let sandbox = Sandbox::new();
    let demo = sandbox.rapport(&["demo", "--people", "40"]).output().expect("running the demo");
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let json = |args: &[&str]| -> serde_json::Value {
        let out = sandbox.rapport(args).output().expect("rapport");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    // Someone with a history of their own, seen a month before the data ends.
    let everyone = json(&["people", "--format", "json"]);
    let other =
        everyone.as_array().expect("rows")[0]["person"].as_str().expect("a person").to_owned();
    let flags = ["--as", other.as_str(), "--as-of", "2025-01-15"];
    let cli_people = json(&[&flags[..], &["people", "--format", "json"]].concat());
    let cli_today = json(&[&flags[..], &["today", "--format", "json", "--limit", "50"]].concat());
    let (mut child, addr) = serve(&sandbox, &flags);
    let api_people = get_json(&addr, "/api/people?limit=1000");
    let api_today = get_json(&addr, "/api/today?limit=50");
    child.kill().expect("stopping the server");
    let _ = child.wait();

    let cli: Vec<(String, String, u64, u64, String)> = cli_people
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let strength = format!("{:.3}", r["strength"].as_f64().expect("strength"));
            let stage = r["stage"].as_str().expect("stage").to_owned();
            let person = r["person"].as_str().expect("person").to_owned();
            (
                person,
                stage,
                r["by_me"].as_u64().expect("n"),
                r["to_me"].as_u64().expect("n"),
                strength,
            )
        })
        .collect();
    let api: Vec<(String, String, u64, u64, String)> = api_people["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|r| {
            let strength = format!("{:.3}", r["strength"].as_f64().expect("strength"));
            let stage =
                if r["blocked"] == true { "blocked" } else { r["stage"].as_str().expect("stage") };
            let person = r["name"].as_str().expect("name").to_owned();
            (
                person,
                stage.to_owned(),
                r["by_me"].as_u64().expect("n"),
                r["to_me"].as_u64().expect("n"),
                strength,
            )
        })
        .collect();
    assert!(!cli.is_empty());
    assert_eq!(api, cli);
    assert_eq!(api_people["as_of"].as_str().map(|d| &d[..10]), Some("2025-01-15"));
    let ids = |rows: &serde_json::Value| -> Vec<String> {
        rows.as_array()
            .expect("rows")
            .iter()
            .map(|a| a["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(ids(&api_today["actions"]), ids(&cli_today));
}

#[test]
fn serve_refuses_a_weak_token() {
    let sandbox = Sandbox::new();
    sandbox
        .rapport(&["serve", "--port", "0", "--token", "short"])
        .timeout(Duration::from_secs(60))
        .assert()
        .failure()
        .stderr(predicates::str::contains("at least 16 characters"));
}
