//! Message threads (`messages/inbox/<thread>/message_N.json`, the same shape in every layout):
//! participants by name, messages newest first with millisecond timestamps, reactions by name.
//!
//! Messages carry no ids, so a message's id is its thread, timestamp and rank among the sender's
//! messages of that millisecond: stable across exports of the same thread.

use std::collections::HashMap;

use rapport_model::{Interaction, InteractionKind, Network, Post};
use serde_json::Value;

use crate::export::{Export, item, text};
use crate::{FieldReport, ImportError};

const MAPPED: [&str; 8] = [
    "participants[].name",
    "thread_path",
    "messages[].sender_name",
    "messages[].timestamp_ms",
    "messages[].content",
    "messages[].reactions[].reaction",
    "messages[].reactions[].actor",
    "messages[].share.link",
];

/// The owner of an export without a profile, from its threads: the participant who is not the
/// thread's title (Facebook titles a one-to-one thread with the other person's name), or the one
/// named participant where Facebook blanked the other.
pub(super) fn infer_owner(thread: &Value) -> Option<String> {
    let names: Vec<&str> = participants(thread).into_iter().filter(|n| !n.is_empty()).collect();
    match (names.as_slice(), text(thread, "title")) {
        ([only], _) => Some((*only).to_owned()),
        ([a, b], Some(title)) if *a == title => Some((*b).to_owned()),
        ([a, b], Some(title)) if *b == title => Some((*a).to_owned()),
        _ => None,
    }
}

fn participants(thread: &Value) -> Vec<&str> {
    let list = thread.get("participants").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    list.iter().map(|p| text(p, "name").unwrap_or("")).collect()
}

pub(super) fn read(ex: &mut Export<'_, '_>, name: &str, thread: &Value) -> Result<(), ImportError> {
    let mut report = FieldReport::new(name);
    report.account(thread, &MAPPED);
    let me = ex.me().to_owned();
    let folder = name.rsplit_once('/').map_or(name, |(dir, _)| dir);
    let thread_id = text(thread, "thread_path").unwrap_or(folder);
    let others: Vec<&str> =
        participants(thread).into_iter().filter(|p| !p.is_empty() && *p != me).collect();
    let messages = thread.get("messages").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let mut ranks: HashMap<(i64, &str), u32> = HashMap::new();
    // Oldest first, so that ranks within a millisecond follow the conversation.
    for (n, message) in messages.iter().enumerate().rev() {
        report.items += 1;
        let at = item(name, n + 1);
        let sender = text(message, "sender_name").unwrap_or("");
        let Some(ms) = message.get("timestamp_ms").and_then(Value::as_i64) else {
            report.outcome("skipped: no timestamp");
            ex.skip(&at, "a message without a timestamp");
            continue;
        };
        if sender.is_empty() {
            report.outcome("skipped: sender blanked");
            ex.skip(&at, "a message whose sender Facebook blanked (a deleted or blocked account)");
            continue;
        }
        if message.get("is_unsent").and_then(Value::as_bool) == Some(true) {
            report.outcome("skipped: unsent");
            continue;
        }
        let rank = ranks.entry((ms, sender)).or_insert(0);
        let id = format!("{thread_id}/{ms}/{sender}/{rank}");
        *rank += 1;
        let when = Some(ms.div_euclid(1000));
        let body = text(message, "content").map(str::to_owned);
        let link = message.get("share").and_then(|s| text(s, "link")).map(str::to_owned);
        let post = Post {
            network: Network::Facebook,
            id: id.clone(),
            author: sender.to_owned(),
            at: when,
            text: body.clone().unwrap_or_default(),
            hashtags: crate::export::hashtags(body.as_deref().unwrap_or("")),
            links: link.into_iter().collect(),
            private: true,
            ..Post::default()
        };
        ex.post(post, &at)?;
        report.outcome("dm");
        let dm = |target: &str, native: String| Interaction {
            native_id: Some(native),
            post_id: Some(id.clone()),
            text: body.clone(),
            ..Interaction::new(Network::Facebook, when, sender, target, InteractionKind::Dm)
        };
        if sender == me {
            for other in &others {
                ex.interaction(dm(other, format!("{id}#{other}")), &at)?;
            }
        } else {
            ex.interaction(dm(&me, id.clone()), &at)?;
        }
        for reaction in
            message.get("reactions").and_then(Value::as_array).map_or(&[][..], Vec::as_slice)
        {
            let Some(actor) = text(reaction, "actor") else { continue };
            let like = Interaction {
                native_id: Some(format!("{id}#reaction/{actor}")),
                post_id: Some(id.clone()),
                text: text(reaction, "reaction").map(str::to_owned),
                ..Interaction::new(Network::Facebook, when, actor, sender, InteractionKind::Like)
            };
            ex.interaction(like, &at)?;
        }
    }
    ex.report(&report);
    Ok(())
}
