//! The outbox's activities (notes and boosts) and the likes and bookmarks collections.

use rapport_model::fediverse::handle_of_actor;
use rapport_model::{Account, Interaction, InteractionKind, Network, Post};
use serde_json::Value;

use super::authors::{Authors, addresses};
use super::collection::Collection;
use super::{PUBLIC, host, html, is_collection};
use crate::export::{Export, item, text};
use crate::{ErrorKind, FieldReport, ImportError, Location};

/// The fields of a `Create` activity that reach records.
const CREATE: [&str; 16] = [
    "id",
    "type",
    "published",
    "to",
    "cc",
    "object.to",
    "object.cc",
    "object.id",
    "object.type",
    "object.summary",
    "object.inReplyTo",
    "object.published",
    "object.content",
    "object.tag[].type",
    "object.tag[].href",
    "object.tag[].name",
];

/// The fields of an `Announce` (boost) that reach records.
const ANNOUNCE: [&str; 5] = ["id", "type", "published", "cc", "object"];

/// Who can see a note, from its addressing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Visibility {
    /// Addressed to the public collection.
    Public,
    /// The public collection only in `cc`: visible, but kept off public timelines.
    Unlisted,
    /// Addressed to the author's followers collection.
    FollowersOnly,
    /// Addressed to named accounts only: a direct message.
    Direct,
}

fn visibility(to: &[String], cc: &[String]) -> Visibility {
    let public = |list: &[String]| list.iter().any(|a| PUBLIC.contains(&a.as_str()));
    if public(to) {
        Visibility::Public
    } else if public(cc) {
        Visibility::Unlisted
    } else if to.iter().any(|a| is_collection(a)) {
        Visibility::FollowersOnly
    } else {
        Visibility::Direct
    }
}

pub(super) fn read(
    ex: &mut Export<'_, '_>,
    name: &str,
    outbox: &Collection,
    authors: &mut Authors,
) -> Result<(), ImportError> {
    let mut report = FieldReport::new(name);
    report.account(&Value::Object(outbox.other.clone()), &[]);
    if outbox.repeated > 0 {
        report.outcomes.insert(
            "repeated orderedItems key (items of every occurrence kept)".into(),
            outbox.repeated,
        );
    }
    for (n, activity) in outbox.items.iter().enumerate() {
        report.items += 1;
        let at = item(name, n + 1);
        match text(activity, "type") {
            Some("Create") => {
                report.account(activity, &CREATE);
                note(ex, activity, &at, &mut report, authors)?;
            }
            Some("Announce") => {
                report.account(activity, &ANNOUNCE);
                boost(ex, activity, &at, &mut report, authors)?;
            }
            other => {
                report.account(activity, &[]);
                report.outcome(&format!("ignored activity: {}", other.unwrap_or("(no type)")));
            }
        }
    }
    ex.report(&report);
    Ok(())
}

