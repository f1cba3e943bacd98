//! Where a message written for one of today's actions goes, from what the store knows: the post it
//! answers (a question, a mention, a quote) or none (a new message), and the accounts it names on
//! the action's network (the person, and for an introduction the one who can introduce them). The
//! front end shows it before anything is sent, and sends exactly that.

use rapport_advice::{Action, ActionKind};
use rapport_model::rows::InteractionRow;
use rapport_model::{InteractionKind, Network};
use rapport_store::{AccountRow, Read};

use crate::{DiscoverQuery, Result, Snapshot, View};

/// Where a message for an action goes.
#[derive(Clone, Debug)]
pub struct SendTarget {
    /// The network it is sent on (the action's).
    pub network: Network,
    /// The post it answers in its thread (a network id), or `None` for a new message.
    pub reply_to: Option<String>,
    /// True when it is a message to the people named rather than a post for everyone: reaching
    /// out to someone gone quiet or to someone new. A network without private messages sends a
    /// post that names them.
    pub private: bool,
    /// The accounts it names, the person first, each with a handle on the network.
    pub mentions: Vec<AccountRow>,
}

impl Snapshot<'_> {
    /// Where a message for `action` goes, or why none can be sent from here (no account with a
    /// handle on its network, no post to answer).
    pub fn send_target(
        &self,
        view: &View,
        action: &Action,
    ) -> Result<std::result::Result<SendTarget, String>> {
        let network = action.network;
        let Some(person) = self.accounts_of_label(view, &action.who, network)? else {
            return Ok(Err(format!(
                "{} has no {} account with a handle in the store, so there is no one to send it to there",
                action.who,
                network.as_str()
            )));
        };
        let theirs: Vec<i64> = person.iter().map(|a| a.id).collect();
        let Some(first) = person.into_iter().next() else {
            return Ok(Err(format!("{} has no account on {}", action.who, network.as_str())));
        };
        let mut mentions = vec![first];
        let (reply_to, private) = match action.kind {
            ActionKind::Answer => match self.newest_from(&theirs, action, ANSWERED)? {
                Some(post) => (Some(post), false),
                None => {
                    return Ok(Err(format!(
                        "the message waiting from {} is private or has no post to answer; answer it in the network's own app",
                        action.who
                    )));
                }
            },
            ActionKind::Opportunity => match self.their_post(&theirs, action)? {
                Some(post) => (Some(post), false),
                None => {
                    return Ok(Err(format!(
                        "the post {} asked in is not in the store any more",
                        action.who
                    )));
                }
            },
            // A quote has a post to answer; a repost has none, so the thanks is a new post.
            ActionKind::Thank => {
                (self.newest_from(&theirs, action, &[InteractionKind::Quote])?, false)
            }
            ActionKind::Reconnect | ActionKind::Revive => (None, true),
            ActionKind::Introduce => {
                match self.introducer(view, action, &mentions[0])? {
                    Ok(introducer) => mentions.insert(0, introducer),
                    Err(why) => return Ok(Err(why)),
                }
                (None, true)
            }
        };
        Ok(Ok(SendTarget { network, reply_to, private, mentions }))
    }

    /// The accounts on `network` of the person (or account) labelled `label` in the view's
    /// listing, those with a handle first; `None` when none has a handle.
    fn accounts_of_label(
        &self,
        view: &View,
        label: &str,
        network: Network,
    ) -> Result<Option<Vec<AccountRow>>> {
        let people = self.all_people(view)?;
        let mut accounts: Vec<AccountRow> = match people
            .people
            .iter()
            .find(|p| p.label() == label || p.accounts.iter().any(|a| a.label() == label))
        {
            Some(p) => p.accounts.clone(),
            // An opportunity's author may be no relationship yet: an account of its own.
            None => self
                .store
                .find_accounts(label.trim_start_matches('@'))?
                .into_iter()
                .filter(|a| a.label() == label)
                .collect(),
        };
        accounts.retain(|a| a.network == network && !a.is_me);
        accounts.sort_by_key(|a| a.handle.is_none());
        Ok(accounts.first().is_some_and(|a| a.handle.is_some()).then_some(accounts))
    }

    /// The newest post id of an interaction of `kinds` from `theirs` to "me" on the action's
    /// network, since the action's moment.
    fn newest_from(
        &self,
        theirs: &[i64],
        action: &Action,
        kinds: &[InteractionKind],
    ) -> Result<Option<String>> {
        let mut rows: Vec<InteractionRow> = self
            .store
            .interactions_touching(theirs, None)?
            .into_iter()
            .filter(|i| i.network == action.network && theirs.contains(&i.source))
            .filter(|i| kinds.contains(&i.kind) && i.post_id.is_some())
            .filter(|i| action.at.is_none_or(|s| i.at.is_some_and(|at| at >= s)))
            .collect();
        rows.sort_by_key(|i| (i.at, i.id));
        Ok(rows.pop().and_then(|i| i.post_id))
    }

    /// The public post of theirs the action was made from (an opportunity: posted at its moment).
    fn their_post(&self, theirs: &[i64], action: &Action) -> Result<Option<String>> {
        let posts = self.store.posts_by(theirs, None)?;
        Ok(posts
            .into_iter()
            .filter(|p| p.network == action.network && !p.private && p.at == action.at)
            .map(|p| p.native_id)
            .next())
    }

    /// The account, on the introduction's network, of the close tie discovery names as the warm
    /// path to `new` (the first of its `through`), or why there is none.
    fn introducer(
        &self,
        view: &View,
        action: &Action,
        new: &AccountRow,
    ) -> Result<std::result::Result<AccountRow, String>> {
        let query = DiscoverQuery {
            limit: rapport_advice::today::INTRODUCTIONS,
            ..DiscoverQuery::default()
        };
        let suggestions = self.discover_for(view, &query, || self.all_people(view))?;
        let Some(path) = suggestions
            .iter()
            .find(|s| s.accounts.first().is_some_and(|a| a.id == new.id))
            .and_then(|s| s.through.first())
        else {
            return Ok(Err(format!(
                "discovery no longer names someone who can introduce {}",
                action.who
            )));
        };
        Ok(match self.accounts_of_label(view, path, action.network)? {
            Some(accounts) => accounts.into_iter().next().ok_or_else(String::new),
            None => Err(format!(
                "{path}, who can introduce {}, has no {} account with a handle in the store",
                action.who,
                action.network.as_str()
            )),
        })
    }
}

