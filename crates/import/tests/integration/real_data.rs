//! The real-data suite: each real export sample in ../shared/data, with the exact counts of its SOURCE.md.

use rapport_model::InteractionKind;
use rapport_test_support::shared_data::sample as data;

use crate::common::import;

#[test]
fn x_2022_archive() {
    let c = import(&data("export-sample-twitter-archive/2022-11-14")).unwrap();
    assert!(c.me().is_some_and(|id| id.bytes().all(|b| b.is_ascii_digit())));
    assert_eq!(c.report("data/tweets.js").items, 1986);
    assert_eq!(c.posts(), 1986);
    assert_eq!(c.report("data/like.js").items, 1359);
    assert_eq!(c.report("data/follower.js").items, 420);
    assert_eq!(c.interactions(InteractionKind::Follow), 420 + 295);
}

#[test]
fn mastodon_archive() {
    let c = import(&data("export-sample-mastodon/2024-07-23")).unwrap();
    assert!(c.me().is_some_and(|id| id.starts_with("https://") && id.contains("/users/")));
    let outbox = c.report("outbox.json");
    assert_eq!(outbox.items, 1586);
    assert_eq!(c.posts(), 1260);
    assert_eq!(outbox.outcomes["boost"], 326);
    // Boosts of the owner's own notes say nothing about a relationship and are skipped with a reason.
    let self_boosts = c.skipped.iter().filter(|s| s.reason.contains(" repost ")).count();
    assert_eq!(c.interactions(InteractionKind::Repost) + self_boosts, 326);
    assert_eq!(outbox.outcomes["visibility: public"], 1169);
    assert_eq!(outbox.outcomes["visibility: unlisted"], 16);
    assert_eq!(outbox.outcomes["visibility: followers-only"], 40);
    assert_eq!(outbox.outcomes["visibility: direct"], 35);
    assert_eq!(c.private_posts(), 35);
    assert_eq!(c.report("likes.json").items, 1115);
    assert_eq!(c.report("bookmarks.json").items, 865);
    let replies = c
        .records
        .iter()
        .filter(|r| matches!(r, rapport_model::Record::Post(p) if p.reply_to.is_some()))
        .count();
    assert_eq!(replies, 422);
    let (tags, mentions) = c.records.iter().fold((0, 0), |(t, m), r| match r {
        rapport_model::Record::Post(p) => (t + p.hashtags.len(), m + p.mentions.len()),
        _ => (t, m),
    });
    assert_eq!((tags, mentions), (127, 329));
}

#[test]
fn mastodon_follows_csv() {
    // The follows export comes from another account: pair it with the archive's actor in a scratch
    // folder outside the repository.
    let dir = tempfile::tempdir().unwrap();
    let archive = data("export-sample-mastodon/2024-07-23");
    std::fs::copy(archive.join("actor.json"), dir.path().join("actor.json")).unwrap();
    std::fs::copy(
        data("export-sample-mastodon").join("following_accounts.csv"),
        dir.path().join("following_accounts.csv"),
    )
    .unwrap();
    let c = import(dir.path()).unwrap();
    assert_eq!(c.report("following_accounts.csv").items, 797);
    assert_eq!(c.interactions(InteractionKind::Follow), 797);
}

#[test]
fn facebook_2022_fixtures() {
    let c = import(&data("export-sample-facebook/2022")).unwrap();
    assert_eq!(c.me(), Some("REDACTED FULLNAME"));
    assert_eq!(c.report("posts/your_posts_1.json").items, 14);
    assert_eq!(c.report("comments.json").items, 6);
    assert_eq!(c.report("posts_and_comments.json").items, 17);
    assert_eq!(c.report("message_1.json").items, 7);
    // 14 posts, 6 comments and 7 messages.
    assert_eq!(c.posts(), 14 + 6 + 7);
    assert_eq!(c.private_posts(), 7);
    // Mojibake repaired: no string keeps the telltale "Ã".
    let text = crate::common::render(&c);
    assert!(!text.contains('Ã'), "mojibake left in:\n{text}");
}

