//! The CLI's integration tests: the real `rapport` binary, run in temporary folders.
//!
//! One test binary for the crate, with a module per area, so the suite links once.

mod bad_input;
mod crash;
mod demo;
mod support;
mod tables;
