//! The crate's one integration-test binary: named draft cases, properties over arbitrary text, and
//! (with the `real-data` feature) the tests that read the public data sets.

mod cases;
mod properties;
#[cfg(feature = "real-data")]
mod real_data;

use rapport_check::{Context, Model, Report};

/// Every test checks a draft through this helper, so an API change touches one function.
fn check(text: &str, ctx: &Context<'_>) -> Report {
    rapport_check::check(text, ctx, Model::embedded())
}
