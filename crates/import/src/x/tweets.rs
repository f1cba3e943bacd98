//! Tweets: each becomes a post, and the interactions it carries (reply, quote, retweet, mentions).

use std::collections::HashMap;

use rapport_model::{Account, Interaction, InteractionKind, Network, Post};
use serde_json::Value;

use super::{Kind, Member, profile_url, ytd};
use crate::export::{Export, text};
use crate::{ErrorKind, FieldReport, ImportError, Location};

/// The fields of a tweet that reach records; everything else is counted as ignored.
const MAPPED: [&str; 16] = [
    "tweet.id_str",
    "tweet.id",
    "tweet.created_at",
    "tweet.full_text",
    "tweet.entities.hashtags[].text",
    "tweet.entities.user_mentions[].id_str",
    "tweet.entities.user_mentions[].id",
    "tweet.entities.user_mentions[].screen_name",
    "tweet.entities.user_mentions[].name",
    "tweet.entities.urls[].expanded_url",
    "tweet.entities.urls[].url",
    "tweet.in_reply_to_status_id_str",
    "tweet.in_reply_to_status_id",
    "tweet.in_reply_to_user_id_str",
    "tweet.in_reply_to_user_id",
    "tweet.in_reply_to_screen_name",
];

/// What the tweets reveal about other accounts, used by the likes and quotes that name none.
#[derive(Default)]
pub(super) struct Authors {
    /// Tweet id to author id: the owner's own tweets and the tweets they replied to.
    pub(super) by_status: HashMap<String, String>,
    /// Lower-cased screen name to user id, from mentions and reply targets.
    by_handle: HashMap<String, String>,
}

pub(super) fn read(
    ex: &mut Export<'_, '_>,
    members: &[Member],
    authors: &mut Authors,
) -> Result<(), ImportError> {
    let tweet_files: Vec<&Member> = members.iter().filter(|m| m.kind == Kind::Tweets).collect();
    let me = ex.me().to_owned();
    // Two passes over each file, streamed both times: the authors every tweet reveals are known
    // before any tweet is emitted.
    for m in &tweet_files {
        m.each_item(ex, |_, element, _| {
            learn(authors, element.get("tweet").unwrap_or(element), &me);
            Ok(())
        })?;
    }
    for m in tweet_files {
        let mut report = FieldReport::new(&m.name);
        m.each_item(ex, |ex, element, at| {
            report.items += 1;
            report.account(element, &MAPPED);
            let tweet = element.get("tweet").unwrap_or(element);
            emit(ex, tweet, &at, authors, &mut report)
        })?;
        ex.report(&report);
    }
    Ok(())
}

/// Records who wrote which tweet and which handle is which id.
fn learn(authors: &mut Authors, tweet: &Value, me: &str) {
    if let Some(id) = id(tweet) {
        authors.by_status.insert(id.to_owned(), me.to_owned());
    }
    if let (Some(status), Some(user)) =
        (text(tweet, "in_reply_to_status_id_str"), text(tweet, "in_reply_to_user_id_str"))
    {
        authors.by_status.entry(status.to_owned()).or_insert_with(|| user.to_owned());
    }
    if let (Some(handle), Some(user)) =
        (text(tweet, "in_reply_to_screen_name"), text(tweet, "in_reply_to_user_id_str"))
    {
        authors.by_handle.insert(handle.to_lowercase(), user.to_owned());
    }
    for mention in entities(tweet, "user_mentions") {
        if let (Some(handle), Some(user)) = (text(mention, "screen_name"), user_id(mention)) {
            authors.by_handle.insert(handle.to_lowercase(), user.to_owned());
        }
    }
}

fn id(tweet: &Value) -> Option<&str> {
    text(tweet, "id_str").or_else(|| text(tweet, "id"))
}

fn user_id(mention: &Value) -> Option<&str> {
    text(mention, "id_str").or_else(|| text(mention, "id")).filter(|id| *id != "-1")
}

fn entities<'v>(tweet: &'v Value, key: &str) -> &'v [Value] {
    tweet
        .get("entities")
        .and_then(|e| e.get(key))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Emits one tweet's post, accounts and interactions.
