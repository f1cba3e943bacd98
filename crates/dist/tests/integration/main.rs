//! The distributed jobs against the in-memory engine on small graphs, with 1, 2 and 3 workers
//! (threads of this process, timely's process allocator; the CLI's tests run real processes).

mod agree;
mod support;