/// What an answer answers: a reply, a mention or a quote (each a public post to reply under).
const ANSWERED: &[InteractionKind] =
    &[InteractionKind::Reply, InteractionKind::Mention, InteractionKind::Quote];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Engine, TodayQuery};

    /// On the demo store every action either has a target on its network that names its person,
    /// or says why not; answers and opportunities answer a post, reconnects are private.
    #[test]
    fn every_action_of_the_demo_has_a_target_or_a_reason() {
        let dir = tempfile::tempdir().expect("dir");
        let engine = Engine::open(&Config::with_db(dir.path().join("demo.db"))).expect("open");
        engine.load_sample(&crate::sample::SampleSpec::default()).expect("demo");
        let read = engine.read().expect("read");
        let view = View::default();
        let today = read.today(&view, &TodayQuery { limit: 200 }).expect("today");
        let mut kinds = std::collections::HashSet::new();
        for action in &today.actions {
            match read.send_target(&view, action).expect("target") {
                Ok(target) => {
                    kinds.insert(action.kind);
                    assert_eq!(target.network, action.network);
                    assert!(target.mentions.iter().all(|a| a.network == action.network));
                    assert!(target.mentions.iter().all(|a| a.handle.is_some()));
                    match action.kind {
                        ActionKind::Answer | ActionKind::Opportunity => {
                            assert!(target.reply_to.is_some() && !target.private, "{action:?}")
                        }
                        ActionKind::Reconnect | ActionKind::Revive => {
                            assert!(target.reply_to.is_none() && target.private, "{action:?}")
                        }
                        ActionKind::Introduce => assert_eq!(target.mentions.len(), 2),
                        ActionKind::Thank => assert!(!target.private),
                    }
                }
                Err(why) => assert!(!why.is_empty(), "{action:?}"),
            }
        }
        assert!(kinds.len() >= 3, "only {kinds:?} have targets on the demo");
    }
}
