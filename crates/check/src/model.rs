//! The statistical layer: two logistic-regression heads over hashed n-grams, and the compact file
//! they ship in.
//!
//! The heads are kept apart because their training data answer different questions:
//! "promotional" learned self-promotion and broadcast marketing (UCI YouTube and SMS spam), and
//! "bait" learned clickbait wording (Chakraborty headlines). Neither data set labels the other's
//! concept, so one multi-label head trained on both would learn the data sets' styles, not the ideas.

use std::ops::Range;
use std::sync::OnceLock;

use crate::Error;
use crate::text::{BITS, FAMILIES, Feature, Normalized, with_normalized};

/// The shipped weights, trained by [`crate::train::train_from_data`] on the public data.
static EMBEDDED: &[u8] = include_bytes!("../model/check-model.bin");

const MAGIC: &[u8; 4] = b"RCHK";
const VERSION: u16 = 1;
const HEADER_LEN: usize = 8 + HEADS * 8;

/// Number of heads in a model.
pub(crate) const HEADS: usize = 2;

/// One of the model's two heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Head {
    /// Self-promotion and broadcast marketing, learned from YouTube comment spam and SMS spam.
    Promotional,
    /// Clickbait wording, learned from clickbait headlines.
    Bait,
}

impl Head {
    /// Both heads, in storage order.
    pub const ALL: [Head; HEADS] = [Head::Promotional, Head::Bait];

    /// The stable lower-case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Head::Promotional => "promotional",
            Head::Bait => "bait",
        }
    }

    pub(crate) fn slot(self) -> usize {
        self as usize
    }
}

/// The probability each head gives a text.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// Probability that the text is promotional or spam, in `[0, 1]`.
    pub promotional: f32,
    /// Probability that the text is clickbait, in `[0, 1]`.
    pub bait: f32,
}

impl Scores {
    /// The probability for one head.
    pub fn get(&self, head: Head) -> f32 {
        match head {
            Head::Promotional => self.promotional,
            Head::Bait => self.bait,
        }
    }
}

/// An n-gram that pushed a head's score up, with where it is in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct NgramHit {
    /// The head it pushed.
    pub head: Head,
    /// Byte range of the n-gram in the checked text.
    pub span: Range<usize>,
    /// The n-gram as written in the checked text.
    pub text: String,
    /// Its contribution to the head's log-odds.
    pub weight: f32,
}

/// A trained model: a hashed weight table and a bias per head.
#[derive(Clone, PartialEq)]
pub struct Model {
    /// Quantised weights of both heads, interleaved so one feature costs one memory access; kept as
    /// `i16` in memory too, so the whole table (1 MiB) stays in a core's cache.
    weights: Vec<[i16; HEADS]>,
    bias: [f32; HEADS],
    /// Quantisation step per head: a weight is its `i16` times the step.
    step: [f32; HEADS],
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("bits", &BITS)
            .field("bias", &self.bias)
            .finish_non_exhaustive()
    }
}

