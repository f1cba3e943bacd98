//! The server's integration tests: each starts `rapport serve` on `127.0.0.1:0` over a copy of the
//! demo store and talks HTTP to it (the browser tests drive Chromium against it).

#![expect(clippy::expect_used, reason = "test helpers fail loudly on a broken setup")]
mod api;
mod bad_input;
mod browser;
mod changes;
mod import;
mod security;
mod support;
mod teams;
