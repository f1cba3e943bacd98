//! The people an export names in its structure (friend and follower lists, thread participants and
//! senders, comment authors, people tagged in posts), and finding one of them in a title.
//!
//! Whose post a comment or reaction answered is written only in the entry's `title`, a sentence in
//! the account's language ("Ada commented on Bo's post.", "Ada har kommenteret Bos opslag.", "A Ada
//! le ha gustado el enlace de Bo."). Names are never translated, so the person is found as a name
//! the export itself lists, whatever the grammar around it.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Content, classify};
use crate::export::text;

/// Every name the export's structure gives, whatever its language.
pub(super) fn people(members: &[(String, Value)]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let list = |value: &Value, key: &str| -> Vec<Value> {
        value.get(key).and_then(Value::as_array).cloned().unwrap_or_default()
    };
    for (name, value) in members {
        match classify(name, value) {
            Content::Edges(key, _) => {
                names.extend(
                    list(value, key).iter().filter_map(|e| text(e, "name")).map(str::to_owned),
                );
            }
            Content::Thread => {
                names.extend(
                    list(value, "participants")
                        .iter()
                        .filter_map(|p| text(p, "name"))
                        .map(str::to_owned),
                );
                names.extend(
                    list(value, "messages")
                        .iter()
                        .filter_map(|m| text(m, "sender_name"))
                        .map(str::to_owned),
                );
            }
            Content::Comments(key) => {
                for entry in list(value, key) {
                    for data in list(&entry, "data") {
                        if let Some(author) = data.get("comment").and_then(|c| text(c, "author")) {
                            names.insert(author.to_owned());
                        }
                    }
                }
            }
            Content::Posts => {
                for entry in value.as_array().map_or(&[][..], Vec::as_slice) {
                    names.extend(
                        list(entry, "tags")
                            .iter()
                            .filter_map(|t| text(t, "name"))
                            .map(str::to_owned),
                    );
                }
            }
            Content::Profile | Content::Reactions(_) | Content::Other(_) => {}
        }
    }
    names
}

/// The one person of `people`, other than `actor`, that `title` names, starting at a word. A name
/// inside a longer matching name ("Bo" in "Bo Ray") is the longer one; two different people are
/// ambiguous and give none.
pub(super) fn named_in(title: &str, actor: &str, people: &BTreeSet<String>) -> Option<String> {
    let at_word = |name: &str| {
        title
            .match_indices(name)
            .any(|(i, _)| !title[..i].chars().next_back().is_some_and(char::is_alphanumeric))
    };
    let found: Vec<&String> =
        people.iter().filter(|p| p.as_str() != actor && !p.is_empty() && at_word(p)).collect();
    let outer: Vec<&&String> = found
        .iter()
        .filter(|p| !found.iter().any(|q| q.len() > p.len() && q.contains(p.as_str())))
        .collect();
    match outer.as_slice() {
        [one] => Some((**one).clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_listed_people_in_titles_of_any_language() {
        let people: BTreeSet<String> =
            ["Ada Lim", "Bo Ray", "Bo", "Cy Ng"].into_iter().map(str::to_owned).collect();
        let cases = [
            ("english", "Ada Lim commented on Bo Ray's photo.", Some("Bo Ray")),
            ("danish genitive", "Ada Lim har kommenteret Bo Rays opslag.", Some("Bo Ray")),
            ("spanish", "A Ada Lim le ha gustado el enlace de Cy Ng.", Some("Cy Ng")),
            ("own post", "Ada Lim har kommenteret sit eget opslag.", None),
            ("two people", "Ada Lim synes godt om Bo Rays og Cy Ngs billeder.", None),
            ("inside a word", "Ada Lim likes Abo's post.", None),
        ];
        for (name, title, want) in cases {
            assert_eq!(named_in(title, "Ada Lim", &people).as_deref(), want, "{name}");
        }
    }
}
