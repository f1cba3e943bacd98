//! Arbitrary bytes fed to every importer, as one member of an otherwise valid export and as a whole
//! archive: an error is fine, a panic is not.

use proptest::prelude::*;
use rapport_import::{Format, ReadOptions};

use crate::common::Collected;

/// For each format: an owner member, and the members that bytes are fed into.
fn members(format: Format) -> (&'static str, &'static str, &'static [&'static str]) {
    match format {
        Format::XArchive => (
            "data/account.js",
            r#"window.YTD.account.part0 = [ { "account" : { "accountId" : "1", "username" : "a" } } ]"#,
            &[
                "data/tweets.js",
                "data/like.js",
                "data/follower.js",
                "data/direct-messages.js",
                "data/direct-messages-group.js",
            ],
        ),
        Format::Mastodon => (
            "actor.json",
            r#"{"id":"https://h.example/users/a","preferredUsername":"a"}"#,
            &["outbox.json", "likes.json", "following_accounts.csv", "blocked_accounts.csv"],
        ),
        Format::Facebook => (
            "profile_information/profile_information.json",
            r#"{"profile_v2":{"name":{"full_name":"A"}}}"#,
            &[
                "messages/inbox/a_1/message_1.json",
                "posts/your_posts_1.json",
                "connections/friends/your_friends.json",
                "comments_and_reactions/comments.json",
            ],
        ),
        _ => (
            "Profile.csv",
            "First Name,Last Name\nA,B\n",
            &["Connections.csv", "messages.csv", "Invitations.csv", "Shares.csv"],
        ),
    }
}

fn feed(format: Format, member: usize, bytes: &[u8]) {
    let (owner, owner_text, targets) = members(format);
    let target = targets[member % targets.len()];
    let members = vec![
        (owner.to_owned(), owner_text.as_bytes().to_vec()),
        (target.to_owned(), bytes.to_vec()),
    ];
    let _ = rapport_import::read_members(
        members,
        Some(format),
        &ReadOptions::default(),
        &mut Collected::default(),
    );
    let _ = rapport_import::read_bytes(
        bytes,
        Some(format),
        &ReadOptions::default(),
        &mut Collected::default(),
    );
}

/// Bytes that look a little like the formats, so parsing gets past the first character.
fn inputs() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        "window\\.YTD\\.x\\.part0 = \\[ ?\\{\"(tweet|like|dmConversation)\" : \\{[\"a-z:, 0-9\\[\\]{}]{0,200}".prop_map(String::into_bytes),
        "\\{\"(orderedItems|participants|messages|friends_v2)\":[\\[\\]{}\"a-z:, 0-9]{0,200}".prop_map(String::into_bytes),
        "(First Name,Last Name|Date,Link|From,To),[\"a-zA-Z,\r\n0-9 /:]{0,200}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn x_never_panics(member in 0usize..8, bytes in inputs()) {
        feed(Format::XArchive, member, &bytes);
    }

    #[test]
    fn mastodon_never_panics(member in 0usize..8, bytes in inputs()) {
        feed(Format::Mastodon, member, &bytes);
    }

    #[test]
    fn facebook_never_panics(member in 0usize..8, bytes in inputs()) {
        feed(Format::Facebook, member, &bytes);
    }

    #[test]
    fn linkedin_never_panics(member in 0usize..8, bytes in inputs()) {
        feed(Format::LinkedIn, member, &bytes);
    }
}
