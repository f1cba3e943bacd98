//! The crate's one integration-test binary: behaviour and properties. The fit and the evaluation on
//! the public suite are tested through `rapport eval ties`, which imports the suite's datasets
//! (crates/cli/tests/integration/real_data.rs).

mod integration {
    mod properties;
    mod relationships;
    mod support;
    mod trend;
}
