//! The people an export names in its structure (friend and follower lists, thread participants and
//! senders, comment authors, people tagged in posts), and finding one of them in a title.
//!
//! Whose post a comment or reaction answered is written only in the entry's `title`, a sentence in
//! the account's language ("Ada commented on Bo's post.", "Ada har kommenteret Bos opslag.", "A Ada
//! le ha gustado el enlace de Bo."). Names are never translated, so the person is found as a name
//! the export itself lists, whatever the grammar around it.

use std::collections::HashMap;

use serde_json::Value;

use super::{Content, classify};
use crate::export::text;

/// The names an export lists, indexed by their first word so that a title is matched by looking
/// up its own words rather than by searching it for every name.
#[derive(Default)]
pub(super) struct People {
    by_first_word: HashMap<String, Vec<String>>,
}

impl People {
    fn add(&mut self, name: &str) {
        let name = name.trim();
        let Some(first) = name.split_whitespace().next() else { return };
        let names = self.by_first_word.entry(first.to_owned()).or_default();
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
}

/// The items of the list under `key`.
fn list<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// Every name the export's structure gives, whatever its language.
pub(super) fn people(members: &[(String, Value)]) -> People {
    let mut people = People::default();
    for (name, value) in members {
        let names: Vec<&str> = match classify(name, value) {
            Content::Edges(key, _) => {
                list(value, key).iter().filter_map(|e| text(e, "name")).collect()
            }
            Content::Thread => list(value, "participants")
                .iter()
                .filter_map(|p| text(p, "name"))
                .chain(list(value, "messages").iter().filter_map(|m| text(m, "sender_name")))
                .collect(),
            Content::Comments(key) => list(value, key)
                .iter()
                .flat_map(|entry| list(entry, "data"))
                .filter_map(|d| d.get("comment").and_then(|c| text(c, "author")))
                .collect(),
            Content::Posts => value
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .flat_map(|entry| list(entry, "tags"))
                .filter_map(|t| text(t, "name"))
                .collect(),
            Content::Profile | Content::Reactions(_) | Content::Other(_) => Vec::new(),
        };
        for n in names {
            people.add(n);
        }
    }
    people
}

/// The one person of `people`, other than `actor`, that `title` names, starting at a word. A name
/// inside a longer matching name ("Bo" in "Bo Ray") is the longer one; two different people are
/// ambiguous and give none.
pub(super) fn named_in(title: &str, actor: &str, people: &People) -> Option<String> {
    let mut found: Vec<&str> = Vec::new();
    let starts = title.char_indices().filter(|(i, c)| {
        c.is_alphanumeric() && !title[..*i].chars().next_back().is_some_and(char::is_alphanumeric)
    });
    for (i, _) in starts {
        let word: String = title[i..].chars().take_while(|c| c.is_alphanumeric()).collect();
        // The first word of a name may carry a suffix in the title ("Bos" for "Bo"): try each
        // prefix of the word that some name starts with.
        for (end, _) in word.char_indices().skip(1).chain([(word.len(), ' ')]) {
            for name in people.by_first_word.get(&word[..end]).into_iter().flatten() {
                if name != actor
                    && title[i..].starts_with(name.as_str())
                    && !found.contains(&name.as_str())
                {
                    found.push(name);
                }
            }
        }
    }
    let outer: Vec<&&str> = found
        .iter()
        .filter(|p| !found.iter().any(|q| q.len() > p.len() && q.contains(**p)))
        .collect();
    match outer.as_slice() {
        [one] => Some((**one).to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_listed_people_in_titles_of_any_language() {
        let mut people = People::default();
        for name in ["Ada Lim", "Bo Ray", "Bo", "Cy Ng"] {
            people.add(name);
        }
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
