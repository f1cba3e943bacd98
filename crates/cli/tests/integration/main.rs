//! The CLI's integration tests: the real `rapport` binary, run in temporary folders.
//!
//! One test binary for the crate, with a module per area, so the suite links once.
// Helpers outside #[test] functions fail the test on setup errors too.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

mod bad_input;
mod bluesky;
mod connect_mastodon;
mod crash;
mod demo;
mod exports;
mod graph;
mod graph_cluster;
mod hostile;
mod one_sided;
mod organisations;
mod real_data;
mod serve;
mod support;
mod sync_bluesky;
mod sync_mastodon;
mod tables;
mod team;
