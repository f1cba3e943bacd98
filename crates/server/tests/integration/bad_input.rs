//! Bad input gets the right status and a message that says what to do, and changes nothing.

use crate::support::Served;

/// Asserts a JSON error with this status whose message mentions `says`.
fn refused(answer: &crate::support::Answer, status: u16, says: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    let body = answer.json();
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains(says), "{message:?} does not mention {says:?}");
    assert!(body["error"].is_string());
}

#[test]
fn unknown_things_are_404s() {
    let served = Served::demo();
    refused(&served.get("/api/person/no-such-person-anywhere"), 404, "no-such-person-anywhere");
    refused(&served.get("/api/import/999"), 404, "no import job 999");
    refused(&served.get("/api/nothing-here"), 404, "nothing at /api/nothing-here");
    refused(&served.post("/api/today/ffffffff/done", "{}"), 404, "ffffffff");
    refused(&served.post("/api/today/ffffffff/snooze", r#"{"days": 3}"#), 404, "ffffffff");
    let page = served.get("/person/no-such-person-anywhere");
    assert_eq!(page.status, 404);
    assert!(page.body.contains("no-such-person-anywhere") && page.body.contains("<html"));
    assert_eq!(served.get("/assets/nothing.js").status, 404);
}

#[test]
fn malformed_requests_are_400s_and_change_nothing() {
    let served = Served::demo();
    let before = served.stats();
    refused(&served.post("/api/check", "{not json"), 400, "");
    refused(&served.post("/api/check", r#"{"text": "hi", "kind": "shout"}"#), 400, "shout");
    refused(&served.post("/api/check", r#"{"txt": "hi"}"#), 400, "");
    refused(&served.post("/api/check", r#"{"text": "hi", "network": "myspace"}"#), 400, "myspace");
    refused(&served.get("/api/people?sort=height"), 400, "height");
    refused(&served.get("/api/people?stage=bestie"), 400, "bestie");
    refused(&served.get("/api/people?trend=up"), 400, "up");
    refused(&served.get("/api/people?group=999"), 400, "999");
    refused(&served.get("/api/people?limit=-3"), 400, "");
    refused(&served.get("/api/people?colour=red"), 400, "colour");
    refused(&served.get("/api/discover?limit=100000"), 400, "at most");
    let action =
        served.get("/api/today").json()["actions"][0]["id"].as_str().expect("id").to_owned();
    refused(
        &served.post(&format!("/api/today/{action}/snooze"), r#"{"days": 0}"#),
        400,
        "1 to 365",
    );
    refused(&served.post(&format!("/api/today/{action}/snooze"), r#"{"days": "soon"}"#), 400, "");
    refused(
        &served.post("/api/person/merge", r#"{"accounts": ["mastodon:only-one"]}"#),
        400,
        "at least two",
    );
    refused(
        &served.post("/api/person/split", r#"{"account": "x:nobody-at-all"}"#),
        404,
        "nobody-at-all",
    );
    refused(&served.post("/api/import?format=word", "a,b"), 400, "word");
    refused(&served.post("/api/import?name=empty.csv", ""), 400, "empty");
    let long = "x".repeat(20_001);
    refused(
        &served.post("/api/check", &serde_json::json!({ "text": long }).to_string()),
        400,
        "20000",
    );
    assert_eq!(served.stats(), before);
    // The action is still there.
    assert!(served.get("/api/today").body.contains(&action));
}

#[test]
fn an_oversized_upload_is_refused_and_nothing_is_imported() {
    let served = Served::demo_with(|o| o.upload_limit = 1024);
    let before = served.stats();
    let mut table = String::from("timestamp,source,target,kind\n");
    for i in 0..200 {
        table.push_str(&format!("2026-01-01T00:00:00Z,someone{i},greenfork,mention\n"));
    }
    let headers = [("x-csrf-token", served.csrf.as_str())];
    let answer = served.post_bytes("/api/import?name=big.csv", table.as_bytes(), &headers);
    refused(&answer, 413, "larger than the server's cap");
    assert_eq!(served.stats(), before);
}
