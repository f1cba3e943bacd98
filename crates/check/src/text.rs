//! The model's view of a draft: a normalised copy of the text and its hashed word and character n-grams.
//!
//! Features are hashed straight from the normalised code points, so extracting them allocates nothing
//! per n-gram: each n-gram is one running 64-bit hash, finished and folded into a table index.
//! Every normalised char remembers the byte range it came from, so an n-gram maps back to an exact span
//! of the original text for explanations.

use std::cell::RefCell;

use crate::markup::{Markup, markup_at};

/// The model only reads this many bytes of a text.
///
/// Past this length, adding more text only dilutes the n-gram average, and the bound keeps memory
/// and time flat for pathological inputs (a 1 GB paste). The rules still read the whole text.
pub(crate) const MAX_MODEL_BYTES: usize = 64 * 1024;

/// Numbers of this many digits or more are folded to zeros.
const LONG_NUMBER: usize = 5;

/// Number of hash bits: the model has `2^BITS` weights per head.
pub(crate) const BITS: u32 = 18;

/// Shortest and longest character n-gram.
const CHAR_MIN: usize = 2;
const CHAR_MAX: usize = 5;

/// Seeds that keep the hash families (char n-grams, words, word pairs) apart.
const SEED_CHAR: u64 = 0x9e37_79b9_7f4a_7c15;
const SEED_WORD: u64 = 0xc2b2_ae3d_27d4_eb4f;
const SEED_PAIR: u64 = 0x1656_67b1_9e37_79f9;

/// One hashed feature occurrence.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Feature {
    /// Index into a head's weight table.
    pub(crate) index: u32,
    /// The hashing sign (+1 or -1) that cancels collisions on average.
    pub(crate) sign: f32,
    /// First normalised char of the n-gram.
    pub(crate) first: u32,
    /// One past the last normalised char of the n-gram.
    pub(crate) end: u32,
    /// Which family the n-gram belongs to: [`CHARS`] or [`WORDS`].
    pub(crate) family: usize,
    /// How many times the text has held this feature index so far, this occurrence included.
    pub(crate) count: u32,
}

/// The character n-gram family.
pub(crate) const CHARS: usize = 0;
/// The word and word-pair family.
pub(crate) const WORDS: usize = 1;
/// Number of feature families; each is normalised on its own so the few word features weigh as
/// much as the many character n-grams.
pub(crate) const FAMILIES: usize = 2;

/// A normalised text: HTML markup decoded (see [`crate::markup`]), lower-cased, the digits of long numbers folded to `0`, whitespace collapsed to
/// one space, control characters and byte-order marks dropped, with one space of padding at each end.
#[derive(Default)]
pub(crate) struct Normalized {
    chars: Vec<u32>,
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// Occurrences of each feature index in the current text.
    counter: Counter,
}

/// Counts feature indices within one text: a small open-addressing table sized to the text, so for
/// short texts it stays in the fastest cache (a table over all `2^BITS` indices would not).
#[derive(Default)]
struct Counter {
    /// Index + 1 per slot; 0 marks an empty slot.
    keys: Vec<u32>,
    counts: Vec<u32>,
    mask: usize,
}

impl Counter {
    /// Empties the table and makes room for `distinct` keys at half load at most.
    fn reset(&mut self, distinct: usize) {
        let size = (distinct * 2).next_power_of_two().max(1024);
        if self.keys.len() < size {
            self.keys = vec![0; size];
            self.counts = vec![0; size];
        } else {
            self.keys[..size].fill(0);
        }
        self.mask = size - 1;
    }

    /// Counts one more occurrence of `index` and returns its count so far.
    #[inline]
    fn bump(&mut self, index: u32) -> u32 {
        let key = index + 1;
        // Indices are hash bits already, so their low bits spread well over the table.
        let mut slot = index as usize & self.mask;
        loop {
            let found = self.keys[slot];
            if found == key {
                self.counts[slot] += 1;
                return self.counts[slot];
            }
            if found == 0 {
                self.keys[slot] = key;
                self.counts[slot] = 1;
                return 1;
            }
            slot = (slot + 1) & self.mask;
        }
    }
}

