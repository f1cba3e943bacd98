//! Fuzzes the x importer: input starting with a zip or tar header is read as a whole archive;
//! anything else is one member (chosen by the first byte) of an export whose owner is known, so the
//! parsers past the owner check are reached.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use rapport_import::Format;

/// The members the fuzzer writes into.
const MEMBERS: &[&str] = &[
    "data/tweets.js",
    "data/like.js",
    "data/follower.js",
    "data/block.js",
    "data/direct-messages.js",
    "data/direct-messages-group.js",
    "data/manifest.js",
];

fuzz_target!(|data: &[u8]| {
    common::fuzz_export(data, Format::XArchive, ("data/account.js", b"window.YTD.account.part0 = [ { \"account\" : { \"accountId\" : \"1\", \"username\" : \"a\" } } ]"), MEMBERS);
});
