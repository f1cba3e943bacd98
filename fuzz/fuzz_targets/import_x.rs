//! Fuzzes the x importer: input starting with a zip or tar header is read as a whole archive;
//! anything else is one member (chosen by the first byte) of an export whose owner is known, so the
//! parsers past the owner check are reached.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rapport_import::{FieldReport, Format, ReadOptions, Sink, SinkError, Skipped};
use rapport_model::Record;

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

struct Discard;

impl Sink for Discard {
    fn record(&mut self, _: Record) -> Result<(), SinkError> {
        Ok(())
    }
    fn skipped(&mut self, _: Skipped) {}
    fn progress(&mut self, _: u64, _: u64) {}
    fn fields(&mut self, _: &FieldReport) {}
}

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions::default();
    if data.starts_with(b"PK") || data.starts_with(&[0x1f, 0x8b]) {
        let _ = rapport_import::read_bytes(data, Some(Format::XArchive), &options, &mut Discard);
        return;
    }
    let Some((&pick, body)) = data.split_first() else { return };
    let member = MEMBERS[usize::from(pick) % MEMBERS.len()];
    let members = vec![
        ("data/account.js".to_owned(), b"window.YTD.account.part0 = [ { \"account\" : { \"accountId\" : \"1\", \"username\" : \"a\" } } ]".to_vec()),
        (member.to_owned(), body.to_vec()),
    ];
    let _ = rapport_import::read_members(members, Some(Format::XArchive), &options, &mut Discard);
});
