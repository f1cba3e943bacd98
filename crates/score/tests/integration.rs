//! The crate's one integration-test binary: behaviour, properties and (with `real-data`) the suite.

mod integration {
    mod properties;
    #[cfg(feature = "real-data")]
    mod real_data;
    mod relationships;
    mod support;
    mod trend;
}
