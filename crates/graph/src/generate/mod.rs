//! Seeded synthetic graphs, so benchmarks can go past the largest real graphs available:
//! R-MAT with Graph500 parameters, and an LFR-style model with planted communities.
//! Each generator is deterministic for a seed whatever the thread count.

mod lfr;
mod rmat;

pub use lfr::{LfrParams, Planted, lfr};
pub use rmat::{RmatParams, rmat, simplify_undirected};
