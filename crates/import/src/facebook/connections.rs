//! Friends, removed friends, friend requests, followers and followings: lists of `{name, timestamp}`
//! (timestamps in seconds, absent for followers), each list under its own top-level key.

use rapport_model::{Account, Interaction, InteractionKind, Network};
use serde_json::Value;

use crate::export::{Export, item, text};
use crate::{ErrorKind, FieldReport, ImportError};

/// What a list means: the interaction kind, and whether the listed person acts on the owner.
#[derive(Clone, Copy, Debug)]
pub(super) struct Edge {
    pub(super) kind: InteractionKind,
    pub(super) inbound: bool,
}

/// The meaning of a top-level key, across the layouts of 2018 to 2026.
pub(super) fn edge(key: &str) -> Option<Edge> {
    let (kind, inbound) = match key {
        "friends_v2" | "friends" => (InteractionKind::Connect, false),
        // A removed friendship is the end of the connection the owner chose.
        "deleted_friends_v2" | "removed_friends_v2" | "deleted_friends" | "removed_friends" => {
            (InteractionKind::Unfollow, false)
        }
        "sent_requests_v2" | "sent_requests" => (InteractionKind::Request, false),
        "received_requests_v2" | "received_requests" => (InteractionKind::Request, true),
        "following_v3" | "following_v2" | "following" => (InteractionKind::Follow, false),
        "followers_v3" | "followers_v2" | "followers" => (InteractionKind::Follow, true),
        _ => return None,
    };
    Some(Edge { kind, inbound })
}

/// Emits the list under `key` of the member's top-level object `root`.
pub(super) fn read(
    ex: &mut Export<'_, '_>,
    name: &str,
    root: &Value,
    key: &str,
    edge: Edge,
) -> Result<(), ImportError> {
    let mapped = [format!("{key}[].name"), format!("{key}[].timestamp")];
    let mapped: Vec<&str> = mapped.iter().map(String::as_str).collect();
    let mut report = FieldReport::new(name);
    report.account(root, &mapped);
    let list = root.get(key).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let me = ex.me().to_owned();
    for (n, entry) in list.iter().enumerate() {
        report.items += 1;
        let at = item(name, n + 1);
        let Some(person) = text(entry, "name") else {
            report.outcome("skipped: no name");
            ex.skip(&at, "an entry without a name (Facebook blanks the names of deleted accounts)");
            continue;
        };
        let when = entry.get("timestamp").and_then(Value::as_i64);
        if entry.get("timestamp").is_some() && when.is_none() {
            ex.invalid(
                &at,
                ErrorKind::bad_value(
                    "timestamp",
                    &entry["timestamp"].to_string(),
                    "expected Unix seconds",
                ),
            )?;
            continue;
        }
        ex.account(
            Account {
                display_name: Some(person.to_owned()),
                ..Account::new(Network::Facebook, person)
            },
            &at,
        )?;
        let (source, target) =
            if edge.inbound { (person, me.as_str()) } else { (me.as_str(), person) };
        ex.interaction(Interaction::new(Network::Facebook, when, source, target, edge.kind), &at)?;
        report.outcome(edge.kind.as_str());
    }
    ex.report(&report);
    Ok(())
}