#[test]
fn facebook_2023_flat_files() {
    // The owner's name is only in the reactions, which are in Spanish.
    let c = import(&data("export-sample-facebook/2023")).unwrap();
    assert_eq!(c.report("your_posts_1.json").items, 7);
    assert_eq!(c.report("likes_and_reactions_1.json").items, 3);
    assert_eq!(c.posts(), 7);
}

#[test]
fn facebook_2026_page_export() {
    let c = import(&data("export-sample-facebook/2026-03")).unwrap();
    assert_eq!(c.report("your_friends.json").items, 3);
    assert_eq!(c.interactions(InteractionKind::Connect), 3);
    assert_eq!(c.report("removed_friends.json").items, 2);
    assert_eq!(c.interactions(InteractionKind::Unfollow), 2);
    assert_eq!(c.interactions(InteractionKind::Request), 4);
    assert_eq!(c.interactions(InteractionKind::Follow), 4);
    assert_eq!(c.report("message_1.json").items, 4);
    assert_eq!(c.private_posts(), 4);
    assert!(c.report("your_post_audiences.json").unread.is_some());
}

#[test]
fn linkedin_2022_export() {
    let c = import(&data("export-sample-linkedin/2022-09-12")).unwrap();
    assert!(c.me().is_some());
    let connections = c.report("Connections.csv");
    assert_eq!(connections.items, 5);
    assert_eq!(connections.outcomes["preamble lines before the header"], 3);
    assert_eq!(c.interactions(InteractionKind::Connect), 5);
    assert_eq!(c.report("messages.csv").items, 0);
    assert_eq!(c.report("Invitations.csv").items, 3);
    assert_eq!(c.interactions(InteractionKind::Request), 3);
    assert_eq!(c.report("Reactions.csv").items, 5);
    assert_eq!(c.report("Comments.csv").items, 3);
    assert_eq!(c.report("Shares.csv").items, 2);
    assert_eq!(c.report("Member_Follows.csv").items, 3);
    assert_eq!(c.posts(), 3 + 2);
    let shares = crate::common::render(&c);
    assert!(!shares.contains("\"\""), "doubled quoting left in shares");
}

#[test]
fn x_2021_old_layout() {
    // The sample holds only `tweet.js`; an invented account.js names the owner.
    let tweets =
        std::fs::read(data("export-sample-twitter-archive/2021-03-22/data/tweet.js")).unwrap();
    let account = br#"window.YTD.account.part0 = [ { "account" : { "accountId" : "1", "username" : "owner" } } ]"#.to_vec();
    let members =
        vec![("data/account.js".to_owned(), account), ("data/tweet.js".to_owned(), tweets)];
    let mut c = crate::common::Collected::default();
    let format = rapport_import::read_members(
        members,
        None,
        &rapport_import::ReadOptions::default(),
        &mut c,
    )
    .unwrap();
    assert_eq!(format, rapport_import::Format::XArchive);
    assert_eq!(c.report("data/tweet.js").items, 1827);
    assert_eq!(c.posts(), 1827);
    let replies = c
        .records
        .iter()
        .filter(|r| matches!(r, rapport_model::Record::Post(p) if p.reply_to.is_some()))
        .count();
    assert_eq!(replies, 1357);
}

#[test]
fn x_2023_direct_messages() {
    // No account.js: the owner is the id common to every one-to-one conversation.
    let c = import(&data("export-sample-twitter-archive/2023-08-20")).unwrap();
    let me = c.me().unwrap().to_owned();
    let dms = c.records.iter().filter(
        |r| matches!(r, rapport_model::Record::Interaction(i) if i.kind == InteractionKind::Dm),
    );
    assert!(dms.clone().count() > 0 && dms.clone().all(|r| matches!(r, rapport_model::Record::Interaction(i) if i.source == me || i.target == me)));
    assert_eq!(c.report("data/direct-messages.js").items, 2);
    assert_eq!(c.report("data/direct-messages-group.js").items, 4);
    assert_eq!(c.report("data/direct-messages.js").outcomes["dm"], 5);
    let group = c.report("data/direct-messages-group.js");
    assert_eq!(group.outcomes["dm"] + group.outcomes["conversation event"], 8);
    assert_eq!(c.private_posts(), 5 + 4);
}
