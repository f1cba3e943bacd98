//! Mastodon archives and Pleroma or Akkoma backups (zip, tar.gz or folder), ActivityStreams both:
//! `actor.json` is the owner, `outbox.json` their notes and boosts, `likes.json` undated likes,
//! `bookmarks.json` private bookmarks (counted, not imported), Pleroma's `followers.json` and
//! `following.json` undated follows, and Mastodon's account CSV exports (`following_accounts.csv`,
//! `blocked_accounts.csv`, `muted_accounts.csv`) undated follows, blocks and mutes, when the user put
//! them next to the archive.
//!
//! The helpers that form account and status ids are public: live sync (`rapport-sync`) forms the
//! ids of what the REST API returns with them, so an archive and a sync of one account meet.

mod accounts;
mod authors;
mod collection;
mod html;
mod outbox;

pub use html::{Text, to_text};
pub use outbox::handle_of;

use rapport_model::{Account, Network};
use serde_json::Value;

use crate::export::{Export, base, item, text};
use crate::{ErrorKind, FieldReport, ImportError, Location};
use authors::Authors;
use collection::Collection;

/// The members the importer reads, by file name.
const MEMBERS: [&str; 9] = [
    "actor.json",
    "outbox.json",
    "likes.json",
    "bookmarks.json",
    "followers.json",
    "following.json",
    "following_accounts.csv",
    "blocked_accounts.csv",
    "muted_accounts.csv",
];

/// How many of `names` look like Mastodon archive members, for detection.
pub(crate) fn score(names: &[&str]) -> usize {
    names.iter().filter(|n| MEMBERS.contains(&base(n))).count()
}

/// The addressing ActivityPub uses for "everyone".
const PUBLIC: [&str; 3] = ["https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"];

/// True for addresses that are collections, not accounts.
fn is_collection(address: &str) -> bool {
    PUBLIC.contains(&address) || address.ends_with("/followers") || address.ends_with("/following")
}

pub(crate) fn read(ex: &mut Export<'_, '_>) -> Result<(), ImportError> {
    let entries: Vec<(usize, String)> =
        ex.archive.entries().iter().enumerate().map(|(i, e)| (i, e.name.clone())).collect();
    let find = |file: &'static str| entries.iter().filter(move |(_, n)| base(n) == file);
    for (index, name) in find("actor.json") {
        let bytes = ex.read(*index)?;
        let actor = ex.json(name, &bytes, 0)?;
        owner(ex, name, &actor)?;
    }
    if ex.me().is_empty() {
        let at = Location::Member { name: "actor.json".into(), at: None };
        return Err(ex.error(
            at,
            ErrorKind::NoOwner(
                "the archive has no actor.json; import the whole archive, not single files".into(),
            ),
        ));
    }
    let mut outboxes = Vec::new();
    for (index, name) in find("outbox.json") {
        outboxes.push((name, collection(ex, *index, name)?));
    }
    let collections: Vec<&Collection> = outboxes.iter().map(|(_, c)| c).collect();
    let mut authors = Authors::learn(&collections, ex.me());
    for (name, collection) in &outboxes {
        outbox::read(ex, name, collection, &mut authors)?;
    }
    for (index, name) in find("likes.json").chain(find("bookmarks.json")) {
        let collection = collection(ex, *index, name)?;
        outbox::likes(ex, name, &collection, base(name) == "likes.json", &mut authors)?;
    }
    for (index, name) in find("followers.json").chain(find("following.json")) {
        let collection = collection(ex, *index, name)?;
        outbox::follows(ex, name, &collection, base(name) == "followers.json", &mut authors)?;
    }
    for (index, name) in &entries {
        match base(name) {
            "following_accounts.csv" | "blocked_accounts.csv" | "muted_accounts.csv" => {
                let bytes = ex.read(*index)?;
                accounts::read(ex, name, &bytes)?;
            }
            file if (file.ends_with(".json") || file.ends_with(".csv"))
                && !MEMBERS.contains(&file) =>
            {
                ex.report(&FieldReport::unread(name.clone(), "not about relationships"));
            }
            _ => {}
        }
    }
    Ok(())
}

fn collection(
    ex: &mut Export<'_, '_>,
    index: usize,
    name: &str,
) -> Result<Collection, ImportError> {
    let bytes = ex.read(index)?;
    serde_json::from_slice(&bytes).map_err(|e| ex.json_error(name, &bytes, 0, &e))
}

fn owner(ex: &mut Export<'_, '_>, name: &str, actor: &Value) -> Result<(), ImportError> {
    let mut report = FieldReport::new(name);
    report.items = 1;
    report.account(actor, &["id", "preferredUsername", "name", "url"]);
    let Some(id) = text(actor, "id") else {
        return Err(ex.error(item(name, 1), ErrorKind::Empty("actor id")));
    };
    let handle = text(actor, "preferredUsername").map(|u| match host(id) {
        Some(host) => format!("{u}@{host}"),
        None => u.to_owned(),
    });
    let me = Account {
        handle,
        display_name: text(actor, "name").map(str::to_owned),
        url: text(actor, "url").map(str::to_owned),
        ..Account::new(Network::Mastodon, id)
    };
    report.outcome("me");
    ex.set_me(me, item(name, 1))?;
    ex.report(&report);
    Ok(())
}

/// The host of a URL.
pub fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest)).filter(|h| !h.is_empty())
}

/// The actor URL of `user@domain`, by Mastodon's convention (`https://domain/users/user`), which
/// matches the actor ids in archives from Mastodon servers.
pub fn actor_of_address(address: &str, home: &str) -> Option<String> {
    let address = address.trim().trim_start_matches('@');
    let (user, domain) = address.split_once('@').unwrap_or((address, home));
    let valid = |s: &str| !s.is_empty() && !s.contains(['/', ' ', '?', '#']);
    (valid(user) && valid(domain)).then(|| format!("https://{domain}/users/{user}"))
}

/// The author of a status from its URL, for Mastodon's two shapes
/// (`https://host/users/name/statuses/id` and `https://host/@name/id`).
pub fn author_of(status: &str) -> Option<String> {
    let (scheme, rest) = status.split_once("://")?;
    let mut parts = rest.split('/');
    let host = parts.next()?;
    match (parts.next()?, parts.next(), parts.next()) {
        ("users", Some(name), Some("statuses")) if !name.is_empty() => {
            Some(format!("{scheme}://{host}/users/{name}"))
        }
        (at_name, Some(_), None) if at_name.len() > 1 && at_name.starts_with('@') => {
            Some(format!("{scheme}://{host}/users/{}", &at_name[1..]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_actors() {
        assert_eq!(
            author_of("https://a.example/users/bo/statuses/1").as_deref(),
            Some("https://a.example/users/bo")
        );
        assert_eq!(
            author_of("https://a.example/@bo/1").as_deref(),
            Some("https://a.example/users/bo")
        );
        assert_eq!(author_of("https://a.example/notes/9x"), None);
        assert_eq!(
            actor_of_address("@bo@a.example", "h.example").as_deref(),
            Some("https://a.example/users/bo")
        );
        assert_eq!(
            actor_of_address("bo", "h.example").as_deref(),
            Some("https://h.example/users/bo")
        );
        assert_eq!(actor_of_address("b o@x", "h"), None);
    }
}
