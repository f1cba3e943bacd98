//! The Facebook importer on its anonymised fixture (written with Facebook's encoding quirk).

use rapport_model::{InteractionKind, Record};

use crate::common::{fixture, import, render};

#[test]
fn snapshot() {
    let c = import(&fixture("facebook", "basic")).unwrap();
    insta::assert_snapshot!(render(&c));
}

#[test]
fn repairs_text_and_maps_directions() {
    let c = import(&fixture("facebook", "basic")).unwrap();
    assert_eq!(c.me(), Some("Åsa Nyström"));
    assert!(
        c.records
            .iter()
            .any(|r| matches!(r, Record::Post(p) if p.text == "Ja, vi ses på torsdag 👍"))
    );
    assert_eq!(c.interactions(InteractionKind::Connect), 2);
    assert_eq!(c.interactions(InteractionKind::Unfollow), 1);
    assert_eq!(c.interactions(InteractionKind::Request), 2);
    let inbound = |kind| {
        c.records.iter().any(
            |r| matches!(r, Record::Interaction(i) if i.kind == kind && i.target == "Åsa Nyström"),
        )
    };
    assert!(inbound(InteractionKind::Request));
    assert!(inbound(InteractionKind::Follow));
    assert!(inbound(InteractionKind::Dm));
    // The follower list is undated and stays so.
    assert!(c.records.iter().any(|r| matches!(r, Record::Interaction(i) if i.kind == InteractionKind::Follow && i.at.is_none())));
    assert!(c.skipped.iter().any(|s| s.reason.contains("blanked")));
    assert!(c.report("your_post_audiences.json").unread.is_some());
}

// Issue 17: a Danish export kept none of its comment and reaction targets, which were read from
// English titles only; they are found as the people the export lists, in any language.
#[test]
fn finds_targets_in_exports_of_other_languages() {
    let c = import(&fixture("facebook", "danish")).unwrap();
    insta::assert_snapshot!("danish", render(&c));
    let me = "Søren Lund";
    assert_eq!(c.me(), Some(me));
    let targets = |kind| -> Vec<String> {
        c.records
            .iter()
            .filter_map(|r| match r {
                Record::Interaction(i) if i.kind == kind && i.source == me => {
                    Some(i.target.clone())
                }
                _ => None,
            })
            .collect()
    };
    assert_eq!(targets(InteractionKind::Reply), ["Bo Ray", "Åse Holm"]);
    assert_eq!(targets(InteractionKind::Like), ["Åse Holm", "Bo Ray"]);
    // A comment on the owner's own post and a reaction to someone the export never lists stay
    // without a target, with the reason.
    assert_eq!(
        c.report("comments.json").outcomes["comment whose target the export does not name"],
        1
    );
    assert_eq!(
        c.report("likes_and_reactions_1.json").outcomes["skipped: reacted-to person not named"],
        1
    );
}