fn note(
    ex: &mut Export<'_, '_>,
    activity: &Value,
    at: &Location,
    report: &mut FieldReport,
    authors: &mut Authors,
) -> Result<(), ImportError> {
    let Some(object) = activity.get("object").filter(|o| o.is_object()) else {
        report.outcome("ignored: Create without an object");
        return Ok(());
    };
    let Some(id) = text(object, "id") else {
        return ex.invalid(at, ErrorKind::Empty("object id"));
    };
    let published = text(object, "published").or_else(|| text(activity, "published")).unwrap_or("");
    let Some(when) = rapport_model::time::parse(published) else {
        return ex.invalid(
            at,
            ErrorKind::bad_value("published", published, "expected an RFC 3339 date"),
        );
    };
    let me = ex.me().to_owned();
    let (to, cc) = (addresses(object, "to"), addresses(object, "cc"));
    let (to, cc) = if to.is_empty() && cc.is_empty() {
        (addresses(activity, "to"), addresses(activity, "cc"))
    } else {
        (to, cc)
    };
    let seen_by = visibility(&to, &cc);
    report.outcome(match seen_by {
        Visibility::Public => "visibility: public",
        Visibility::Unlisted => "visibility: unlisted",
        Visibility::FollowersOnly => "visibility: followers-only",
        Visibility::Direct => "visibility: direct",
    });
    let content = html::to_text(text(object, "content").unwrap_or(""));
    // A content warning is part of what readers see first.
    let body = match text(object, "summary") {
        Some(warning) => format!("{warning}\n\n{}", content.text),
        None => content.text,
    };
    let mut hashtags = Vec::new();
    let mut mentions: Vec<String> = Vec::new();
    for tag in object.get("tag").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
        match (text(tag, "type"), text(tag, "name"), text(tag, "href")) {
            (Some("Hashtag"), Some(name), _) => {
                hashtags.push(name.trim_start_matches('#').to_lowercase())
            }
            (Some("Mention"), name, Some(href)) => {
                match name.map(|n| handle_of(n, href)) {
                    Some(handle) => {
                        authors.name(href);
                        let account = Account {
                            handle: Some(handle),
                            ..Account::new(Network::Mastodon, href)
                        };
                        ex.account(account, at)?;
                    }
                    None => account(ex, authors, href, at)?,
                }
                if !mentions.iter().any(|m| m == href) {
                    mentions.push(href.to_owned());
                }
            }
            _ => {}
        }
    }
    let reply_to = text(object, "inReplyTo");
    let reply_author = reply_to.and_then(|r| authors.reply_author(r, object, activity, &me));
    let direct = seen_by == Visibility::Direct;
    let post = Post {
        network: Network::Mastodon,
        id: id.to_owned(),
        author: me.clone(),
        at: Some(when),
        text: body.clone(),
        hashtags,
        mentions: mentions.clone(),
        links: content.links,
        reply_to: reply_to.map(str::to_owned),
        reply_to_author: reply_author.clone(),
        quote_of: None,
        private: direct,
    };
    ex.post(post, at)?;
    let interaction = |target: &str, kind, native: String| Interaction {
        native_id: Some(native),
        post_id: Some(id.to_owned()),
        reply_to: reply_to.map(str::to_owned),
        text: Some(body.clone()),
        ..Interaction::new(Network::Mastodon, Some(when), me.clone(), target, kind)
    };
    if direct {
        let mut recipients: Vec<&String> =
            to.iter().chain(&cc).filter(|a| !is_collection(a) && **a != me).collect();
        recipients.dedup();
        for recipient in recipients {
            account(ex, authors, recipient, at)?;
            ex.interaction(
                interaction(recipient, InteractionKind::Dm, format!("{id}#{recipient}")),
                at,
            )?;
        }
        return Ok(());
    }
    if let Some(author) = reply_author.as_deref().filter(|a| *a != me) {
        account(ex, authors, author, at)?;
        ex.interaction(interaction(author, InteractionKind::Reply, id.to_owned()), at)?;
    }
    for href in mentions.iter().filter(|m| **m != me && Some(m.as_str()) != reply_author.as_deref())
    {
        ex.interaction(interaction(href, InteractionKind::Mention, format!("{id}#{href}")), at)?;
    }
    Ok(())
}

/// `user@domain` from a mention's name (`@user@domain`, or `@user` on the mentioned account's server).
pub fn handle_of(name: &str, href: &str) -> String {
    let name = name.trim_start_matches('@');
    match (name.contains('@'), host(href)) {
        (false, Some(host)) => format!("{name}@{host}"),
        _ => name.to_owned(),
    }
}

fn boost(
    ex: &mut Export<'_, '_>,
    activity: &Value,
    at: &Location,
    report: &mut FieldReport,
    authors: &mut Authors,
) -> Result<(), ImportError> {
    let (Some(id), Some(object)) = (text(activity, "id"), text(activity, "object")) else {
        return ex.invalid(at, ErrorKind::Empty("Announce id or object"));
    };
    let me = ex.me().to_owned();
    let Some(author) = authors.boost_author(object, activity, &me) else {
        report.outcome("skipped: boost of a status whose author is unknown");
        ex.skip(at, format!("boost of {object}: the archive does not say who wrote it"));
        return Ok(());
    };
    let when = text(activity, "published").and_then(rapport_model::time::parse);
    account(ex, authors, &author, at)?;
    let repost = Interaction {
        native_id: Some(id.to_owned()),
        post_id: Some(object.to_owned()),
        ..Interaction::new(Network::Mastodon, when, me, author, InteractionKind::Repost)
    };
    ex.interaction(repost, at)?;
    report.outcome("boost");
    Ok(())
}

