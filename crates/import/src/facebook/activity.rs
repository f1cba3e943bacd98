//! The owner's posts, comments and reactions. Posts and comments become posts; whose post a comment
//! or reaction answered is written only in a sentence in the account's language (`title`), so it is
//! the person the export lists elsewhere whom the title names (see [`super::names`]), or failing
//! that the one an English title's grammar gives, and otherwise left out with the reason.

use std::collections::HashMap;

use rapport_model::{Interaction, InteractionKind, Network, Post};
use serde_json::Value;

use super::names::{People, named_in};
use crate::export::{Export, hashtags, item, links, text};
use crate::{FieldReport, ImportError, Location};

const POSTS: [&str; 4] = [
    "[].timestamp",
    "[].data[].post",
    "[].attachments[].data[].external_context.url",
    "[].tags[].name",
];

/// The id of the `rank`-th item of `kind` by `author` at `timestamp`: Facebook gives posts and
/// comments no ids, and this one is the same in every export that holds the item.
fn local_id(author: &str, kind: &str, timestamp: i64, ranks: &mut HashMap<i64, u32>) -> String {
    let rank = ranks.entry(timestamp).or_insert(0);
    let id = format!("{author}/{kind}/{timestamp}/{rank}");
    *rank += 1;
    id
}

fn list<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The owner's posts: a bare array of `{timestamp, data[{post}], attachments, tags, title}`.
pub(super) fn posts(ex: &mut Export<'_, '_>, name: &str, root: &Value) -> Result<(), ImportError> {
    let mut report = FieldReport::new(name);
    // Paths of a bare array start with `[]`.
    report.account(root, &POSTS);
    let me = ex.me().to_owned();
    let mut ranks = HashMap::new();
    for (n, entry) in root.as_array().map_or(&[][..], Vec::as_slice).iter().enumerate() {
        report.items += 1;
        let at = item(name, n + 1);
        let Some(timestamp) = entry.get("timestamp").and_then(Value::as_i64) else {
            report.outcome("skipped: no timestamp");
            ex.skip(&at, "a post without a timestamp");
            continue;
        };
        let body: Vec<&str> = list(entry, "data").iter().filter_map(|d| text(d, "post")).collect();
        let body = body.join("\n\n");
        let mut urls = links(&body);
        for attachment in list(entry, "attachments") {
            for data in list(attachment, "data") {
                if let Some(url) = data.get("external_context").and_then(|c| text(c, "url"))
                    && !urls.iter().any(|u| u == url)
                {
                    urls.push(url.to_owned());
                }
            }
        }
        let tagged: Vec<String> =
            list(entry, "tags").iter().filter_map(|t| text(t, "name")).map(str::to_owned).collect();
        let id = local_id(&me, "post", timestamp, &mut ranks);
        let post = Post {
            network: Network::Facebook,
            id: id.clone(),
            author: me.clone(),
            at: Some(timestamp),
            hashtags: hashtags(&body),
            text: body.clone(),
            mentions: tagged.clone(),
            links: urls,
            ..Post::default()
        };
        ex.post(post, &at)?;
        report.outcome("post");
        for person in &tagged {
            let mention = Interaction {
                native_id: Some(format!("{id}#{person}")),
                post_id: Some(id.clone()),
                text: Some(body.clone()),
                ..Interaction::new(
                    Network::Facebook,
                    Some(timestamp),
                    me.clone(),
                    person.clone(),
                    InteractionKind::Mention,
                )
            };
            ex.interaction(mention, &at)?;
        }
    }
    ex.report(&report);
    Ok(())
}

/// The person whose post or comment `title` says `actor` answered: one the export lists, in any
/// language, else one an English title names.
fn target(title: &str, actor: &str, people: &People) -> Option<String> {
    named_in(title, actor, people).or_else(|| english_target(title, actor))
}

/// The person whose post an English title names: "Ada commented on Bo's photo.", "Ada likes Bo's post."
fn english_target(title: &str, me: &str) -> Option<String> {
    let rest = title.strip_prefix(me)?;
    let verbs = [" commented on ", " replied to ", " likes ", " liked ", " reacted to "];
    let rest = verbs.iter().find_map(|v| rest.strip_prefix(v))?;
    let (person, _) = rest.split_once("'s ")?;
    let own = ["his own", "her own", "their own", "your", "own"];
    (!person.is_empty() && !own.contains(&person)).then(|| person.to_owned())
}

