//! What to do: today's actions and the audit of the user's habits, as pure functions over plain
//! data.
//!
//! The engine reads the store (the relationships, the history touching "me", the recent posts,
//! the settings) and hands it over in one inputs struct ([`TodayInputs`], [`AuditInputs`]); every
//! rule here is a function of that struct alone, so each can be tested with a few rows written by
//! hand. Nothing here does IO or fails: a broken invariant is a bug, not an error.
#![deny(missing_docs)]

pub mod audit;
pub mod organisation;
mod person;
mod text;
pub mod today;

#[cfg(test)]
mod fixture;

pub use audit::{Audit, AuditInputs, Example, Finding, PROMOTIONAL_LIMIT, Severity, Window, audit};
pub use organisation::{Judgement, Pattern, classify, judge};
pub use person::PersonSummary;
pub use today::{
    Action, ActionKind, Cadence, GroupOf, Introduction, Today, TodayInputs, normalise_term,
};
