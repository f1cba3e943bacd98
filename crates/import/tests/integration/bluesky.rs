//! The Bluesky repository importer on its committed fixture (alice's repository as a real PDS
//! served it, made by tests/bluesky-pds/harness.mjs) and on corrupt input: every fault is refused
//! with its byte offset before a single record is emitted.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rapport_import::{ErrorKind, Format, ImportError, Location, ReadOptions, bluesky};
use rapport_model::{InteractionKind, Record};

use crate::common::{Collected, fixture, import, render};

fn repo_path() -> PathBuf {
    fixture("bluesky", "pds-alice").join("repo.car")
}

fn repo() -> Vec<u8> {
    std::fs::read(repo_path()).unwrap()
}

/// Reads `bytes` as a repository, with `--skip-invalid` or not.
fn read(bytes: &[u8], skip_invalid: bool) -> (Result<(), ImportError>, Collected) {
    let mut sink = Collected::default();
    let options = ReadOptions { skip_invalid, ..ReadOptions::default() };
    let result = bluesky::read_bytes(bytes, Path::new("repo.car"), &options, &mut sink);
    (result, sink)
}

/// Reads `bytes`, expecting a refusal that emitted nothing; returns the offset and the message.
fn refused(bytes: &[u8]) -> (u64, String) {
    let (result, sink) = read(bytes, false);
    let err = result.expect_err("a corrupt repository was accepted");
    assert!(sink.records.is_empty(), "records were emitted before the refusal: {err}");
    let Some(Location::Offset(at)) = err.location else { panic!("no byte offset in: {err}") };
    assert!(matches!(err.kind, ErrorKind::BadRepository(_)), "{err}");
    (at, err.to_string())
}

/// The offsets and lengths of the file's sections (header first), by the CAR framing.
fn sections(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let (mut len, mut shift, mut used) = (0usize, 0, 0);
        loop {
            let b = bytes[at + used];
            len |= usize::from(b & 0x7f) << shift;
            shift += 7;
            used += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        out.push((at, used + len));
        at += used + len;
    }
    out
}

#[test]
fn snapshot() {
    let c = import(&repo_path()).unwrap();
    insta::assert_snapshot!(render(&c));
}

#[test]
fn detected_from_content_whatever_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("download");
    std::fs::write(&renamed, repo()).unwrap();
    assert_eq!(rapport_import::detect(&renamed).unwrap(), Format::BlueskyCar);
    assert_eq!("bluesky".parse::<Format>(), Ok(Format::BlueskyCar));
    assert_eq!(Format::BlueskyCar.name(), "bluesky");
}

#[test]
fn reduces_records_to_my_interactions() {
    let c = import(&repo_path()).unwrap();
    let me = c.me().unwrap().to_owned();
    for r in &c.records {
        if let Record::Interaction(i) = r {
            assert_eq!(i.source, me, "every interaction of a repository is the owner's own");
            assert_ne!(i.target, me);
            assert!(
                i.native_id.as_deref().is_some_and(|id| id.starts_with(&format!("at://{me}/")))
            );
        }
    }
    let kinds = [
        (InteractionKind::Follow, 2),
        (InteractionKind::Like, 1),
        (InteractionKind::Repost, 1),
        (InteractionKind::Block, 1),
        (InteractionKind::Reply, 1),
        (InteractionKind::Mention, 1),
        (InteractionKind::Quote, 1),
    ];
    for (kind, n) in kinds {
        assert_eq!(c.interactions(kind), n, "{kind}");
    }
    assert_eq!(c.posts(), 8);
}

/// `v1` wrapped as a CAR v2 file: the pragma, the header (characteristics, payload offset and
/// size, no index), a gap of `padding` bytes, then the payload.
fn car_v2(v1: &[u8], padding: usize) -> Vec<u8> {
    let mut out = b"\x0a\xa1\x67version\x02".to_vec();
    let offset = (11 + 40 + padding) as u64;
    out.extend_from_slice(&[0; 16]);
    out.extend_from_slice(&offset.to_le_bytes());
    out.extend_from_slice(&(v1.len() as u64).to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes());
    out.extend(std::iter::repeat_n(0xee, padding));
    out.extend_from_slice(v1);
    out
}

