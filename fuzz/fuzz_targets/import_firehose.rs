//! Fuzzes the firehose frame decoder of `rapport sync --follow`: any bytes, read as one websocket
//! message of `com.atproto.sync.subscribeRepos`, give a frame or an error, never a panic. A frame
//! to start the corpus from is written by the decoder's unit tests' builder
//! (`rapport_import::bluesky::build::commit_frame`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rapport_import::bluesky::decode_frame(data, "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa");
});
