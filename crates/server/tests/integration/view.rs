//! The view a request asks for: `as=` and `as_of=` in the address, as the CLI's `--as` and
//! `--as-of` do, over the server's own.

use rapport_engine::{Config, Engine};
use serde_json::json;

use crate::support::Served;

/// The address chooses the view as the CLI's flags do: `as_of` gives the engine's numbers for that
/// day, the page says so and keeps it in its navigation, and a bad date is a clear 400.
#[test]
fn the_address_chooses_the_view() {
    use rapport_engine::{PeopleQuery, View};
    let served = Served::demo();
    let day = rapport_engine::model::time::parse("2026-06-01").expect("a date");
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    let then = engine
        .read()
        .expect("read")
        .people(&View { as_of: Some(day), ..View::default() }, &PeopleQuery::default())
        .expect("people");
    drop(engine);
    let api = served.get("/api/people?as_of=2026-06-01&limit=1000&sort=strength").json();
    assert_eq!(api["total"].as_u64(), Some(then.people.len() as u64));
    let names: Vec<&str> = api["people"]
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    let expected: Vec<String> = then.people.iter().map(|p| p.label()).collect();
    assert_eq!(names, expected);
    let now = served.get("/api/people?limit=1000").json();
    assert_ne!(now["as_of"], api["as_of"], "the server's own view is unchanged");

    let page = served.get("/people?as_of=2026-06-01");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("viewing the store as of 2026-06-01"));
    assert!(page.body.contains("href=\"/map?as_of=2026-06-01\""), "the navigation keeps the view");
    // Every link to a person, on People and on Today, ends with the view the address chose.
    let person_links = |body: &str| -> Vec<String> {
        body.split("href=\"/person/")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
            .collect()
    };
    let on_people = person_links(&page.body);
    assert!(!on_people.is_empty(), "the listing links to people");
    let today_page = served.get("/?as_of=2026-06-01");
    assert_eq!(today_page.status, 200, "{}", today_page.body);
    let on_today = person_links(&today_page.body);
    assert!(!on_today.is_empty(), "today links to people");
    for link in on_people.iter().chain(&on_today) {
        assert!(link.ends_with("?as_of=2026-06-01"), "a person's link keeps the view: {link}");
    }
    let today = served.get("/api/today?as_of=2026-06-01&limit=5");
    assert_eq!(today.status, 200, "{}", today.body);
    let bad = served.get("/api/people?as_of=soon");
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.json()["message"].as_str().expect("m").contains("as_of 'soon'"));
    let sending = served
        .post("/api/send?as_of=2026-06-01", &json!({"action": "x", "text": "hi"}).to_string());
    assert_eq!(sending.status, 400, "{}", sending.body);
}
