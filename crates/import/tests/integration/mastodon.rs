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
