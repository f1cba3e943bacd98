//! Team mode on a real PostgreSQL: logins and sessions, API tokens, invitations, roles, the
//! isolation of workspaces and the audit log.

mod access;
mod connected;
mod isolation;
mod restart;
mod support;
