//! Fuzzes the mastodon importer: input starting with a zip or tar header is read as a whole archive;
//! anything else is one member (chosen by the first byte) of an export whose owner is known, so the
//! parsers past the owner check are reached.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use rapport_import::Format;

/// The members the fuzzer writes into.
const MEMBERS: &[&str] = &[
    "outbox.json",
    "likes.json",
    "bookmarks.json",
    "following_accounts.csv",
    "blocked_accounts.csv",
    "muted_accounts.csv",
];

/// The owner's actor, so that every member is read.
const ACTOR: &[u8] = b"{\"id\":\"https://h.example/users/a\",\"preferredUsername\":\"a\"}";

fuzz_target!(|data: &[u8]| {
    common::fuzz_export(data, Format::Mastodon, ("actor.json", ACTOR), MEMBERS);
});
