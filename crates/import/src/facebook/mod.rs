//! Facebook "Download Your Information" exports in JSON, in the layouts of 2018 to 2026.
//!
//! Folder names changed across the years (`friends/`, `connections/friends/`,
//! `your_activity_across_facebook/`, `this_profile's_activity_across_facebook/` …) and so did the
//! top-level keys (`friends`, `friends_v2`, `following_v3` …), so each JSON member is recognised by its
//! content: a thread by its `participants` and `messages`, a list by its top-level key, a bare array
//! by its file name. Facebook names people, never ids: a person's name is their account id.

mod activity;
mod connections;
mod messages;
mod mojibake;
mod names;

use rapport_model::{Account, Network};
use serde_json::Value;

use crate::export::{Export, base, item, text};
use crate::{ErrorKind, FieldReport, ImportError, Location};

/// File names that only Facebook exports use, for detection.
const KNOWN: [&str; 10] = [
    "profile_information.json",
    "your_friends.json",
    "friends.json",
    "removed_friends.json",
    "sent_friend_requests.json",
    "received_friend_requests.json",
    "who_you've_followed.json",
    "people_who_followed_you.json",
    "posts_and_comments.json",
    "comments.json",
];

/// How many of `names` look like Facebook export members, for detection.
pub(crate) fn score(names: &[&str]) -> usize {
    names
        .iter()
        .filter(|n| {
            let file = base(n);
            KNOWN.contains(&file)
                || (n.contains("messages/inbox/")
                    && file.starts_with("message_")
                    && file.ends_with(".json"))
                || (file.starts_with("your_posts") && file.ends_with(".json"))
                || (file.starts_with("likes_and_reactions") && file.ends_with(".json"))
        })
        .count()
}

/// What a JSON member holds.
enum Content<'v> {
    Profile,
    Thread,
    Edges(&'v str, connections::Edge),
    Posts,
    Comments(&'v str),
    Reactions(Option<&'v str>),
    Other(String),
}

fn classify<'v>(name: &str, value: &'v Value) -> Content<'v> {
    if let Some(object) = value.as_object() {
        if object.contains_key("participants") && object.contains_key("messages") {
            return Content::Thread;
        }
        for key in object.keys() {
            match key.as_str() {
                "profile_v2" | "profile" => return Content::Profile,
                "comments_v2" | "comments" => return Content::Comments(key),
                "reactions_v2" | "reactions" => return Content::Reactions(Some(key)),
                other => {
                    if let Some(edge) = connections::edge(other) {
                        return Content::Edges(key, edge);
                    }
                }
            }
        }
        let keys: Vec<&str> = object.keys().map(String::as_str).take(3).collect();
        return Content::Other(format!("not about relationships (keys {})", keys.join(", ")));
    }
    let file = base(name);
    if file.starts_with("your_posts") {
        Content::Posts
    } else if file.starts_with("likes_and_reactions") {
        Content::Reactions(None)
    } else {
        Content::Other("not about relationships".into())
    }
}

pub(crate) fn read(ex: &mut Export<'_, '_>) -> Result<(), ImportError> {
    let names: Vec<(usize, String)> = ex
        .archive
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| e.name.ends_with(".json"))
        .map(|(i, e)| (i, e.name.clone()))
        .collect();
    let mut members = Vec::with_capacity(names.len());
    for (index, name) in names {
        let bytes = ex.read(index)?;
        let value = mojibake::repair(ex.json(&name, &bytes, 0)?);
        members.push((name, value));
    }
    owner(ex, &members)?;
    let people = names::people(&members);
    for (name, value) in &members {
        match classify(name, value) {
            Content::Profile => {}
            Content::Thread => messages::read(ex, name, value)?,
            Content::Edges(key, edge) => connections::read(ex, name, value, key, edge)?,
            Content::Posts => activity::posts(ex, name, value)?,
            Content::Comments(key) => activity::comments(ex, name, value, key, &people)?,
            Content::Reactions(key) => activity::reactions(ex, name, value, key, &people)?,
            Content::Other(why) => ex.report(&FieldReport::unread(name.clone(), why)),
        }
    }
    Ok(())
}

/// Finds the owner: the profile's name, else the threads', else the actor of their reactions.
fn owner(ex: &mut Export<'_, '_>, members: &[(String, Value)]) -> Result<(), ImportError> {
    for (name, value) in members {
        if !matches!(classify(name, value), Content::Profile) {
            continue;
        }
        let profile =
            value.get("profile_v2").or_else(|| value.get("profile")).unwrap_or(&Value::Null);
        let full = profile.get("name").and_then(|n| text(n, "full_name").or_else(|| n.as_str()));
        let mut report = FieldReport::new(name);
        report.items = 1;
        report.account(
            value,
            &["profile_v2.name.full_name", "profile.name.full_name", "profile.name"],
        );
        if let (Some(full), true) = (full.filter(|f| !f.is_empty()), ex.me().is_empty()) {
            report.outcome("me");
            let url = text(profile, "profile_uri").map(str::to_owned);
            ex.set_me(
                Account {
                    display_name: Some(full.to_owned()),
                    url,
                    ..Account::new(Network::Facebook, full)
                },
                item(name, 1),
            )?;
        }
        ex.report(&report);
    }
    if !ex.me().is_empty() {
        return Ok(());
    }
    let inferred = members.iter().find_map(|(name, value)| match classify(name, value) {
        Content::Thread => messages::infer_owner(value).map(|me| (me, name)),
        _ => None,
    });
    let inferred = inferred.or_else(|| {
        members.iter().find_map(|(name, value)| {
            let entries = match classify(name, value) {
                Content::Reactions(Some(key)) | Content::Comments(key) => {
                    value.get(key)?.as_array()?
                }
                Content::Reactions(None) => value.as_array()?,
                _ => return None,
            };
            let first = entries.first()?.get("data")?.get(0)?;
            let actor = first
                .get("reaction")
                .and_then(|r| text(r, "actor"))
                .or_else(|| first.get("comment").and_then(|c| text(c, "author")))?;
            Some((actor.to_owned(), name))
        })
    });
    match inferred {
        Some((me, name)) => ex.set_me(
            Account { display_name: Some(me.clone()), ..Account::new(Network::Facebook, me) },
            item(name, 1),
        ),
        None => {
            let at = Location::Member {
                name: "profile_information/profile_information.json".into(),
                at: None,
            };
            Err(ex.error(at, ErrorKind::NoOwner("the export has no profile_information.json and its messages do not show it; include the profile in the download".into())))
        }
    }
}
