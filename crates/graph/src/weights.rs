//! Edge weights in one byte per arc: a code into a table of at most 256 `f32` values.
//!
//! Four-byte weights on both directions of a directed graph took as much memory as the targets
//! themselves (16 bytes per edge in all). Real weights are mostly counts or sums of a few kinds
//! of interaction, so a graph rarely holds more than 256 distinct values, and then the table
//! holds them all and every weight is stored exactly. Otherwise the table is 0 plus 255 levels
//! spaced evenly in log scale between the smallest positive weight `lo` and the largest `hi`, and
//! each weight is rounded to the nearest level in log scale: its relative error is at most
//! `(hi / lo)^(1 / 508) - 1` (0.7% for a range of 30, 1.4% for a range of 1,000, 2.8% for a
//! range of a million). Algorithms read the decoded values, so they see one consistent graph.

use rayon::prelude::*;

/// The most distinct values a table holds (one byte per code).
const LEVELS: usize = 256;

/// The weights of one adjacency: one code per arc and the table the codes index.
#[derive(Debug, Clone)]
pub(crate) struct Weights {
    codes: Vec<u8>,
    table: Box<[f32; LEVELS]>,
    exact: bool,
}

impl Weights {
    /// Encodes `values` (finite and non-negative, as [`crate::EdgeList`] guarantees).
    pub(crate) fn encode(values: &[f32]) -> Self {
        let mut table = Box::new([0.0f32; LEVELS]);
        match distinct_values(values) {
            Some(distinct) => {
                table[..distinct.len()].copy_from_slice(&distinct);
                let codes = values
                    .par_iter()
                    .map(|w| {
                        // The value is in the table by construction; the search cannot miss.
                        distinct.partition_point(|d| d.total_cmp(w).is_lt()) as u8
                    })
                    .collect();
                Self { codes, table, exact: true }
            }
            None => {
                let lo =
                    values.par_iter().copied().filter(|&w| w > 0.0).reduce(|| f32::MAX, f32::min);
                let hi = values.par_iter().copied().reduce(|| 0.0, f32::max);
                let (lo, hi) = (f64::from(lo), f64::from(hi));
                let step = (hi / lo).ln() / (LEVELS - 2) as f64;
                for (k, level) in table.iter_mut().enumerate().skip(1) {
                    *level = (lo * (step * (k - 1) as f64).exp()) as f32;
                }
                let codes = values
                    .par_iter()
                    .map(|&w| {
                        if w <= 0.0 {
                            0
                        } else {
                            let k = (f64::from(w) / lo).ln() / step;
                            (k.round().clamp(0.0, (LEVELS - 2) as f64) as u8) + 1
                        }
                    })
                    .collect();
                Self { codes, table, exact: false }
            }
        }
    }

    /// The weights of arcs `range` (one row).
    pub(crate) fn slice(&self, range: std::ops::Range<usize>) -> RowWeights<'_> {
        RowWeights { codes: &self.codes[range], table: &self.table }
    }

    /// The weights of the arcs for which `keep` is true, in order, with the same table.
    pub(crate) fn retain(&self, keep: &[bool]) -> Self {
        let codes = self.codes.iter().zip(keep).filter(|k| *k.1).map(|k| *k.0).collect();
        Self { codes, table: self.table.clone(), exact: self.exact }
    }

    /// Every weight, decoded (for algorithms that build their own arrays from them).
    pub(crate) fn decode(&self) -> Vec<f32> {
        self.codes.par_iter().map(|&c| self.table[c as usize]).collect()
    }

    /// Whether every weight is stored exactly (at most 256 distinct values).
    pub(crate) fn is_exact(&self) -> bool {
        self.exact
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.codes.capacity() + LEVELS * 4
    }
}

/// The sorted distinct values of `values`, or `None` if there are more than [`LEVELS`].
fn distinct_values(values: &[f32]) -> Option<Vec<f32>> {
    let merge = |mut a: Vec<f32>, b: Vec<f32>| {
        a.extend(b);
        a.sort_unstable_by(f32::total_cmp);
        a.dedup_by(|x, y| x.to_bits() == y.to_bits());
        a
    };
    values
        .par_chunks(1 << 16)
        .map(|chunk| {
            let mut seen: Vec<f32> = Vec::new();
            for &w in chunk {
                if seen.len() > LEVELS {
                    break;
                }
                if let Err(at) = seen.binary_search_by(|d| d.total_cmp(&w)) {
                    seen.insert(at, w);
                }
            }
            (seen.len() <= LEVELS).then_some(seen)
        })
        .try_reduce(Vec::new, |a, b| {
            let all = merge(a, b);
            (all.len() <= LEVELS).then_some(all)
        })
}

/// The weights of one row, aligned with its targets.
#[derive(Debug, Clone, Copy)]
pub struct RowWeights<'a> {
    codes: &'a [u8],
    table: &'a [f32; LEVELS],
}

impl<'a> RowWeights<'a> {
    /// The weights in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = f32> + 'a {
        let table = self.table;
        self.codes.iter().map(move |&c| table[c as usize])
    }

    /// The weight of the `i`-th arc of the row.
    pub fn get(&self, i: usize) -> Option<f32> {
        self.codes.get(i).map(|&c| self.table[c as usize])
    }

    /// The number of arcs in the row.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the row is empty.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The sum of the row's weights.
    pub fn sum(&self) -> f64 {
        self.iter().map(f64::from).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(values: &[f32]) -> (Vec<f32>, bool) {
        let w = Weights::encode(values);
        (w.decode(), w.is_exact())
    }

    #[test]
    fn few_distinct_values_are_exact() {
        let values: Vec<f32> = (0..10_000).map(|i| (i % 256) as f32 * 0.37).collect();
        let (decoded, exact) = round_trip(&values);
        assert!(exact);
        assert_eq!(decoded, values);
    }

    #[test]
    fn many_values_stay_within_the_documented_error() {
        let values: Vec<f32> = (0..100_000).map(|i| 1.0 + (i as f32) * 0.01).collect();
        let (decoded, exact) = round_trip(&values);
        assert!(!exact);
        let range = 1000.99f64;
        let bound = range.powf(1.0 / 508.0) - 1.0 + 1e-6;
        for (&w, &d) in values.iter().zip(&decoded) {
            let error = (f64::from(d) / f64::from(w) - 1.0).abs();
            assert!(error <= bound, "{w} decoded as {d}: error {error} > {bound}");
        }
    }

    #[test]
    fn zeros_survive_quantisation() {
        let mut values: Vec<f32> = (1..1000).map(|i| i as f32).collect();
        values.push(0.0);
        let (decoded, exact) = round_trip(&values);
        assert!(!exact);
        assert_eq!(decoded.last(), Some(&0.0));
        assert_eq!(decoded[0], 1.0);
    }

    #[test]
    fn a_row_view_decodes_its_slice() {
        let w = Weights::encode(&[1.0, 2.0, 3.0, 4.0]);
        let row = w.slice(1..3);
        assert_eq!(row.iter().collect::<Vec<_>>(), vec![2.0, 3.0]);
        assert_eq!((row.len(), row.get(1), row.sum()), (2, Some(3.0), 5.0));
    }
}
