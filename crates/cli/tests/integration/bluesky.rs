//! `rapport import bsky:HANDLE --service URL` against Bluesky's own PDS on loopback: the binary
//! resolves the handle, downloads the repository with com.atproto.sync.getRepo and stores exactly
//! what the server holds. Runs with `RAPPORT_PDS_TEST=1` (set by .ci/run).

use predicates::str::contains;
use rapport_test_support::pds::{Harness, enabled};

use crate::support::Sandbox;

#[test]
fn import_from_a_real_server() {
    if !enabled("cli bluesky import") {
        return;
    }
    let h = Harness::start();
    let s = Sandbox::new();
    let service = h.get("service").to_owned();
    let plc = h.get("plc").to_owned();
    s.rapport(&["import", "bsky:alice.test", "--service", &service, "--plc", &plc])
        .assert()
        .success()
        .stdout(contains("bsky:alice.test"))
        .stdout(contains("(bluesky)"));
    let stats = s.stats();
    let posts = h.list("posts").len() as u64;
    assert_eq!(stats["posts"], posts, "{stats}");
    let mut want: Vec<(String, u64)> = Vec::new();
    for i in h.list("interactions") {
        let kind = i["kind"].as_str().unwrap().to_owned();
        match want.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => want.push((kind, 1)),
        }
    }
    let mut got: Vec<(String, u64)> = stats["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["kind"].as_str().unwrap().to_owned(), k["interactions"].as_u64().unwrap()))
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    // The owner is "me", and a second download adds nothing.
    s.rapport(&["me"]).assert().success().stdout(contains("alice.test on bluesky"));
    s.rapport(&["import", "bsky:alice.test", "--service", &service, "--plc", &plc])
        .assert()
        .success()
        .stdout(contains("new 0"));
    // An unknown handle is a clear error that changes nothing.
    s.rapport(&["import", "bsky:nobody.test", "--service", &service, "--plc", &plc])
        .assert()
        .failure()
        .stderr(contains("nobody.test"));
}