fn emit(
    ex: &mut Export<'_, '_>,
    tweet: &Value,
    at: &Location,
    authors: &Authors,
    report: &mut FieldReport,
) -> Result<(), ImportError> {
    let Some(tweet_id) = id(tweet) else {
        return ex.invalid(at, ErrorKind::Empty("tweet id"));
    };
    let created = text(tweet, "created_at").unwrap_or("");
    let Some(when) = ytd::created_at(created) else {
        return ex.invalid(
            at,
            ErrorKind::bad_value(
                "created_at",
                created,
                "expected a date like Thu Nov 03 08:50:26 +0000 2022",
            ),
        );
    };
    let me = ex.me().to_owned();
    let mut body = ytd::unescape(text(tweet, "full_text").unwrap_or(""));
    let mut links = Vec::new();
    let mut quote = None;
    for url in entities(tweet, "urls") {
        if let Some(expanded) = text(url, "expanded_url") {
            if let Some(short) = text(url, "url") {
                body = body.replace(short, expanded);
            }
            quote = status_link(expanded).or(quote);
            links.push(expanded.to_owned());
        }
    }
    let mut mentions = Vec::new();
    for mention in entities(tweet, "user_mentions") {
        let Some(user) = user_id(mention) else { continue };
        let handle = text(mention, "screen_name");
        let account = Account {
            handle: handle.map(str::to_owned),
            display_name: text(mention, "name").map(str::to_owned),
            url: handle.map(profile_url),
            ..Account::new(Network::X, user)
        };
        ex.account(account, at)?;
        mentions.push(user.to_owned());
    }
    let reply_user =
        text(tweet, "in_reply_to_user_id_str").or_else(|| text(tweet, "in_reply_to_user_id"));
    if let Some(user) = reply_user {
        let handle = text(tweet, "in_reply_to_screen_name");
        let account = Account {
            handle: handle.map(str::to_owned),
            url: handle.map(profile_url),
            ..Account::new(Network::X, user)
        };
        ex.account(account, at)?;
    }
    let retweet = body.starts_with("RT @");
    // A retweet's text is the original's, with its own links: the quoted status belongs to it.
    let quote = if retweet { None } else { quote };
    let quote_author = quote.and_then(|(handle, _)| authors.by_handle.get(&handle.to_lowercase()));
    let post = Post {
        network: Network::X,
        id: tweet_id.to_owned(),
        author: me.clone(),
        at: Some(when),
        text: body.clone(),
        hashtags: entities(tweet, "hashtags")
            .iter()
            .filter_map(|h| text(h, "text"))
            .map(str::to_lowercase)
            .collect(),
        mentions: mentions.clone(),
        links,
        reply_to: text(tweet, "in_reply_to_status_id_str").map(str::to_owned),
        reply_to_author: reply_user.map(str::to_owned),
        quote_of: quote.map(|(_, status)| status.to_owned()),
        private: false,
    };
    ex.post(post, at)?;
    report.outcome(if retweet { "post (retweet)" } else { "post" });
    let interaction = |target: &str, kind, native: String| Interaction {
        native_id: Some(native),
        post_id: Some(tweet_id.to_owned()),
        text: Some(body.clone()),
        ..Interaction::new(Network::X, Some(when), me.clone(), target, kind)
    };
    if retweet {
        // `RT @name: …`: the retweeted account is the mention of that name.
        let name = body[4..].split(':').next().unwrap_or("").to_lowercase();
        let target = entities(tweet, "user_mentions")
            .iter()
            .find(|m| text(m, "screen_name").is_some_and(|s| s.to_lowercase() == name))
            .and_then(user_id)
            .or_else(|| authors.by_handle.get(&name).map(String::as_str));
        match target {
            Some(target) => ex.interaction(
                interaction(target, InteractionKind::Repost, tweet_id.to_owned()),
                at,
            )?,
            None => report.outcome("retweet of an account the archive does not identify"),
        }
        return Ok(());
    }
    if let Some(user) = reply_user.filter(|u| *u != me) {
        let mut reply = interaction(user, InteractionKind::Reply, tweet_id.to_owned());
        reply.reply_to = text(tweet, "in_reply_to_status_id_str").map(str::to_owned);
        ex.interaction(reply, at)?;
    }
    match quote_author {
        Some(author) if *author != me => {
            ex.interaction(interaction(author, InteractionKind::Quote, tweet_id.to_owned()), at)?;
        }
        Some(_) => {}
        None if quote.is_some() => {
            report.outcome("quote of an account the archive does not identify")
        }
        None => {}
    }
    for user in mentions.iter().filter(|u| **u != me && Some(u.as_str()) != reply_user) {
        let native = format!("{tweet_id}/{user}");
        ex.interaction(interaction(user, InteractionKind::Mention, native), at)?;
    }
    Ok(())
}

/// The (screen name, status id) of a link to a tweet, as in `https://twitter.com/ada/status/123`.
fn status_link(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host.strip_prefix("www.").or_else(|| host.strip_prefix("mobile.")).unwrap_or(host);
    if host != "twitter.com" && host != "x.com" {
        return None;
    }
    let mut parts = path.split('/');
    let (handle, status, id) = (parts.next()?, parts.next()?, parts.next()?);
    let id = id.split(['?', '#']).next()?;
    let valid = status == "status"
        && handle != "i"
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit());
    valid.then_some((handle, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_status_links() {
        assert_eq!(status_link("https://twitter.com/ada/status/123?s=20"), Some(("ada", "123")));
        assert_eq!(status_link("https://x.com/ada/status/9"), Some(("ada", "9")));
        assert_eq!(status_link("https://twitter.com/i/web/status/9"), None);
        assert_eq!(status_link("https://example.com/ada/status/9"), None);
    }
}
