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
use crate::explain::{Seen, phrases};
use crate::text::{BITS, FAMILIES, Feature, Normalized, finish, mix, with_normalized};
use crate::weighting::{idf_value, inverse_length, tf_step};

/// The shipped weights, trained by [`crate::train::train_from_data`] on the public data.
static EMBEDDED: &[u8] = include_bytes!("../model/check-model.bin");

const MAGIC: &[u8; 4] = b"RCHK";
const VERSION: u16 = 2;
const HEADER_LEN: usize = 8 + HEADS * 8;

/// Number of heads in a model.
pub(crate) const HEADS: usize = 2;
/// Values per table slot: each head's weight, then the feature's idf code.
const SLOT: usize = HEADS + 1;

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

/// A phrase of the text that pushed a head's score up, with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct NgramHit {
    /// The head it pushed.
    pub head: Head,
    /// Byte range of the n-gram in the checked text.
    pub span: Range<usize>,
    /// The phrase as written in the checked text.
    pub text: String,
    /// What its n-grams added to the head's log-odds.
    pub weight: f32,
}

/// A trained model: a hashed weight table and a bias per head.
#[derive(Clone, PartialEq)]
pub struct Model {
    /// Quantised weights of both heads and the feature's idf code, interleaved so one feature costs
    /// one memory access; kept as `i16` in memory too, so the whole table (1.5 MiB) stays close to
    /// the core.
    weights: Vec<[i16; SLOT]>,
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

    /// A hash of the shipped model file, computed once: results kept between runs carry it, so a
    /// retrained model never reads what an older one computed.
    pub fn embedded_id() -> u64 {
        static ID: OnceLock<u64> = OnceLock::new();
        *ID.get_or_init(|| {
            let hash = EMBEDDED.chunks(4).fold(0u64, |h, w| {
                mix(h, w.iter().rev().fold(0u32, |x, &b| (x << 8) | u32::from(b)))
            });
            finish(hash ^ EMBEDDED.len() as u64)
        })
    }

    /// Builds a model from trained weights and the idf codes of the features, quantising the
    /// weights exactly as the file stores them, so a model scores the same before and after a round
    /// trip through [`Model::to_bytes`].
    pub(crate) fn from_trained(
        weights: [Vec<f32>; HEADS],
        bias: [f32; HEADS],
        idf: &[i16],
    ) -> Model {
        let len = 1usize << BITS;
        let mut step = [1.0f32; HEADS];
        for (h, w) in weights.iter().enumerate() {
            let max = w.iter().fold(0.0f32, |m, x| m.max(x.abs()));
            if max > 0.0 {
                step[h] = max / f32::from(i16::MAX);
            }
        }
        let mut table = vec![[0i16; SLOT]; len];
        for (i, slot) in table.iter_mut().enumerate() {
            for h in 0..HEADS {
                let w = weights[h].get(i).copied().unwrap_or(0.0);
                // `as` saturates, and the step makes the largest weight exactly i16::MAX.
                slot[h] = (w / step[h]).round() as i16;
            }
            slot[HEADS] = idf.get(i).copied().unwrap_or(0);
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
        if bytes.len() != HEADER_LEN + len * SLOT * 2 {
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
        let weights: Vec<[i16; SLOT]> = bytes[HEADER_LEN..]
            .chunks_exact(2 * SLOT)
            .map(|pair| std::array::from_fn(|h| i16::from_le_bytes([pair[2 * h], pair[2 * h + 1]])))
            .collect();
        if weights.iter().any(|slot| slot[HEADS] < 0) {
            return Err(bad("negative idf code"));
        }
        Ok(Model { weights, bias, step })
    }

    /// Encodes the model file: a header, then per hashed feature each head's `i16` weight and the
    /// feature's `i16` idf code, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.weights.len() * SLOT * 2);
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

    /// Scores a text and returns up to `top` phrases of it that pushed the heads up the most,
    /// strongest first, each shown once (see [`crate::explain`]).
    pub fn explain(&self, text: &str, top: usize) -> (Scores, Vec<NgramHit>) {
        with_normalized(text, |norm| {
            let mut seen: Vec<(Seen, usize)> = Vec::with_capacity(norm.len() * 5);
            let (scores, scale) = self.margins(norm, |feature, contribution| {
                let seen_now = Seen { first: feature.first, end: feature.end, contribution };
                seen.push((seen_now, feature.family));
            });
            let seen: Vec<Seen> = seen
                .into_iter()
                .map(|(mut s, family)| {
                    for h in 0..HEADS {
                        s.contribution[h] *= self.step[h] * scale[family];
                    }
                    s
                })
                .collect();
            (scores, phrases(text, norm, &seen, top))
        })
    }

    /// Computes both heads' probabilities, telling `visit` each feature occurrence's raw
    /// contribution (in quantisation steps, before the family's length is known).
    /// Also returns each family's inverse length, which turns raw contributions into log-odds.
    #[inline]
    fn margins(
        &self,
        norm: &mut Normalized,
        mut visit: impl FnMut(Feature, [f32; HEADS]),
    ) -> (Scores, [f32; FAMILIES]) {
        let mut sum = [[0.0f32; FAMILIES]; HEADS];
        let mut squared = [0.0f32; FAMILIES];
        norm.for_each_feature(|feature| {
            let slot = self.weights[feature.index as usize];
            let (tf, tf_squared) = tf_step(feature.count);
            let idf = idf_value(slot[HEADS]);
            squared[feature.family] += idf * idf * tf_squared;
            let value = feature.sign * tf;
            let contribution = [f32::from(slot[0]) * value, f32::from(slot[1]) * value];
            sum[0][feature.family] += contribution[0];
            sum[1][feature.family] += contribution[1];
            visit(feature, contribution);
        });
        let scale = squared.map(inverse_length);
        let mut z = self.bias;
        for (h, z) in z.iter_mut().enumerate() {
            for family in 0..FAMILIES {
                *z += sum[h][family] * self.step[h] * scale[family];
            }
        }
        (Scores { promotional: sigmoid(z[0]), bait: sigmoid(z[1]) }, scale)
    }
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
    fn markup_reads_as_the_text_it_stands_for() {
        let model = Model::embedded();
        let pairs = [
            ("I&#39;m watching this again<br />so good", "I'm watching this again so good"),
            ("Tom &amp; Jerry <b>forever</b>", "Tom & Jerry forever"),
        ];
        for (html, plain) in pairs {
            assert_eq!(model.scores(html), model.scores(plain), "{html}");
        }
        // Phrases are quoted from the text as given, markup included where it sits inside one.
        let text = "Subscribe to my channel<br />for free giveaways";
        for hit in model.explain(text, 5).1 {
            assert_eq!(&text[hit.span.clone()], hit.text);
            assert!(!hit.text.starts_with('<') && !hit.text.ends_with('>'), "{}", hit.text);
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
