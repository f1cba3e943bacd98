//! What each kind of repository record becomes: posts, likes, reposts, follows, blocks, list
//! members and the profile, from the point of view of the repository's owner ("me").

use ipld_core::ipld::Ipld;
use rapport_model::{Account, Interaction, InteractionKind, Network, Record, Timestamp, time};

use super::post;
use super::syntax;
use super::values::{field, text, text_at, uri_did};

/// What one record becomes.
pub(crate) enum Outcome {
    /// Records to import, and the name of what the record was (for the field report).
    Import(Vec<Record>, &'static str),
    /// Nothing to import, and why.
    Skip(String),
    /// The record is malformed, and how.
    Invalid(String),
}

/// A record of the repository, with its AT URI.
pub(crate) struct Source<'a> {
    /// The repository's owner.
    pub(crate) me: &'a Account,
    /// `at://<did>/<collection>/<rkey>`: the record's stable id, so re-imports add nothing.
    pub(crate) uri: &'a str,
    /// The decoded record.
    pub(crate) value: &'a Ipld,
}

impl Source<'_> {
    /// When the record says it was made.
    pub(crate) fn created(&self) -> Option<Timestamp> {
        text(field(Some(self.value), "createdAt")).and_then(time::parse)
    }

    /// An interaction from me to `target`, identified by this record.
    pub(crate) fn interaction(&self, target: &str, kind: InteractionKind) -> Interaction {
        let mut i = Interaction::new(Network::Bluesky, self.created(), &self.me.id, target, kind);
        i.native_id = Some(self.uri.to_owned());
        i
    }
}

const SUBJECT_POST: &[&str] = &["$type", "createdAt", "subject.uri"];
const SUBJECT_DID: &[&str] = &["$type", "createdAt", "subject"];
const LEGACY_VOTE: &[&str] = &["$type", "createdAt", "subject.uri", "direction"];
const PROFILE: &[&str] = &["$type", "displayName"];
const LIST_ITEM: &[&str] = &["$type", "subject"];

/// Maps one record by its `$type`; returns the outcome and the field paths it maps.
pub(crate) fn map(src: &Source<'_>) -> (Outcome, &'static [&'static str]) {
    use InteractionKind::{Block, Follow, Like, Repost};
    let Ipld::Map(_) = src.value else {
        return (Outcome::Invalid("the record is not a map".into()), &[]);
    };
    let Some(kind) = text(field(Some(src.value), "$type")) else {
        return (Outcome::Invalid("the record has no $type".into()), &[]);
    };
    match kind {
        "app.bsky.feed.post" => (post::map(src), post::MAPPED),
        "app.bsky.feed.like" => (on_post(src, Like, "like"), SUBJECT_POST),
        "app.bsky.feed.repost" => (on_post(src, Repost, "repost"), SUBJECT_POST),
        "app.bsky.feed.vote" => (vote(src), LEGACY_VOTE),
        "app.bsky.graph.follow" => (on_account(src, Follow, "follow"), SUBJECT_DID),
        "app.bsky.graph.block" => (on_account(src, Block, "block"), SUBJECT_DID),
        "app.bsky.graph.listitem" => (list_item(src), LIST_ITEM),
        "app.bsky.actor.profile" => (profile(src), PROFILE),
        "app.bsky.graph.list" => (
            Outcome::Skip(
                "a list: lists are not kept, their members are read from its list items".into(),
            ),
            &[],
        ),
        _ => (Outcome::Skip("this kind of record says nothing about relationships".into()), &[]),
    }
}

/// A like or repost of the post (or other record) at `subject.uri`.
fn on_post(src: &Source<'_>, kind: InteractionKind, what: &'static str) -> Outcome {
    let Some(subject) = text_at(Some(src.value), &["subject", "uri"]) else {
        return Outcome::Invalid(format!("a {what} without a subject URI"));
    };
    let Some(target) = uri_did(subject) else {
        return Outcome::Invalid(format!(
            "the {what}'s subject '{subject}' is not an AT URI with a DID"
        ));
    };
    if target == src.me.id {
        return Outcome::Skip(format!(
            "a {what} of one's own post says nothing about a relationship"
        ));
    }
    let mut i = src.interaction(target, kind);
    i.post_id = Some(subject.to_owned());
    Outcome::Import(vec![Record::Interaction(i)], what)
}

/// A vote of Bluesky's 2022 test network, the ancestor of likes: an up-vote is a like.
fn vote(src: &Source<'_>) -> Outcome {
    match text(field(Some(src.value), "direction")) {
        Some("up") => on_post(src, InteractionKind::Like, "like"),
        _ => Outcome::Skip("a down-vote (Bluesky's 2022 test network) has no counterpart".into()),
    }
}

/// A follow or block of the account `subject` (a DID, or `{did}` in 2022 records).
fn on_account(src: &Source<'_>, kind: InteractionKind, what: &'static str) -> Outcome {
    match subject_did(src) {
        Ok(target) if target == src.me.id => Outcome::Skip(format!(
            "a {what} of one's own account says nothing about a relationship"
        )),
        Ok(target) => {
            Outcome::Import(vec![Record::Interaction(src.interaction(target, kind))], what)
        }
        Err(why) => Outcome::Invalid(format!("a {what} {why}")),
    }
}

/// A member of one of my lists: an account I chose to list, known by its DID.
fn list_item(src: &Source<'_>) -> Outcome {
    match subject_did(src) {
        Ok(did) => Outcome::Import(
            vec![Record::Account(Account::new(Network::Bluesky, did))],
            "list member",
        ),
        Err(why) => Outcome::Invalid(format!("a list item {why}")),
    }
}

/// The subject DID of a follow, block or list item.
fn subject_did<'a>(src: &Source<'a>) -> Result<&'a str, String> {
    let subject = field(Some(src.value), "subject");
    let did = text(subject).or_else(|| text(field(subject, "did")));
    match did {
        Some(did) if syntax::did(did) => Ok(did),
        Some(other) => Err(format!("whose subject '{other}' is not a DID")),
        None => Err("without a subject".into()),
    }
}

