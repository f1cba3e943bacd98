//! Direct messages, one-to-one (`direct-messages.js`) and group (`direct-messages-group.js`).
//!
//! A message becomes a private post and a DM from its sender: to its recipient in a one-to-one
//! conversation; in a group, from the owner to every other participant, or from another member to
//! the owner (the only relationship this archive can speak for). Reactions become likes.

use std::collections::BTreeSet;

use rapport_model::{Interaction, InteractionKind, Network, Post};
use serde_json::Value;

use super::{Member, ytd};
use crate::export::{Export, item, text};
use crate::{FieldReport, ImportError, Location};

const MAPPED: [&str; 16] = [
    "dmConversation.conversationId",
    "dmConversation.messages[].messageCreate.id",
    "dmConversation.messages[].messageCreate.senderId",
    "dmConversation.messages[].messageCreate.recipientId",
    "dmConversation.messages[].messageCreate.createdAt",
    "dmConversation.messages[].messageCreate.text",
    "dmConversation.messages[].messageCreate.urls[].url",
    "dmConversation.messages[].messageCreate.urls[].expanded",
    "dmConversation.messages[].messageCreate.reactions[].senderId",
    "dmConversation.messages[].messageCreate.reactions[].eventId",
    "dmConversation.messages[].messageCreate.reactions[].createdAt",
    "dmConversation.messages[].joinConversation.initiatingUserId",
    "dmConversation.messages[].joinConversation.participantsSnapshot",
    "dmConversation.messages[].participantsJoin.initiatingUserId",
    "dmConversation.messages[].participantsJoin.userIds",
    "dmConversation.messages[].participantsLeave.userIds",
];

fn conversations(m: &Member) -> impl Iterator<Item = (usize, &Value)> {
    ytd::items(&m.value).iter().enumerate().map(|(n, c)| (n, c.get("dmConversation").unwrap_or(c)))
}

/// The owner of an archive without `account.js`: the one id in every one-to-one conversation id
/// (`<id>-<id>`), when exactly one id is.
pub(super) fn infer_owner(files: &[&Member]) -> Option<(String, Location)> {
    let mut common: Option<BTreeSet<&str>> = None;
    let mut first = None;
    for m in files {
        for (n, conversation) in conversations(m) {
            let Some((a, b)) = text(conversation, "conversationId").and_then(|c| c.split_once('-'))
            else {
                continue;
            };
            let pair = BTreeSet::from([a, b]);
            first.get_or_insert_with(|| item(&m.name, n + 1));
            common = Some(match common {
                None => pair,
                Some(c) => c.intersection(&pair).copied().collect(),
            });
        }
    }
    let common = common?;
    let mut ids = common.iter();
    match (ids.next(), ids.next()) {
        (Some(id), None) => Some(((*id).to_owned(), first?)),
        _ => None,
    }
}

pub(super) fn read(ex: &mut Export<'_, '_>, m: &Member) -> Result<(), ImportError> {
    let mut report = FieldReport::new(&m.name);
    for (n, conversation) in conversations(m) {
        report.items += 1;
        report.account(ytd::items(&m.value).get(n).unwrap_or(conversation), &MAPPED);
        let at = item(&m.name, n + 1);
        let events =
            conversation.get("messages").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        let participants = participants(conversation, events);
        for event in events {
            if let Some(message) = event.get("messageCreate") {
                message_create(ex, message, &participants, &at, &mut report)?;
            } else {
                report.outcome("conversation event");
            }
        }
    }
    ex.report(&report);
    Ok(())
}

/// Everyone a conversation shows: the ids in its id, senders, and join and leave events.
fn participants<'v>(conversation: &'v Value, events: &'v [Value]) -> BTreeSet<&'v str> {
    let mut ids = BTreeSet::new();
    if let Some((a, b)) = text(conversation, "conversationId").and_then(|c| c.split_once('-')) {
        ids.extend([a, b]);
    }
    for event in events {
        let Some(body) = event.as_object().and_then(|o| o.values().next()) else { continue };
        ids.extend(
            ["senderId", "recipientId", "initiatingUserId"].iter().filter_map(|k| text(body, k)),
        );
        for key in ["participantsSnapshot", "userIds"] {
            let listed = body.get(key).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            ids.extend(listed.iter().filter_map(Value::as_str));
        }
    }
    ids
}

fn message_create(
    ex: &mut Export<'_, '_>,
    message: &Value,
    participants: &BTreeSet<&str>,
    at: &Location,
    report: &mut FieldReport,
) -> Result<(), ImportError> {
    let (Some(id), Some(sender)) = (text(message, "id"), text(message, "senderId")) else {
        report.outcome("skipped: message without id or sender");
        ex.skip(at, "a message without an id or a sender");
        return Ok(());
    };
    let when = text(message, "createdAt").and_then(rapport_model::time::parse);
    let me = ex.me().to_owned();
    let mut body = text(message, "text").unwrap_or("").to_owned();
    let mut links = Vec::new();
    for url in message.get("urls").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
        if let Some(expanded) = text(url, "expanded") {
            if let Some(short) = text(url, "url") {
                body = body.replace(short, expanded);
            }
            links.push(expanded.to_owned());
        }
    }
    let post = Post {
        network: Network::X,
        id: id.to_owned(),
        author: sender.to_owned(),
        at: when,
        text: body.clone(),
        links,
        private: true,
        ..Post::default()
    };
    ex.post(post, at)?;
    report.outcome("dm");
    let dm = |source: &str, target: &str, native: String| Interaction {
        native_id: Some(native),
        post_id: Some(id.to_owned()),
        text: Some(body.clone()),
        ..Interaction::new(Network::X, when, source, target, InteractionKind::Dm)
    };
    if let Some(recipient) = text(message, "recipientId") {
        ex.interaction(dm(sender, recipient, id.to_owned()), at)?;
    } else if sender == me {
        for other in participants.iter().filter(|p| **p != me) {
            ex.interaction(dm(sender, other, format!("{id}/{other}")), at)?;
        }
    } else {
        ex.interaction(dm(sender, &me, id.to_owned()), at)?;
    }
    for reaction in
        message.get("reactions").and_then(Value::as_array).map_or(&[][..], Vec::as_slice)
    {
        let Some(reactor) = text(reaction, "senderId") else { continue };
        let native =
            text(reaction, "eventId").map_or_else(|| format!("{id}/{reactor}"), str::to_owned);
        let like = Interaction {
            native_id: Some(native),
            post_id: Some(id.to_owned()),
            ..Interaction::new(
                Network::X,
                text(reaction, "createdAt").and_then(rapport_model::time::parse),
                reactor,
                sender,
                InteractionKind::Like,
            )
        };
        ex.interaction(like, at)?;
    }
    Ok(())
}
