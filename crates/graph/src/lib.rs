//! Rapport's network-scale graph engine.
//!
//! It knows nothing of people: nodes are dense `u32` ids (the engine maps them to persons), and
//! one [`Csr`] snapshot holds a graph of up to billions of edges in memory. On top of it:
//! PageRank, personalized PageRank by forward push, the circle-of-trust SALSA ranking of
//! Twitter's Who-to-Follow, Leiden and label-propagation communities, connected components,
//! link-prediction baselines, seeded generators (R-MAT, LFR-style) and the evaluation functions
//! behind `rapport eval discover|groups`.
//!
//! Only reading input can fail ([`GraphError`]); the algorithms are infallible.

pub mod algo;
mod build;
mod csr;
mod edges;
mod error;
pub mod eval;
pub mod generate;
pub mod hash;
mod ids;
pub mod io;
pub mod jobs;
mod parallel;
mod view;
mod weights;

pub use csr::{Adjacency, BuildOptions, Csr};
pub use edges::EdgeList;
pub use error::GraphError;
pub use ids::NodeIds;
pub use parallel::with_threads;
pub use view::GraphView;
pub use weights::RowWeights;
