//! Who wrote a status the owner replied to, boosted or liked, and how to show an account.
//!
//! Status URLs have no common shape across the fediverse (Mastodon's `/users/X/statuses/N`,
//! Firefish and Misskey's `/notes/ID`, Pleroma and Akkoma's `/objects/UUID`, GoToSocial's
//! `/users/X/statuses/ULID`), so a status's author comes first from what the archive itself says:
//! the owner's own outbox ids, the accounts a reply addresses and mentions (every server mentions
//! the author of the status a reply answers), the `cc` of a boost. Mastodon's URL shapes are the
//! last resort, and a status none of these name keeps an unknown author.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::collection::Collection;
use super::{author_of, host, is_collection};
use crate::export::text;

/// What the outbox says about statuses and accounts.
#[derive(Default)]
pub(super) struct Authors {
    /// The ids of the owner's own statuses and activities.
    own: HashSet<String>,
    /// The author of each status the owner replied to or boosted, as the activity addressed it.
    by_status: HashMap<String, String>,
    /// Accounts already given a handle, so a handle worked out from a URL never replaces one the
    /// archive spelled out.
    named: HashSet<String>,
}

impl Authors {
    /// Learns from every activity of the outbox collections: first the owner's own ids (a reply
    /// may answer a status further down), then the authors of replied-to and boosted statuses.
    pub(super) fn learn(outboxes: &[&Collection], me: &str) -> Authors {
        let mut authors = Authors::default();
        // The owner's handle comes from `actor.json`.
        authors.named.insert(me.to_owned());
        for activity in outboxes.iter().flat_map(|c| &c.items) {
            if let Some(id) = text(activity, "id") {
                authors.own.insert(id.to_owned());
            }
            if let Some(id) = activity.get("object").and_then(|o| text(o, "id")) {
                authors.own.insert(id.to_owned());
            }
        }
        for activity in outboxes.iter().flat_map(|c| &c.items) {
            let object = activity.get("object");
            let learned = match text(activity, "type") {
                Some("Create") => object.filter(|o| o.is_object()).and_then(|o| {
                    let status = text(o, "inReplyTo")?;
                    Some((status, authors.reply_author(status, o, activity, me)?))
                }),
                Some("Announce") => object
                    .and_then(Value::as_str)
                    .and_then(|status| Some((status, authors.boost_author(status, activity, me)?))),
                _ => None,
            };
            if let Some((status, author)) = learned {
                authors.by_status.entry(status.to_owned()).or_insert(author);
            }
        }
        authors
    }

    /// The author of `status` from what is known of it: the owner's own, one the outbox named,
    /// or Mastodon's URL shapes.
    pub(super) fn of_status(&self, status: &str, me: &str) -> Option<String> {
        if self.own.contains(status) || status.starts_with(&format!("{me}/")) {
            return Some(me.to_owned());
        }
        self.by_status.get(status).cloned().or_else(|| author_of(status))
    }

    /// The author of the status `status` that `object` (of `activity`) replies to.
    pub(super) fn reply_author(
        &self,
        status: &str,
        object: &Value,
        activity: &Value,
        me: &str,
    ) -> Option<String> {
        if let Some(author) = self.of_status(status, me) {
            return Some(author);
        }
        let mut addressed: Vec<String> = Vec::new();
        for tag in object.get("tag").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
            if text(tag, "type") == Some("Mention")
                && let Some(href) = text(tag, "href")
            {
                addressed.push(href.to_owned());
            }
        }
        for key in ["to", "cc"] {
            for source in [object, activity] {
                addressed.extend(addresses(source, key));
            }
        }
        addressed.retain(|a| !is_collection(a) && a != me);
        addressed.sort_unstable();
        addressed.dedup();
        // The author is the one account addressed on the status's own server, or failing that the
        // only account addressed at all.
        let same_host: Vec<&String> =
            addressed.iter().filter(|a| host(a).is_some() && host(a) == host(status)).collect();
        match (same_host.as_slice(), addressed.as_slice()) {
            ([one], _) => Some((*one).clone()),
            ([], [one]) => Some(one.clone()),
            _ => None,
        }
    }

    /// The author of the status a boost (`activity`) shares: servers copy it into `cc`.
    pub(super) fn boost_author(&self, status: &str, activity: &Value, me: &str) -> Option<String> {
        let cc = addresses(activity, "cc");
        cc.into_iter().find(|a| !is_collection(a) && a != me).or_else(|| self.of_status(status, me))
    }

    /// Notes that `actor` now has a handle; false when it had one already.
    pub(super) fn name(&mut self, actor: &str) -> bool {
        self.named.insert(actor.to_owned())
    }
}

