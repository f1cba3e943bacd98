//! Who is a person to keep in touch with, and who is an audience the user follows: a brand, an
//! organisation, a podcast or a bot. Reconnecting is for people; nobody catches up with `@github`.
//!
//! The data says it in two ways. The account's profile may say it is no person (the bot flag, a
//! declared group or service, a company suffix, an organisation's description: see
//! [`crate::organisation`]). And the user's own posting pattern shows it: people are talked
//! *to* (replies, direct messages, posts that open by naming them, anything they wrote to the
//! user), brands and shows are talked *about* ("New @github UI updates") and retweeted. A one-sided
//! archive holds exactly these actions of the user's, so the rule works where nothing else does.

use std::collections::HashMap;

use rapport_model::InteractionKind;
use rapport_model::rows::{AccountRow, InteractionRow};

use crate::PersonSummary;
use crate::organisation::{Pattern, classify};

/// The share of the user's interactions with an account that must be addressed to it for the
/// account to count as a person rather than an audience: one in five.
pub const ADDRESSED_SHARE: f64 = 0.2;

/// How the user and each account interacted: `(addressed, all)` per account id, where addressed
/// are the interactions that speak to the account rather than about it (see the module doc).
pub(crate) struct Talk(HashMap<i64, (u32, u32)>);

impl Talk {
    /// Counts, in one pass over the history touching "me"; `accounts` give the handles that
    /// posts address.
    pub(crate) fn of<'a>(
        history: &[InteractionRow],
        me: &[i64],
        accounts: impl IntoIterator<Item = &'a AccountRow>,
    ) -> Talk {
        let handles: HashMap<i64, &str> =
            accounts.into_iter().filter_map(|a| a.handle.as_deref().map(|h| (a.id, h))).collect();
        let mut talk: HashMap<i64, (u32, u32)> = HashMap::new();
        for i in history {
            if i.kind.is_state() {
                continue;
            }
            let from_me = me.contains(&i.source);
            let other = if from_me { i.target } else { i.source };
            let addressed = match i.kind {
                InteractionKind::Like | InteractionKind::Repost => false,
                InteractionKind::Reply | InteractionKind::Dm => true,
                // Whatever they wrote to the user speaks to the user.
                _ if !from_me => true,
                _ => opens_with(i.text.as_deref(), handles.get(&other).copied()),
            };
            let entry = talk.entry(other).or_default();
            entry.0 += u32::from(addressed);
            entry.1 += 1;
        }
        Talk(talk)
    }

    /// How the user talks with the owner of `accounts`.
    pub(crate) fn pattern(&self, accounts: &[AccountRow]) -> Pattern {
        let (addressed, all) = accounts
            .iter()
            .filter_map(|a| self.0.get(&a.id))
            .fold((0, 0), |(x, n), (a, b)| (x + a, n + b));
        Pattern { addressed, all }
    }

    /// Why `p` is an audience rather than a person to reconnect with, or `None` for a person.
    pub(super) fn audience(&self, p: &PersonSummary) -> Option<String> {
        let pattern = self.pattern(&p.accounts);
        let Pattern { addressed, all } = pattern;
        let judged = classify(&p.accounts, Some(pattern));
        if judged.organisation {
            return Some(format!("an organisation: {}", judged.evidence.join("; ")));
        }
        (all > 0 && f64::from(addressed) < ADDRESSED_SHARE * f64::from(all)).then(|| {
            format!(
                "you talk about or share {} more than you talk with them ({addressed} of {all} interactions addressed to them)",
                p.label()
            )
        })
    }
}

/// True when `text` opens by naming `handle` (after any other names it opens with): the way a
/// post addresses someone on X and Mastodon.
fn opens_with(text: Option<&str>, handle: Option<&str>) -> bool {
    let (Some(text), Some(handle)) = (text, handle) else { return false };
    let handle = handle.split('@').next().unwrap_or(handle).to_lowercase();
    text.split_whitespace().take_while(|w| w.starts_with('@')).any(|w| {
        let name = w.trim_start_matches('@').split('@').next().unwrap_or("");
        name.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_').to_lowercase() == handle
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_names() {
        for (text, handle, want) in [
            ("@ada thanks!", "ada", true),
            ("@bob @Ada: see this", "ada", true),
            ("@ada@town.example hello", "ada@town.example", true),
            ("New @ada UI updates", "ada", false),
            ("RT @ada: a thing", "ada", false),
            ("@adam hi", "ada", false),
        ] {
            assert_eq!(opens_with(Some(text), Some(handle)), want, "{text}");
        }
        assert!(!opens_with(None, Some("ada")));
    }
}
