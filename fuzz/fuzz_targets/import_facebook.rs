//! Fuzzes the facebook importer: input starting with a zip or tar header is read as a whole archive;
//! anything else is one member (chosen by the first byte) of an export whose owner is known, so the
//! parsers past the owner check are reached.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rapport_import::{FieldReport, Format, ReadOptions, Sink, SinkError, Skipped};
use rapport_model::Record;

/// The members the fuzzer writes into.
const MEMBERS: &[&str] = &[
    "messages/inbox/a_1/message_1.json",
    "posts/your_posts_1.json",
    "connections/friends/your_friends.json",
    "comments_and_reactions/comments.json",
    "likes_and_reactions_1.json",
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
        let _ = rapport_import::read_bytes(data, Some(Format::Facebook), &options, &mut Discard);
        return;
    }
    let Some((&pick, body)) = data.split_first() else { return };
    let member = MEMBERS[usize::from(pick) % MEMBERS.len()];
    let members = vec![
        (
            "profile_information/profile_information.json".to_owned(),
            b"{\"profile_v2\":{\"name\":{\"full_name\":\"A\"}}}".to_vec(),
        ),
        (member.to_owned(), body.to_vec()),
    ];
    let _ = rapport_import::read_members(members, Some(Format::Facebook), &options, &mut Discard);
});
