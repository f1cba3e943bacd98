//! What people post about: a profile of terms (hashtags, link domains, content words) per person,
//! weighted by how distinctive each term is across the whole store.

use std::collections::HashMap;

use rapport_model::Timestamp;
use rapport_store::Read;

use crate::events::EventSet;
use crate::{Result, Snapshot};

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
///
/// Terms are numbered by their rank in term order, and every profile is sorted by it, so two
/// profiles meet in one merge and every sum runs in the same order on every run.
pub(crate) struct Interests {
    /// Every term that is in some profile's posts, in term order: a rank is an index here.
    terms: Vec<Term>,
    profiles: HashMap<u32, Vec<(u32, f64)>>,
}

impl Interests {
    /// The cosine similarity of two nodes' profiles, and the terms they share, strongest first.
    pub(crate) fn shared(&self, a: u32, b: u32) -> (f64, Vec<Term>) {
        let (Some(pa), Some(pb)) = (self.profiles.get(&a), self.profiles.get(&b)) else {
            return (0.0, Vec::new());
        };
        let mut shared: Vec<(u32, f64)> = Vec::new();
        let mut ia = pa.iter().peekable();
        for &(t, wb) in pb {
            while ia.next_if(|(ta, _)| *ta < t).is_some() {}
            if let Some(&&(ta, wa)) = ia.peek()
                && ta == t
            {
                shared.push((t, wa * wb));
            }
        }
        let similarity = shared.iter().map(|s| s.1).sum();
        shared.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        (similarity, shared.into_iter().map(|s| self.terms[s.0 as usize].clone()).collect())
    }

    /// The nodes with a profile.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = u32> + '_ {
        self.profiles.keys().copied()
    }

    /// True when the node posts about `tag`.
    pub(crate) fn has_tag(&self, node: u32, tag: &str) -> bool {
        let Ok(rank) = self.terms.binary_search(&Term::Tag(tag.to_owned())) else {
            return false;
        };
        self.profiles
            .get(&node)
            .is_some_and(|p| p.binary_search_by_key(&(rank as u32), |e| e.0).is_ok())
    }

    /// The most distinctive terms of a group of nodes against everyone: summed weights.
    pub(crate) fn group_terms(&self, members: &[u32], top: usize) -> Vec<Term> {
        let mut sum: HashMap<u32, f64> = HashMap::new();
        for m in members {
            for (t, w) in self.profiles.get(m).into_iter().flatten() {
                *sum.entry(*t).or_insert(0.0) += w;
            }
        }
        let mut terms: Vec<(u32, f64)> = sum.into_iter().collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        // A word that is also one of the chosen hashtags adds nothing to a name.
        let mut chosen: Vec<Term> = Vec::with_capacity(top);
        for (t, _) in terms {
            let t = &self.terms[t as usize];
            let repeats = matches!(t, Term::Word(w) if chosen.contains(&Term::Tag(w.clone())));
            if !repeats && chosen.len() < top {
                chosen.push(t.clone());
            }
        }
        chosen
    }
}

/// Every distinct term seen, numbered in order of first sight and found by its text, so that a
/// term seen before costs a lookup and no allocation.
#[derive(Default)]
struct Vocabulary {
    ids: [HashMap<String, u32>; 3],
    terms: Vec<Term>,
}

