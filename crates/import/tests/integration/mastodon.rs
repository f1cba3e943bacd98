//! The Mastodon archive importer on its anonymised fixture.

use rapport_model::{InteractionKind, Record};

use crate::common::{fixture, import, render};

#[test]
fn snapshot() {
    let c = import(&fixture("mastodon", "basic")).unwrap();
    insta::assert_snapshot!(render(&c));
}

#[test]
fn maps_addressing_and_html() {
    let c = import(&fixture("mastodon", "basic")).unwrap();
    assert_eq!(c.me(), Some("https://home.example/users/ada"));
    let outbox = c.report("outbox.json");
    assert_eq!(outbox.items, 4);
    assert_eq!(outbox.outcomes["repeated orderedItems key (items of every occurrence kept)"], 1);
    assert_eq!(outbox.outcomes["visibility: direct"], 1);
    assert_eq!(outbox.outcomes["visibility: unlisted"], 1);
    assert_eq!(c.private_posts(), 1);
    assert_eq!(c.interactions(InteractionKind::Dm), 1);
    assert_eq!(c.interactions(InteractionKind::Repost), 1);
    assert_eq!(c.interactions(InteractionKind::Follow), 2);
    assert_eq!(c.interactions(InteractionKind::Block), 1);
    assert_eq!(c.interactions(InteractionKind::Mute), 1);
    let post = c
        .records
        .iter()
        .find_map(|r| match r {
            Record::Post(p) if p.id.ends_with("/101") => Some(p),
            _ => None,
        })
        .unwrap();
    assert_eq!(post.text, "@bo Tomatoes & basil, see https://garden.example/guide #Gardening");
    assert_eq!(post.links, ["https://garden.example/guide"]);
    assert_eq!(post.hashtags, ["gardening"]);
    assert_eq!(post.reply_to_author.as_deref(), Some("https://other.example/users/bo"));
}

/// The interactions of `kind` as (source, target) pairs.
fn edges(c: &crate::common::Collected, kind: InteractionKind) -> Vec<(String, String)> {
    c.records
        .iter()
        .filter_map(|r| match r {
            Record::Interaction(i) if i.kind == kind => Some((i.source.clone(), i.target.clone())),
            _ => None,
        })
        .collect()
}

// Issue 17: a Pleroma backup, replying to a Misskey note and a Pleroma object, liking both and
// one of the owner's own posts; authors come from the activities, not from URL shapes.
#[test]
fn reads_pleroma_backups_with_fediverse_authors() {
    let c = import(&fixture("mastodon", "pleroma")).unwrap();
    insta::assert_snapshot!("pleroma", render(&c));
    let me = "https://pl.home.example/users/ada";
    let (bo, cy, dee) = (
        "https://mk.example/users/9abc",
        "https://pl.other.example/users/cy",
        "https://third.example/users/dee",
    );
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(c.me(), Some(me));
    assert_eq!(edges(&c, InteractionKind::Reply), [pair(me, bo), pair(me, cy)]);
    assert_eq!(edges(&c, InteractionKind::Mention), [pair(me, dee)]);
    assert_eq!(edges(&c, InteractionKind::Repost), [pair(me, cy)]);
    assert_eq!(edges(&c, InteractionKind::Like), [pair(me, bo), pair(me, cy)]);
    assert_eq!(
        edges(&c, InteractionKind::Follow),
        [pair("https://botsin.space/users/gardenbot", me), pair(bo, me), pair(me, cy)]
    );
    let likes = c.report("likes.json");
    assert_eq!(likes.outcomes["skipped: a like of the owner's own status"], 1);
    assert_eq!(likes.outcomes["skipped: author unknown"], 1);
    assert!(c.report("followers.json").unread.is_none());
}

// Issue 17: every account is shown as @name@host, never as a raw actor URL, and a handle the
// archive spells out is not replaced by one worked out from a URL.
#[test]
fn every_fediverse_account_has_a_handle() {
    let c = import(&fixture("mastodon", "pleroma")).unwrap();
    let mut handles: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for r in &c.records {
        if let Record::Account(a) | Record::Me(a) = r {
            handles.insert(&a.id, a.handle.as_deref().unwrap_or("(none)"));
        }
    }
    for r in &c.records {
        if let Record::Interaction(i) = r {
            for end in [&i.source, &i.target] {
                assert!(handles.contains_key(end.as_str()), "{end} has no account");
            }
        }
    }
    assert_eq!(handles["https://mk.example/users/9abc"], "bo@mk.example");
    assert_eq!(handles["https://botsin.space/users/gardenbot"], "gardenbot@botsin.space");
    assert_eq!(handles["https://pl.home.example/users/ada"], "ada@pl.home.example");
}
