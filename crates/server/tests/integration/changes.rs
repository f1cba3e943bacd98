//! Live updates: an open event stream hears about changes made through the server and from
//! outside it (another process importing into the same store).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use rapport_engine::{Config, Engine, ImportOptions};

use crate::support::Served;

/// Opens `/api/events` and returns a reader positioned after the headers.
fn listen(served: &Served) -> BufReader<TcpStream> {
    let addr = served.running.as_ref().expect("running").addr();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(1))).expect("timeout");
    write!(stream, "GET /api/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
        .expect("send");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).is_ok() && line == "\r\n" {
            return reader;
        }
    }
    panic!("no event stream");
}

/// Reads events until one named `name` arrives, for at most `seconds`.
fn heard(reader: &mut BufReader<TcpStream>, name: &str, seconds: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).is_ok() && line.contains(&format!("event: {name}")) {
            return true;
        }
    }
    false
}

#[test]
fn open_pages_hear_of_changes_from_the_server_and_from_outside() {
    let served = Served::demo();
    let mut events = listen(&served);
    let id = served.get("/api/today").json()["actions"][0]["id"].as_str().expect("id").to_owned();
    assert_eq!(served.post(&format!("/api/today/{id}/done"), "{}").status, 200);
    assert!(heard(&mut events, "actions", 10), "no event for done");
    // Another process imports into the same store: the watcher notices.
    let dir = tempfile::tempdir().expect("dir");
    let table = dir.path().join("outside.csv");
    std::fs::write(
        &table,
        "timestamp,source,target,kind\n2026-10-30T10:00:00Z,outsider,greenfork,mention\n",
    )
    .expect("write");
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    engine.import(&[table], &ImportOptions::default(), &mut NoProgress).expect("import");
    assert!(heard(&mut events, "data", 15), "no event for an outside import");
}

struct NoProgress;

impl rapport_engine::Progress for NoProgress {
    fn start(&mut self, _: &std::path::Path, _: u64) {}
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self) {}
}