impl Vocabulary {
    fn id(&mut self, kind: TermKind, text: &str) -> u32 {
        let map = &mut self.ids[kind as usize];
        if let Some(&id) = map.get(text) {
            return id;
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        self.terms.push(kind.term(text.to_owned()));
        map.insert(text.to_owned(), id);
        id
    }
}

impl Snapshot<'_> {
    /// The term profiles of every node of `set` that posted by `as_of`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) fn interests(&self, set: &EventSet, as_of: Timestamp) -> Result<Interests> {
        let mut vocabulary = Vocabulary::default();
        let mut used: HashMap<u32, Vec<u32>> = HashMap::new();
        let merged = self.store.merged_persons()?;
        let mut buf = String::new();
        self.store.for_each_post_text(Some(as_of), &mut |author, text| {
            let person = if set.is_me_account(author) {
                set.me_person()
            } else {
                merged.get(&author).copied().unwrap_or(-author)
            };
            let Some(node) = set.node_of(person) else { return };
            let entry = used.entry(node).or_default();
            each_term(text, &mut buf, |kind, term| entry.push(vocabulary.id(kind, term)));
        })?;
        // Rank the vocabulary in term order; a node's counts are then runs of equal ranks.
        let mut order: Vec<u32> = (0..vocabulary.terms.len() as u32).collect();
        order.sort_unstable_by(|a, b| {
            vocabulary.terms[*a as usize].cmp(&vocabulary.terms[*b as usize])
        });
        let mut rank = vec![0u32; order.len()];
        for (r, id) in order.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        let mut slots: Vec<Option<Term>> = vocabulary.terms.into_iter().map(Some).collect();
        let terms: Vec<Term> = order.iter().filter_map(|id| slots[*id as usize].take()).collect();
        let counts: Vec<(u32, Vec<(u32, u32)>)> = used
            .into_iter()
            .map(|(node, mut ids)| {
                for id in &mut ids {
                    *id = rank[*id as usize];
                }
                ids.sort_unstable();
                let mut runs: Vec<(u32, u32)> = Vec::new();
                for t in ids {
                    match runs.last_mut() {
                        Some((last, n)) if *last == t => *n += 1,
                        _ => runs.push((t, 1)),
                    }
                }
                (node, runs)
            })
            .collect();
        // Document frequency over people, so a term everyone uses says little.
        let mut df = vec![0u32; terms.len()];
        for (_, runs) in &counts {
            for (t, _) in runs {
                df[*t as usize] += 1;
            }
        }
        let people = counts.len().max(1) as f64;
        let profiles = counts
            .into_iter()
            .map(|(node, runs)| {
                let mut profile: Vec<(u32, f64)> = runs
                    .into_iter()
                    .filter(|(t, _)| df[*t as usize] >= 2)
                    .map(|(t, n)| {
                        let idf = (people / f64::from(df[t as usize])).ln() + 1.0;
                        (t, terms[t as usize].weight() * (1.0 + f64::from(n).ln()) * idf)
                    })
                    .collect();
                let norm = profile.iter().map(|p| p.1 * p.1).sum::<f64>().sqrt();
                if norm > 0.0 {
                    for p in &mut profile {
                        p.1 /= norm;
                    }
                }
                (node, profile)
            })
            .collect();
        Ok(Interests { terms, profiles })
    }
}

/// Words too common to say anything about a person's interests.
const STOP: [&str; 40] = [
    "about", "after", "again", "always", "anyone", "because", "before", "being", "could", "every",
    "first", "going", "great", "happy", "having", "loving", "really", "right", "since", "still",
    "thank", "thanks", "their", "there", "these", "thing", "things", "think", "those", "today",
    "under", "until", "where", "which", "while", "would", "years", "yours", "other", "should",
];

/// The kinds of term, as the vocabulary files them.
#[derive(Clone, Copy)]
enum TermKind {
    Tag = 0,
    Site = 1,
    Word = 2,
}

impl TermKind {
    fn term(self, text: String) -> Term {
        match self {
            TermKind::Tag => Term::Tag(text),
            TermKind::Site => Term::Site(text),
            TermKind::Word => Term::Word(text),
        }
    }
}

/// The terms of one post.
#[cfg(test)]
fn terms(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    each_term(text, &mut String::new(), |kind, t| out.push(kind.term(t.to_owned())));
    out
}

/// Calls `f` with each term of one post: hashtags and link domains, and content words of five
/// letters or more that are not stop words, all lower-cased. `buf` is scratch space for the
/// terms that need rewriting, so that a post costs no allocation once `buf` has grown.
fn each_term(text: &str, buf: &mut String, mut f: impl FnMut(TermKind, &str)) {
    let lower = |s: &str, buf: &mut String| {
        buf.clear();
        buf.extend(s.chars().flat_map(char::to_lowercase));
    };
    for token in text.split_whitespace() {
        if let Some(url) = token.strip_prefix("https://").or_else(|| token.strip_prefix("http://"))
        {
            let host = url.split(['/', '?', '#']).next().unwrap_or("").trim_start_matches("www.");
            if !host.is_empty() {
                lower(host, buf);
                f(TermKind::Site, buf);
            }
            continue;
        }
        if let Some(tag) = token.strip_prefix('#') {
            let end = tag.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(tag.len());
            if end > 0 {
                lower(&tag[..end], buf);
                f(TermKind::Tag, buf);
            }
            continue;
        }
        if token.starts_with('@') {
            continue;
        }
        buf.clear();
        buf.extend(token.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase));
        if buf.chars().count() >= 5 && !STOP.contains(&buf.as_str()) {
            f(TermKind::Word, buf);
        }
    }
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
