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
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .env_remove("RAPPORT_DB")
        .arg("--db")
        .arg(sandbox.db())
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting rapport serve");
    let mut first = String::new();
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    stdout.read_line(&mut first).expect("a line");
    let url =
        first.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).map(str::to_owned);
    let answer = url.as_deref().map(|url| {
        let addr = url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        write!(
            stream,
            "GET /api/people?limit=1 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out);
        out
    });
    // The server runs until stopped: stop the one this test started.
    child.kill().expect("stopping the server");
    let _ = child.wait();
    assert!(url.is_some(), "no address printed: {first}");
    let answer = answer.unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"people\""), "{answer}");
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
