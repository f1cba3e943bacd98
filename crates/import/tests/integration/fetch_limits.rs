//! `bsky:` downloads against servers that misbehave, each a tiny HTTP server this test starts on
//! loopback: one that never answers, one that stalls in the middle of the body, one that trickles
//! forever, one that announces more than the limit and one that sends more than it. Every case
//! stops within its limit with a message that says which limit it was.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use rapport_import::bluesky::{FetchLimits, fetch_repo_within};

/// How the test server behaves once it has read a request.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Reads the request and says nothing.
    Silent,
    /// Sends headers and part of the body, then nothing.
    Stall,
    /// Sends headers, then a byte of a chunked body every 200 ms, forever.
    Trickle,
    /// Sends a chunked body of this many bytes.
    Chunked(usize),
}

/// Starts the server; it serves at most a few connections, each for at most 20 s.
fn serve(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let started = Instant::now();
                let alive = || started.elapsed() < Duration::from_secs(20);
                match behaviour {
                    Behaviour::Silent => {
                        while alive() {
                            std::thread::sleep(Duration::from_millis(100));
                        }
                    }
                    Behaviour::Stall => {
                        let _ = stream.write_all(
                            b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"did\":\"did:pl",
                        );
                        while alive() {
                            std::thread::sleep(Duration::from_millis(100));
                        }
                    }
                    Behaviour::Trickle => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                        while alive() && stream.write_all(b"1\r\n \r\n").is_ok() {
                            std::thread::sleep(Duration::from_millis(200));
                        }
                    }
                    Behaviour::Chunked(total) => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                        let chunk = vec![b' '; 64 << 10];
                        let mut sent = 0;
                        while sent < total && alive() {
                            let head = format!("{:x}\r\n", chunk.len());
                            let ok = stream.write_all(head.as_bytes()).is_ok()
                                && stream.write_all(&chunk).is_ok()
                                && stream.write_all(b"\r\n").is_ok();
                            if !ok {
                                break;
                            }
                            sent += chunk.len();
                        }
                        let _ = stream.write_all(b"0\r\n\r\n");
                    }
                }
            });
        }
    });
    address
}

const LIMITS: FetchLimits = FetchLimits {
    connect: Duration::from_secs(2),
    read: Duration::from_secs(1),
    total: Duration::from_secs(3),
    max_repo: 1 << 20,
};

/// Fetches from a server behaving so, and returns the error and how long it took.
fn fails(behaviour: Behaviour, spec: &str) -> (String, Duration) {
    let service = serve(behaviour);
    let started = Instant::now();
    let err = match fetch_repo_within(spec, &service, &LIMITS) {
        Ok(_) => panic!("the download succeeded"),
        Err(e) => e.to_string(),
    };
    (err, started.elapsed())
}

#[test]
fn a_server_that_never_answers_is_left_after_the_read_timeout() {
    let (err, took) = fails(Behaviour::Silent, "bsky:alice.test");
    assert!(err.contains("sent nothing for 1 s"), "{err}");
    assert!(err.contains("resolveHandle"), "{err}");
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn a_server_that_stalls_in_the_body_is_left_after_the_read_timeout() {
    let (err, _) = fails(Behaviour::Stall, "bsky:alice.test");
    assert!(err.contains("sent nothing for 1 s"), "{err}");
}

#[test]
fn a_server_that_trickles_is_left_at_the_deadline() {
    // A DID needs no resolution, so the trickle is the repository download itself.
    let (err, took) = fails(Behaviour::Trickle, "did:plc:abcdefghijklmnopqrstuvwx");
    assert!(err.contains("within 3 s, the deadline for the whole download"), "{err}");
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn a_body_longer_than_the_limit_is_cut_off() {
    let (err, _) = fails(Behaviour::Chunked(4 << 20), "did:plc:abcdefghijklmnopqrstuvwx");
    assert!(err.contains("sent more than 1048576 bytes for com.atproto.sync.getRepo"), "{err}");
}
