//! Containers (zip, tar.gz, folder) and hostile or broken archives: each refused with a clear error
//! naming the member and position, before or instead of importing anything.

use std::io::Write;
use std::path::Path;

use rapport_import::{ErrorKind, Location};
use rapport_model::Record;

use crate::common::{fixture, import};

/// Every file under `dir`, as (path relative to `dir`, bytes), in name order.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn zip(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn tar_gz(members: &[(String, Vec<u8>)], link: Option<&str>) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for (name, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, bytes.as_slice()).unwrap();
    }
    if let Some(target) = link {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        builder.append_link(&mut header, "archive/outbox-link.json", target).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

/// Writes `bytes` to a scratch file and imports it.
fn import_bytes(
    bytes: &[u8],
    file_name: &str,
) -> Result<crate::common::Collected, rapport_import::ImportError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file_name);
    std::fs::write(&path, bytes).unwrap();
    import(&path)
}

fn prefixed(members: Vec<(String, Vec<u8>)>, prefix: &str) -> Vec<(String, Vec<u8>)> {
    members.into_iter().map(|(n, b)| (format!("{prefix}/{n}"), b)).collect()
}

fn records(c: &crate::common::Collected) -> &[Record] {
    &c.records
}

#[test]
fn a_zip_reads_like_its_folder() {
    for platform in ["x", "facebook", "mastodon", "linkedin"] {
        let folder = fixture(platform, "basic");
        let from_folder = import(&folder).unwrap();
        let bytes = zip(&prefixed(files(&folder), "export-2024"));
        let from_zip = import_bytes(&bytes, "export.zip").unwrap();
        assert_eq!(records(&from_zip), records(&from_folder), "{platform}");
    }
}

#[test]
fn a_mastodon_tar_gz_reads_like_its_folder() {
    let folder = fixture("mastodon", "basic");
    let bytes = tar_gz(&prefixed(files(&folder), "archive"), None);
    let from_tar = import_bytes(&bytes, "archive-20240723.tar.gz").unwrap();
    assert_eq!(records(&from_tar), records(&import(&folder).unwrap()));
}

#[test]
fn a_truncated_zip_is_refused() {
    let bytes = zip(&files(&fixture("x", "basic")));
    let err = import_bytes(&bytes[..bytes.len() / 2], "x.zip").unwrap_err();
    assert!(matches!(err.kind, ErrorKind::BadArchive(_)), "{err}");
    assert!(err.to_string().contains("download the export again"), "{err}");
}

#[test]
fn zip_slip_is_refused() {
    let mut members = files(&fixture("x", "basic"));
    members.push(("../../etc/evil.js".into(), b"x".to_vec()));
    let err = import_bytes(&zip(&members), "x.zip").unwrap_err();
    assert!(matches!(err.kind, ErrorKind::UnsafeMember(_)), "{err}");
    assert!(err.to_string().contains("../../etc/evil.js"), "{err}");
}

#[test]
fn a_zip_bomb_is_bounded() {
    let mut members = files(&fixture("x", "basic"));
    members.push(("data/tweets-part1.js".into(), vec![b' '; 8 << 20]));
    let err = import_bytes(&zip(&members), "x.zip").unwrap_err();
    assert!(matches!(err.kind, ErrorKind::CompressionRatio { .. }), "{err}");
    assert!(err.to_string().contains("data/tweets-part1.js"), "{err}");
}

#[test]
fn json_cut_in_half_names_the_member_and_line() {
    let members: Vec<(String, Vec<u8>)> = files(&fixture("x", "basic"))
        .into_iter()
        .map(|(n, b)| {
            if n == "data/tweets.js" {
                let half = b.len() / 2;
                (n, b[..half].to_vec())
            } else {
                (n, b)
            }
        })
        .collect();
    let err = import_bytes(&zip(&members), "x.zip").unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Malformed(_)), "{err}");
    match &err.location {
        Some(Location::Member { name, at: Some(at) }) => {
            assert_eq!(name, "data/tweets.js");
            assert!(matches!(**at, Location::Line(n) if n > 10), "{err}");
        }
        other => panic!("no member position: {other:?}"),
    }
    assert!(err.to_string().contains("cut short"), "{err}");
}

