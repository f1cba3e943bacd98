//! Issue 18 on the real one-sided exports (an X archive and a Mastodon archive from
//! ../shared/data): the import says what the export cannot show, the listing says "unknown"
//! rather than zero, and today's list holds no retweet quoted as a conversation, no brand or bot
//! to reconnect with, and no tie silent for years above a labelled revive.
#![cfg(feature = "real-data")]

use predicates::str::contains;
use serde_json::Value;

use rapport_test_support::shared_data::sample;

use crate::real_data::data;
use crate::support::{Sandbox, arg};

/// Today's items other than a revive are at most this old (the dormant threshold, a year).
const DORMANT_DAYS: i64 = 365;

fn json(s: &Sandbox, args: &[&str]) -> Vec<Value> {
    let out = s.rapport(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

fn day_of(at: &str) -> i64 {
    let date = &at[..10];
    let mut parts = date.split('-').map(|p| p.parse::<i64>().unwrap());
    let (y, m, d) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    // Days from civil (Howard Hinnant's algorithm): enough to compare two dates in days.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy
}

/// Imports the sample `export` (`<collection>/<date>`) and checks what issue 18 asks of a one-sided export; `audiences` are accounts
/// of this export that are brands, shows or bots.
fn check(export: &str, format: &str, audiences: &[&str]) {
    let s = Sandbox::new();
    s.rapport(&["import", arg(&sample(export))])
        .assert()
        .success()
        .stdout(contains(format!("what it can show: this {format} export holds")));
    let people = json(&s, &["people", "--format", "json", "--limit", "10000"]);
    let unseen: Vec<&Value> = people.iter().filter(|p| p["other_side"] == "unseen").collect();
    assert!(unseen.len() * 2 > people.len(), "most relationships are one-sided");
    for p in &unseen {
        assert!(p["reciprocity"].is_null() && p["to_me"].is_null(), "{p}");
    }
    // Stages read the unseen side as unknown, not as "never answered": a conversation the owner
    // kept up, or one between mutual follows, is mutual; one reply stays engaged.
    let stages = |stage: &str| unseen.iter().filter(|p| p["stage"] == stage).count();
    let (engaged, mutual) = (stages("engaged"), stages("mutual") + stages("close"));
    println!(
        "{format}: {} one-sided relationships, {engaged} engaged, {mutual} mutual or close",
        unseen.len()
    );
    assert!(
        mutual > 0 && engaged > 0,
        "one-sided stages are not all engaged: {engaged} engaged, {mutual} mutual"
    );
    let today = json(&s, &["today", "--format", "json", "--limit", "50"]);
    assert!(!today.is_empty(), "today has something to do");
    let as_of = people.iter().filter_map(|p| p["last"].as_str()).map(day_of).max().unwrap();
    let mut revives = 0;
    for (rank, item) in today.iter().enumerate() {
        let why = item["why"].as_str().unwrap();
        assert!(!why.contains("\"RT @"), "a retweet quoted as a conversation: {item}");
        let who = item["who"].as_str().unwrap();
        assert!(!audiences.contains(&who), "an audience to reconnect with: {item}");
        if item["kind"] == "revive" {
            revives += 1;
            assert!(rank + 1 == today.len(), "a revive ranks last: {item}");
            assert!(why.starts_with("revive a dormant tie"), "{item}");
        } else if let Some(at) = item["at"].as_str() {
            assert!(
                as_of - day_of(at) <= DORMANT_DAYS,
                "a dormant tie not labelled revive: {item}"
            );
        }
    }
    assert!(revives <= 1, "{today:?}");
}

#[test]
fn x_archive_is_one_sided_and_today_lists_people() {
    check("export-sample-twitter-archive/2022-11-14", "x", &["@github", "@reactivepod"]);
}

#[test]
fn mastodon_archive_is_one_sided_and_today_lists_people() {
    check(
        "export-sample-mastodon/2024-07-23",
        "mastodon",
        &["@merlinwisdom@botsin.space", "@oblique_strategies@botsin.space"],
    );
}

/// `rapport eval strength` on the public suite: investment at the shipped half-life, beside the
/// forecast and the baselines, on the tuning and the held-out cutoff. On the held-out cutoff
/// investment beats the plain count and loses to the forecast (EVALUATION.md says why).
#[test]
fn eval_strength_prints_investment_beside_the_forecast() {
    let s = Sandbox::new();
    let messages = data("snap-collegemsg/CollegeMsg.txt");
    let dir = messages.parent().and_then(std::path::Path::parent).unwrap();
    let rows = json(&s, &["eval", "strength", "--data-dir", arg(dir), "--output", "json"]);
    let auc = |split: &str, score: &str| {
        rows.iter()
            .find(|r| r["split"] == split && r["score"].as_str().unwrap().starts_with(score))
            .unwrap_or_else(|| panic!("no {score} on the {split} cutoff: {rows:?}"))["roc_auc"]
            .as_f64()
            .unwrap()
    };
    for split in ["tuning", "held out"] {
        for score in ["investment (half-life 12", "forecast", "count", "recency", "decayed"] {
            let a = auc(split, score);
            assert!(a > 0.5 && a < 1.0, "{split} {score}: {a}");
        }
    }
    assert!(auc("held out", "investment") > auc("held out", "count"));
    assert!(auc("held out", "investment") < auc("held out", "forecast"));
}