/// Emits the account of `actor` with a handle worked out from its URL, unless it has one already,
/// so that no account is shown as a raw URL.
fn account(
    ex: &mut Export<'_, '_>,
    authors: &mut Authors,
    actor: &str,
    at: &Location,
) -> Result<(), ImportError> {
    if let Some(handle) = handle_of_actor(actor)
        && authors.name(actor)
    {
        ex.account(Account { handle: Some(handle), ..Account::new(Network::Mastodon, actor) }, at)?;
    }
    Ok(())
}

/// Likes (undated; the author is what the outbox says of the status, see [`Authors`]) or bookmarks
/// (private to the owner: counted only).
pub(super) fn likes(
    ex: &mut Export<'_, '_>,
    name: &str,
    collection: &Collection,
    likes: bool,
    authors: &mut Authors,
) -> Result<(), ImportError> {
    let mut report = FieldReport::new(name);
    report.account(&Value::Object(collection.other.clone()), &[]);
    let me = ex.me().to_owned();
    for (n, status) in collection.items.iter().enumerate() {
        report.items += 1;
        let at = item(name, n + 1);
        let uri = status.as_str().unwrap_or("");
        report.column("orderedItems[]", uri, likes);
        if !likes {
            report.outcome("bookmark: private to the owner, not an interaction");
            continue;
        }
        match authors.of_status(uri, &me) {
            Some(author) if author == me => {
                report.outcome("skipped: a like of the owner's own status");
                ex.skip(&at, format!("like of {uri}: the owner's own status"));
            }
            Some(author) => {
                account(ex, authors, &author, &at)?;
                let like = Interaction {
                    native_id: Some(uri.to_owned()),
                    post_id: Some(uri.to_owned()),
                    ..Interaction::new(
                        Network::Mastodon,
                        None,
                        me.clone(),
                        author,
                        InteractionKind::Like,
                    )
                };
                ex.interaction(like, &at)?;
                report.outcome("like");
            }
            None => {
                report.outcome("skipped: author unknown");
                ex.skip(&at, format!("like of {uri}: the archive does not say who wrote it"));
            }
        }
    }
    ex.report(&report);
    Ok(())
}

/// Pleroma and Akkoma's `followers.json` and `following.json`: collections of actor ids, undated.
pub(super) fn follows(
    ex: &mut Export<'_, '_>,
    name: &str,
    collection: &Collection,
    followers: bool,
    authors: &mut Authors,
) -> Result<(), ImportError> {
    let mut report = FieldReport::new(name);
    report.account(&Value::Object(collection.other.clone()), &[]);
    let me = ex.me().to_owned();
    for (n, actor) in collection.items.iter().enumerate() {
        report.items += 1;
        let at = item(name, n + 1);
        let actor = actor.as_str().unwrap_or("");
        report.column("orderedItems[]", actor, true);
        if host(actor).is_none() {
            report.outcome("skipped: not an actor id");
            ex.skip(&at, format!("'{actor}' is not an actor id like https://host/users/name"));
            continue;
        }
        account(ex, authors, actor, &at)?;
        let (source, target) = if followers { (actor, me.as_str()) } else { (me.as_str(), actor) };
        let follow =
            Interaction::new(Network::Mastodon, None, source, target, InteractionKind::Follow);
        ex.interaction(follow, &at)?;
        report.outcome(if followers { "followed by" } else { "follow" });
    }
    ex.report(&report);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addressing_gives_visibility() {
        let one = |s: &str| vec![s.to_owned()];
        let (public, followers, bo) =
            (PUBLIC[0], "https://h.example/users/me/followers", "https://b.example/users/bo");
        assert_eq!(visibility(&one(public), &one(followers)), Visibility::Public);
        assert_eq!(visibility(&one(followers), &one(public)), Visibility::Unlisted);
        assert_eq!(visibility(&one(followers), &one(bo)), Visibility::FollowersOnly);
        assert_eq!(visibility(&one(bo), &[]), Visibility::Direct);
    }
}