/// The owner's comments: `{comments_v2: [{timestamp, data[{comment{timestamp, comment, author}}], title}]}`.
pub(super) fn comments(
    ex: &mut Export<'_, '_>,
    name: &str,
    root: &Value,
    key: &str,
    people: &People,
) -> Result<(), ImportError> {
    let mapped =
        [format!("{key}[].timestamp"), format!("{key}[].data[].comment"), format!("{key}[].title")];
    let mapped: Vec<&str> = mapped.iter().map(String::as_str).collect();
    let mut report = FieldReport::new(name);
    report.account(root, &mapped);
    let me = ex.me().to_owned();
    let mut ranks = HashMap::new();
    for (n, entry) in list(root, key).iter().enumerate() {
        report.items += 1;
        let at = item(name, n + 1);
        let comment = list(entry, "data").iter().find_map(|d| d.get("comment"));
        let timestamp = comment
            .and_then(|c| c.get("timestamp"))
            .or_else(|| entry.get("timestamp"))
            .and_then(Value::as_i64);
        let Some(timestamp) = timestamp else {
            report.outcome("skipped: no timestamp");
            ex.skip(&at, "a comment without a timestamp");
            continue;
        };
        let author = comment.and_then(|c| text(c, "author")).unwrap_or(&me).to_owned();
        let body = comment.and_then(|c| text(c, "comment")).unwrap_or("").to_owned();
        let id = local_id(&author, "comment", timestamp, &mut ranks);
        let answered = text(entry, "title").and_then(|t| target(t, &author, people));
        ex.post(
            Post {
                network: Network::Facebook,
                id: id.clone(),
                author: author.clone(),
                at: Some(timestamp),
                hashtags: hashtags(&body),
                links: links(&body),
                text: body.clone(),
                ..Post::default()
            },
            &at,
        )?;
        report.outcome(if body.is_empty() { "comment without text" } else { "comment" });
        match answered {
            Some(person) => {
                let reply = Interaction {
                    native_id: Some(id.clone()),
                    post_id: Some(id.clone()),
                    text: Some(body),
                    ..Interaction::new(
                        Network::Facebook,
                        Some(timestamp),
                        author,
                        person,
                        InteractionKind::Reply,
                    )
                };
                ex.interaction(reply, &at)?;
            }
            None => report.outcome("comment whose target the export does not name"),
        }
    }
    ex.report(&report);
    Ok(())
}

/// The owner's reactions: `{reactions_v2: [...]}` or a bare array (`likes_and_reactions_N.json`) of
/// `{timestamp, data[{reaction{reaction, actor}}], title}`.
pub(super) fn reactions(
    ex: &mut Export<'_, '_>,
    name: &str,
    root: &Value,
    key: Option<&str>,
    people: &People,
) -> Result<(), ImportError> {
    let prefix = key.unwrap_or("");
    let mapped = [
        format!("{prefix}[].timestamp"),
        format!("{prefix}[].data[].reaction"),
        format!("{prefix}[].title"),
    ];
    let mapped: Vec<&str> = mapped.iter().map(String::as_str).collect();
    let mut report = FieldReport::new(name);
    report.account(root, &mapped);
    let entries = match key {
        Some(key) => list(root, key),
        None => root.as_array().map_or(&[][..], Vec::as_slice),
    };
    let me = ex.me().to_owned();
    let mut ranks = HashMap::new();
    for (n, entry) in entries.iter().enumerate() {
        report.items += 1;
        let at = item(name, n + 1);
        let reaction = list(entry, "data").iter().find_map(|d| d.get("reaction"));
        let actor = reaction.and_then(|r| text(r, "actor")).unwrap_or(&me).to_owned();
        let (Some(timestamp), Some(person)) = (
            entry.get("timestamp").and_then(Value::as_i64),
            text(entry, "title").and_then(|t| target(t, &actor, people)),
        ) else {
            report.outcome("skipped: reacted-to person not named");
            skip_reaction(ex, &at);
            continue;
        };
        let like = Interaction {
            native_id: Some(local_id(&actor, "reaction", timestamp, &mut ranks)),
            text: reaction.and_then(|r| text(r, "reaction")).map(str::to_owned),
            ..Interaction::new(
                Network::Facebook,
                Some(timestamp),
                actor,
                person,
                InteractionKind::Like,
            )
        };
        ex.interaction(like, &at)?;
        report.outcome("like");
    }
    ex.report(&report);
    Ok(())
}

fn skip_reaction(ex: &mut Export<'_, '_>, at: &Location) {
    ex.skip(at, "a reaction whose title names no person the export lists (nor in English grammar); the export says it nowhere else");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_english_titles_only() {
        assert_eq!(
            english_target("Ada Lim commented on Bo Ray's photo.", "Ada Lim").as_deref(),
            Some("Bo Ray")
        );
        assert_eq!(
            english_target("Ada Lim likes Bo Ray's post.", "Ada Lim").as_deref(),
            Some("Bo Ray")
        );
        assert_eq!(english_target("Ada Lim commented on his own post.", "Ada Lim"), None);
        assert_eq!(english_target("Ada Lim har kommenteret Bo Rays billede.", "Ada Lim"), None);
    }
}
