//! Starting a server over a fresh copy of the demo store, and a small HTTP client for the tests.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use rapport_engine::sample::SampleSpec;
use rapport_engine::{Config, Engine};
use rapport_server::{Options, Running};
use serde_json::Value;

/// What the demo business offers, so today's list has warm opportunities as in `rapport demo`.
const OFFER: &str = "compost bins, soil testing kits, rainwater workshops, leaf mould cages";

/// The demo owner's Mastodon account id, for tables that add interactions with "me".
pub(crate) const ME: &str = "https://garden.example/users/greenfork";

/// The demo store, built once per test run; each server gets its own copy.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("demo.db");
        let engine = Engine::open(&Config::with_db(&db)).expect("open the demo store");
        engine.load_sample(&SampleSpec::default()).expect("load the sample");
        engine.set_setting("offer", OFFER).expect("set the offer");
        engine.refresh_views().expect("compute the views");
        drop(engine);
        (dir, db)
    });
    path
}

/// A running server over its own copy of the demo store.
pub(crate) struct Served {
    pub(crate) running: Option<Running>,
    pub(crate) db: PathBuf,
    pub(crate) base: String,
    pub(crate) csrf: String,
    agent: ureq::Agent,
    _dir: tempfile::TempDir,
}

/// A response: status, headers and body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl Served {
    /// The demo store behind a server with default options.
    pub(crate) fn demo() -> Served {
        Served::demo_with(|_| {})
    }

    /// The demo store behind a server with options changed by `tweak`.
    pub(crate) fn demo_with(tweak: impl FnOnce(&mut Options)) -> Served {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("rapport.db");
        std::fs::copy(template(), &db).expect("copy the demo store");
        let mut options = Options::local(&db, 0);
        tweak(&mut options);
        let running = rapport_server::start(options).expect("start the server");
        let base = format!("http://{}", running.addr());
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .max_redirects(0)
            .build()
            .into();
        let mut served =
            Served { running: Some(running), db, base, csrf: String::new(), agent, _dir: dir };
        let bearer =
            served.running.as_ref().and_then(Running::token).map(|t| format!("Bearer {t}"));
        let session = match &bearer {
            Some(b) => served.get_with("/api/session", &[("authorization", b)]),
            None => served.get("/api/session"),
        };
        served.csrf = session.json()["csrf"].as_str().expect("a csrf token").to_owned();
        served
    }

    pub(crate) fn answer(
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Answer {
        let mut response = response.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .expect("a text body");
        Answer { status, headers, body }
    }

    pub(crate) fn get(&self, path: &str) -> Answer {
        Served::answer(self.agent.get(&format!("{}{path}", self.base)).call())
    }

    /// GET with extra headers.
    pub(crate) fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.get(&format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Served::answer(request.call())
    }

    /// POST a JSON body with the CSRF token, as the pages do.
    pub(crate) fn post(&self, path: &str, body: &str) -> Answer {
        self.post_with(
            path,
            body,
            &[("x-csrf-token", &self.csrf), ("content-type", "application/json")],
        )
    }

    /// POST a body with exactly these headers.
    pub(crate) fn post_with(&self, path: &str, body: &str, headers: &[(&str, &str)]) -> Answer {
        self.post_bytes(path, body.as_bytes(), headers)
    }

    pub(crate) fn post_bytes(&self, path: &str, body: &[u8], headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.post(&format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Served::answer(request.send(body))
    }

    /// A raw HTTP/1.1 request, for what a client library will not send (another Host).
    pub(crate) fn raw(&self, request: &str) -> String {
        let addr = self.running.as_ref().expect("running").addr();
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        stream.write_all(request.as_bytes()).expect("send");
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out);
        out
    }

    /// The store's counts, read directly (not through the server).
    pub(crate) fn stats(&self) -> rapport_engine::Stats {
        let engine = Engine::open(&Config::with_db(&self.db)).expect("open");
        engine.read().expect("read").stats().expect("stats")
    }

    /// The first person of the people listing, by key.
    pub(crate) fn top_person(&self) -> String {
        let people = self.get("/api/people?limit=1").json();
        people["people"][0]["key"].as_str().expect("a person").to_owned()
    }
}

/// Percent-encodes a path segment.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Waits (bounded) until an import job ends; returns its last state.
pub(crate) fn wait_for_job(served: &Served, id: u64) -> Value {
    for _ in 0..600 {
        let job = served.get(&format!("/api/import/{id}")).json();
        if job["state"] == "done" || job["state"] == "failed" {
            return job;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("import job {id} did not finish in a minute");
}
