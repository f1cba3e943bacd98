//! Teams: who may do what in a shared Rapport, and the secrets that say who someone is.
//!
//! Team mode (`rapport serve --database postgres://…`) serves many people over workspaces, one
//! per client or team. This crate holds its pure parts, which the store persists and the server
//! applies: the roles and the one permission table ([`role`]), password hashes ([`password`]),
//! random tokens kept only as hashes ([`token`]), the login rate limiter ([`limiter`]) and what an
//! audit-log entry says ([`audit`]). Nothing here does IO except reading the OS random source.
#![deny(missing_docs)]

pub mod audit;
mod error;
pub mod limiter;
pub mod password;
pub mod role;
pub mod token;

pub use audit::{AuditAction, AuditEntry};
pub use error::TeamsError;
pub use limiter::{LimiterParams, LoginLimiter, Refused};
pub use password::{
    PasswordHash, check_new_password, check_user_name, hash_password, verify_password,
};
pub use role::{Permission, Role, allows};
pub use token::{Token, TokenHash, TokenKind, csrf_of_session};
