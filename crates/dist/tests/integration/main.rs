//! The distributed jobs against the in-memory engine on small graphs, with 1, 2 and 3 workers
//! (threads of this process, timely's process allocator; the CLI's tests run real processes).
// Helpers outside #[test] functions fail the test on setup errors too.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

mod agree;
mod inputs;
mod support;
