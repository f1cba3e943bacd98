//! How one feature occurrence is weighed, the same way in training and in scoring: sublinear term
//! frequency and an inverse document frequency quantised to what the model file stores.
//!
//! A text's vector in each feature family is `(1 + ln count) * idf` per feature, scaled to unit
//! length, as scikit-learn's `TfidfVectorizer(sublinear_tf=True)` computes it. Sublinear counts keep
//! a word said five times from weighing five times as much, and measuring the length after the idf
//! weighting lets a text's rare, telling n-grams count for more than its common ones.

/// The idf is stored as an integer in units of `1 / IDF_SCALE`.
const IDF_SCALE: f32 = 1024.0;

/// What the `count`-th occurrence of a feature in a text adds to its sublinear term frequency
/// `1 + ln count`, and to that frequency squared.
#[inline]
pub(crate) fn tf_step(count: u32) -> (f32, f32) {
    if count <= 1 {
        return (1.0, 1.0);
    }
    let now = 1.0 + (count as f32).ln();
    let before = 1.0 + ((count - 1) as f32).ln();
    (now - before, now * now - before * before)
}

/// The stored code of an idf: 0 marks a feature the model ignores (seen in too few training texts).
pub(crate) fn idf_code(idf: Option<f64>) -> i16 {
    // `as` saturates; idf values stay below 32 for any corpus under e^31 texts.
    idf.map_or(0, |idf| ((idf * f64::from(IDF_SCALE)).round() as i16).max(1))
}

/// The idf a stored code stands for.
#[inline]
pub(crate) fn idf_value(code: i16) -> f32 {
    f32::from(code) / IDF_SCALE
}

/// One over the length of a family's vector, given its squared length.
#[inline]
pub(crate) fn inverse_length(squared: f32) -> f32 {
    if squared > 0.0 { 1.0 / squared.sqrt() } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_add_up_to_sublinear_counts() {
        for count in [1u32, 2, 3, 10, 1000] {
            let (tf, square) =
                (1..=count).map(tf_step).fold((0.0f32, 0.0f32), |a, s| (a.0 + s.0, a.1 + s.1));
            let expected = 1.0 + (count as f32).ln();
            assert!((tf - expected).abs() < 1e-4, "{count}: {tf} vs {expected}");
            assert!((square - expected * expected).abs() < 1e-3, "{count}");
        }
    }

    #[test]
    fn idf_codes_round_trip_and_mark_ignored_features() {
        assert_eq!(idf_code(None), 0);
        assert_eq!(idf_value(0), 0.0);
        let code = idf_code(Some(3.25));
        assert!((idf_value(code) - 3.25).abs() < 1e-3);
        assert!(idf_code(Some(1e-9)) >= 1);
    }
}