impl Model {
    /// The model shipped inside the binary, decoded once.
    ///
    /// # Panics
    ///
    /// Only if the embedded file is corrupt, which a unit test rules out for every build.
    pub fn embedded() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| match Model::from_bytes(EMBEDDED) {
            Ok(model) => model,
            Err(error) => panic!("the embedded check model is corrupt ({error}); retrain it"),
        })
    }

    /// The bytes of the shipped model file.
    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED
    }

    /// Builds a model from trained weights, quantising them exactly as the file stores them, so a
    /// model scores the same before and after a round trip through [`Model::to_bytes`].
    pub(crate) fn from_trained(weights: [Vec<f32>; HEADS], bias: [f32; HEADS]) -> Model {
        let len = 1usize << BITS;
        let mut step = [1.0f32; HEADS];
        for (h, w) in weights.iter().enumerate() {
            let max = w.iter().fold(0.0f32, |m, x| m.max(x.abs()));
            if max > 0.0 {
                step[h] = max / f32::from(i16::MAX);
            }
        }
        let mut table = vec![[0i16; HEADS]; len];
        for (i, slot) in table.iter_mut().enumerate() {
            for h in 0..HEADS {
                let w = weights[h].get(i).copied().unwrap_or(0.0);
                // `as` saturates, and the step makes the largest weight exactly i16::MAX.
                slot[h] = (w / step[h]).round() as i16;
            }
        }
        Model { weights: table, bias, step }
    }

    /// Decodes a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, Error> {
        let bad = |why: &str| Error::Model(why.to_owned());
        if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
            return Err(bad("missing the RCHK header"));
        }
        if u16::from_le_bytes([bytes[4], bytes[5]]) != VERSION {
            return Err(bad("unsupported version"));
        }
        if u32::from(bytes[6]) != BITS || usize::from(bytes[7]) != HEADS {
            return Err(bad("unexpected table size or head count"));
        }
        let len = 1usize << BITS;
        if bytes.len() != HEADER_LEN + len * HEADS * 2 {
            return Err(bad("wrong length"));
        }
        let f32_at = |at: usize| {
            f32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let mut bias = [0.0; HEADS];
        let mut step = [0.0; HEADS];
        for h in 0..HEADS {
            bias[h] = f32_at(8 + h * 8);
            step[h] = f32_at(12 + h * 8);
        }
        if !bias.iter().chain(&step).all(|x| x.is_finite()) {
            return Err(bad("non-finite bias or step"));
        }
        let weights = bytes[HEADER_LEN..]
            .chunks_exact(2 * HEADS)
            .map(|pair| std::array::from_fn(|h| i16::from_le_bytes([pair[2 * h], pair[2 * h + 1]])))
            .collect();
        Ok(Model { weights, bias, step })
    }

    /// Encodes the model file: a header, then `i16` weights interleaved by head, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.weights.len() * HEADS * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(BITS as u8);
        out.push(HEADS as u8);
        for h in 0..HEADS {
            out.extend_from_slice(&self.bias[h].to_le_bytes());
            out.extend_from_slice(&self.step[h].to_le_bytes());
        }
        for slot in &self.weights {
            for weight in slot {
                out.extend_from_slice(&weight.to_le_bytes());
            }
        }
        out
    }

    /// Scores a text with both heads.
    pub fn scores(&self, text: &str) -> Scores {
        with_normalized(text, |norm| self.margins(norm, |_, _| {}).0)
    }

    /// Scores a text and returns up to `top` n-grams that pushed the heads up the most, strongest first.
    pub fn explain(&self, text: &str, top: usize) -> (Scores, Vec<NgramHit>) {
        with_normalized(text, |norm| {
            let mut best: [Vec<(f32, Feature)>; HEADS] =
                std::array::from_fn(|_| Vec::with_capacity(norm.len() * 2));
            let (scores, squares) = self.margins(norm, |feature, contribution| {
                for h in 0..HEADS {
                    if contribution[h] > 0.0 {
                        best[h].push((contribution[h], feature));
                    }
                }
            });
            let scale = squares.map(feature_scale);
            let best = best.map(strongest);
            let mut chosen: Vec<(Head, Range<usize>, f32)> = Vec::with_capacity(2 * top);
            for head in Head::ALL {
                let mut shown = 0;
                for &(weight, feature) in &best[head.slot()] {
                    let span = trim_span(text, norm.span(feature.first, feature.end));
                    let overlaps = chosen
                        .iter()
                        .any(|(h, s, _)| *h == head && s.start < span.end && span.start < s.end);
                    // One- and two-letter fragments ("a", "is") explain nothing to a reader.
                    let short =
                        text[span.clone()].chars().filter(|c| !c.is_whitespace()).count() < 3;
                    if short || overlaps || shown >= top {
                        continue;
                    }
                    shown += 1;
                    let weight = weight * self.step[head.slot()] * scale[feature.family];
                    chosen.push((head, span, weight));
                }
            }
            chosen.sort_by(|a, b| b.2.total_cmp(&a.2));
            chosen.truncate(top);
            // Strings are made only for the n-grams shown.
            let hits = chosen
                .into_iter()
                .map(|(head, span, weight)| NgramHit {
                    head,
                    text: text[span.clone()].to_owned(),
                    span,
                    weight,
                })
                .collect();
            (scores, hits)
        })
    }

    /// Computes both heads' probabilities, telling `visit` each feature's raw contribution (in
    /// quantisation steps, before normalisation).
    /// Also returns each family's squared count-vector length.
    #[inline]
    fn margins(
        &self,
        norm: &mut Normalized,
        mut visit: impl FnMut(Feature, [f32; HEADS]),
    ) -> (Scores, [u64; FAMILIES]) {
        let mut sum = [[0.0f32; FAMILIES]; HEADS];
        let squares = norm.for_each_feature(|feature| {
            let w = self.weights[feature.index as usize];
            let contribution = [f32::from(w[0]) * feature.sign, f32::from(w[1]) * feature.sign];
            sum[0][feature.family] += contribution[0];
            sum[1][feature.family] += contribution[1];
            visit(feature, contribution);
        });
        let mut z = self.bias;
        for (h, z) in z.iter_mut().enumerate() {
            for family in 0..FAMILIES {
                *z += sum[h][family] * self.step[h] * feature_scale(squares[family]);
            }
        }
        (Scores { promotional: sigmoid(z[0]), bait: sigmoid(z[1]) }, squares)
    }
}