impl Normalized {
    /// Fills `self` from `text`, reusing its buffers.
    fn fill(&mut self, text: &str) {
        self.chars.clear();
        self.starts.clear();
        self.ends.clear();
        let text = truncate(text, MAX_MODEL_BYTES);
        self.push(' ', 0, 0);
        let mut at = 0;
        while let Some(c) = text[at..].chars().next() {
            let start = at;
            // Markup starts with `<` or `&`; every other char skips the look-up.
            let markup = if c == '<' || c == '&' { markup_at(text, start) } else { None };
            let (c, end) = match markup {
                Some((Markup::Char(c), len)) => (c, start + len),
                Some((Markup::Break, len)) => (' ', start + len),
                None => (c, start + c.len_utf8()),
            };
            at = end;
            if c.is_whitespace() {
                if self.chars.last() != Some(&u32::from(' ')) {
                    self.push(' ', start, end);
                }
            } else if c == '\u{feff}' || c.is_control() {
                continue;
            } else if c.is_ascii() {
                self.push(c.to_ascii_lowercase(), start, end);
            } else {
                for lower in c.to_lowercase() {
                    self.push(lower, start, end);
                }
            }
        }
        if self.chars.last() != Some(&u32::from(' ')) {
            self.push(' ', text.len(), text.len());
        }
        self.fold_long_numbers();
    }

    /// Folds every digit of a number of [`LONG_NUMBER`] or more digits to `0`.
    ///
    /// A phone number, an order code or a price in a long form says "a number to act on"; which
    /// number it is identifies one sender and helps no other. Short numbers ("top 10", "2015")
    /// stay as written: they read as words.
    fn fold_long_numbers(&mut self) {
        let is_digit = |c: u32| (u32::from('0')..=u32::from('9')).contains(&c);
        let mut i = 0;
        while i < self.chars.len() {
            let start = i;
            while i < self.chars.len() && is_digit(self.chars[i]) {
                i += 1;
            }
            if i - start >= LONG_NUMBER {
                self.chars[start..i].fill(u32::from('0'));
            }
            i += 1;
        }
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        let code = u32::from(c);
        // Both offsets fit: the text was truncated to MAX_MODEL_BYTES first.
        self.chars.push(code);
        self.starts.push(start as u32);
        self.ends.push(end as u32);
    }

    /// Number of normalised chars, padding included.
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether normalised char `i` is a space (padding or whitespace between words).
    pub(crate) fn is_space(&self, i: usize) -> bool {
        self.chars[i] == u32::from(' ')
    }

    /// The byte range of the original text that normalised chars `first..end` came from.
    pub(crate) fn span(&self, first: u32, end: u32) -> std::ops::Range<usize> {
        let start = self.starts[first as usize] as usize;
        let stop = self.ends[end as usize - 1] as usize;
        start..stop.max(start)
    }

    /// Calls `f` for every hashed feature occurrence, telling it how many times the text has held
    /// the feature so far, so that the caller can weigh repeats sublinearly as it goes.
    #[inline]
    pub(crate) fn for_each_feature(&mut self, mut f: impl FnMut(Feature)) {
        let Normalized { chars, counter, .. } = self;
        let n = chars.len();
        // At most four char n-grams per char, and a word and a word pair per two chars.
        counter.reset(5 * n + 2);
        let mut emit = |hash: u64, first: usize, end: usize, family: usize| {
            let hash = finish(hash);
            let index = (hash >> (64 - BITS)) as u32;
            let count = counter.bump(index);
            f(Feature {
                index,
                sign: if hash & 1 == 0 { 1.0 } else { -1.0 },
                first: first as u32,
                end: end as u32,
                family,
                count,
            });
        };

        // Character n-grams within words padded by their spaces (scikit-learn's `char_wb`): one
        // running hash per start position, emitted at each length, stopping at the word's end.
        // N-grams across two words would mostly repeat the word pairs below, and tie the model to
        // how a source happens to join its words.
        const SPACE: u32 = ' ' as u32;
        for first in 0..n {
            let mut hash = SEED_CHAR;
            for (k, &c) in chars[first..n.min(first + CHAR_MAX)].iter().enumerate() {
                hash = mix(hash, c);
                if k + 1 >= CHAR_MIN {
                    emit(hash ^ (k as u64), first, first + k + 1, CHARS);
                }
                if c == SPACE && k > 0 {
                    break;
                }
            }
        }

        // Words (runs of two or more letters and digits) and pairs of adjacent words.
        let mut previous: Option<(u64, usize)> = None;
        let mut i = 0;
        while i < n {
            if !is_word_char(chars[i]) {
                i += 1;
                continue;
            }
            let first = i;
            let mut hash = SEED_WORD;
            while i < n && is_word_char(chars[i]) {
                hash = mix(hash, chars[i]);
                i += 1;
            }
            // One-letter words ("a", "i", "u") carry no meaning of their own, as in scikit-learn's
            // default token pattern.
            if i - first < 2 {
                continue;
            }
            emit(hash, first, i, WORDS);
            if let Some((before, before_first)) = previous {
                let pair = mix(mix(before ^ SEED_PAIR, hash as u32), (hash >> 32) as u32);
                emit(pair, before_first, i, WORDS);
            }
            previous = Some((hash, first));
        }
    }
}

