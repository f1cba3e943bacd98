//! Fuzzes the linkedin importer: input starting with a zip or tar header is read as a whole archive;
//! anything else is one member (chosen by the first byte) of an export whose owner is known, so the
//! parsers past the owner check are reached.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use rapport_import::Format;

/// The members the fuzzer writes into.
const MEMBERS: &[&str] = &[
    "Connections.csv",
    "messages.csv",
    "Invitations.csv",
    "Shares.csv",
    "Comments.csv",
    "Member_Follows.csv",
];

fuzz_target!(|data: &[u8]| {
    common::fuzz_export(
        data,
        Format::LinkedIn,
        ("Profile.csv", b"First Name,Last Name\nA,B\n"),
        MEMBERS,
    );
});
