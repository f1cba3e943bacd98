//! Mastodon entities to records, with the ids the archive importer gives the same things: actor
//! URIs for accounts, status URIs for posts, replies and DMs, `status#actor` for mentions and DMs
//! (see `rapport_import::mastodon`, whose helpers form them).

use rapport_import::mastodon::{actor_of_address, author_of, handle_of, host, to_text};
use rapport_model::{
    Account, ActorKind, Interaction, InteractionKind, Network, Post, Record, time,
};

use super::api::{ApiAccount, Status};

/// Whose point of view: the synced account.
pub(crate) struct Me {
    /// The instance's host, for local `acct`s.
    pub(crate) home: String,
    /// The server-local id of the account.
    pub(crate) local_id: String,
    /// Its actor URI.
    pub(crate) actor: String,
}

/// The actor URI of an account: its `uri`, or by Mastodon's convention from `acct`.
pub(crate) fn actor(account: &ApiAccount, home: &str) -> Option<String> {
    account
        .uri
        .clone()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .or_else(|| actor_of_address(&account.acct, home))
}

/// An account as the archive importer has it: actor URI, `user@domain` handle, name, profile.
pub(crate) fn account(a: &ApiAccount, home: &str) -> Option<Account> {
    let id = actor(a, home)?;
    let handle = if a.acct.contains('@') { a.acct.clone() } else { format!("{}@{home}", a.acct) };
    let name = a.display_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    Some(Account {
        handle: Some(crate::quote(&handle)),
        display_name: name.map(crate::quote),
        url: a.url.clone(),
        bot: a.bot,
        description: crate::description(&to_text(&a.note).text),
        kind: a.group.then_some(ActorKind::Group),
        ..Account::new(Network::Mastodon, id)
    })
}

/// What a status says: a boost, or a post with its replies, mentions or DMs. `parent` is the URI
/// of the status it replies to, when known.
pub(crate) fn status(s: &Status, me: &Me, parent: Option<&str>) -> Result<Vec<Record>, String> {
    let Some(author) = account(&s.account, &me.home) else {
        return Err(format!(
            "{}: the author '{}' is not an account address",
            s.uri, s.account.acct
        ));
    };
    let at = time::parse(&s.created_at).ok_or_else(|| {
        format!("{}: created_at '{}' is not an RFC 3339 date", s.uri, s.created_at)
    })?;
    let mut records = vec![Record::Account(author.clone())];
    if let Some(boosted) = &s.reblog {
        let Some(original) = account(&boosted.account, &me.home) else {
            return Err(format!("{}: the boosted author is not an account address", s.uri));
        };
        let repost = Interaction {
            native_id: Some(s.uri.clone()),
            post_id: Some(boosted.uri.clone()),
            ..Interaction::new(
                Network::Mastodon,
                Some(at),
                &author.id,
                &original.id,
                InteractionKind::Repost,
            )
        };
        records.push(Record::Account(original));
        records.push(Record::Interaction(repost));
        return Ok(records);
    }
    let content = to_text(&s.content);
    // As in the archive: a content warning is what readers see first.
    let body = if s.spoiler_text.is_empty() {
        content.text
    } else {
        format!("{}\n\n{}", s.spoiler_text, content.text)
    };
    let mut mentions: Vec<String> = Vec::new();
    for m in &s.mentions {
        let Some(href) = actor_of_address(&m.acct, &me.home) else { continue };
        let handle = handle_of(&m.acct, &href);
        records.push(Record::Account(Account {
            handle: Some(handle),
            ..Account::new(Network::Mastodon, &href)
        }));
        if !mentions.contains(&href) {
            mentions.push(href);
        }
    }
    let reply_author = match (&s.in_reply_to_account_id, parent) {
        (Some(id), _) if *id == me.local_id => Some(me.actor.clone()),
        (_, Some(uri)) if uri.starts_with(&format!("{}/", me.actor)) => Some(me.actor.clone()),
        (_, Some(uri)) => author_of(uri),
        // Without the parent, its author is the mention that carries the replied-to account id.
        (Some(id), None) => s
            .mentions
            .iter()
            .find(|m| m.id == *id)
            .and_then(|m| actor_of_address(&m.acct, &me.home)),
        (None, None) => None,
    };
    let direct = s.visibility == "direct";
    let post = Post {
        network: Network::Mastodon,
        id: s.uri.clone(),
        author: author.id.clone(),
        at: Some(at),
        text: body.clone(),
        hashtags: s.tags.iter().map(|t| t.name.trim_start_matches('#').to_lowercase()).collect(),
        mentions: mentions.clone(),
        links: content.links,
        reply_to: parent.map(str::to_owned),
        reply_to_author: reply_author.clone(),
        quote_of: None,
        private: direct,
    };
    records.push(Record::Post(post));
    let interaction = |target: &str, kind, native: String| Interaction {
        native_id: Some(native),
        post_id: Some(s.uri.clone()),
        reply_to: parent.map(str::to_owned),
        text: Some(body.clone()),
        ..Interaction::new(Network::Mastodon, Some(at), &author.id, target, kind)
    };
    if direct {
        for recipient in mentions.iter().filter(|m| **m != author.id) {
            records.push(Record::Interaction(interaction(
                recipient,
                InteractionKind::Dm,
                format!("{}#{recipient}", s.uri),
            )));
        }
        return Ok(records);
    }
    if let Some(to) = reply_author.as_deref().filter(|a| *a != author.id) {
        records.push(Record::Interaction(interaction(to, InteractionKind::Reply, s.uri.clone())));
    }
    for href in
        mentions.iter().filter(|m| **m != author.id && Some(m.as_str()) != reply_author.as_deref())
    {
        records.push(Record::Interaction(interaction(
            href,
            InteractionKind::Mention,
            format!("{}#{href}", s.uri),
        )));
    }
    Ok(records)
}

