//! Fuzzes the facebook importer: input starting with a zip or tar header is read as a whole archive;
//! anything else is one member (chosen by the first byte) of an export whose owner is known, so the
//! parsers past the owner check are reached.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use rapport_import::Format;

/// The members the fuzzer writes into.
const MEMBERS: &[&str] = &[
    "messages/inbox/a_1/message_1.json",
    "posts/your_posts_1.json",
    "connections/friends/your_friends.json",
    "comments_and_reactions/comments.json",
    "likes_and_reactions_1.json",
];

/// The owner's profile, so that every member is read.
const PROFILE: &[u8] = b"{\"profile_v2\":{\"name\":{\"full_name\":\"A\"}}}";

fuzz_target!(|data: &[u8]| {
    common::fuzz_export(
        data,
        Format::Facebook,
        ("profile_information/profile_information.json", PROFILE),
        MEMBERS,
    );
});
