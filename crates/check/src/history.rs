//! The user's sent messages, summarised as MinHash signatures, to spot copy-paste outreach: nearly
//! the same message sent to many different people.
//!
//! MinHash over word pairs estimates the Jaccard similarity of two messages' word-pair sets, so
//! "Hi Ana, I loved your talk on X, we help teams like yours..." and the same text with another name
//! match, while two short thank-yous that share a few words do not.

use crate::text::{finish, mix};

/// Number of hash functions in a signature; the similarity estimate's standard error is about
/// `sqrt(J (1 - J) / 64)`, under 0.07.
const PERMUTATIONS: usize = 64;

/// Messages with fewer words are never called copy-paste: short courtesies repeat naturally.
pub(crate) const MIN_WORDS: usize = 6;

/// Estimated Jaccard similarity from which two messages count as the same template.
pub(crate) const SIMILAR: f32 = 0.5;

/// A MinHash signature of a message's word pairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Signature([u32; PERMUTATIONS]);

impl Signature {
    /// The signature of `text`, or `None` when it has fewer than [`MIN_WORDS`] words.
    pub(crate) fn of(text: &str) -> Option<Signature> {
        let mut mins = [u32::MAX; PERMUTATIONS];
        let mut previous: Option<u64> = None;
        let mut words = 0;
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let hash =
                word.chars().flat_map(char::to_lowercase).fold(0, |h, c| mix(h, u32::from(c)));
            words += 1;
            if let Some(before) = previous {
                let pair = finish(mix(before, hash as u32) ^ (hash >> 32));
                for (k, min) in mins.iter_mut().enumerate() {
                    let h = finish(pair ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) as u32;
                    *min = (*min).min(h);
                }
            }
            previous = Some(hash);
        }
        (words >= MIN_WORDS).then_some(Signature(mins))
    }

    /// Estimated Jaccard similarity of the two messages' word pairs.
    pub(crate) fn similarity(&self, other: &Signature) -> f32 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f32 / PERMUTATIONS as f32
    }
}

/// The user's sent messages with their recipients.
#[derive(Clone, Debug, Default)]
pub struct History {
    messages: Vec<(String, Signature)>,
}

impl History {
    /// An empty history.
    pub fn new() -> History {
        History::default()
    }

    /// Adds one sent message. Messages too short to judge are skipped.
    pub fn push(&mut self, recipient: &str, text: &str) {
        if let Some(signature) = Signature::of(text) {
            self.messages.push((recipient.to_owned(), signature));
        }
    }

    /// Number of messages kept.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether no message was kept.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The distinct recipients, other than `except`, of messages nearly the same as `signature`, in
    /// the order first sent.
    pub(crate) fn similar_recipients(
        &self,
        signature: &Signature,
        except: Option<&str>,
    ) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (recipient, sent) in &self.messages {
            if Some(recipient.as_str()) != except
                && !out.contains(&recipient.as_str())
                && sent.similarity(signature) >= SIMILAR
            {
                out.push(recipient);
            }
        }
        out
    }
}

impl<R: AsRef<str>, T: AsRef<str>> FromIterator<(R, T)> for History {
    fn from_iter<I: IntoIterator<Item = (R, T)>>(iter: I) -> History {
        let mut history = History::new();
        for (recipient, text) in iter {
            history.push(recipient.as_ref(), text.as_ref());
        }
        history
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_and_different_messages_do_not() {
        let a = Signature::of(
            "Hi Ana, I loved your talk on rust. We help teams like yours ship faster, open to a chat?",
        );
        let b = Signature::of(
            "Hi Bob, I loved your talk on rust. We help teams like yours ship faster, open to a chat?",
        );
        let c = Signature::of(
            "Thanks for the photos from the hike last weekend, the lake looked amazing in the fog",
        );
        let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
        assert!(a.similarity(&b) >= SIMILAR);
        assert!(a.similarity(&c) < 0.2);
    }

    #[test]
    fn short_messages_are_not_judged() {
        assert!(Signature::of("thanks so much!").is_none());
    }
}
