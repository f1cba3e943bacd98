//! The X archive importer on its anonymised fixture.

use rapport_model::{InteractionKind, Record};

use crate::common::{fixture, import, import_members, members_of, render};

#[test]
fn snapshot() {
    let c = import(&fixture("x", "basic")).unwrap();
    insta::assert_snapshot!(render(&c));
}

#[test]
fn maps_the_archive_to_records() {
    let c = import(&fixture("x", "basic")).unwrap();
    assert_eq!(c.me(), Some("1001"));
    assert_eq!(c.posts(), 3 + 4);
    assert_eq!(c.interactions(InteractionKind::Reply), 1);
    assert_eq!(c.interactions(InteractionKind::Repost), 1);
    assert_eq!(c.interactions(InteractionKind::Quote), 1);
    assert_eq!(c.interactions(InteractionKind::Block), 1);
    // Followers point at the owner, followings away from it.
    let follows: Vec<(String, String)> = c
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Interaction(i) if i.kind == InteractionKind::Follow => {
                Some((i.source.clone(), i.target.clone()))
            }
            _ => None,
        })
        .collect();
    assert!(follows.contains(&("2002".into(), "1001".into())));
    assert!(follows.contains(&("1001".into(), "3003".into())));
    // The like of a tweet the owner replied to has a known author; the other is skipped with a reason.
    assert_eq!(c.interactions(InteractionKind::Like), 1 + 1);
    assert!(c.skipped.iter().any(|s| s.reason.contains("does not say who wrote it")));
    // Undated facts stay undated.
    assert!(c.records.iter().all(|r| !matches!(r, Record::Interaction(i) if i.kind == InteractionKind::Follow && i.at.is_some())));
}

#[test]
fn every_interaction_has_a_stable_native_id_or_none() {
    let a = import(&fixture("x", "basic")).unwrap();
    let b = import(&fixture("x", "basic")).unwrap();
    assert_eq!(render(&a), render(&b));
    for r in &a.records {
        if let Record::Interaction(i) = r {
            let dated_fact = matches!(
                i.kind,
                InteractionKind::Follow | InteractionKind::Block | InteractionKind::Mute
            );
            assert!(dated_fact || i.native_id.is_some(), "{i:?}");
        }
    }
}

// Issue 17: archives before 2019 ("Grailbird") were refused as "not an export this version reads".
#[test]
fn reads_archives_from_before_2019() {
    let c = import(&fixture("x", "grailbird")).unwrap();
    insta::assert_snapshot!("grailbird", render(&c));
    let me = c
        .records
        .iter()
        .find_map(|r| match r {
            Record::Me(a) => Some(a),
            _ => None,
        })
        .unwrap();
    assert_eq!((me.id.as_str(), me.handle.as_deref()), ("1001", Some("ada_lim")));
    assert_eq!(c.posts(), 4);
    assert_eq!(c.interactions(InteractionKind::Reply), 1);
    assert_eq!(c.interactions(InteractionKind::Repost), 1);
    assert_eq!(c.interactions(InteractionKind::Mention), 1);
    let reply = c
        .records
        .iter()
        .find_map(|r| match r {
            Record::Post(p) if p.id == "601" => Some(p),
            _ => None,
        })
        .unwrap();
    assert_eq!(reply.text, "@bo_ray mine came up early #Tomatoes & basil");
    assert_eq!(reply.at, rapport_model::time::parse("2013-01-31T22:03:31Z"));
    assert_eq!(reply.hashtags, ["tomatoes"]);
    assert_eq!(c.report("payload_details.js").outcomes["tweet count matches"], 1);
    // Nothing of a tweet is silently dropped: the user object is read (for the owner).
    assert!(!c.report("2013_01.js").ignored.contains_key("user.name"));
}

// Issue 17: a Grailbird archive missing a month says so, from its payload's count.
#[test]
fn says_when_a_grailbird_archive_lacks_tweets() {
    let members: Vec<(String, Vec<u8>)> = members_of(&fixture("x", "grailbird"))
        .into_iter()
        .filter(|(name, _)| !name.ends_with("2012_12.js"))
        .collect();
    let c = import_members(members, None).unwrap();
    assert_eq!(c.posts(), 2);
    assert!(c.skipped.iter().any(|s| s.reason.contains("declares 4 tweets but holds 2")));
}
