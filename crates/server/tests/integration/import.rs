//! Imports from the page: uploaded, imported as `rapport import` would, summarised the same way;
//! a hostile archive fails with a clear message and changes nothing.

use std::io::Write;

use crate::support::{Served, wait_for_job};

fn upload(served: &Served, name: &str, body: &[u8]) -> serde_json::Value {
    let headers = [("x-csrf-token", served.csrf.as_str())];
    let answer = served.post_bytes(&format!("/api/import?name={name}"), body, &headers);
    assert_eq!(answer.status, 202, "{}", answer.body);
    wait_for_job(served, answer.json()["id"].as_u64().expect("a job id"))
}

#[test]
fn an_uploaded_table_is_imported_with_the_summary_and_again_adds_nothing() {
    let served = Served::demo();
    let before = served.stats();
    let me = crate::support::ME;
    let table = format!(
        "timestamp,source,target,kind,network,text\n\
        2026-10-30T10:00:00Z,newfriend,{me},mention,mastodon,Where can I buy a compost bin?\n\
        2026-10-30T11:00:00Z,{me},newfriend,reply,mastodon,Happy to help!\n\
        not-a-date,newfriend,{me},like,mastodon,\n"
    );
    let job = upload(&served, "new%20friends.csv&skip_invalid=true", table.as_bytes());
    assert_eq!(job["state"], "done", "{job}");
    let file = &job["files"][0];
    assert_eq!(file["name"], "newfriends.csv");
    assert_eq!(file["format"], "csv");
    assert_eq!(file["new"], 2, "{job}");
    assert_eq!(file["skipped"], 1);
    let skip = &file["skipped_records"][0];
    assert!(skip["reason"].as_str().unwrap_or_default().contains("not-a-date"), "{skip}");
    assert!(!skip["file"].as_str().unwrap_or_default().contains("rapport-upload"), "{skip}");
    assert_eq!(served.stats().interactions, before.interactions + 2);
    // The people listing sees the new person straight away.
    assert!(served.get("/api/people?q=newfriend").json()["matching"] == 1);
    let again = upload(&served, "friends.csv&skip_invalid=true", table.as_bytes());
    assert_eq!(again["files"][0]["new"], 0);
    assert_eq!(again["files"][0]["known"], 2);
}

#[test]
fn a_hostile_archive_fails_clearly_and_changes_nothing() {
    let served = Served::demo();
    let before = served.stats();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("../../escape.csv", stored).expect("member");
    zip.write_all(b"timestamp,source,target,kind\n2026-01-01T00:00:00Z,a,b,follow\n")
        .expect("write");
    let bytes = zip.finish().expect("zip").into_inner();
    let job = upload(&served, "export.zip", &bytes);
    assert_eq!(job["state"], "failed", "{job}");
    let error = job["error"].as_str().expect("an error");
    assert!(error.contains("export.zip"), "{error}");
    assert!(!error.contains("rapport-upload-"), "the temporary folder leaks: {error}");
    assert_eq!(served.stats(), before);
    // A file that is not an export at all.
    let job = upload(&served, "photo.png", &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2]);
    assert_eq!(job["state"], "failed", "{job}");
    assert_eq!(served.stats(), before);
}
