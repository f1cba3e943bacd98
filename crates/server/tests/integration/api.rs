//! Every page and every `/api/` endpoint answers over the demo store, with the engine's numbers.

use rapport_engine::{Config, Engine, PeopleQuery, TodayQuery, View};

use crate::support::{Served, encode};

#[test]
fn every_page_renders_with_data_and_the_strict_policy() {
    let served = Served::demo();
    let person = served.top_person();
    let pages = [
        ("/", "Today, "),
        ("/people", "relationships, as of"),
        (&format!("/person/{}", encode(&person)) as &str, "Timeline"),
        ("/map", "The map as a table"),
        ("/discover", "People who share your passions"),
        ("/groups", "Your groups"),
        ("/audit", "Your habits"),
        ("/import", "Import an export"),
    ];
    for (path, text) in pages {
        let page = served.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(page.header("content-type").is_some_and(|t| t.starts_with("text/html")), "{path}");
        assert!(page.body.contains(text), "{path} lacks {text:?}");
        let csp = page.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!page.body.contains("<script>"), "{path} has an inline script");
        assert!(!page.body.contains(" style=\""), "{path} has an inline style");
    }
    // The report page keeps its inline styles, allowed by hash, and no script at all.
    let report = served.get("/report");
    assert_eq!(report.status, 200);
    let csp = report.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains("style-src 'unsafe-hashes' 'sha256-") && !csp.contains("script-src"),
        "{csp}"
    );
}

