//! What people post about: a profile of terms (hashtags, link domains, content words) per node,
//! weighted by how distinctive each term is among everyone who posted.
//!
//! The engine splits each post into terms once ([`Vocabulary::post_terms`], kept per post across
//! generations of the data) and hands over the terms of the posts that count, by author's node
//! ([`Vocabulary::profiles`]); the profiles ([`Interests`]) answer discovery's "what do these two
//! share" and name the groups.

use std::collections::HashMap;

/// A term a person posts about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// A hashtag, lower-cased, without `#`.
    Tag(String),
    /// A linked site's domain.
    Site(String),
    /// A content word.
    Word(String),
}

impl Term {
    /// How the term reads in an explanation.
    pub fn label(&self) -> String {
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
pub struct Interests {
    /// Every term that is in some profile's posts, in term order: a rank is an index here.
    terms: Vec<Term>,
    profiles: HashMap<u32, Vec<(u32, f64)>>,
}

impl Interests {
    /// The cosine similarity of two nodes' profiles, and the terms they share, strongest first.
    pub fn shared(&self, a: u32, b: u32) -> (f64, Vec<Term>) {
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
    pub fn nodes(&self) -> impl Iterator<Item = u32> + '_ {
        self.profiles.keys().copied()
    }

    /// True when the node posts about `tag`.
    pub fn has_tag(&self, node: u32, tag: &str) -> bool {
        let Ok(rank) = self.terms.binary_search(&Term::Tag(tag.to_owned())) else {
            return false;
        };
        self.profiles
            .get(&node)
            .is_some_and(|p| p.binary_search_by_key(&(rank as u32), |e| e.0).is_ok())
    }

    /// The most distinctive terms of a group of nodes against everyone: summed weights.
    pub fn group_terms(&self, members: &[u32], top: usize) -> Vec<Term> {
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
///
/// A vocabulary can outlive one computation of the profiles: a process that keeps each post's
/// terms as ids ([`Vocabulary::post_terms`]) hands the ids of the posts that count at a moment to
/// [`Vocabulary::profiles`], and only new posts are read and split into terms.
#[derive(Default)]
pub struct Vocabulary {
    ids: [HashMap<String, u32>; 3],
    terms: Vec<Term>,
    /// Scratch space for terms that need rewriting.
    buf: String,
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

    /// Adds the terms of one post to `out`, as ids of this vocabulary, once per use.
    pub fn post_terms(&mut self, text: &str, out: &mut Vec<u32>) {
        let mut buf = std::mem::take(&mut self.buf);
        each_term(text, &mut buf, |kind, term| out.push(self.id(kind, term)));
        self.buf = buf;
    }

    /// The term profiles of every node in `used` (each node's terms as ids of this vocabulary,
    /// once per use), with TF-IDF weights, L2-normalised; terms used by one node only are left
    /// out, as they match no one. Terms of the vocabulary no node in `used` uses play no part, so
    /// the profiles are those of the same posts counted by a vocabulary of their own.
    pub fn profiles(&self, used: HashMap<u32, Vec<u32>>) -> Interests {
        // Rank the terms used in term order; a node's counts are then runs of equal ranks.
        let mut is_used = vec![false; self.terms.len()];
        for id in used.values().flatten() {
            is_used[*id as usize] = true;
        }
        let mut order: Vec<u32> =
            (0..self.terms.len() as u32).filter(|id| is_used[*id as usize]).collect();
        order.sort_unstable_by(|a, b| self.terms[*a as usize].cmp(&self.terms[*b as usize]));
        let mut rank = vec![u32::MAX; self.terms.len()];
        for (r, id) in order.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        let terms: Vec<Term> = order.iter().map(|id| self.terms[*id as usize].clone()).collect();
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
        Interests { terms, profiles }
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

    /// The profiles of nodes 0.. posting the given texts.
    fn profiles(posts: &[&[&str]]) -> Interests {
        profiles_with(&mut Vocabulary::default(), posts)
    }

    fn profiles_with(vocabulary: &mut Vocabulary, posts: &[&[&str]]) -> Interests {
        let mut used: HashMap<u32, Vec<u32>> = HashMap::new();
        for (node, texts) in posts.iter().enumerate() {
            for text in *texts {
                vocabulary.post_terms(text, used.entry(node as u32).or_default());
            }
        }
        vocabulary.profiles(used)
    }

    /// A vocabulary kept across computations knows terms of posts that no longer count (later
    /// than the moment asked, or gone): the profiles are those of a vocabulary of their own.
    #[test]
    fn a_kept_vocabulary_gives_the_profiles_of_a_fresh_one() {
        let posts: &[&[&str]] = &[
            &["#compost soil https://garden.example/a", "compost again #zinnia"],
            &["#compost and https://garden.example/b compost #zinnia"],
            &["#knitting wool", "#compost wool"],
        ];
        let mut kept = Vocabulary::default();
        let mut other = Vec::new();
        kept.post_terms("#aardvark apples https://zebra.example #compost", &mut other);
        let (a, b) = (profiles_with(&mut kept, posts), profiles(posts));
        assert_eq!(a.terms, b.terms);
        let mut pa: Vec<_> = a.profiles.into_iter().collect();
        let mut pb: Vec<_> = b.profiles.into_iter().collect();
        pa.sort_by_key(|p| p.0);
        pb.sort_by_key(|p| p.0);
        assert_eq!(pa, pb);
    }

    #[test]
    fn shared_terms_weigh_tags_over_sites_over_words() {
        let interests = profiles(&[
            &["#compost soil https://garden.example/a", "compost again"],
            &["#compost and https://garden.example/b compost"],
            &["#knitting wool"],
        ]);
        let (similarity, shared) = interests.shared(0, 1);
        assert_eq!(
            shared,
            [
                Term::Tag("compost".into()),
                Term::Site("garden.example".into()),
                Term::Word("compost".into())
            ]
        );
        assert!(similarity > 0.5 && similarity <= 1.0 + 1e-9, "{similarity}");
        for (name, a, b) in [("nothing in common", 0, 2), ("no profile", 0, 9)] {
            assert_eq!(interests.shared(a, b), (0.0, Vec::new()), "{name}");
        }
        assert_eq!(interests.shared(1, 0).1, shared, "symmetric");
    }

    #[test]
    fn profiles_are_tf_idf_and_unit_length() {
        // "#compost" is used by all three, "#soil" by two: the rarer term weighs more.
        let interests = profiles(&[&["#compost #soil"], &["#compost #soil"], &["#compost #bees"]]);
        for node in [0, 1, 2] {
            let norm: f64 = interests.profiles[&node].iter().map(|p| p.1 * p.1).sum();
            assert!((norm - 1.0).abs() < 1e-9, "node {node}: {norm}");
        }
        let weight = |node: u32, tag: &str| {
            let rank = interests.terms.binary_search(&Term::Tag(tag.into())).ok();
            rank.and_then(|r| interests.profiles[&node].iter().find(|p| p.0 as usize == r))
                .map(|p| p.1)
        };
        assert!(weight(0, "soil") > weight(0, "compost"));
        // A term only one node uses matches no one, so it is left out of every profile.
        assert_eq!(weight(2, "bees"), None);
        assert!(!interests.has_tag(2, "bees") && interests.has_tag(2, "compost"));
        let mut nodes: Vec<u32> = interests.nodes().collect();
        nodes.sort_unstable();
        assert_eq!(nodes, [0, 1, 2]);
    }

    #[test]
    fn group_terms() {
        let interests = profiles(&[
            &["#compost #soil compost"],
            &["#compost #soil compost"],
            &["#knitting #wool"],
            &["#knitting #wool"],
        ]);
        for (name, members, top, want) in [
            (
                "the group's own tags, a word repeating a tag dropped",
                vec![0, 1],
                3,
                vec![Term::Tag("compost".into()), Term::Tag("soil".into())],
            ),
            ("at most `top`", vec![0, 1], 1, vec![Term::Tag("compost".into())]),
            (
                "another group",
                vec![2, 3],
                2,
                vec![Term::Tag("knitting".into()), Term::Tag("wool".into())],
            ),
            ("no members", vec![], 3, vec![]),
        ] {
            assert_eq!(interests.group_terms(&members, top), want, "{name}");
        }
        assert_eq!(Term::Word("soil".into()).label(), "\"soil\"");
        assert_eq!(Term::Tag("soil".into()).label(), "#soil");
    }
}
