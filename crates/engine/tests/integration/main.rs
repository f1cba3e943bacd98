//! The engine's behaviour as a service, through its public API on a real SQLite store.
// The tests fail on any error.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

mod concurrency;
mod live;
mod person;
mod sync_write;
