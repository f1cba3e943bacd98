//! The crate's one integration-test binary: snapshot, escaping, well-formedness and the browser check.

#![expect(clippy::expect_used, reason = "test helpers fail loudly on broken setup")]

mod browser;
mod fixture;
mod render;
mod wellformed;