#[test]
fn every_api_endpoint_answers_json() {
    let served = Served::demo();
    let person = served.top_person();
    for path in [
        "/api/".to_owned(),
        "/api/session".to_owned(),
        "/api/today".to_owned(),
        "/api/people?sort=trend&stage=mutual".to_owned(),
        format!("/api/person/{}", encode(&person)),
        "/api/map".to_owned(),
        "/api/discover".to_owned(),
        "/api/groups".to_owned(),
        "/api/audit".to_owned(),
        "/api/report".to_owned(),
    ] {
        let answer = served.get(&path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        assert!(answer.header("content-type").is_some_and(|t| t.starts_with("application/json")));
        answer.json();
    }
    let today = served.get("/api/today").json();
    assert!(!today["actions"].as_array().expect("actions").is_empty());
    let map = served.get("/api/map").json();
    let groups = served.get("/api/groups").json();
    assert!(!groups["groups"].as_array().expect("groups").is_empty());
    let column = |name: &str| -> Vec<f64> {
        let values = map["people"][name].as_array().expect("a column");
        values.iter().map(|v| v.as_f64().expect("a number")).collect()
    };
    let (x, y) = (column("x"), column("y"));
    assert_eq!(x.len(), map["count"].as_u64().expect("count") as usize);
    assert!(x.iter().zip(&y).all(|(x, y)| x.hypot(*y) <= 10_000.0));
}

/// Issue 18: the person data and page say person or organisation, with the evidence. The demo's
/// pitchers that describe themselves as automated are organisations; its top person is a person.
#[test]
fn person_or_organisation_with_the_evidence() {
    let served = Served::demo();
    let top = served.get(&format!("/api/person/{}", encode(&served.top_person()))).json();
    assert_eq!(top["kind"], "person", "{}", top["kind_evidence"]);
    let people = served.get("/api/people?limit=1000").json();
    let keys: Vec<String> = people["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| p["key"].as_str().expect("a key").to_owned())
        .collect();
    let organisation = keys
        .iter()
        .map(|k| (k, served.get(&format!("/api/person/{}", encode(k))).json()))
        .find(|(_, p)| p["kind"] == "organisation")
        .expect("the demo has an automated account");
    let evidence = organisation.1["kind_evidence"].as_array().expect("evidence");
    assert!(
        evidence
            .iter()
            .any(|e| e.as_str().is_some_and(|e| e.ends_with("describes itself as automated"))),
        "{evidence:?}"
    );
    let page = served.get(&format!("/person/{}", encode(organisation.0)));
    assert!(page.body.contains("organisation, from: "), "{}", page.body);
    assert!(page.body.contains("describes itself as automated"));
}

#[test]
fn the_numbers_are_the_engines() {
    let served = Served::demo();
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    let snapshot = engine.read().expect("read");
    let people = snapshot.people(&View::default(), &PeopleQuery::default()).expect("people");
    let api = served.get(&format!("/api/people?limit={}", people.people.len())).json();
    assert_eq!(api["total"].as_u64(), Some(people.people.len() as u64));
    for (mine, theirs) in people.people.iter().zip(api["people"].as_array().expect("people")) {
        assert_eq!(theirs["name"].as_str(), Some(mine.label().as_str()));
        // JSON numbers read back within a rounding step of what was written.
        let strength = theirs["strength"].as_f64().expect("strength");
        assert!((strength - mine.relationship.invested()).abs() < 1e-12, "{strength}");
        let next = theirs["next_30d"].as_f64().expect("next_30d");
        assert!((next - mine.relationship.strength).abs() < 1e-12, "{next}");
        assert_eq!(theirs["stage"].as_str(), Some(mine.relationship.stage.as_str()));
    }
    let map = served.get("/api/map").json();
    assert_eq!(map["count"].as_u64(), Some(people.people.len() as u64));
    for (i, p) in people.people.iter().enumerate() {
        let stage = map["people"]["stage"][i].as_u64().expect("a stage index") as usize;
        assert_eq!(map["stages"][stage].as_str(), Some(p.relationship.stage.as_str()));
        assert_eq!(map["people"]["name"][i].as_str(), Some(p.label().as_str()));
        let strength = map["people"]["strength"][i].as_f64().expect("strength") / 1000.0;
        assert!((strength - p.relationship.invested()).abs() <= 0.0005, "{strength}");
    }
    let today = snapshot.today(&View::default(), &TodayQuery { limit: 10 }).expect("today");
    let api = served.get("/api/today").json();
    let ids: Vec<&str> = api["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    let expected: Vec<&str> = today.actions.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, expected);
}

#[test]
fn people_filter_sort_and_search() {
    let served = Served::demo();
    let close = served.get("/api/people?stage=close&limit=1000").json();
    let rows = close["people"].as_array().expect("people");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|p| p["stage"] == "close"));
    let by_name = served.get("/api/people?sort=name&limit=1000").json();
    let names: Vec<&str> = by_name["people"]
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    let first = names[0].trim_start_matches('@');
    let found = served.get(&format!("/api/people?q={}", encode(&first.to_uppercase()))).json();
    assert!(
        found["people"]
            .as_array()
            .expect("people")
            .iter()
            .any(|p| p["name"].as_str() == Some(names[0]))
    );
    let group = served.get("/api/people?group=0&limit=1000").json();
    let size = served.get("/api/groups").json()["groups"][0]["size"].as_u64().expect("size");
    assert!(group["matching"].as_u64().expect("matching") <= size);
    let page = served.get("/people?stage=close&sort=name");
    assert!(page.body.contains("aria-sort=\"ascending\""));
}

#[test]
fn done_and_snooze_hide_actions_and_survive_a_restart() {
    let mut served = Served::demo();
    let today = served.get("/api/today").json();
    let actions = today["actions"].as_array().expect("actions");
    let done = actions[0]["id"].as_str().expect("id").to_owned();
    let snoozed = actions[1]["id"].as_str().expect("id").to_owned();
    assert_eq!(served.post(&format!("/api/today/{done}/done"), "{}").status, 200);
    let answer = served.post(&format!("/api/today/{snoozed}/snooze"), r#"{"days": 7}"#);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let hidden = |served: &Served| {
        let today = served.get("/api/today?limit=100").json();
        let ids: Vec<String> = today["actions"]
            .as_array()
            .expect("actions")
            .iter()
            .filter_map(|a| a["id"].as_str().map(str::to_owned))
            .collect();
        (ids, today["hidden"].as_u64().expect("hidden"))
    };
    let (ids, count) = hidden(&served);
    assert!(!ids.contains(&done) && !ids.contains(&snoozed));
    assert_eq!(count, 2);
    // A new server over the same store sees the same.
    served.running.take().expect("running").stop().expect("stop");
    let db = served.db.clone();
    let again = Served::demo_with(|o| o.db = db);
    let (ids, count) = hidden(&again);
    assert!(!ids.contains(&done) && !ids.contains(&snoozed));
    assert_eq!(count, 2);
}

#[test]
fn a_pitch_is_flagged_in_place() {
    let served = Served::demo();
    let person = served.top_person();
    let text = "Hi! We sell premium compost bins. 20% off this week only if you order today: https://shop.example/buy";
    let body = serde_json::json!({ "text": text, "kind": "dm", "to": person }).to_string();
    let report = served.post("/api/check", &body).json();
    assert_ne!(report["verdict"], "fine", "{report}");
    assert!(report["score"].as_f64().expect("score") > 0.3);
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let findings = report["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for f in findings {
        let (start, end) = (
            f["start"].as_u64().expect("start") as usize,
            f["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(
            String::from_utf16_lossy(&utf16[start..end]),
            f["phrase"].as_str().expect("phrase")
        );
        assert!(!f["suggestion"].as_str().expect("suggestion").is_empty());
    }
    let kind = served
        .post("/api/check", r#"{"text": "Congratulations on the harvest!", "kind": "reply"}"#)
        .json();
    assert_eq!(kind["verdict"], "fine");
}

#[test]
fn merge_and_split_from_the_suggestions() {
    let served = Served::demo();
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    let suggestion = engine
        .read()
        .expect("read")
        .suggest_merges()
        .expect("suggestions")
        .into_iter()
        .next()
        .expect("the demo has a suggestion");
    drop(engine);
    let spec = |a: &rapport_engine::AccountRow| format!("{}:{}", a.network.as_str(), a.native_id);
    let (a, b) = (spec(&suggestion.a), spec(&suggestion.b));
    let before = served.stats();
    let merged =
        served.post("/api/person/merge", &serde_json::json!({ "accounts": [a, b] }).to_string());
    assert_eq!(merged.status, 200, "{}", merged.body);
    let key = merged.json()["key"].as_str().expect("key").to_owned();
    let person = served.get(&format!("/api/person/{}", encode(&key)));
    assert_eq!(person.status, 200, "{}", person.body);
    assert_eq!(person.json()["accounts"].as_array().expect("accounts").len(), 2);
    let split = served.post("/api/person/split", &serde_json::json!({ "account": b }).to_string());
    assert_eq!(split.status, 200, "{}", split.body);
    assert_eq!(served.stats().accounts, before.accounts);
}
