//! Hostile input and faults (issue 17): what other people wrote never reaches the terminal or a
//! spreadsheet as a command, files are replaced only when they are files, the store is private,
//! checked before it is written, and readable where it cannot be written, and records no genuine
//! export holds are refused.

use std::io::Write as _;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{Sandbox, arg};

/// Characters that must never reach a terminal raw: ESC, BEL, CSI as one C1 character, and a bidi
/// override.
const HOSTILE: [char; 4] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'];

fn assert_no_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for c in HOSTILE {
        assert!(!text.contains(c), "{what} holds {c:?} raw:\n{text}");
    }
}

/// A small X archive folder whose other accounts are named by a hostile stranger: Eve's display
/// name writes the clipboard (OSC 52), and Mallory's is a spreadsheet formula.
fn hostile_archive(s: &Sandbox) -> PathBuf {
    let root = s.dir.path().join("x-archive");
    std::fs::create_dir_all(root.join("data")).unwrap();
    let account = r#"window.YTD.account.part0 = [ { "account" : { "username" : "ada_lim", "accountId" : "1001", "accountDisplayName" : "Ada Lim" } } ]"#;
    let tweet = |id: u32, user: &str, handle: &str, name: &str, text: &str| {
        format!(
            r#"{{ "tweet" : {{ "id_str" : "{id}", "created_at" : "Thu Nov 03 08:50:26 +0000 2022", "full_text" : "{text}",
              "in_reply_to_status_id_str" : "9{id}", "in_reply_to_user_id_str" : "{user}", "in_reply_to_screen_name" : "{handle}",
              "entities" : {{ "hashtags" : [], "urls" : [],
                "user_mentions" : [ {{ "name" : "{name}", "screen_name" : "{handle}", "id_str" : "{user}" }} ] }} }} }}"#
        )
    };
    let tweets = format!(
        "window.YTD.tweets.part0 = [\n{},\n{}\n]",
        tweet(
            5001,
            "2002",
            "eve_x",
            r"Eve\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m\u202e",
            r"@eve_x thanks\u001b]8;;https://evil.example\u001b\\ click\u001b]8;;\u001b\\"
        ),
        tweet(5002, "2003", "mallory", r#"=HYPERLINK(\"https://evil.example\",\"open\")"#, "hi"),
    );
    std::fs::write(root.join("data/account.js"), account).unwrap();
    std::fs::write(root.join("data/tweets.js"), tweets).unwrap();
    root
}

