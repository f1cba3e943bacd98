//! Helpers shared by the tests of several crates; never a dependency of the product itself.
// Test helpers fail loudly: a harness that cannot start is a test failure with its reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail the test on setup errors"
)]

pub mod firehose;
pub mod mastodon;
pub mod network;
pub mod pds;
pub mod postgres;
pub mod shared_data;