/// The `user@domain` of an actor URI by Mastodon's convention (`https://domain/users/user`), for
/// `GET /api/v1/accounts/lookup`.
pub(crate) fn acct_of_actor(actor: &str) -> Option<String> {
    let domain = host(actor)?;
    let user = actor.split_once("/users/")?.1;
    (!user.is_empty() && !user.contains('/')).then(|| format!("{user}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Me {
        Me {
            home: "home.example".into(),
            local_id: "1".into(),
            actor: "https://home.example/users/me".into(),
        }
    }

    fn status_json(extra: &str) -> Status {
        let json = format!(
            r#"{{"id":"9","uri":"https://far.example/users/bo/statuses/9","created_at":"2025-03-01T12:00:00.000Z",
            "visibility":"public","spoiler_text":"","content":"<p>@me hi &amp; bye</p>",
            "account":{{"id":"5","acct":"bo@far.example","uri":"https://far.example/users/bo","display_name":"Bo"}},
            "mentions":[{{"id":"1","acct":"me","url":"https://home.example/@me","username":"me"}}],
            "tags":[{{"name":"Rust","url":"x"}}]{extra}}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn a_reply_to_me_is_a_reply_with_the_archive_ids() {
        let s = status_json(r#","in_reply_to_id":"3","in_reply_to_account_id":"1""#);
        let records = status(&s, &me(), Some("https://home.example/users/me/statuses/3")).unwrap();
        let replies: Vec<&Interaction> = records
            .iter()
            .filter_map(|r| match r {
                Record::Interaction(i) => Some(i),
                _ => None,
            })
            .collect();
        assert_eq!(replies.len(), 1, "{records:?}");
        assert_eq!(replies[0].kind, InteractionKind::Reply);
        assert_eq!(replies[0].source, "https://far.example/users/bo");
        assert_eq!(replies[0].target, "https://home.example/users/me");
        assert_eq!(
            replies[0].native_id.as_deref(),
            Some("https://far.example/users/bo/statuses/9")
        );
        assert_eq!(replies[0].text.as_deref(), Some("@me hi & bye"));
        let post = records
            .iter()
            .find_map(|r| match r {
                Record::Post(p) => Some(p),
                _ => None,
            })
            .unwrap();
        assert_eq!(post.hashtags, ["rust"]);
    }

    #[test]
    fn a_mention_without_reply_and_a_direct_message() {
        let s = status_json("");
        let kinds = |rs: Vec<Record>| {
            rs.into_iter()
                .filter_map(|r| match r {
                    Record::Interaction(i) => Some((i.kind, i.native_id)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        let mention = kinds(status(&s, &me(), None).unwrap());
        assert_eq!(
            mention,
            [(
                InteractionKind::Mention,
                Some(
                    "https://far.example/users/bo/statuses/9#https://home.example/users/me"
                        .to_owned()
                )
            )]
        );
        let mut dm = s.clone();
        dm.visibility = "direct".into();
        assert_eq!(kinds(status(&dm, &me(), None).unwrap())[0].0, InteractionKind::Dm);
        let mut bad = s;
        bad.created_at = "yesterday".into();
        assert!(status(&bad, &me(), None).unwrap_err().contains("created_at"));
    }

    /// Issue 18: what a profile says the account is reaches the account record, as plain,
    /// neutralised text.
    #[test]
    fn group_flag_and_note_reach_the_account() {
        let json = r#"{"id":"5","acct":"gardeners@town.example","uri":"https://town.example/users/gardeners",
            "group":true,"note":"<p>We share what the town&#39;s gardeners grow\u001b[2J</p>"}"#;
        let a = account(&serde_json::from_str(json).unwrap(), "home.example").unwrap();
        assert_eq!(a.kind, Some(ActorKind::Group));
        assert_eq!(
            a.description.as_deref(),
            Some("We share what the town's gardeners grow\u{241b}[2J")
        );
        let plain = r#"{"id":"6","acct":"bo","note":"<p> </p>"}"#;
        let a = account(&serde_json::from_str(plain).unwrap(), "home.example").unwrap();
        assert_eq!((a.kind, a.description), (None, None));
    }

    #[test]
    fn actor_uris_give_accts() {
        assert_eq!(acct_of_actor("https://a.example/users/bo").as_deref(), Some("bo@a.example"));
        assert_eq!(acct_of_actor("https://a.example/@bo"), None);
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever a server puts in a status's fields, mapping it gives records or a reason,
        /// never a panic.
        #[test]
        fn any_status_maps_without_panicking(
            uri in ".{0,40}", acct in ".{0,30}", at in ".{0,30}", content in ".{0,200}",
            reply in proptest::option::of(".{0,10}"), visibility in "(public|direct|unlisted|.{0,8})",
            mention in ".{0,20}", parent in proptest::option::of(".{0,40}"),
        ) {
            let json = serde_json::json!({
                "id": "1", "uri": uri, "created_at": at, "content": content, "visibility": visibility,
                "spoiler_text": "", "in_reply_to_id": reply, "in_reply_to_account_id": reply,
                "account": {"id": "2", "acct": acct},
                "mentions": [{"id": "3", "acct": mention, "url": ""}], "tags": [{"name": mention}]
            });
            let parsed: Status = serde_json::from_value(json).unwrap();
            let me = Me { home: "h.example".into(), local_id: "1".into(), actor: "https://h.example/users/me".into() };
            let _ = status(&parsed, &me, parent.as_deref());
        }
    }
}