#[test]
fn terminal_escapes_in_other_peoples_text_are_neutralised() {
    let s = Sandbox::new();
    let archive = hostile_archive(&s);
    let import = s.rapport(&["import", arg(&archive)]).output().unwrap();
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    assert_no_controls("the import summary", &import.stdout);
    let person = s.rapport(&["person", "eve_x"]).output().unwrap();
    assert!(person.status.success(), "{}", String::from_utf8_lossy(&person.stderr));
    assert_no_controls("person", &person.stdout);
    // The text is shown, with its escapes made visible.
    assert!(String::from_utf8_lossy(&person.stdout).contains("thanks\u{241b}]8;;"));
    let args: [&[&str]; 5] =
        [&["people"], &["today"], &["report"], &["people", "--format", "csv"], &["audit"]];
    for args in args {
        let out = s.rapport(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_no_controls(&format!("{args:?}"), &out.stdout);
    }
    // Error messages quote what they refuse, escapes included.
    let bad = s.file("bad.csv", "timestamp,source,target,kind\n,a,b,\u{1b}]52;c;eA==\u{7}\n");
    let out = s.rapport(&["import", arg(&bad)]).output().unwrap();
    assert!(!out.status.success());
    assert_no_controls("the error message", &out.stderr);
    assert!(String::from_utf8_lossy(&out.stderr).contains("\u{241b}]52;c;eA=="));
}

#[test]
fn csv_cells_that_look_like_formulas_are_quoted_unless_raw_is_asked() {
    let s = Sandbox::new();
    let table = s.file(
        "t.csv",
        "timestamp,source,target,kind\n\
         2024-03-01T09:30:00Z,ada,\"=HYPERLINK(\"\"https://evil.example\"\")\",reply\n\
         2024-03-01T09:31:00Z,ada,-2+3,reply\n2024-03-01T09:32:00Z,ada,+cmd|calc,reply\n",
    );
    s.rapport(&["import", arg(&table)]).assert().success();
    s.rapport(&["me", "ada"]).assert().success();
    let csv = s.rapport(&["people", "--format", "csv"]).output().unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    let firsts: Vec<&str> = text.lines().skip(1).map(|l| &l[..4]).collect();
    for cell in ["\"'=H", "'-2+", "'+cm"] {
        assert!(firsts.contains(&cell), "{cell} in {text}");
    }
    let raw = s.rapport(&["people", "--format", "csv-raw"]).output().unwrap();
    let text = String::from_utf8(raw.stdout).unwrap();
    for line in ["\"=HYPERLINK(\"\"https://evil.example\"\")\",", "-2+3,", "+cmd|calc,"] {
        assert!(text.contains(&format!("\n{line}")), "{line} in {text}");
    }
}

/// A store holding one small import.
fn imported() -> Sandbox {
    let s = Sandbox::new();
    let table = s.file(
        "t.csv",
        "timestamp,source,target,kind\n2024-03-01T09:30:00Z,ada,bram,reply\n2024-03-02T09:30:00Z,bram,ada,reply\n",
    );
    s.rapport(&["import", arg(&table)]).assert().success();
    s.rapport(&["me", "ada"]).assert().success();
    s
}

/// The names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn report_html_refuses_what_is_not_a_regular_file() {
    let s = imported();
    let dir = s.dir.path();
    // A FIFO: replacing it would destroy it, writing into it would hang or feed another program.
    let fifo = dir.join("pipe.html");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    // A symbolic link to a file the user never named.
    let target = s.file("precious.txt", "keep me");
    let link = dir.join("link.html");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    // A folder.
    let folder = dir.join("folder.html");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("inside"), "x").unwrap();
    let before = listing(dir);
    for (path, what) in [(&fifo, "a FIFO"), (&link, "a symbolic link"), (&folder, "a folder")] {
        s.rapport(&["report", "--html", arg(path)])
            .assert()
            .failure()
            .stderr(contains(what).and(contains("not a regular file")));
    }
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert_eq!(listing(dir), before, "a failed report left files behind");
    // A device.
    s.rapport(&["report", "--html", "/dev/null"]).assert().failure().stderr(contains("a device"));
}

#[test]
fn report_html_is_private_and_keeps_an_earlier_mode() {
    let s = imported();
    let new = s.dir.path().join("new.html");
    s.rapport(&["report", "--html", arg(&new)]).assert().success();
    assert_eq!(mode(&new), 0o600);
    let earlier = s.file("earlier.html", "old report");
    std::fs::set_permissions(&earlier, std::fs::Permissions::from_mode(0o640)).unwrap();
    s.rapport(&["report", "--html", arg(&earlier)]).assert().success();
    assert_eq!(mode(&earlier), 0o640);
    assert!(std::fs::read_to_string(&earlier).unwrap().contains("<html"));
}

#[test]
fn the_store_is_created_private() {
    let s = imported();
    assert_eq!(mode(&s.db()), 0o600);
}

#[test]
fn a_damaged_store_is_found_before_an_import_writes_into_it() {
    let s = imported();
    let before = std::fs::read(s.db()).unwrap();
    assert!(before.len() > 3 * 16384, "the store is {} bytes", before.len());
    // Page 3 (of 16 KiB pages) overwritten with garbage, as a disk fault would.
    let mut damaged = before.clone();
    for (i, b) in damaged[2 * 16384..3 * 16384].iter_mut().enumerate() {
        *b = (i * 7 + 13) as u8;
    }
    std::fs::write(s.db(), &damaged).unwrap();
    let more =
        s.file("more.csv", "timestamp,source,target,kind\n2024-03-05T09:30:00Z,ada,cy,reply\n");
    s.rapport(&["import", arg(&more)])
        .assert()
        .failure()
        .stderr(contains("is damaged").and(contains("nothing was written")).and(contains("--db")));
    assert_eq!(std::fs::read(s.db()).unwrap(), damaged, "the import wrote into a damaged store");
}

