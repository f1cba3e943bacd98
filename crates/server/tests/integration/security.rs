//! The Host check, the token, CSRF, and escaping of hostile names.

use crate::support::{Served, encode, wait_for_job};

#[test]
fn another_host_is_refused() {
    let served = Served::demo();
    let answer = served
        .raw("GET /api/people HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
    assert!(answer.contains("does not answer for the host"));
    let port = served.running.as_ref().expect("running").addr().port();
    let ok = served.raw(&format!(
        "GET /api/session HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
}

#[test]
fn changes_need_the_csrf_token_and_the_same_origin() {
    let served = Served::demo();
    let id = served.get("/api/today").json()["actions"][0]["id"].as_str().expect("id").to_owned();
    let path = format!("/api/today/{id}/done");
    let missing = served.post_with(&path, "{}", &[("content-type", "application/json")]);
    assert_eq!(missing.status, 403, "{}", missing.body);
    let wrong = served.post_with(
        &path,
        "{}",
        &[("x-csrf-token", "0000"), ("content-type", "application/json")],
    );
    assert_eq!(wrong.status, 403);
    let foreign = served.post_with(
        &path,
        "{}",
        &[
            ("x-csrf-token", served.csrf.as_str()),
            ("origin", "http://evil.example"),
            ("content-type", "application/json"),
        ],
    );
    assert_eq!(foreign.status, 403);
    assert!(foreign.json()["message"].as_str().unwrap_or_default().contains("evil.example"));
    // Nothing was marked done.
    assert!(served.get("/api/today").body.contains(&id));
    let same = served.post_with(
        &path,
        "{}",
        &[
            ("x-csrf-token", served.csrf.as_str()),
            ("origin", &served.base),
            ("content-type", "application/json"),
        ],
    );
    assert_eq!(same.status, 200, "{}", same.body);
}

#[test]
fn a_token_is_required_when_asked_for() {
    let token = "a-long-enough-test-token-0123456789";
    let served = Served::demo_with(|o| o.token = Some(token.to_owned()));
    // The session itself was read with the cookie-less agent: the harness needs the token too.
    assert_eq!(served.get("/api/people").status, 401);
    assert!(served.get("/").body.contains("needs its token"));
    let bearer = format!("Bearer {token}");
    assert_eq!(served.get_with("/api/people", &[("authorization", &bearer)]).status, 200);
    assert_eq!(served.get_with("/api/people", &[("authorization", "Bearer wrong")]).status, 401);
    let redirect = served.get(&format!("/people?token={token}&stage=close"));
    assert_eq!(redirect.status, 303, "{}", redirect.body);
    assert_eq!(redirect.header("location"), Some("/people?stage=close"));
    let cookie = redirect.header("set-cookie").expect("a cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().expect("pair");
    assert_eq!(served.get_with("/people", &[("cookie", pair)]).status, 200);
    assert!(
        rapport_server::start(rapport_server::Options {
            token: Some("short".into()),
            ..rapport_server::Options::local(&served.db, 0)
        })
        .is_err()
    );
}

#[test]
fn hostile_names_and_texts_are_escaped() {
    let served = Served::demo();
    let me = crate::support::ME;
    let table = format!(
        "timestamp,source,target,kind,network,text\n\
        2026-10-30T10:00:00Z,<script>alert(1)</script>,{me},mention,mastodon,\"<img src=x onerror=alert(2)> \u{1b}[31mred\"\n\
        2026-10-30T11:00:00Z,{me},<script>alert(1)</script>,reply,mastodon,\"thanks <b>you</b>\"\n"
    );
    let headers = [("x-csrf-token", served.csrf.as_str())];
    let job = served
        .post_bytes("/api/import?name=hostile.csv&format=csv", table.as_bytes(), &headers)
        .json();
    let job = wait_for_job(&served, job["id"].as_u64().expect("id"));
    assert_eq!(job["state"], "done", "{job}");
    let people = served.get("/api/people?q=script&limit=5").json();
    let key = people["people"][0]["key"].as_str().expect("the hostile account").to_owned();
    for path in [format!("/person/{}", encode(&key)), "/people?q=script".to_owned(), "/".to_owned()]
    {
        let page = served.get(&path);
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains("<script>alert"), "{path} lets a script through");
        assert!(!page.body.contains("<img src=x"), "{path} lets markup through");
    }
    let person = served.get(&format!("/person/{}", encode(&key)));
    assert!(person.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}
