//! `rapport graph` on edge-list files, with no store.

use crate::support::{Sandbox, arg};

/// `recommend --calibrate` chooses the blend from the file's own graph and says which, and
/// recommends nobody the user already follows.
#[test]
fn recommend_calibrates_the_blend_on_the_file() {
    let s = Sandbox::new();
    let file = s.dir.path().join("lfr.txt");
    let generate = ["graph", "generate", "lfr", "--nodes", "600", "--output", arg(&file)];
    s.rapport(&generate).assert().success();
    let out = s
        .rapport(&["graph", "recommend", "--user", "0", "--calibrate", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let blend = &report["blend"];
    let weights: f64 = ["ppr", "adamic_adar", "resource_allocation", "three_step", "local_path"]
        .iter()
        .map(|k| blend[k].as_f64().unwrap_or_else(|| panic!("no {k} in {blend}")))
        .sum();
    assert!((0.0..=1.0 + 1e-9).contains(&weights), "{blend}");
    assert!(report["calibrate_seconds"].as_f64().is_some());

    let text = std::fs::read_to_string(&file).unwrap();
    let followed: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once(char::is_whitespace))
        .filter_map(|(a, b)| match (a, b.trim()) {
            ("0", b) => Some(b),
            (a, "0") => Some(a),
            _ => None,
        })
        .collect();
    let rows = report["results"].as_array().unwrap_or_else(|| panic!("no results in {report}"));
    assert!(!rows.is_empty());
    for row in rows {
        let node = row["node"].to_string();
        assert!(!followed.contains(&node.trim_matches('"')), "recommended a neighbour: {node}");
    }
}
