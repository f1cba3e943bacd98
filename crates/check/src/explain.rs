//! Why the model scored a text as it did, in phrases a reader recognises.
//!
//! Each hashed n-gram's contribution is credited to the words of the text it was read from (a word
//! pair half to each word), so the many overlapping character n-grams of one word add up to that
//! word instead of each showing on its own. The strongest words are then grown into short phrases
//! with the neighbours that pushed the same way, each phrase is shown once however often it occurs,
//! and a phrase made only of function words ("the", "to") or of a link's scheme is never an anchor:
//! a link is credited as the whole link.

use std::ops::Range;

use crate::model::{HEADS, Head, NgramHit};
use crate::text::Normalized;

/// Longest phrase, in words.
const MAX_WORDS: usize = 3;
/// A neighbour joins a phrase when it pushed the same way with at least this share of the
/// phrase's strongest word.
const JOIN_SHARE: f32 = 0.3;

/// One feature occurrence as the scorer saw it: normalised chars `first..end` and its contribution
/// to each head's log-odds.
pub(crate) struct Seen {
    pub(crate) first: u32,
    pub(crate) end: u32,
    pub(crate) contribution: [f32; HEADS],
}

/// A whitespace-separated word of the text.
struct Word {
    /// Byte range in the text, without the punctuation around it.
    span: Range<usize>,
    /// What it added to each head's log-odds.
    weight: [f32; HEADS],
}

/// The `top` phrases that pushed the heads up the most, strongest first, each shown once.
pub(crate) fn phrases(text: &str, norm: &Normalized, seen: &[Seen], top: usize) -> Vec<NgramHit> {
    let (mut words, word_of) = words(text, norm);
    if words.is_empty() {
        return Vec::new();
    }
    for s in seen {
        let Some((a, b)) = ends(&word_of, s.first, s.end) else { continue };
        let share = if a == b { 1.0 } else { 0.5 };
        for h in 0..HEADS {
            words[a].weight[h] += share * s.contribution[h];
            if a != b {
                words[b].weight[h] += share * s.contribution[h];
            }
        }
    }
    let mut hits: Vec<NgramHit> = Vec::with_capacity(2 * top);
    for head in Head::ALL {
        let h = head.slot();
        let mut used = vec![false; words.len()];
        let mut order: Vec<usize> =
            (0..words.len()).filter(|&i| words[i].weight[h] > 0.0).collect();
        order.sort_by(|&a, &b| words[b].weight[h].total_cmp(&words[a].weight[h]));
        let mut shown = 0;
        for start in order {
            if shown >= top || used[start] {
                continue;
            }
            let (first, last) = grow(&words, &used, start, h);
            used[first..=last].iter_mut().for_each(|u| *u = true);
            let phrase = &words[first..=last];
            if phrase.iter().all(|w| is_filler(&text[w.span.clone()])) {
                continue;
            }
            let span = words[first].span.start..words[last].span.end;
            let weight: f32 = phrase.iter().map(|w| w.weight[h]).sum();
            let shown_text = &text[span.clone()];
            // The same phrase elsewhere in the text, or from the other head, is shown once, with
            // its strongest weight.
            if let Some(hit) = hits.iter_mut().find(|hit| hit.text.eq_ignore_ascii_case(shown_text))
            {
                if weight > hit.weight {
                    *hit = NgramHit { head, span, text: shown_text.to_owned(), weight };
                }
                continue;
            }
            hits.push(NgramHit { head, span, text: shown_text.to_owned(), weight });
            shown += 1;
        }
    }
    hits.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    hits.truncate(top);
    hits
}

/// Grows a phrase from word `start` with neighbours that pushed head `h` the same way.
fn grow(words: &[Word], used: &[bool], start: usize, h: usize) -> (usize, usize) {
    let bar = JOIN_SHARE * words[start].weight[h];
    let joins = |i: usize| !used[i] && words[i].weight[h] >= bar;
    let (mut first, mut last) = (start, start);
    while last - first + 1 < MAX_WORDS {
        let left = (first > 0 && joins(first - 1)).then(|| words[first - 1].weight[h]);
        let right = (last + 1 < words.len() && joins(last + 1)).then(|| words[last + 1].weight[h]);
        match (left, right) {
            (Some(l), Some(r)) if l > r => first -= 1,
            (Some(_), None) => first -= 1,
            (_, Some(_)) => last += 1,
            (None, None) => break,
        }
    }
    (first, last)
}

/// The words of the text (runs between normalised spaces) and, per normalised char, its word.
fn words(text: &str, norm: &Normalized) -> (Vec<Word>, Vec<u32>) {
    let mut words = Vec::new();
    let mut word_of = vec![u32::MAX; norm.len()];
    let mut i = 0;
    while i < norm.len() {
        if norm.is_space(i) {
            i += 1;
            continue;
        }
        let first = i;
        while i < norm.len() && !norm.is_space(i) {
            word_of[i] = words.len() as u32;
            i += 1;
        }
        let raw = norm.span(first as u32, i as u32);
        words.push(Word { span: trim_punctuation(text, raw), weight: [0.0; HEADS] });
    }
    (words, word_of)
}

/// The first and last word an n-gram over normalised chars `first..end` touches.
fn ends(word_of: &[u32], first: u32, end: u32) -> Option<(usize, usize)> {
    let range = &word_of[first as usize..end as usize];
    let a = range.iter().find(|&&w| w != u32::MAX)?;
    let b = range.iter().rev().find(|&&w| w != u32::MAX)?;
    Some((*a as usize, *b as usize))
}

/// Narrows a word's span to leave out the punctuation around it ("channel!!" → "channel"), unless
/// it is all punctuation, and keeps a link whole.
fn trim_punctuation(text: &str, span: Range<usize>) -> Range<usize> {
    let word = &text[span.clone()];
    if is_link(word) {
        return span;
    }
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
    if trimmed.is_empty() {
        return span;
    }
    let start =
        span.start + (word.len() - word.trim_start_matches(|c: char| !c.is_alphanumeric()).len());
    start..start + trimmed.len()
}

fn is_link(word: &str) -> bool {
    let lower = word.get(..8).unwrap_or(word).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}

/// Words that carry no finding on their own: English function words, one-letter words, and a
/// link's bare scheme.
fn is_filler(word: &str) -> bool {
    const FILLER: &[&str] = &[
        "a", "about", "all", "am", "an", "and", "are", "as", "at", "be", "been", "but", "by",
        "can", "com", "do", "for", "from", "had", "has", "have", "he", "her", "him", "his", "how",
        "http", "https", "i", "if", "in", "is", "it", "its", "me", "my", "no", "not", "of", "on",
        "or", "our", "she", "so", "that", "the", "their", "them", "then", "there", "they", "this",
        "to", "up", "us", "was", "we", "were", "what", "when", "which", "who", "will", "with",
        "www", "you", "your",
    ];
    let lower = word.to_lowercase();
    lower.chars().filter(|c| c.is_alphanumeric()).count() < 2 || FILLER.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_words_and_schemes_are_not_anchors() {
        for word in ["the", "The", "https", "to", "a", "!"] {
            assert!(is_filler(word), "{word}");
        }
        for word in ["channel", "free", "subscribe", "https://bit.ly/x"] {
            assert!(!is_filler(word), "{word}");
        }
    }

    #[test]
    fn punctuation_is_trimmed_but_links_stay_whole() {
        let text = "(channel!!) https://bit.ly/x.";
        assert_eq!(&text[trim_punctuation(text, 0..11)], "channel");
        assert_eq!(&text[trim_punctuation(text, 12..text.len())], "https://bit.ly/x.");
    }
}
