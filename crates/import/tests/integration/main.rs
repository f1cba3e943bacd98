//! Integration tests of rapport-import: one binary, one module per area.

// Test helpers outside #[test] functions (fixture builders) panic on setup failures, as tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod archives;
mod bluesky;
mod bluesky_pds;
#[cfg(feature = "real-data")]
mod bluesky_real_data;
mod common;
mod facebook;
mod fetch_limits;
mod linkedin;
mod mastodon;
mod no_panic;
#[cfg(feature = "real-data")]
mod real_data;
mod x;