/// Candidates kept per head for explanations: twice the n-grams shown, since overlapping ones
/// are dropped.
const CANDIDATES: usize = 16;

/// The [`CANDIDATES`] strongest contributions, strongest first. Selecting after the scan is
/// cheaper than keeping a running top list, which most contributions would briefly enter.
fn strongest(mut all: Vec<(f32, Feature)>) -> Vec<(f32, Feature)> {
    let by_strength = |a: &(f32, Feature), b: &(f32, Feature)| b.0.total_cmp(&a.0);
    if all.len() > CANDIDATES {
        all.select_nth_unstable_by(CANDIDATES - 1, by_strength);
        all.truncate(CANDIDATES);
    }
    all.sort_unstable_by(by_strength);
    all
}

/// Narrows a byte range of `text` to exclude leading and trailing whitespace.
fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let slice = &text[span.clone()];
    let start = span.start + (slice.len() - slice.trim_start().len());
    let end = span.end - (slice.len() - slice.trim_end().len());
    start..end.max(start)
}

/// The value of one feature occurrence in a family whose count vector has squared length
/// `squares`: n-gram counts scaled so each family's part of a text's vector has unit length, which
/// keeps long, short and repetitive texts on the same footing.
#[inline]
pub(crate) fn feature_scale(squares: u64) -> f32 {
    if squares == 0 { 0.0 } else { 1.0 / (squares as f64).sqrt() as f32 }
}

#[inline]
pub(crate) fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads_and_round_trips() {
        let model = Model::from_bytes(Model::embedded_bytes()).unwrap();
        assert_eq!(model.to_bytes(), Model::embedded_bytes());
        assert!(Model::embedded_bytes().len() < 2 * 1024 * 1024);
    }

    #[test]
    fn embedded_model_separates_obvious_cases() {
        let model = Model::embedded();
        let spam = model.scores("Check out my channel and subscribe!! http://bit.ly/xyz");
        let ham = model.scores("Thanks for the lovely dinner yesterday, see you on Sunday");
        assert!(spam.promotional > 0.5, "{spam:?}");
        assert!(ham.promotional < 0.5, "{ham:?}");
        let bait = model.scores("You Won't Believe What This Dog Did Next");
        assert!(bait.bait > 0.5, "{bait:?}");
    }

    #[test]
    fn explanations_point_at_the_text() {
        let text = "Subscribe to my channel for free iPhone giveaway";
        let (_, hits) = Model::embedded().explain(text, 5);
        assert!(!hits.is_empty());
        for hit in &hits {
            assert_eq!(&text[hit.span.clone()], hit.text);
            assert!(hit.weight > 0.0);
        }
    }

    #[test]
    fn corrupt_files_are_rejected() {
        assert!(Model::from_bytes(b"").is_err());
        assert!(Model::from_bytes(b"RCHK\x01\x00\x12\x02").is_err());
        let mut bytes = Model::embedded_bytes().to_vec();
        bytes.pop();
        assert!(Model::from_bytes(&bytes).is_err());
    }
}