#[test]
fn a_missing_table_is_found_on_open() {
    let s = imported();
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    conn.execute_batch("DROP TABLE settings").unwrap();
    drop(conn);
    s.rapport(&["stats"])
        .assert()
        .failure()
        .stderr(contains("is damaged").and(contains("table settings")));
}

#[test]
fn a_store_in_a_read_only_folder_can_be_read() {
    let s = imported();
    let dir = s.dir.path();
    let nobody = 65_534;
    // /proc/self belongs to the process's own user.
    let as_root =
        std::os::unix::fs::MetadataExt::uid(&std::fs::metadata("/proc/self").unwrap()) == 0;
    // Root writes anywhere, so as root the commands run as `nobody`, who owns the store but not
    // its folder; otherwise the folder is simply made read-only.
    if as_root {
        std::os::unix::fs::chown(s.db(), Some(nobody), Some(nobody)).unwrap();
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = |args: &[&str]| {
        let mut cmd = if as_root {
            let mut cmd = std::process::Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
            cmd.arg(assert_cmd::cargo::cargo_bin("rapport"));
            cmd
        } else {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("rapport"))
        };
        cmd.current_dir("/").env_remove("RAPPORT_DB").arg("--db").arg(s.db()).args(args);
        cmd.output().unwrap()
    };
    let people = run(&["people"]);
    let stats = run(&["stats", "--format", "json"]);
    let more = s.dir.path().join("t.csv");
    let import = run(&["import", arg(&more)]);
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(people.status.success(), "{}", String::from_utf8_lossy(&people.stderr));
    assert!(String::from_utf8_lossy(&people.stdout).contains("bram"));
    assert!(stats.status.success(), "{}", String::from_utf8_lossy(&stats.stderr));
    assert!(!import.status.success());
    assert!(String::from_utf8_lossy(&import.stderr).contains("can only be read"));
}

