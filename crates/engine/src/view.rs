//! Whose view of the store, as of when, on which network: asked once per question, resolved once,
//! and the one place that decides whether an answer is kept in the store or computed afresh.

use std::borrow::Cow;
use std::sync::{Arc, PoisonError};

use rapport_model::{Network, Timestamp};
use rapport_store::{AccountRow, InteractionRow};

use crate::events::EventSet;
use crate::{Error, Result, Snapshot};

/// The vantage point of a question: the default (`View::default()`) is "me", now, every network.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// View the store as this account (any handle or id in it) instead of "me".
    pub as_account: Option<String>,
    /// Compute everything as it stood at this moment, ignoring later data; `None` is the data's
    /// own "now", the newest timestamp of the interactions the view sees.
    pub as_of: Option<Timestamp>,
    /// Only interactions on this network.
    pub network: Option<Network>,
}

impl View {
    /// The default view as another account.
    pub fn as_account(account: impl Into<String>) -> View {
        View { as_account: Some(account.into()), ..View::default() }
    }

    /// The slot a kept view named `name` lives in for this view, or `None` when answers from this
    /// view are computed afresh: views of a past moment are not kept, since the data's "now" is
    /// where every command looks by default and a moment in the past is asked once.
    pub(crate) fn slot(&self, name: &str) -> Option<String> {
        if self.as_of.is_some() {
            return None;
        }
        Some(format!(
            "{name}/{}/{}",
            self.as_account.as_deref().unwrap_or(""),
            self.network.map_or("all", Network::as_str)
        ))
    }

    /// The rows of `history` this view sees: all of them, without a copy, when it sees every
    /// network.
    pub(crate) fn seen_part<'h>(&self, history: &'h [InteractionRow]) -> Cow<'h, [InteractionRow]> {
        match self.network {
            None => Cow::Borrowed(history),
            Some(_) => history.iter().filter(|i| self.sees(i.network)).cloned().collect(),
        }
    }

    /// True when an interaction on `network` is seen from this view.
    pub(crate) fn sees(&self, network: Network) -> bool {
        self.network.is_none_or(|n| n == network)
    }
}

/// A view resolved against the store: who "me" is, as accounts.
pub(crate) struct Seen<'v> {
    pub(crate) view: &'v View,
    /// The accounts the view is from.
    pub(crate) me: Vec<AccountRow>,
    /// Their ids.
    pub(crate) ids: Vec<i64>,
}

impl Seen<'_> {
    /// The error of a view whose "me" has no interaction.
    pub(crate) fn no_interactions(&self) -> Error {
        Error::NoInteractions {
            account: self.me.first().map_or_else(String::new, AccountRow::label),
            as_another: self.view.as_account.is_some(),
        }
    }
}

/// A view's interactions as events, with "me" among them and the moment everything is computed at.
pub(crate) struct Events {
    pub(crate) set: Arc<EventSet>,
    /// The node of "me".
    pub(crate) me: u32,
    /// The view's moment: its `as_of`, or the newest timestamp in the events.
    pub(crate) as_of: Timestamp,
}

/// The interactions touching some accounts up to a moment, as one snapshot read them: the key
/// (the accounts and the moment) and the rows.
pub(crate) type History = ((Vec<i64>, Timestamp), Arc<Vec<InteractionRow>>);

impl Snapshot<'_> {
    /// Every interaction touching `accounts` up to `as_of`, oldest first, with its text. Computing
    /// today's list reads the history of "me" for the listing's pitches, for the rules and for the
    /// audit: one snapshot reads it once.
    pub(crate) fn history(
        &self,
        accounts: &[i64],
        as_of: Timestamp,
    ) -> Result<Arc<Vec<InteractionRow>>> {
        let mut last = self.history.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(((ids, at), rows)) = last.as_ref()
            && ids == accounts
            && *at == as_of
        {
            return Ok(Arc::clone(rows));
        }
        let rows =
            crate::history::touching(&self.engine.cache.history, &self.store, accounts, as_of)?;
        *last = Some(((accounts.to_vec(), as_of), Arc::clone(&rows)));
        Ok(rows)
    }

    /// Resolves who the view is from.
    pub(crate) fn seen<'v>(&self, view: &'v View) -> Result<Seen<'v>> {
        let me = self.me(view.as_account.as_deref())?;
        let ids = me.iter().map(|a| a.id).collect();
        Ok(Seen { view, me, ids })
    }

    /// The events the view sees, and "me" among them; an error when "me" has none.
    pub(crate) fn events(&self, seen: &Seen<'_>) -> Result<Events> {
        let set = self.event_set(seen.view.network, &seen.ids)?;
        let me = set.me().ok_or_else(|| seen.no_interactions())?;
        let as_of = seen.view.as_of.unwrap_or(set.now);
        Ok(Events { set, me, as_of })
    }

    /// The view `name` from `view`: kept in the store when the view is kept (see [`View::slot`]),
    /// for `variant` (what else it depends on, such as the settings), else computed afresh.
    pub(crate) fn view_of<T: Send + Sync + 'static>(
        &self,
        name: &str,
        view: &View,
        variant: &str,
        compute: impl FnOnce() -> Result<T>,
        encode: impl FnOnce(&T) -> Vec<u8>,
        decode: impl FnOnce(&[u8]) -> Option<T>,
    ) -> Result<Arc<T>> {
        match view.slot(name) {
            Some(slot) => self.kept(&slot, variant, compute, encode, decode),
            None => compute().map(Arc::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_views_of_now_are_kept_each_in_a_slot_of_its_own() {
        let me = View::default();
        let ada = View::as_account("ada");
        let mastodon = View { network: Some(Network::Mastodon), ..View::default() };
        let past = View { as_of: Some(1_700_000_000), ..View::default() };
        assert_eq!(me.slot("people").as_deref(), Some("people//all"));
        assert_eq!(ada.slot("people").as_deref(), Some("people/ada/all"));
        assert_eq!(mastodon.slot("today").as_deref(), Some("today//mastodon"));
        assert_eq!(past.slot("people"), None);
        assert!(mastodon.sees(Network::Mastodon) && !mastodon.sees(Network::Bluesky));
        assert!(me.sees(Network::Bluesky));
    }
}