/// Runs `f` on the normalised form of `text`, reusing a per-thread buffer so that scoring a stream
/// of texts allocates nothing once the buffer has grown.
pub(crate) fn with_normalized<R>(text: &str, f: impl FnOnce(&mut Normalized) -> R) -> R {
    thread_local! {
        static BUFFER: RefCell<Normalized> = RefCell::new(Normalized::default());
    }
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.fill(text);
            f(&mut buffer)
        }
        // Only reachable if `f` itself normalises another text; fall back to a fresh buffer.
        Err(_) => {
            let mut buffer = Normalized::default();
            buffer.fill(text);
            f(&mut buffer)
        }
    })
}

/// The longest prefix of `text` no longer than `max` bytes that ends on a char boundary.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[inline]
fn is_word_char(c: u32) -> bool {
    if c < 128 {
        (c as u8).is_ascii_alphanumeric()
    } else {
        char::from_u32(c).is_some_and(char::is_alphanumeric)
    }
}

/// Folds one code point into a running hash (the FxHash step).
#[inline]
pub(crate) fn mix(hash: u64, c: u32) -> u64 {
    (hash.rotate_left(5) ^ u64::from(c)).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Spreads a running hash over all 64 bits (the MurmurHash3 finaliser), so the top bits index well.
#[inline]
pub(crate) fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(text: &str) -> Vec<(u32, String)> {
        let mut out = Vec::new();
        with_normalized(text, |norm| {
            let mut spans = Vec::new();
            norm.for_each_feature(|f| spans.push((f.index, f.first, f.end)));
            for (index, first, end) in spans {
                out.push((index, text[norm.span(first, end)].to_owned()));
            }
        });
        out
    }

    fn indices(text: &str) -> Vec<u32> {
        features(text).into_iter().map(|(i, _)| i).collect()
    }

    #[test]
    fn case_and_long_numbers_are_folded() {
        assert_eq!(indices("Call NOW"), indices("call now"));
        assert_eq!(indices("call 08712460324"), indices("call 09061701461"));
        assert_ne!(indices("top 10"), indices("top 12"));
    }

    #[test]
    fn char_ngrams_stay_within_words() {
        let spans = features("ab cd");
        assert!(spans.iter().any(|(_, s)| s == "ab "));
        assert!(spans.iter().any(|(_, s)| s == "ab"));
        assert!(!spans.iter().any(|(_, s)| s == "b c"), "{spans:?}");
    }

    #[test]
    fn spans_point_back_into_the_original() {
        let text = "Ünïcode 🎉 TEXT";
        let spans = features(text);
        assert!(spans.iter().any(|(_, s)| s == "Ünïcode"));
        assert!(spans.iter().any(|(_, s)| s == "TEXT"));
        assert!(spans.iter().any(|(_, s)| s == "Ünïcode 🎉 TEXT" || s.contains('🎉')));
    }

    #[test]
    fn empty_text_has_padding_only() {
        assert!(features("").is_empty());
        assert!(features("\u{feff}").is_empty());
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let text = "é".repeat(10);
        assert_eq!(truncate(&text, 5), "éé");
    }
}
