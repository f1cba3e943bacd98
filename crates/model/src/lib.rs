//! Rapport's domain types: the networks, accounts, interactions and posts every other crate speaks.
//!
//! Everything an importer reads is reduced to [`Record`]s, so every later capability (relationships,
//! discovery, check, today) works on every network the same way. This crate does no IO and, by design,
//! has no serde derives: serialization happens at the edges (store rows, CLI output, server DTOs).
#![deny(missing_docs)]

mod actor;
pub mod fediverse;
mod kind;
mod network;
mod record;
pub mod rows;
pub mod snap;
mod stage;
pub mod text;
pub mod time;

pub use actor::{ActorKind, UnknownActorKind};
pub use kind::{Direction, InteractionKind, UnknownKind};
pub use network::{Network, UnknownNetwork};
pub use record::{Account, Interaction, Post, Record};
pub use stage::{Stage, UnknownStage};

/// Seconds since the Unix epoch, UTC. Every timestamp in Rapport is one of these.
pub type Timestamp = i64;
