//! The real-data suite for Bluesky: each repository sample in ../shared/data, with the exact counts
//! of records by `$type` that its SOURCE.md gives.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rapport_model::InteractionKind;

use crate::common::{Collected, import};

/// A repository sample in the shared data folder: `RAPPORT_DATA`, or `<workspace>/../shared/data`.
fn sample(name: &str) -> PathBuf {
    let root = std::env::var_os("RAPPORT_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    // Samples are found by the end of their file name, so no owner's handle is written here.
    let dir = root.join("export-sample-bluesky-car");
    let path = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|f| f.to_string_lossy().ends_with(name)))
        .unwrap_or_else(|| dir.join(name));
    assert!(
        path.exists(),
        "real-data sample {} is missing; set RAPPORT_DATA to the shared data folder",
        path.display()
    );
    path
}

/// Records read, by `$type`: every record block of the file is accounted for in one report.
/// Items per record type; the commit's own report (what of it was verified) is not a record type.
fn by_type(c: &Collected) -> BTreeMap<&str, u64> {
    c.reports
        .iter()
        .filter(|r| r.member != "commit")
        .map(|r| (r.member.as_str(), r.items))
        .collect()
}

#[test]
fn modern_repository() {
    let c = import(&sample(".20250310005405.car")).unwrap();
    assert_eq!(c.me(), Some("did:plc:nhxcyu4ewwhl5pqil4dotqjo"));
    let types = by_type(&c);
    assert_eq!(types.values().sum::<u64>(), 38);
    let want = [
        ("app.bsky.feed.post", 23),
        ("app.bsky.graph.follow", 3),
        ("app.bsky.feed.like", 2),
        ("app.bsky.feed.repost", 1),
        ("app.bsky.actor.profile", 1),
        ("com.atproto.lexicon.schema", 5),
        ("com.atproto.lexicon.record", 1),
        ("blue.linkat.board", 1),
        ("net.bnewbold.demo.mushroom", 1),
    ];
    assert_eq!(types, want.into_iter().collect());
    assert_eq!(c.posts(), 23);
    assert_eq!(c.interactions(InteractionKind::Follow), 3);
    assert_eq!(c.interactions(InteractionKind::Like), 2);
    assert_eq!(c.interactions(InteractionKind::Repost), 1);
    // The records of other apps (lexicons, a link board, a demo) are read and skipped with a reason.
    assert_eq!(c.skipped.len(), 8);
}

#[test]
fn small_repository() {
    let c = import(&sample("greenground.repo.car")).unwrap();
    assert_eq!(c.me(), Some("did:plc:kzcqyc3unb33eh5sxzsfs25z"));
    assert_eq!(by_type(&c), [("app.bsky.graph.follow", 2)].into_iter().collect());
    assert_eq!(c.interactions(InteractionKind::Follow), 2);
    assert!(c.skipped.is_empty());
    // A file names no key: the summary says its signature was not checked.
    let commit = c.report("commit");
    assert!(commit.outcomes.keys().all(|o| o.starts_with("signature not verified")), "{commit:?}");
}

#[test]
fn legacy_repository_with_history() {
    let c = import(&sample("paul_staging.repo.car")).unwrap();
    assert_eq!(c.me(), Some("did:plc:cmpvykrzb2l22kj4ojlv3ox4"));
    let types = by_type(&c);
    assert_eq!(types.values().sum::<u64>(), 252);
    let want = [
        ("app.bsky.feed.post", 101),
        ("app.bsky.feed.like", 60),
        ("app.bsky.feed.vote", 54),
        ("app.bsky.feed.repost", 15),
        ("app.bsky.graph.follow", 17),
        ("app.bsky.graph.confirmation", 3),
        ("app.bsky.system.declaration", 1),
        ("app.bsky.actor.profile", 1),
    ];
    assert_eq!(types, want.into_iter().collect());
    assert_eq!(c.posts(), 101);
    // The file keeps its 2022-23 history: 9 follows and every vote are no longer in the current tree.
    assert_eq!(c.interactions(InteractionKind::Follow), 8);
    let gone =
        c.skipped.iter().filter(|s| s.reason.contains("no longer in the repository")).count();
    assert_eq!(gone, 54 + 9 + 3 + 1);
    // Likes and reposts of one's own posts are read and skipped.
    assert_eq!(
        c.interactions(InteractionKind::Like)
            + c.report("app.bsky.feed.like").outcomes["skipped: a like of one's own post says nothing about a relationship"]
                as usize,
        60
    );
    assert_eq!(c.interactions(InteractionKind::Repost), 7);
}