// Issue 17: CAR v2 files were refused, and detected as "binary file, not a text table".
#[test]
fn reads_car_v2_detected_from_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repo-v2.car");
    std::fs::write(&path, car_v2(&repo(), 7)).unwrap();
    assert_eq!(rapport_import::detect(&path).unwrap(), Format::BlueskyCar);
    let v2 = import(&path).unwrap();
    let v1 = import(&repo_path()).unwrap();
    assert_eq!(v2.records, v1.records);
}

#[test]
fn refuses_a_car_v2_whose_payload_lies_outside_the_file() {
    let (at, message) = refused(b"\x0a\xa1\x67version\x02");
    assert_eq!(at, 11);
    assert!(message.contains("ends inside its CAR v2 header"), "{message}");
    let mut bytes = car_v2(&repo(), 0);
    bytes.truncate(bytes.len() - 10);
    let (at, message) = refused(&bytes);
    assert_eq!(at, 27);
    assert!(message.contains("outside the file"), "{message}");
    // A fault inside the payload is reported at its offset in the whole file.
    let mut bytes = car_v2(&repo(), 5);
    let (start, len) = *sections(&repo()).last().unwrap();
    bytes[56 + start + len - 2] ^= 0x20;
    let (at, message) = refused(&bytes);
    assert_eq!(at, (56 + start) as u64);
    assert!(message.contains("does not match its CID"), "{message}");
}

#[test]
fn reading_twice_gives_the_same_records() {
    let (a, b) = (bluesky::parse(&repo()).unwrap(), bluesky::parse(&repo()).unwrap());
    assert_eq!(a, b);
}

#[test]
fn refuses_a_block_that_does_not_match_its_cid() {
    let mut bytes = repo();
    let (start, len) = *sections(&bytes).last().unwrap();
    bytes[start + len - 2] ^= 0x20;
    let (at, message) = refused(&bytes);
    assert_eq!(at, start as u64);
    assert!(message.contains("does not match its CID"), "{message}");
}

#[test]
fn refuses_a_truncated_file() {
    let bytes = repo();
    let (start, _) = *sections(&bytes).last().unwrap();
    let (at, message) = refused(&bytes[..bytes.len() - 3]);
    assert_eq!(at, start as u64);
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn refuses_a_repository_with_a_block_missing() {
    let bytes = repo();
    let mut parts = sections(&bytes);
    parts.remove(parts.len() / 2);
    let cut: Vec<u8> = parts.iter().flat_map(|(s, l)| bytes[*s..s + l].to_vec()).collect();
    let (_, message) = refused(&cut);
    assert!(message.contains("missing from the file"), "{message}");
}

#[test]
fn refuses_bad_headers() {
    let cases: [(&str, &[u8], &str); 5] = [
        ("empty", b"", "truncated"),
        ("zero length", b"\x00", "not that of a CAR file header"),
        ("not cbor", b"\x05hello", "not a valid DAG-CBOR map"),
        ("version 3", b"\x0a\xa1\x67version\x03", "CAR version 3"),
        ("no roots", b"\x11\xa2\x65roots\x80\x67version\x01", "names no root"),
    ];
    for (name, bytes, want) in cases {
        let (at, message) = refused(bytes);
        assert!(message.contains(want), "{name}: {message}");
        assert!(at <= 1, "{name}: {at}");
    }
}

#[test]
fn every_single_byte_change_is_refused() {
    let bytes = repo();
    for i in 0..bytes.len() {
        let mut changed = bytes.clone();
        changed[i] ^= 0x01;
        let (result, sink) = read(&changed, false);
        assert!(result.is_err(), "a change at byte {i} went unnoticed");
        assert!(sink.records.is_empty(), "a change at byte {i} emitted records first");
    }
}

#[test]
fn every_truncation_is_refused() {
    let bytes = repo();
    for len in 0..bytes.len() {
        assert!(read(&bytes[..len], false).0.is_err(), "a cut at byte {len} went unnoticed");
    }
}

#[test]
fn skip_invalid_skips_a_missing_record_instead() {
    let bytes = repo();
    let mut parts = sections(&bytes);
    // The last block of a PDS export is a record (the tree comes first, records after).
    parts.pop();
    let cut: Vec<u8> = parts.iter().flat_map(|(s, l)| bytes[*s..s + l].to_vec()).collect();
    let (result, sink) = read(&cut, true);
    result.unwrap();
    assert!(sink.skipped.iter().any(|s| s.reason.contains("missing from the file")));
}

/// A loopback server that answers each request with the canned answer whose XRPC method the path
/// names, then closes the connection; it serves `answers.len()` requests.
fn serve(answers: Vec<(&'static str, u16, Vec<u8>)>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for _ in 0..answers.len() {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            let (_, status, body) = answers.iter().find(|(m, _, _)| request.contains(m)).unwrap();
            let mut stream = reader.into_inner();
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(body).unwrap();
        }
    });
    address
}

