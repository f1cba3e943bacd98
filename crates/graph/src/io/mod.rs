//! Reading and writing edge-list files (SNAP-style text, plain or gzip) and ground truth.

mod parse;
mod read;
mod truth;
mod write;

pub use read::{EdgeFileOptions, parse_edges, parse_edges_part, parse_ids_part, read_edge_file};
pub use truth::{read_circles, read_communities_json};
pub use write::{write_edge_list, write_membership};