/// The owner's profile: "me", with the display name.
fn profile(src: &Source<'_>) -> Outcome {
    let name = text(field(Some(src.value), "displayName")).map(str::trim).filter(|n| !n.is_empty());
    let me = Account { display_name: name.map(str::to_owned), ..src.me.clone() };
    Outcome::Import(vec![Record::Me(me)], "profile")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    const ME: &str = "did:plc:me";

    fn rec(pairs: &[(&str, Ipld)]) -> Ipld {
        Ipld::Map(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    fn s(text: &str) -> Ipld {
        Ipld::String(text.to_owned())
    }

    /// Maps `value` and renders the outcome in one line.
    fn check(value: Ipld, want: &str) {
        let me = Account::new(Network::Bluesky, ME);
        let (outcome, _) = map(&Source { me: &me, uri: "at://did:plc:me/c/1", value: &value });
        let got = match outcome {
            Outcome::Import(records, what) => {
                let parts: Vec<String> = records
                    .iter()
                    .map(|r| match r {
                        Record::Interaction(i) => format!("{} {}", i.kind, i.target),
                        Record::Account(a) => format!("account {}", a.id),
                        Record::Me(a) => format!("me {:?}", a.display_name),
                        Record::Post(p) => format!("post {:?}", p.text),
                    })
                    .collect();
                format!("{what}: {}", parts.join(", "))
            }
            Outcome::Skip(why) => format!("skip: {why}"),
            Outcome::Invalid(why) => format!("invalid: {why}"),
        };
        assert_eq!(got, want);
    }

    #[test]
    fn maps_each_kind() {
        let post_of = |did: &str| rec(&[("uri", s(&format!("at://{did}/app.bsky.feed.post/1")))]);
        let cases = [
            (
                rec(&[("$type", s("app.bsky.feed.like")), ("subject", post_of("did:plc:b"))]),
                "like: like did:plc:b",
            ),
            (
                rec(&[("$type", s("app.bsky.feed.like")), ("subject", post_of(ME))]),
                "skip: a like of one's own post says nothing about a relationship",
            ),
            (
                rec(&[("$type", s("app.bsky.feed.like")), ("subject", post_of("b.test"))]),
                "invalid: the like's subject 'at://b.test/app.bsky.feed.post/1' is not an AT URI with a DID",
            ),
            (
                rec(&[
                    ("$type", s("app.bsky.feed.vote")),
                    ("subject", post_of("did:plc:b")),
                    ("direction", s("up")),
                ]),
                "like: like did:plc:b",
            ),
            (
                rec(&[
                    ("$type", s("app.bsky.feed.vote")),
                    ("subject", post_of("did:plc:b")),
                    ("direction", s("down")),
                ]),
                "skip: a down-vote (Bluesky's 2022 test network) has no counterpart",
            ),
            (
                rec(&[("$type", s("app.bsky.graph.follow")), ("subject", s("did:plc:b"))]),
                "follow: follow did:plc:b",
            ),
            (
                rec(&[
                    ("$type", s("app.bsky.graph.follow")),
                    ("subject", rec(&[("did", s("did:plc:b"))])),
                ]),
                "follow: follow did:plc:b",
            ),
            (
                rec(&[("$type", s("app.bsky.graph.follow")), ("subject", s(ME))]),
                "skip: a follow of one's own account says nothing about a relationship",
            ),
            (rec(&[("$type", s("app.bsky.graph.block"))]), "invalid: a block without a subject"),
            (
                rec(&[("$type", s("app.bsky.graph.listitem")), ("subject", s("did:plc:b"))]),
                "list member: account did:plc:b",
            ),
            (
                rec(&[("$type", s("app.bsky.actor.profile")), ("displayName", s(" Ada "))]),
                "profile: me Some(\"Ada\")",
            ),
            (
                rec(&[
                    ("$type", s("app.bsky.feed.post")),
                    ("text", s("hi")),
                    ("reply", rec(&[("parent", post_of("did:plc:b"))])),
                ]),
                "reply: post \"hi\", reply did:plc:b",
            ),
            (
                rec(&[
                    ("$type", s("app.bsky.feed.post")),
                    ("text", s("me again")),
                    ("reply", rec(&[("parent", post_of(ME))])),
                ]),
                "reply: post \"me again\"",
            ),
            (
                rec(&[("$type", s("com.example.thing"))]),
                "skip: this kind of record says nothing about relationships",
            ),
            (rec(&[("text", s("no type"))]), "invalid: the record has no $type"),
            (s("not a map"), "invalid: the record is not a map"),
        ];
        for (value, want) in cases {
            check(value, want);
        }
    }

    const KEYS: &[&str] = &[
        "$type",
        "text",
        "createdAt",
        "subject",
        "uri",
        "did",
        "facets",
        "index",
        "byteStart",
        "byteEnd",
        "features",
        "tag",
        "tags",
        "reply",
        "parent",
        "embed",
        "record",
        "external",
        "entities",
        "start",
        "end",
        "type",
        "value",
        "direction",
        "displayName",
    ];

    const STRINGS: &[&str] = &[
        "app.bsky.feed.post",
        "app.bsky.feed.like",
        "app.bsky.feed.vote",
        "app.bsky.graph.follow",
        "app.bsky.graph.listitem",
        "app.bsky.actor.profile",
        "app.bsky.embed.record",
        "app.bsky.embed.recordWithMedia",
        "app.bsky.embed.external",
        "app.bsky.richtext.facet#mention",
        "app.bsky.richtext.facet#link",
        "app.bsky.richtext.facet#tag",
        "mention",
        "link",
        "up",
        "did:plc:b",
        ME,
        "at://did:plc:b/app.bsky.feed.post/1",
        "at://did:plc:me/app.bsky.feed.post/2",
        "2024-01-01T00:00:00Z",
        "@b.test é 日本",
        "",
    ];

    fn value() -> impl Strategy<Value = Ipld> {
        let leaf = prop_oneof![
            Just(Ipld::Null),
            any::<i64>().prop_map(|i| Ipld::Integer(i.into())),
            proptest::sample::select(STRINGS).prop_map(s),
            any::<String>().prop_map(Ipld::String),
        ];
        leaf.prop_recursive(5, 96, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Ipld::List),
                proptest::collection::btree_map(
                    proptest::sample::select(KEYS).prop_map(str::to_owned),
                    inner,
                    0..6
                )
                .prop_map(Ipld::Map),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_record_maps_without_panicking(kind in proptest::sample::select(STRINGS), body in value()) {
            let mut map = match body {
                Ipld::Map(m) => m,
                other => BTreeMap::from([("text".to_owned(), other)]),
            };
            map.insert("$type".to_owned(), s(kind));
            let me = Account::new(Network::Bluesky, ME);
            let _ = super::map(&Source { me: &me, uri: "at://did:plc:me/c/1", value: &Ipld::Map(map) });
        }
    }
}