fn fixture_did() -> String {
    let records = bluesky::parse(&repo()).unwrap();
    records
        .iter()
        .find_map(|r| if let Record::Me(a) = r { Some(a.id.clone()) } else { None })
        .unwrap()
}

/// The test account's signing key.
fn signing_key(seed: u8) -> k256::ecdsa::SigningKey {
    k256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap()
}

/// The fixture repository with its commit signed again by `key`: the commit block, its CID and the
/// header's root change, every other block stays.
fn resigned(key: &k256::ecdsa::SigningKey) -> Vec<u8> {
    use ipld_core::cid::Cid;
    use ipld_core::cid::multihash::Multihash;
    use ipld_core::ipld::Ipld;
    use k256::ecdsa::signature::Signer;
    use sha2::Digest;

    let bytes = repo();
    let all = sections(&bytes);
    let varint_len = |at: usize| bytes[at..].iter().position(|b| b & 0x80 == 0).unwrap() + 1;
    let (h_at, h_len) = all[0];
    let header: Ipld =
        serde_ipld_dagcbor::from_slice(&bytes[h_at + varint_len(h_at)..h_at + h_len]).unwrap();
    let Ipld::Map(mut header) = header else { panic!("header") };
    let Some(Ipld::List(roots)) = header.get("roots") else { panic!("roots") };
    let Ipld::Link(root) = roots[0] else { panic!("root") };
    let mut out = Vec::new();
    let push = |out: &mut Vec<u8>, parts: &[&[u8]]| {
        let mut len: usize = parts.iter().map(|p| p.len()).sum();
        while len >= 0x80 {
            out.push((len as u8 & 0x7f) | 0x80);
            len >>= 7;
        }
        out.push(len as u8);
        for p in parts {
            out.extend_from_slice(p);
        }
    };
    let mut blocks = Vec::new();
    let mut new_root = root;
    for &(at, len) in &all[1..] {
        let section = &bytes[at + varint_len(at)..at + len];
        let mut cursor = std::io::Cursor::new(section);
        let cid = Cid::read_bytes(&mut cursor).unwrap();
        let data = &section[cursor.position() as usize..];
        if cid != root {
            blocks.push((cid, data.to_vec()));
            continue;
        }
        let Ipld::Map(mut commit) = serde_ipld_dagcbor::from_slice::<Ipld>(data).unwrap() else {
            panic!("commit")
        };
        commit.remove("sig");
        let unsigned = serde_ipld_dagcbor::to_vec(&Ipld::Map(commit.clone())).unwrap();
        let sig: k256::ecdsa::Signature = key.sign(&unsigned);
        commit.insert("sig".into(), Ipld::Bytes(sig.to_bytes().to_vec()));
        let signed = serde_ipld_dagcbor::to_vec(&Ipld::Map(commit)).unwrap();
        let hash = Multihash::<64>::wrap(0x12, &sha2::Sha256::digest(&signed)).unwrap();
        new_root = Cid::new_v1(0x71, hash);
        blocks.push((new_root, signed));
    }
    header.insert("roots".into(), Ipld::List(vec![Ipld::Link(new_root)]));
    push(&mut out, &[&serde_ipld_dagcbor::to_vec(&Ipld::Map(header)).unwrap()]);
    for (cid, data) in blocks {
        push(&mut out, &[&cid.to_bytes(), &data]);
    }
    out
}

