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
