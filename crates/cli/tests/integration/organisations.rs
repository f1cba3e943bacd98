//! Issue 18 on the real exports: which accounts the person/organisation classifier calls
//! organisations, on an X archive, a Mastodon archive and a LinkedIn export from ../shared/data,
//! and that none of them is today's reconnect or revive. The counts are printed for
//! EVALUATION.md; the handles asserted are brands' public accounts, read and checked by hand.
#![cfg(feature = "real-data")]

use serde_json::Value;

use rapport_test_support::shared_data::sample;

use crate::support::{Sandbox, arg};

/// How many of the strongest people the count looks at, beside the whole listing.
const TOP: usize = 50;

fn json(s: &Sandbox, args: &[&str]) -> Value {
    let out = s.rapport(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Imports `export` and returns the people the listing calls organisations, with the counts.
fn organisations(export: &str, brands: &[&str], people_too: &[&str]) -> Vec<String> {
    let s = Sandbox::new();
    s.rapport(&["import", arg(&sample(export))]).assert().success();
    let people = json(&s, &["people", "--format", "json", "--limit", "100000"]);
    let people = people.as_array().unwrap();
    let is_org = |p: &Value| p["kind"] == "organisation";
    let found: Vec<String> =
        people.iter().filter(|p| is_org(p)).map(|p| p["person"].as_str().unwrap().into()).collect();
    let top = people.iter().take(TOP).filter(|p| is_org(p)).count();
    let today = json(&s, &["today", "--format", "json", "--limit", "50"]);
    let today = today.as_array().unwrap();
    let mut in_today = 0;
    for item in today {
        let who = item["who"].as_str().unwrap();
        let person = json(&s, &["person", who, "--format", "json"]);
        if person["kind"] == "organisation" {
            in_today += 1;
            assert!(
                !matches!(item["kind"].as_str(), Some("reconnect" | "revive")),
                "an organisation to reconnect with: {item} ({})",
                person["kind_evidence"]
            );
        }
    }
    println!(
        "{export}: {} of {} people are organisations ({top} of the top {TOP}); {in_today} of today's {} items",
        found.len(),
        people.len(),
        today.len()
    );
    for brand in brands {
        assert!(found.iter().any(|f| f == brand), "{brand} is an organisation: {found:?}");
    }
    for person in people_too {
        assert!(!found.iter().any(|f| f == person), "{person} is a person: {found:?}");
    }
    found
}

#[test]
fn x_archive_brands_are_organisations() {
    // Company suffixes in display names and support, help, hq and pod handles; `@github` has
    // neither (the X archive gives its handle and name only) and stays out of today as an
    // audience instead.
    let found = organisations(
        "export-sample-twitter-archive/2022-11-14",
        &["@N26_Support", "@hoodiehq", "@cyberport_de", "@GitHubHelp", "@reactivepod"],
        &["@github"],
    );
    assert!(found.len() < 20, "a few brands, not everyone: {found:?}");
}

#[test]
fn mastodon_archive_official_accounts_are_organisations() {
    let found = organisations(
        "export-sample-mastodon/2024-07-23",
        &["@pop_os_official@fosstodon.org"],
        &[],
    );
    assert!(found.len() < 20, "a few brands, not everyone: {found:?}");
}

#[test]
fn linkedin_company_follows_are_organisations() {
    let file = sample("export-sample-linkedin/2022-09-12/Company Follows.csv");
    let companies = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    let found = organisations("export-sample-linkedin/2022-09-12", &[], &[]);
    assert_eq!(found.len(), companies, "every followed company, and nobody else: {found:?}");
}