/// The DID document of `did` whose signing key is `key`.
fn did_document(did: &str, key: &k256::ecdsa::SigningKey) -> Vec<u8> {
    let multikey = bluesky::Key::K256(*key.verifying_key()).to_multikey();
    serde_json::json!({
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "alsoKnownAs": ["at://alice.test"],
        "verificationMethod": [{
            "id": format!("{did}#atproto"),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": multikey,
        }],
    })
    .to_string()
    .into_bytes()
}

#[test]
fn fetches_by_handle_and_imports_the_download() {
    let did = fixture_did();
    let key = signing_key(7);
    let service = serve(vec![
        ("resolveHandle", 200, format!(r#"{{"did":"{did}"}}"#).into_bytes()),
        ("getRepo", 200, resigned(&key)),
        ("GET /did:", 200, did_document(&did, &key)),
    ]);
    let fetched =
        bluesky::fetch_repo("bsky:@Alice.test", &format!("{service}/"), &service).unwrap();
    assert_eq!(
        (fetched.did.as_str(), fetched.handle.as_deref()),
        (did.as_str(), Some("alice.test"))
    );
    assert_eq!(fetched.origin(), PathBuf::from("bsky:alice.test"));
    let mut sink = Collected::default();
    bluesky::read_fetched(&fetched, &ReadOptions::default(), &mut sink).unwrap();
    let Some(Record::Me(me)) = sink.records.first() else { panic!("no me first") };
    assert_eq!((me.id.as_str(), me.handle.as_deref()), (did.as_str(), Some("alice.test")));
    let commit = sink.report("commit");
    assert!(commit.outcomes.keys().any(|o| o.starts_with("signature verified")), "{commit:?}");
}

// Issue 17: a download must carry the signature of the account's key from its DID document.
#[test]
fn refuses_a_download_the_account_did_not_sign() {
    let did = fixture_did();
    for (name, car) in
        [("signed by another key", resigned(&signing_key(8))), ("the fixture as served", repo())]
    {
        let service = serve(vec![
            ("resolveHandle", 200, format!(r#"{{"did":"{did}"}}"#).into_bytes()),
            ("getRepo", 200, car),
            ("GET /did:", 200, did_document(&did, &signing_key(7))),
        ]);
        let fetched = bluesky::fetch_repo("alice.test", &service, &service).unwrap();
        let mut sink = Collected::default();
        let err = bluesky::read_fetched(&fetched, &ReadOptions::default(), &mut sink).unwrap_err();
        assert!(sink.records.is_empty(), "{name}: records emitted");
        assert!(matches!(err.kind, ErrorKind::BadRepository(_)), "{name}: {err}");
        assert!(err.to_string().contains("signature is not the account's"), "{name}: {err}");
    }
}

#[test]
fn refuses_a_download_whose_did_document_is_missing_or_wrong() {
    let did = fixture_did();
    let key = signing_key(7);
    let cases = [
        ("missing", 404, b"{}".to_vec(), "answered 404"),
        ("another account's", 200, did_document("did:plc:someoneelse", &key), "not that of"),
        ("no key", 200, format!(r#"{{"id":"{did}"}}"#).into_bytes(), "no #atproto signing key"),
    ];
    for (name, status, document, want) in cases {
        let service = serve(vec![
            ("resolveHandle", 200, format!(r#"{{"did":"{did}"}}"#).into_bytes()),
            ("getRepo", 200, resigned(&key)),
            ("GET /did:", status, document),
        ]);
        let err = bluesky::fetch_repo("alice.test", &service, &service).unwrap_err().to_string();
        assert!(err.contains(want), "{name}: {err}");
    }
}

// Issue 17: for a bare file, the import says what was and was not verified.
#[test]
fn says_a_files_signature_is_not_verified() {
    let c = import(&repo_path()).unwrap();
    let commit = c.report("commit");
    assert!(commit.outcomes.keys().any(|o| o.starts_with("signature not verified")), "{commit:?}");
}

#[test]
fn refuses_the_repository_of_another_account() {
    let key = signing_key(7);
    let service = serve(vec![
        ("resolveHandle", 200, br#"{"did":"did:plc:someoneelse"}"#.to_vec()),
        ("getRepo", 200, resigned(&key)),
        ("GET /did:", 200, did_document("did:plc:someoneelse", &key)),
    ]);
    let fetched = bluesky::fetch_repo("alice.test", &service, &service).unwrap();
    let err = bluesky::read_fetched(&fetched, &ReadOptions::default(), &mut Collected::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("not of did:plc:someoneelse"), "{err}");
}

#[test]
fn reports_the_servers_reason() {
    let body = br#"{"error":"InvalidRequest","message":"Unable to resolve handle"}"#.to_vec();
    let service = serve(vec![("resolveHandle", 400, body)]);
    let err = bluesky::fetch_repo("bsky:nobody.test", &service, &service).unwrap_err().to_string();
    assert!(err.starts_with("bsky:nobody.test: could not download"), "{err}");
    assert!(err.contains("400") && err.contains("Unable to resolve handle"), "{err}");
}

#[test]
fn reports_an_unreachable_server() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let service = format!("http://127.0.0.1:{port}");
    let err = bluesky::fetch_repo("did:plc:abc", &service, &service).unwrap_err();
    assert!(err.to_string().contains("could not reach"), "{err}");
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = bluesky::parse(&bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_real_header_never_panic(
        cut in 0usize..6000,
        tail in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = repo();
        bytes.truncate(cut.max(60));
        bytes.extend_from_slice(&tail);
        let _ = bluesky::parse(&bytes);
    }
}

/// Library throughput, for BENCHMARKS.md (Bluesky import): reads each CAR file named in
/// `RAPPORT_BENCH_CAR` (`:`-separated) `RAPPORT_BENCH_ROUNDS` times (default 20) and prints the
/// fastest and the median round in MB/s (the fastest is the least disturbed by other load).
/// Run it from a release build: `cargo test --release -p rapport-import --test integration
/// bluesky::throughput -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check; run it by name"]
fn throughput() {
    let paths = std::env::var("RAPPORT_BENCH_CAR").expect("set RAPPORT_BENCH_CAR to CAR files");
    let rounds: usize = std::env::var("RAPPORT_BENCH_ROUNDS").map_or(20, |r| r.parse().unwrap());
    for path in paths.split(':') {
        let bytes = std::fs::read(path).unwrap();
        let mut records = 0;
        let mut times: Vec<f64> = (0..rounds)
            .map(|_| {
                let started = std::time::Instant::now();
                records = bluesky::parse(&bytes).unwrap().len();
                started.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let mb = bytes.len() as f64 / 1e6;
        let (best, median) = (times[0], times[times.len() / 2]);
        println!(
            "{path}: {mb:.3} MB, {records} records, best {:.2} ms = {:.1} MB/s, median {:.2} ms = {:.1} MB/s",
            best * 1e3,
            mb / best,
            median * 1e3,
            mb / median
        );
    }
}
