//! A post (`app.bsky.feed.post`): its text, the mentions, links and tags of its facets, the post it
//! replies to, the post it quotes, and the interactions these make with other accounts.

use ipld_core::ipld::Ipld;
use rapport_model::{Account, InteractionKind, Network, Post, Record};

use super::records::{Outcome, Source};
use super::syntax;
use super::values::{field, index, items, text, text_at, uri_collection, uri_did};

/// The paths a post maps. The parent says whom a reply answers; the thread's root has no place in
/// the store and is counted as ignored, like image and video embeds, languages and labels.
pub(crate) const MAPPED: &[&str] = &[
    "$type",
    "text",
    "createdAt",
    "tags",
    "facets[].$type",
    "facets[].index",
    "facets[].features[].$type",
    "facets[].features[].did",
    "facets[].features[].uri",
    "facets[].features[].tag",
    "entities",
    "reply.parent.uri",
    "embed.$type",
    "embed.record.uri",
    "embed.record.record.uri",
    "embed.external.uri",
];

const COLLECTION: &str = "app.bsky.feed.post";

/// The entities a post's facets (or, in 2022 posts, its `entities`) carry.
#[derive(Default)]
struct Entities {
    /// Mentioned DIDs, each with the handle the text shows for it.
    mentions: Vec<(String, Option<String>)>,
    links: Vec<String>,
    tags: Vec<String>,
}

impl Entities {
    fn mention(&mut self, did: &str, shown: Option<&str>) {
        if syntax::did(did) && !self.mentions.iter().any(|(d, _)| d == did) {
            // The text shows what the author typed; only a valid handle is kept as the handle.
            let handle = shown
                .and_then(|s| s.strip_prefix('@'))
                .filter(|h| syntax::handle(h))
                .map(str::to_ascii_lowercase);
            self.mentions.push((did.to_owned(), handle));
        }
    }

    fn link(&mut self, uri: &str) {
        if !uri.is_empty() && !self.links.iter().any(|l| l == uri) {
            self.links.push(uri.to_owned());
        }
    }

    fn tag(&mut self, tag: &str) {
        let tag = tag.trim_start_matches('#').to_lowercase();
        if !tag.is_empty() && !self.tags.contains(&tag) {
            self.tags.push(tag);
        }
    }
}

/// Maps a post to the accounts it names, the post itself, and my replies, mentions and quotes.
pub(crate) fn map(src: &Source<'_>) -> Outcome {
    let value = Some(src.value);
    let body = text(field(value, "text")).unwrap_or_default();
    let entities = entities(value, body);
    let parent = text_at(value, &["reply", "parent", "uri"]);
    let parent_author = parent.and_then(uri_did);
    if parent.is_some() && parent_author.is_none() {
        return Outcome::Invalid("the reply's parent is not an AT URI with a DID".into());
    }
    let quoted = quote(value);
    let mut records: Vec<Record> = Vec::new();
    for (did, handle) in &entities.mentions {
        if handle.is_some() {
            let account = Account { handle: handle.clone(), ..Account::new(Network::Bluesky, did) };
            records.push(Record::Account(account));
        }
    }
    let post = Post {
        network: Network::Bluesky,
        id: src.uri.to_owned(),
        author: src.me.id.clone(),
        at: src.created(),
        text: body.to_owned(),
        hashtags: entities.tags,
        mentions: entities.mentions.iter().map(|(did, _)| did.clone()).collect(),
        links: entities.links,
        reply_to: parent.map(str::to_owned),
        reply_to_author: parent_author.map(str::to_owned),
        quote_of: quoted.map(|(uri, _)| uri.to_owned()),
        private: false,
    };
    let with_text = |kind, target: &str| {
        let mut i = src.interaction(target, kind);
        i.post_id = Some(src.uri.to_owned());
        i.text = Some(body.to_owned());
        i
    };
    let mut interactions = Vec::new();
    if let (Some(parent), Some(author)) = (parent, parent_author) {
        let mut reply = with_text(InteractionKind::Reply, author);
        reply.reply_to = Some(parent.to_owned());
        interactions.push(reply);
    }
    for did in &post.mentions {
        let mut mention = with_text(InteractionKind::Mention, did);
        // One post mentions many: each mention's id is the post's plus the account's.
        mention.native_id = Some(format!("{}#{did}", src.uri));
        interactions.push(mention);
    }
    if let Some((_, author)) = quoted {
        interactions.push(with_text(InteractionKind::Quote, author));
    }
    let what = if parent.is_some() { "reply" } else { "post" };
    records.push(Record::Post(post));
    // My own threads and self-quotes are posts, not exchanges with anyone.
    let me = &src.me.id;
    records.extend(interactions.into_iter().filter(|i| &i.target != me).map(Record::Interaction));
    Outcome::Import(records, what)
}

/// The mentions, links and tags of a post, from its facets and `tags`, or from the `entities` of
/// 2022 posts.
fn entities(value: Option<&Ipld>, body: &str) -> Entities {
    let mut found = Entities::default();
    for facet in items(field(value, "facets")) {
        let range = field(Some(facet), "index");
        let shown = match (index(field(range, "byteStart")), index(field(range, "byteEnd"))) {
            (Some(start), Some(end)) => body.get(start..end),
            _ => None,
        };
        for feature in items(field(Some(facet), "features")) {
            let feature = Some(feature);
            match text(field(feature, "$type")) {
                Some("app.bsky.richtext.facet#mention") => {
                    if let Some(did) = text(field(feature, "did")) {
                        found.mention(did, shown);
                    }
                }
                Some("app.bsky.richtext.facet#link") => {
                    found.link(text(field(feature, "uri")).unwrap_or_default());
                }
                Some("app.bsky.richtext.facet#tag") => {
                    found.tag(text(field(feature, "tag")).unwrap_or_default());
                }
                _ => {}
            }
        }
    }
    for tag in items(field(value, "tags")) {
        found.tag(text(Some(tag)).unwrap_or_default());
    }
    for entity in items(field(value, "entities")) {
        let entity = Some(entity);
        let shown = field(entity, "index").and_then(|range| {
            body.get(index(field(Some(range), "start"))?..index(field(Some(range), "end"))?)
        });
        match (text(field(entity, "type")), text(field(entity, "value"))) {
            (Some("mention"), Some(did)) => found.mention(did, shown),
            (Some("link"), Some(uri)) => found.link(uri),
            _ => {}
        }
    }
    if let Some(uri) = text_at(value, &["embed", "external", "uri"]) {
        found.link(uri);
    }
    found
}

/// The quoted post's URI and author, from a record embed (with or without media).
fn quote(value: Option<&Ipld>) -> Option<(&str, &str)> {
    let embed = field(value, "embed");
    let uri = match text(field(embed, "$type")) {
        Some("app.bsky.embed.record") => text_at(embed, &["record", "uri"]),
        Some("app.bsky.embed.recordWithMedia") => text_at(embed, &["record", "record", "uri"]),
        _ => None,
    }?;
    // A record embed may show a list or a feed; only a post is a quote.
    (uri_collection(uri) == Some(COLLECTION)).then_some(())?;
    Some((uri, uri_did(uri)?))
}
