//! Importing interaction tables: formats, idempotence, the summary, "me" and listings.

use predicates::str::contains;

use crate::support::{Sandbox, arg};

const CSV: &str = "timestamp,source,target,kind,network,text\n\
2024-03-01T09:30:00Z,ada,bram,reply,mastodon,Thanks for the tip!\n\
2024-03-02T10:00:00Z,bram,ada,reply,mastodon,Any time.\n\
1709460000,ada,bram,dm,mastodon,Coffee?\n\
,ada,chidi,follow,mastodon,\n\
2024-03-04T08:00:00Z,chidi,ada,like,mastodon,\n\
2024-03-05T08:00:00Z,ada,ada,mention,mastodon,talking to myself\n";

#[test]
fn csv_import_counts_and_is_idempotent() {
    let s = Sandbox::new();
    let file = s.file("t.csv", CSV);
    s.rapport(&["import", arg(&file)])
        .assert()
        .success()
        .stdout(contains("read 6, new 5, already known 0, skipped 1"))
        .stdout(contains("line 7: ada mention ada"));
    s.rapport(&["import", arg(&file)])
        .assert()
        .success()
        .stdout(contains("read 6, new 0, already known 5, skipped 1"));
    let stats = s.stats();
    assert_eq!(stats["interactions"], 5);
    assert_eq!(stats["imports"], 2);
    let follow =
        stats["by_kind"].as_array().unwrap().iter().find(|k| k["kind"] == "follow").unwrap();
    assert_eq!(follow["undated"], 1, "an empty timestamp stays undated");
}

#[test]
fn jsonl_and_crlf_bom_csv_read_the_same() {
    let s = Sandbox::new();
    let jsonl = s.file(
        "t.jsonl",
        "{\"timestamp\":1709285400,\"source\":\"ada\",\"target\":\"bram\",\"kind\":\"reply\"}\n\
         {\"timestamp\":null,\"source\":\"ada\",\"target\":\"chidi\",\"kind\":\"follow\"}\n",
    );
    s.rapport(&["import", arg(&jsonl)]).assert().success().stdout(contains("new 2"));
    let crlf = s.file(
        "crlf.csv",
        "\u{feff}timestamp,source,target,kind\r\n2024-03-01T09:30:00Z,ada,bram,reply\r\n,ada,chidi,follow\r\n",
    );
    s.rapport(&["import", arg(&crlf)])
        .assert()
        .success()
        .stdout(contains("new 0, already known 2"));
}

#[test]
fn snap_formats_are_sniffed() {
    let s = Sandbox::new();
    let cases = [
        ("edges.txt", "# a comment\n1 2\n2 3\n", "(snap-edges)"),
        ("temporal.txt", "1 2 1082040961\n3 4 1082155839\n", "(snap-temporal)"),
        ("signed.csv", "6,2,4,1289241912\n6,5,-2,1289241942\n", "(snap-signed)"),
        ("higgs.txt", "223789 213163 1341100972 MT\n376989 50329 1341101181 RT\n", "(snap-higgs)"),
    ];
    for (name, body, format) in cases {
        let file = s.file(name, body);
        s.rapport(&["import", arg(&file)]).assert().success().stdout(contains(format));
    }
    let weighted = s.file("weighted.txt", "1 2 3\n2 3 1\n");
    s.rapport(&["import", arg(&weighted)]).assert().failure().stderr(contains("--kind"));
    s.rapport(&["import", "--kind", "reply", arg(&weighted)])
        .assert()
        .success()
        .stdout(contains("new 4"));
}

#[test]
fn gzip_is_read_transparently() {
    use std::io::Write;
    let s = Sandbox::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"1 2 1082040961\n3 4 1082155839\n").unwrap();
    let file = s.file("t.txt.gz", gz.finish().unwrap());
    s.rapport(&["import", arg(&file)]).assert().success().stdout(contains("new 2"));
}

#[test]
fn me_and_people_as_any_account() {
    let s = Sandbox::new();
    let file = s.file("t.csv", CSV);
    s.rapport(&["import", arg(&file)]).assert().success();
    s.rapport(&["people"]).assert().failure().stderr(contains("rapport me HANDLE"));
    s.rapport(&["me", "@ada"]).assert().success().stdout(contains("ada on mastodon"));
    let out = s.rapport(&["people", "--format", "json"]).output().unwrap();
    let people: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> =
        people.as_array().unwrap().iter().map(|p| p["person"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"bram") && names.contains(&"chidi"), "{names:?}");
    let out = s.rapport(&["--as", "bram", "people", "--format", "csv"]).output().unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.lines().nth(1).unwrap().starts_with("ada,"), "{csv}");
    s.rapport(&["--as", "nobody", "people"])
        .assert()
        .failure()
        .stderr(contains("no account 'nobody'"));
}

#[test]
fn as_of_ignores_later_data() {
    let s = Sandbox::new();
    let file = s.file("t.csv", CSV);
    s.rapport(&["import", arg(&file)]).assert().success();
    let out = s
        .rapport(&["--as", "ada", "--as-of", "2024-03-01T12:00:00Z", "people", "--format", "json"])
        .output()
        .unwrap();
    let people: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bram = people.as_array().unwrap().iter().find(|p| p["person"] == "bram").unwrap();
    assert_eq!(bram["by_me"], 1);
    assert_eq!(bram["to_me"], 0);
}

/// `rapport person --format csv` printed JSON (issue 12); it prints the timeline as CSV, one
/// interaction a row, oldest first, with who acted from the viewer's side.
#[test]
fn person_csv_is_the_timeline_as_csv() {
    let s = Sandbox::new();
    let file = s.file("t.csv", CSV);
    s.rapport(&["import", arg(&file)]).assert().success();
    s.rapport(&["me", "@ada"]).assert().success();
    let out = s.rapport(&["person", "bram", "--format", "csv"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(reader.headers().unwrap(), vec!["at", "from", "kind", "network", "text"]);
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let want = [
        ["2024-03-01T09:30:00Z", "you", "reply", "mastodon", "Thanks for the tip!"],
        ["2024-03-02T10:00:00Z", "they", "reply", "mastodon", "Any time."],
        ["2024-03-03T10:00:00Z", "you", "dm", "mastodon", "Coffee?"],
    ];
    assert_eq!(rows, want.map(|r| r.map(str::to_owned)));
    let out = s.rapport(&["--as", "bram", "person", "ada", "--format", "csv"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().nth(1).unwrap().contains(",they,reply,"), "seen from bram's side: {text}");
}
