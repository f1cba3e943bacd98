//! What "send" will do for an action, said before the click: what is sent (the text, after the
//! people it names), where (a reply in a thread, a new post, a private message) and who sees it.
//! The same target makes the message that is sent, so the page never promises something else.

use rapport_engine::SendTarget;
use rapport_engine::check::DraftKind;
use rapport_engine::model::Network;
use rapport_engine::sync::{Mention, Outgoing};
use serde::Serialize;

/// How a message goes out, for the page and the API.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PlanDto {
    /// `reply` (in the thread of `reply_to`), `post` (a new public post naming them) or
    /// `private` (a message only the people named and you see).
    pub(crate) how: &'static str,
    /// The post answered (an AT URI, a status URI).
    pub(crate) reply_to: Option<String>,
    /// The handles put in front of the text unless it names them (`@ada.bsky.social`).
    pub(crate) names: Vec<String>,
    /// What is sent, where, and who sees it, in words.
    pub(crate) says: String,
}

/// The plan for `target`.
pub(crate) fn plan(target: &SendTarget) -> PlanDto {
    let names = mentions(target).iter().map(|m| format!("@{}", m.handle)).collect::<Vec<_>>();
    let network = target.network.as_str();
    let named = names.join(" and ");
    let front = format!(
        "Rapport puts {named} at the start unless your text names {}.",
        if names.len() == 1 { "them" } else { "both" }
    );
    let (how, says) = match (&target.reply_to, target.private, target.network) {
        (Some(post), _, Network::Mastodon) => (
            "reply",
            format!(
                "Sends your text as a reply in the thread of their post {post}, from your {network} account, naming its author so they are notified. It is as visible as that post: public when it is public."
            ),
        ),
        (Some(post), _, _) => (
            "reply",
            format!(
                "Sends your text as a public reply in the thread of their post {post}, from your {network} account: anyone can see it."
            ),
        ),
        (None, true, Network::Mastodon) => (
            "private",
            format!(
                "Sends your text as a private message (a direct status) from your {network} account to {named}: only they and you see it. {front}"
            ),
        ),
        (None, true, _) => (
            "post",
            format!(
                "Bluesky's private messages go through its chat service, which Rapport does not reach, so this sends a new public post from your {network} account that mentions {named}: anyone can see it. {front}"
            ),
        ),
        (None, false, _) => (
            "post",
            format!(
                "Sends your text as a new public post from your {network} account that mentions {named}: anyone can see it. {front}"
            ),
        ),
    };
    PlanDto { how, reply_to: target.reply_to.clone(), names, says }
}

/// What the draft checker reads the text as.
pub(crate) fn draft_kind(target: &SendTarget) -> DraftKind {
    match (&target.reply_to, target.private && target.network == Network::Mastodon) {
        (Some(_), _) => DraftKind::Reply,
        (None, true) => DraftKind::Dm,
        (None, false) => DraftKind::Post,
    }
}

/// The message sent for `target` with the user's `text`.
pub(crate) fn outgoing(target: &SendTarget, text: &str) -> Outgoing {
    Outgoing {
        text: text.to_owned(),
        reply_to: target.reply_to.clone(),
        mentions: mentions(target),
        private: target.private && target.network == Network::Mastodon,
    }
}

/// The people a message names: none for a reply, which its thread addresses (Mastodon's post
/// names the author answered itself), else the person and, for an introduction, who introduces.
fn mentions(target: &SendTarget) -> Vec<Mention> {
    if target.reply_to.is_some() {
        return Vec::new();
    }
    target
        .mentions
        .iter()
        .filter_map(|a| {
            a.handle.as_ref().map(|h| Mention { handle: h.clone(), id: a.native_id.clone() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rapport_engine::AccountRow;

    use super::*;

    fn account(network: Network, handle: &str) -> AccountRow {
        AccountRow {
            id: 1,
            network,
            native_id: format!("id:{handle}"),
            handle: Some(handle.into()),
            display_name: None,
            url: None,
            bot: false,
            person: 1,
            is_me: false,
            description: None,
            kind: None,
        }
    }

    #[test]
    fn the_page_says_where_it_goes_and_who_sees_it() {
        let ada = |n| account(n, "ada.example");
        let target = |network, reply_to: Option<&str>, private| SendTarget {
            network,
            reply_to: reply_to.map(str::to_owned),
            private,
            mentions: vec![ada(network)],
        };
        for (target, how, says, kind, names) in [
            (
                target(Network::Mastodon, None, true),
                "private",
                "only they and you see it",
                DraftKind::Dm,
                1,
            ),
            (
                target(Network::Bluesky, None, true),
                "post",
                "chat service, which Rapport does not reach",
                DraftKind::Post,
                1,
            ),
            (
                target(Network::Bluesky, None, false),
                "post",
                "anyone can see it",
                DraftKind::Post,
                1,
            ),
            (
                target(Network::Bluesky, Some("at://x"), false),
                "reply",
                "public reply in the thread of their post at://x",
                DraftKind::Reply,
                0,
            ),
            (
                target(Network::Mastodon, Some("https://x/1"), false),
                "reply",
                "as visible as that post",
                DraftKind::Reply,
                0,
            ),
        ] {
            let plan = plan(&target);
            assert_eq!(plan.how, how, "{target:?}");
            assert!(plan.says.contains(says), "{}", plan.says);
            assert_eq!(draft_kind(&target), kind);
            assert_eq!(plan.names.len(), names);
            let out = outgoing(&target, "hello");
            assert_eq!(out.private, how == "private");
            assert_eq!(out.mentions.len(), names);
        }
    }
}