#[test]
fn a_symlink_in_a_tar_is_refused() {
    let bytes =
        tar_gz(&prefixed(files(&fixture("mastodon", "basic")), "archive"), Some("/etc/passwd"));
    let err = import_bytes(&bytes, "archive.tar.gz").unwrap_err();
    assert!(matches!(err.kind, ErrorKind::UnsafeMember(_)), "{err}");
}

#[test]
fn a_folder_that_is_no_export_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "shopping list").unwrap();
    let err = import(dir.path()).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Folder), "{err}");
}

#[test]
fn an_archive_without_its_owner_is_refused() {
    let members: Vec<(String, Vec<u8>)> = files(&fixture("mastodon", "basic"))
        .into_iter()
        .filter(|(n, _)| n != "actor.json")
        .collect();
    let err = import_bytes(&zip(&members), "m.zip").unwrap_err();
    assert!(matches!(err.kind, ErrorKind::NoOwner(_)), "{err}");
}

#[test]
fn a_tar_with_two_members_of_one_name_is_refused() {
    let mut members = prefixed(files(&fixture("mastodon", "basic")), "archive");
    let again = members.iter().find(|(n, _)| n.ends_with("outbox.json")).unwrap().clone();
    members.push(again);
    let err = import_bytes(&tar_gz(&members, None), "archive.tar.gz").unwrap_err();
    assert!(matches!(err.kind, ErrorKind::UnsafeMember(_)), "{err}");
    assert!(err.to_string().contains("same name"), "{err}");
}

#[test]
fn a_long_x_list_is_streamed_item_by_item() {
    // Every item arrives, numbered from 1, whatever the chunking of the stream, and a broken item
    // is named by its line.
    let n = 20_000;
    let mut follower = String::from("window.YTD.follower.part0 = [\n");
    for i in 0..n {
        let sep = if i + 1 < n { "," } else { "" };
        follower.push_str(&format!(
            "  {{ \"follower\" : {{ \"accountId\" : \"{}\", \"userLink\" : \"https://x/{i}\" }} }}{sep}\n",
            900_000 + i
        ));
    }
    follower.push(']');
    let account = br#"window.YTD.account.part0 = [ { "account" : { "username" : "o", "accountId" : "1" } } ]"#;
    let members = |follower: &str| {
        vec![
            ("data/account.js".to_owned(), account.to_vec()),
            ("data/follower.js".to_owned(), follower.as_bytes().to_vec()),
        ]
    };
    let c = import_bytes(&zip(&members(&follower)), "x.zip").unwrap();
    let follows =
        c.records.iter().filter(|r| matches!(r, Record::Interaction(i) if i.target == "1")).count();
    assert_eq!(follows, n);
    let broken = follower.replace("\"accountId\" : \"912345\"", "\"accountId\" 912345");
    let err = import_bytes(&zip(&members(&broken)), "x.zip").unwrap_err();
    assert_eq!(
        err.location,
        Some(Location::Member {
            name: "data/follower.js".into(),
            at: Some(Box::new(Location::Line(12_347)))
        }),
        "{err}"
    );
}

#[test]
fn members_in_memory_read_like_their_folder() {
    // Members handed in memory are streamed as often as the importer needs (X reads its tweets
    // twice: once for their authors, once to emit them).
    let folder = fixture("x", "basic");
    let mut c = crate::common::Collected::default();
    rapport_import::read_members(
        files(&folder),
        None,
        &rapport_import::ReadOptions::default(),
        &mut c,
    )
    .unwrap();
    assert_eq!(records(&c), records(&import(&folder).unwrap()));
}
