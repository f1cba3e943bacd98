//! Checking drafts before they are sent, with what the store knows: the relationship with the
//! recipient and the user's own sent messages.

use std::collections::HashMap;

use rapport_check::{Context, DraftKind, History, Model, RelationshipContext, Report};
use rapport_model::{Direction, InteractionKind, Network};
use rapport_store::{AccountRow, Read};

use crate::{Result, Snapshot, View};

/// Where a draft goes (the view says whose it is).
#[derive(Clone, Debug, Default)]
pub struct DraftQuery {
    /// Post, reply or DM.
    pub kind: DraftKind,
    /// The recipient of a reply or DM, as a handle or id.
    pub to: Option<String>,
    /// The network it goes to.
    pub network: Option<Network>,
}

/// Checks drafts without a store: only the text, its kind and network.
pub fn check_text(texts: &[String], query: &DraftQuery) -> Vec<Report> {
    let ctx = Context { kind: query.kind, network: query.network, ..Context::default() };
    texts.iter().map(|t| rapport_check::check(t, &ctx, Model::embedded())).collect()
}

impl Snapshot<'_> {
    /// Checks drafts from the view's account with the relationship to the recipient and the
    /// account's sent messages.
    pub fn check_drafts(
        &self,
        view: &View,
        texts: &[String],
        query: &DraftQuery,
    ) -> Result<Vec<Report>> {
        let relationship = query.to.as_deref().map(|to| self.relationship_context(view, to));
        let history = self.sent_history(view)?;
        // The history names recipients by their label, so the recipient is named the same way.
        let recipient = match &query.to {
            Some(to) => self.store.find_accounts(to)?.first().map(AccountRow::label),
            None => None,
        };
        let ctx = Context {
            kind: query.kind,
            network: query.network,
            relationship,
            recipient: recipient.as_deref(),
            history: history.as_ref(),
        };
        Ok(texts.iter().map(|t| rapport_check::check(t, &ctx, Model::embedded())).collect())
    }

    /// What the check should know of the relationship with `to`: a stranger when the store has no
    /// history with them.
    fn relationship_context(&self, view: &View, to: &str) -> RelationshipContext {
        let stranger = RelationshipContext {
            stage: rapport_check::Stage::Stranger,
            strength: 0.0,
            interactions: 0,
            they_reached_out_last: false,
        };
        let Ok(person) = self.person(view, to) else { return stranger };
        let r = &person.detail.relationship;
        RelationshipContext {
            stage: r.stage,
            strength: r.strength as f32,
            interactions: r.counts.interactions(Direction::Out)
                + r.counts.interactions(Direction::In),
            they_reached_out_last: r.last.is_some_and(|l| l.direction == Direction::In),
        }
    }

    /// The user's sent private messages with their recipients, for copy-paste outreach; `None`
    /// when the store does not know who the user is.
    fn sent_history(&self, view: &View) -> Result<Option<History>> {
        let Ok(me) = self.me(view.as_account.as_deref()) else { return Ok(None) };
        let ids: Vec<i64> = me.iter().map(|a| a.id).collect();
        let sent: Vec<_> = self
            .store
            .interactions_touching(&ids, None)?
            .into_iter()
            .filter(|i| {
                i.kind == InteractionKind::Dm && ids.contains(&i.source) && i.text.is_some()
            })
            .collect();
        let targets: Vec<i64> = sent.iter().map(|i| i.target).collect();
        let labels: HashMap<i64, String> =
            self.store.accounts(&targets)?.into_iter().map(|a| (a.id, a.label())).collect();
        let mut history = History::new();
        for i in &sent {
            let recipient = labels.get(&i.target).cloned().unwrap_or_else(|| i.target.to_string());
            history.push(&recipient, i.text.as_deref().unwrap_or_default());
        }
        Ok(Some(history))
    }
}
