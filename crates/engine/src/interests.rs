//! What people post about: a profile of terms (hashtags, link domains, content words) per person,
//! weighted by how distinctive each term is across the whole store.

use std::collections::HashMap;

use rapport_model::Timestamp;
use rapport_store::Store;

use crate::graph_input::EventSet;
use crate::{Engine, Result};

/// A term a person posts about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Term {
    /// A hashtag, lower-cased, without `#`.
    Tag(String),
    /// A linked site's domain.
    Site(String),
    /// A content word.
    Word(String),
}

impl Term {
    /// How the term reads in an explanation.
    pub(crate) fn label(&self) -> String {
        match self {
            Term::Tag(t) => format!("#{t}"),
            Term::Site(s) => s.clone(),
            Term::Word(w) => format!("\"{w}\""),
        }
    }

    /// Hashtags say most about a person's passions, words least.
    fn weight(&self) -> f64 {
        match self {
            Term::Tag(_) => 1.0,
            Term::Site(_) => 0.6,
            Term::Word(_) => 0.3,
        }
    }
}

/// Term profiles of every node that posted, with TF-IDF weights, L2-normalised.
pub(crate) struct Interests {
    profiles: HashMap<u32, Vec<(Term, f64)>>,
}

impl Interests {
    /// The cosine similarity of two nodes' profiles, and the terms they share, strongest first.
    pub(crate) fn shared(&self, a: u32, b: u32) -> (f64, Vec<Term>) {
        let (Some(pa), Some(pb)) = (self.profiles.get(&a), self.profiles.get(&b)) else {
            return (0.0, Vec::new());
        };
        let lookup: HashMap<&Term, f64> = pa.iter().map(|(t, w)| (t, *w)).collect();
        let mut shared: Vec<(Term, f64)> =
            pb.iter().filter_map(|(t, w)| lookup.get(t).map(|wa| (t.clone(), wa * w))).collect();
        let similarity = shared.iter().map(|s| s.1).sum();
        shared.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        (similarity, shared.into_iter().map(|s| s.0).collect())
    }

    /// The nodes with a profile.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = u32> + '_ {
        self.profiles.keys().copied()
    }

    /// True when the node posts about `tag`.
    pub(crate) fn has_tag(&self, node: u32, tag: &str) -> bool {
        self.profiles
            .get(&node)
            .is_some_and(|p| p.iter().any(|(t, _)| *t == Term::Tag(tag.to_owned())))
    }

    /// The most distinctive terms of a group of nodes against everyone: summed weights.
    pub(crate) fn group_terms(&self, members: &[u32], top: usize) -> Vec<Term> {
        let mut sum: HashMap<&Term, f64> = HashMap::new();
        for m in members {
            for (t, w) in self.profiles.get(m).into_iter().flatten() {
                *sum.entry(t).or_insert(0.0) += w;
            }
        }
        let mut terms: Vec<(&Term, f64)> = sum.into_iter().collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        // A word that is also one of the chosen hashtags adds nothing to a name.
        let mut chosen: Vec<Term> = Vec::with_capacity(top);
        for (t, _) in terms {
            let repeats = matches!(t, Term::Word(w) if chosen.contains(&Term::Tag(w.clone())));
            if !repeats && chosen.len() < top {
                chosen.push(t.clone());
            }
        }
        chosen
    }
}

impl Engine {
    /// The term profiles of every node of `set` that posted by `as_of`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) fn interests(&self, set: &EventSet, as_of: Timestamp) -> Result<Interests> {
        let mut counts: HashMap<u32, HashMap<Term, u32>> = HashMap::new();
        let merged = self.store.merged_persons()?;
        self.store.for_each_post_text(Some(as_of), &mut |author, text| {
            let person = if set.is_me_account(author) {
                set.me_person()
            } else {
                merged.get(&author).copied().unwrap_or(-author)
            };
            let Some(node) = set.node_of(person) else { return };
            let entry = counts.entry(node).or_default();
            for term in terms(text) {
                *entry.entry(term).or_insert(0) += 1;
            }
        })?;
        // Document frequency over people, so a term everyone uses says little.
        let mut df: HashMap<Term, u32> = HashMap::new();
        for terms in counts.values() {
            for t in terms.keys() {
                *df.entry(t.clone()).or_insert(0) += 1;
            }
        }
        let people = counts.len().max(1) as f64;
        let profiles = counts
            .into_iter()
            .map(|(node, terms)| {
                let mut profile: Vec<(Term, f64)> = terms
                    .into_iter()
                    .filter(|(t, _)| df.get(t).copied().unwrap_or(0) >= 2)
                    .map(|(t, n)| {
                        let idf = (people / f64::from(df.get(&t).copied().unwrap_or(1))).ln() + 1.0;
                        let w = t.weight() * (1.0 + f64::from(n).ln()) * idf;
                        (t, w)
                    })
                    .collect();
                // In term order, not the map's, so sums over a profile are the same on every run.
                profile.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                let norm = profile.iter().map(|p| p.1 * p.1).sum::<f64>().sqrt();
                if norm > 0.0 {
                    for p in &mut profile {
                        p.1 /= norm;
                    }
                }
                (node, profile)
            })
            .collect();
        Ok(Interests { profiles })
    }
}

/// Words too common to say anything about a person's interests.
const STOP: [&str; 40] = [
    "about", "after", "again", "always", "anyone", "because", "before", "being", "could", "every",
    "first", "going", "great", "happy", "having", "loving", "really", "right", "since", "still",
    "thank", "thanks", "their", "there", "these", "thing", "things", "think", "those", "today",
    "under", "until", "where", "which", "while", "would", "years", "yours", "other", "should",
];

/// The terms of one post.
pub(crate) fn terms(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    for token in text.split_whitespace() {
        if let Some(url) = token.strip_prefix("https://").or_else(|| token.strip_prefix("http://"))
        {
            let host = url.split(['/', '?', '#']).next().unwrap_or("").trim_start_matches("www.");
            if !host.is_empty() {
                out.push(Term::Site(host.to_lowercase()));
            }
            continue;
        }
        if let Some(tag) = token.strip_prefix('#') {
            let tag: String =
                tag.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !tag.is_empty() {
                out.push(Term::Tag(tag.to_lowercase()));
            }
            continue;
        }
        if token.starts_with('@') {
            continue;
        }
        let word: String =
            token.chars().filter(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
        if word.chars().count() >= 5 && !STOP.contains(&word.as_str()) {
            out.push(Term::Word(word));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_of_a_post() {
        let got =
            terms("Turned the compost today! #NoDig #compost https://www.garden.example/x @ada");
        assert_eq!(
            got,
            [
                Term::Word("turned".into()),
                Term::Word("compost".into()),
                Term::Tag("nodig".into()),
                Term::Tag("compost".into()),
                Term::Site("garden.example".into()),
            ]
        );
    }
}
