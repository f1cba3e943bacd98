//! The sync crate's integration tests: the clients against the Mastodon stand-in on loopback, into
//! a target that keeps what it is given. (The CLI's tests run the same through the engine and the
//! real binary, and against a real Bluesky network.)
// Helpers outside #[test] functions fail the test on setup errors too.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

mod faults;
mod firehose;
mod mastodon;
mod memory;
mod send;
