//! `rapport connect mastodon` through the real binary against the Mastodon stand-in: the approval
//! page sends the code back to the command's loopback listener (RFC 8252), a browser on another
//! machine has its address pasted instead, a refusal connects nothing, and an instance that will not
//! take a loopback redirect is asked for a code to paste.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use rapport_test_support::mastodon::StandIn;

use crate::support::Sandbox;

/// `rapport connect mastodon` started, with what it printed up to the page to open.
pub(crate) struct Connecting {
    child: Child,
    printed: Vec<String>,
    pub(crate) page: String,
    /// The rest of what it says on stderr, read on so it never blocks on a full pipe.
    said: std::thread::JoinHandle<String>,
}

/// Starts `rapport [GLOBAL] connect mastodon URL [EXTRA]` on `s`'s store.
pub(crate) fn start(s: &Sandbox, server: &StandIn, global: &[&str], extra: &[&str]) -> Connecting {
    let bin = assert_cmd::cargo::cargo_bin("rapport");
    let mut child = Command::new(bin)
        .arg("--db")
        .arg(s.db())
        .args(global)
        .args(["connect", "mastodon", &server.url])
        .args(extra)
        .env_remove("RAPPORT_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines().map(Result::unwrap);
    let mut printed = Vec::new();
    let page = loop {
        let line = lines.next().expect("connect printed no page to open");
        if line.starts_with("http://") {
            break line;
        }
        printed.push(line);
    };
    let said = std::thread::spawn(move || lines.collect::<Vec<_>>().join("\n"));
    Connecting { child, printed, page, said }
}

impl Connecting {
    /// Types `line` as the user would.
    pub(crate) fn paste(&mut self, line: &str) {
        self.child.stdin.as_mut().unwrap().write_all(format!("{line}\n").as_bytes()).unwrap();
    }

    /// Waits for the command and returns whether it succeeded and what it printed on stdout (on
    /// stderr too when it failed).
    pub(crate) fn finish(self) -> (bool, String) {
        let out = self.child.wait_with_output().unwrap();
        let said = self.said.join().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        (out.status.success(), if out.status.success() { stdout } else { said })
    }
}

/// What the browser does with the address the approval page sends it to: one GET, the answer.
fn follow_redirect(address: &str) -> String {
    let rest = address.strip_prefix("http://").expect("a loopback address");
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    assert!(host.starts_with("127.0.0.1:"), "the redirect is to loopback: {address}");
    let mut stream = TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn the_approval_page_sends_the_code_back_and_nothing_is_pasted() {
    let s = Sandbox::new();
    let server = StandIn::start();
    let connecting = start(&s, &server, &[], &[]);
    assert!(connecting.printed.iter().any(|l| l.contains("goes on once the page sends you back")));
    assert!(
        connecting.page.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
        "{}",
        connecting.page
    );
    assert!(connecting.page.contains("&state="), "{}", connecting.page);
    // Another page's redirect, with a state of its own, is refused and waited past.
    let address = server.approve_and_redirect(&connecting.page);
    let (base, _) = address.split_once('?').unwrap();
    let forged = follow_redirect(&format!("{base}?code=forged&state=not-ours"));
    assert!(forged.starts_with("HTTP/1.1 400"), "{forged}");
    let answer = follow_redirect(&address);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("Rapport has your approval"), "{answer}");
    let (ok, out) = connecting.finish();
    assert!(ok, "{out}");
    assert!(out.starts_with("connected me@"), "{out}");
    let accounts = s.rapport(&["accounts"]).output().unwrap();
    assert!(String::from_utf8_lossy(&accounts.stdout).contains("me@"), "{accounts:?}");
}

#[test]
fn a_browser_on_another_machine_has_the_address_pasted() {
    let s = Sandbox::new();
    let server = StandIn::start();
    let mut connecting = start(&s, &server, &[], &[]);
    let address = server.approve_and_redirect(&connecting.page);
    connecting.paste(&address);
    let (ok, out) = connecting.finish();
    assert!(ok && out.starts_with("connected me@"), "{out}");
}

#[test]
fn a_refused_approval_connects_nothing() {
    let s = Sandbox::new();
    let server = StandIn::start();
    let connecting = start(&s, &server, &[], &[]);
    let address = server.approve_and_redirect(&connecting.page);
    let (base, query) = address.split_once('?').unwrap();
    let state = query.split('&').find(|p| p.starts_with("state=")).unwrap();
    let answer = follow_redirect(&format!("{base}?error=access_denied&{state}"));
    assert!(answer.contains("not approved"), "{answer}");
    let (ok, said) = connecting.finish();
    assert!(!ok);
    assert!(said.contains("did not approve Rapport (access_denied)"), "{said}");
    assert!(!s.dir.path().join("credentials.json").exists(), "nothing was connected");
}

#[test]
fn an_instance_refusing_the_loopback_redirect_is_asked_for_a_code() {
    let s = Sandbox::new();
    let server = StandIn::start();
    server.with(|st| st.oob_only = true);
    for extra in [&[][..], &["--paste-code"][..]] {
        let mut connecting = start(&s, &server, &[], extra);
        assert!(
            connecting.printed.iter().any(|l| l.contains("paste the code it shows")),
            "{:?}",
            connecting.printed
        );
        assert!(
            connecting.page.contains("urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"),
            "{}",
            connecting.page
        );
        let code = server.approve(&connecting.page);
        connecting.paste(&code);
        let (ok, out) = connecting.finish();
        assert!(ok && out.starts_with("connected me@"), "{extra:?}: {out}");
    }
}
