//! The X archive importer on its anonymised fixture.

use rapport_model::{InteractionKind, Record};

use crate::common::{fixture, import, render};

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
