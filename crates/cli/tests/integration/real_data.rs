//! The real-data suite through the binary: public datasets from ../shared/data (or
//! `$RAPPORT_DATA`) imported and read back with the figures their SOURCE.md files give.
#![cfg(feature = "real-data")]

use predicates::str::contains;

use crate::support::{Sandbox, arg};

pub(crate) use rapport_test_support::shared_data::path as data;

#[test]
fn higgs_activity_imports_every_interaction() {
    let s = Sandbox::new();
    let file = data("snap-higgs-twitter/higgs-activity_time.txt.gz");
    // 563,069 lines (SOURCE.md); 7,588 are accounts acting on themselves.
    s.rapport(&["import", arg(&file)])
        .assert()
        .success()
        .stdout(contains("read 563,069, new 555,481, already known 0, skipped 7,588"));
    let stats = s.stats();
    assert_eq!(stats["interactions"], 555_481);
    assert_eq!(stats["first"], "2012-07-01T00:02:52Z");
    assert_eq!(stats["last"], "2012-07-07T23:59:53Z");
    s.rapport(&["import", arg(&file)])
        .assert()
        .success()
        .stdout(contains("new 0, already known 555,481"));
    // Any account of the dataset can be "me".
    s.rapport(&["--as", "223789", "people", "--limit", "3"]).assert().success();
}

#[test]
fn collegemsg_and_bitcoin_tables() {
    let s = Sandbox::new();
    // 59,835 messages (SOURCE.md), of which 36 lines are exact repeats: kept, as distinct messages.
    s.rapport(&["import", arg(&data("snap-collegemsg/CollegeMsg.txt"))])
        .assert()
        .success()
        .stdout(contains("(snap-temporal): read 59,835, new 59,835"));
    // 35,592 ratings: 32,029 positive (likes), 3,563 negative (blocks).
    s.rapport(&["import", arg(&data("snap-bitcoin-otc/soc-sign-bitcoinotc.csv"))])
        .assert()
        .success()
        .stdout(contains("(snap-signed): read 35,592, new 35,592"));
    let stats = s.stats();
    let kinds = stats["by_kind"].as_array().unwrap();
    let count = |kind: &str| {
        kinds.iter().find(|k| k["kind"] == kind).unwrap()["interactions"].as_u64().unwrap()
    };
    assert_eq!((count("dm"), count("like"), count("block")), (59_835, 32_029, 3_563));
}

#[test]
fn eval_ties_on_one_dataset() {
    let s = Sandbox::new();
    let out = s
        .rapport(&[
            "eval",
            "ties",
            "--data",
            arg(&data("snap-collegemsg/CollegeMsg.txt")),
            "--cutoff",
            "2004-07-01",
            "--horizon",
            "30d",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let auc = |score: &str| {
        rows.as_array().unwrap().iter().find(|r| r["score"] == score).unwrap()["roc_auc"]
            .as_f64()
            .unwrap()
    };
    for baseline in ["count", "recency", "decayed count"] {
        assert!(
            auc("strength") > auc(baseline),
            "strength {} vs {baseline} {}",
            auc("strength"),
            auc(baseline)
        );
    }
}

/// The shipped weights are `rapport eval ties --fit`'s output on the public suite (X archive
/// included, through the importer), and with them strength beats every baseline on every dataset.
#[test]
fn the_fit_reproduces_the_shipped_weights_and_strength_beats_the_baselines() {
    let s = Sandbox::new();
    let written = s.dir.path().join("fitted.rs");
    let out = s
        .rapport(&["eval", "ties", "--fit", "--write", arg(&written), "--output", "json"])
        .env("RAPPORT_DATA", data(""))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let numbers = |source: &str| -> Vec<f64> {
        source
            .lines()
            .filter_map(|l| l.trim().trim_start_matches("intercept:").trim().strip_suffix(','))
            .filter_map(|n| n.trim().parse().ok())
            .collect()
    };
    let fitted = std::fs::read_to_string(&written).unwrap();
    let shipped = include_str!("../../../score/src/fitted.rs");
    let (ours, theirs) = (numbers(&fitted), numbers(shipped));
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + a.abs());
    assert!(
        ours.len() == theirs.len() && ours.iter().zip(&theirs).all(|(a, b)| close(*a, *b)),
        "the shipped weights are stale: run `rapport eval ties --fit --write \
         crates/score/src/fitted.rs`; the fit reads:\n{fitted}"
    );

    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut datasets: Vec<&str> = rows.iter().filter_map(|r| r["dataset"].as_str()).collect();
    datasets.dedup();
    assert_eq!(datasets, ["CollegeMsg", "Higgs activity", "Bitcoin OTC", "X archive"]);
    for dataset in datasets {
        let metric = |score: &str, metric: &str| {
            rows.iter()
                .find(|r| r["dataset"] == dataset && r["score"] == score)
                .and_then(|r| r[metric].as_f64())
                .unwrap()
        };
        for baseline in ["count", "recency", "decayed count"] {
            for m in ["roc_auc", "average_precision"] {
                let (ours, theirs) = (metric("strength", m), metric(baseline, m));
                assert!(ours > theirs, "{dataset}: strength {m} {ours} <= {baseline} {theirs}");
            }
        }
        // The one-sided model ranks the pairs as an export of one side shows them as well as
        // the two-sided model reading the unseen side as zero (EVALUATION.md has the figures).
        let (one_sided, as_zero) = (
            metric("one-sided view: one-sided model", "roc_auc"),
            metric("one-sided view: strength, unseen as 0", "roc_auc"),
        );
        assert!((one_sided - as_zero).abs() < 0.002, "{dataset}: {one_sided} against {as_zero}");
        if dataset == "CollegeMsg" {
            // Its probabilities are the shipped intercept's: as good as zeros' or better.
            let loss = |score: &str| metric(score, "log_loss");
            let (ours, zeros) = (
                loss("one-sided view: one-sided model"),
                loss("one-sided view: strength, unseen as 0"),
            );
            assert!(ours <= zeros, "one-sided log loss {ours} > {zeros}");
        }
    }
}

/// On every public graph, the ranking `rapport discover` uses beats personalized PageRank, common
/// neighbours and Adamic-Adar on recall@10, recall@20 and MRR (BENCHMARKS.md has the table).
#[test]
fn the_discover_ranking_beats_the_baselines_on_every_graph() {
    let s = Sandbox::new();
    let out = s
        .rapport(&["eval", "discover", "--users", "500", "--threads", "2", "--format", "json"])
        .env("RAPPORT_DATA", data(""))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut datasets: Vec<&str> = rows.iter().filter_map(|r| r["dataset"].as_str()).collect();
    datasets.dedup();
    assert_eq!(datasets.len(), 7, "{datasets:?}");
    for dataset in datasets {
        let metric = |method: &str, metric: &str| {
            rows.iter()
                .find(|r| r["dataset"] == dataset && r["method"] == method)
                .and_then(|r| r[metric].as_f64())
                .unwrap_or_else(|| panic!("{dataset}: no {metric} for {method}"))
        };
        for baseline in ["personalized PageRank", "common neighbours", "Adamic-Adar"] {
            for m in ["recall@10", "recall@20", "MRR"] {
                let ours = metric("circle of trust (calibrated blend)", m);
                let theirs = metric(baseline, m);
                assert!(ours > theirs, "{dataset}: ranking {m} {ours} <= {baseline} {theirs}");
            }
        }
    }
}
