//! The LinkedIn importer on its anonymised fixture (preamble, mixed line endings, doubled quoting).

use rapport_model::{InteractionKind, Record};

use crate::common::{fixture, import, render};

#[test]
fn snapshot() {
    let c = import(&fixture("linkedin", "basic")).unwrap();
    insta::assert_snapshot!(render(&c));
}

#[test]
fn reads_each_file() {
    let c = import(&fixture("linkedin", "basic")).unwrap();
    assert_eq!(c.me(), Some("Ada Lim"));
    assert_eq!(c.interactions(InteractionKind::Connect), 2);
    assert_eq!(c.interactions(InteractionKind::Dm), 2);
    assert_eq!(c.interactions(InteractionKind::Request), 2);
    assert_eq!(c.interactions(InteractionKind::Follow), 1);
    let share = c
        .records
        .iter()
        .find_map(|r| match r {
            Record::Post(p) if p.id.contains("share") => Some(p),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        share.text,
        "Sharing my latest #DataScience project\n\nLink to the code on my site:\n\nhttps://ada.example/project"
    );
    assert_eq!(share.hashtags, ["datascience"]);
    assert!(c.report("Company Follows.csv").unread.is_some());
}