/// Imports `body` and checks it fails with every fragment and leaves the store as it was.
fn refused(s: &Sandbox, name: &str, body: &[u8], fragments: &[&str]) {
    let before = s.stats();
    let path = s.file(name, body);
    let out = s.rapport(&["import", arg(&path)]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{name} was imported");
    for f in fragments {
        assert!(stderr.contains(f), "{name}: {stderr}");
    }
    assert_eq!(s.stats(), before, "{name} changed the store");
}

#[test]
fn a_quoted_csv_field_cannot_run_past_the_record_cap() {
    let s = imported();
    // A field opened and never closed, its text broken into short lines.
    let mut never_closed = b"timestamp,source,target,kind,text\n,a,b,reply,\"".to_vec();
    let mut spanning = never_closed.clone();
    for _ in 0..40_000 {
        never_closed.extend_from_slice(b"forty bytes of text on a line of its own\n");
    }
    refused(&s, "open.csv", &never_closed, &["open.csv", "longer than 1048576 bytes", "quote"]);
    // A field that does close, but only after 1.6 MB.
    spanning.extend_from_slice(&never_closed[46..]);
    spanning.extend_from_slice(b"\"\n");
    refused(&s, "spanning.csv", &spanning, &["spanning.csv", "longer than 1048576 bytes"]);
}

#[test]
fn a_record_dated_after_the_import_cannot_move_now() {
    let s = imported();
    let body = b"timestamp,source,target,kind\n2024-03-03T09:30:00Z,ada,cy,reply\n9999-01-01T00:00:00Z,cy,ada,reply\n";
    refused(&s, "future.csv", body, &["future.csv", "line 3", "9999-01-01", "--skip-invalid"]);
    let path = s.file("future.csv", body);
    s.rapport(&["import", "--skip-invalid", arg(&path)])
        .assert()
        .success()
        .stdout(contains("skipped 1").and(contains("after this import")));
    let stats = s.stats();
    assert!(!stats.to_string().contains("9999"), "{stats}");
    s.rapport(&["today"]).assert().success().stdout(contains("2024-03-03"));
}

#[test]
fn a_nul_byte_cannot_make_a_lookalike_account() {
    let s = imported();
    // Past the first 8 KiB, where binary files are recognised.
    let mut body = b"timestamp,source,target,kind\n".to_vec();
    for n in 0..400 {
        body.extend_from_slice(
            format!("2024-01-01T00:00:{:02}Z,ada,p{n},follow\n", n % 60).as_bytes(),
        );
    }
    body.extend_from_slice(b"2024-01-02T00:00:00Z,b\0ob,ada,reply\n");
    refused(&s, "nul.csv", &body, &["nul.csv", "line 402", "control character"]);
    let path = s.file("nul.csv", &body);
    s.rapport(&["import", "--skip-invalid", arg(&path)]).assert().success();
    let people = s.rapport(&["people", "--format", "json", "--limit", "1000"]).output().unwrap();
    let text = String::from_utf8(people.stdout).unwrap();
    assert!(!text.contains("b\\u0000ob") && !text.contains("\"bob\""), "{text}");
}

/// A zip of stored (uncompressed) members, names repeated as given: zip writers refuse to write
/// such an archive, so it is assembled here byte by byte.
fn stored_zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in members {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = out.len() as u32;
        let fixed = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&0u16.to_le_bytes()); // stored
            v.extend_from_slice(&0u32.to_le_bytes()); // time and date
            v.extend_from_slice(&crc.sum().to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(b"PK\x03\x04");
        fixed(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        fixed(&mut central);
        central.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn a_zip_with_two_members_of_one_name_is_refused() {
    let s = imported();
    let account = |id: &str| {
        format!(
            r#"window.YTD.account.part0 = [ {{ "account" : {{ "username" : "u{id}", "accountId" : "{id}" }} }} ]"#
        )
    };
    let follower = br#"window.YTD.follower.part0 = [ { "follower" : { "accountId" : "7" } } ]"#;
    let (first, second) = (account("1"), account("2"));
    let twice = stored_zip(&[
        ("data/account.js", first.as_bytes()),
        ("data/follower.js", follower),
        ("data/account.js", second.as_bytes()),
    ]);
    refused(&s, "twice.zip", &twice, &["twice.zip", "same name"]);
    // The same names told apart only by a doubled slash are one name too.
    let slashes = stored_zip(&[
        ("data/account.js", first.as_bytes()),
        ("data//account.js", second.as_bytes()),
        ("data/follower.js", follower),
    ]);
    refused(&s, "slashes.zip", &slashes, &["slashes.zip", "data//account.js", "same name"]);
    // The builder itself makes archives that import.
    let once = stored_zip(&[("data/account.js", first.as_bytes()), ("data/follower.js", follower)]);
    let path = s.file("once.zip", once);
    s.rapport(&["import", arg(&path)]).assert().success().stdout(contains("new 3"));
}

/// A server on loopback that answers every request with `reply` (once per connection, up to
/// `connections`), then closes.
fn serve(reply: &'static [u8], connections: usize) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut request);
            let _ = stream.write_all(reply);
        }
    });
    address
}

#[test]
fn a_bsky_download_announcing_too_much_is_refused_before_reading() {
    let s = imported();
    let service = serve(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{\"did\":",
        1,
    );
    let before = s.stats();
    s.rapport(&["import", "bsky:alice.test", "--service", &service])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .failure()
        .stderr(contains("announced 10000000000 bytes").and(contains("nothing was downloaded")));
    assert_eq!(s.stats(), before);
}

#[test]
fn a_servers_error_message_cannot_drive_the_terminal() {
    let s = imported();
    let service = serve(
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 65\r\n\r\n{\"error\":\"InvalidRequest\",\"message\":\"\\u001b]52;c;ZXZpbA==\\u0007\"}",
        1,
    );
    let out = s
        .rapport(&["import", "bsky:alice.test", "--service", &service])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_no_controls("the error message", &out.stderr);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("InvalidRequest: \u{241b}]52;c;ZXZpbA==\u{2407}"), "{stderr}");
}