/// The addresses in `to` or `cc`, which may be a string or a list.
pub(super) fn addresses(value: &Value, key: &str) -> Vec<String> {
    match value.get(key) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => {
            items.iter().filter_map(Value::as_str).map(str::to_owned).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ME: &str = "https://home.example/users/ada";

    fn outbox(items: Vec<Value>) -> Collection {
        Collection { items, ..Collection::default() }
    }

    #[test]
    fn finds_authors_from_what_the_activity_says() {
        let reply = |status: &str, mention: &str, cc: Vec<&str>| {
            json!({"type": "Create", "id": "https://home.example/a/1",
                "cc": cc,
                "object": {"id": "https://home.example/o/1", "inReplyTo": status,
                    "tag": [{"type": "Mention", "href": mention}]}})
        };
        let cases = [
            // (name, the replied-to status, the mention, cc, the author found)
            (
                "misskey note",
                "https://mk.example/notes/9x",
                "https://mk.example/users/9abc",
                vec![],
                Some("https://mk.example/users/9abc"),
            ),
            (
                "pleroma object, author only in cc",
                "https://pl.example/objects/0d5b-4c1e",
                "https://elsewhere.example/users/cy",
                vec!["https://pl.example/users/bo", "https://home.example/users/ada/followers"],
                Some("https://pl.example/users/bo"),
            ),
            (
                "mastodon status",
                "https://m.example/users/bo/statuses/5",
                "https://m.example/users/bo",
                vec![],
                Some("https://m.example/users/bo"),
            ),
            (
                "the owner's own status",
                "https://home.example/o/7",
                "https://x.example/users/cy",
                vec![],
                Some(ME),
            ),
        ];
        let own = json!({"type": "Create", "object": {"id": "https://home.example/o/7"}});
        for (name, status, mention, cc, want) in cases {
            let activity = reply(status, mention, cc);
            let authors = Authors::learn(&[&outbox(vec![own.clone(), activity.clone()])], ME);
            let found = authors.reply_author(status, &activity["object"], &activity, ME);
            assert_eq!(found.as_deref(), want, "{name}");
        }
    }

    #[test]
    fn two_accounts_on_the_status_server_leave_the_author_unknown() {
        let activity = json!({"type": "Create", "object": {"inReplyTo": "https://mk.example/notes/1",
            "tag": [{"type": "Mention", "href": "https://mk.example/users/a"},
                    {"type": "Mention", "href": "https://mk.example/users/b"}]}});
        let authors = Authors::default();
        let found =
            authors.reply_author("https://mk.example/notes/1", &activity["object"], &activity, ME);
        assert_eq!(found, None);
    }

    #[test]
    fn remembers_authors_for_likes() {
        let activity = json!({"type": "Create", "object": {"id": "https://home.example/o/2",
            "inReplyTo": "https://pl.example/objects/u-1",
            "tag": [{"type": "Mention", "href": "https://pl.example/users/bo"}]}});
        let authors = Authors::learn(&[&outbox(vec![activity])], ME);
        assert_eq!(
            authors.of_status("https://pl.example/objects/u-1", ME).as_deref(),
            Some("https://pl.example/users/bo")
        );
        assert_eq!(authors.of_status("https://home.example/o/2", ME).as_deref(), Some(ME));
        assert_eq!(authors.of_status("https://pl.example/objects/u-2", ME), None);
    }
}
