//! Agreement between detected communities and ground truth: NMI for partitions, overlapping
//! NMI for covers (McDaid, Greene and Hurley, 2011, the `max` normalisation) and the best-match
//! F1 average of Yang and Leskovec (2012).

use crate::hash::FxMap;

fn entropy_term(count: f64, total: f64) -> f64 {
    if count <= 0.0 { 0.0 } else { -count * (count / total).log2() }
}

/// Normalised mutual information of two partitions of the same nodes (arithmetic-mean
/// normalisation, as scikit-learn's default). 1 means identical, 0 independent.
pub fn nmi(a: &[u32], b: &[u32]) -> f64 {
    let n = a.len().min(b.len()) as f64;
    if n == 0.0 {
        return 1.0;
    }
    let mut joint: FxMap<(u32, u32), f64> = FxMap::default();
    let mut ca: FxMap<u32, f64> = FxMap::default();
    let mut cb: FxMap<u32, f64> = FxMap::default();
    for (&x, &y) in a.iter().zip(b) {
        *joint.entry((x, y)).or_insert(0.0) += 1.0;
        *ca.entry(x).or_insert(0.0) += 1.0;
        *cb.entry(y).or_insert(0.0) += 1.0;
    }
    let h = |m: &FxMap<u32, f64>| m.values().map(|&c| entropy_term(c, n)).sum::<f64>() / n;
    let (ha, hb) = (h(&ca), h(&cb));
    let mutual: f64 =
        joint.iter().map(|(&(x, y), &c)| c / n * (c * n / (ca[&x] * cb[&y])).log2()).sum();
    if ha + hb == 0.0 { 1.0 } else { (2.0 * mutual / (ha + hb)).clamp(0.0, 1.0) }
}

/// For each community, the node → communities index of a cover.
fn index(cover: &[Vec<u32>], nodes: usize) -> Vec<Vec<u32>> {
    let mut of = vec![Vec::new(); nodes];
    for (c, members) in cover.iter().enumerate() {
        for &v in members {
            if (v as usize) < nodes {
                of[v as usize].push(c as u32);
            }
        }
    }
    of
}

/// Intersection sizes of each community of `x` with the communities of `y` it meets.
fn overlaps<'a>(
    x: &'a [Vec<u32>],
    y_of: &'a [Vec<u32>],
) -> impl Iterator<Item = FxMap<u32, f64>> + 'a {
    x.iter().map(move |members| {
        let mut meet: FxMap<u32, f64> = FxMap::default();
        for &v in members {
            for &c in y_of.get(v as usize).map_or(&[][..], |v| v) {
                *meet.entry(c).or_insert(0.0) += 1.0;
            }
        }
        meet
    })
}

/// Best-match F1 average: the mean, over detected and over true communities, of each one's best
/// F1 against the other side, averaged. Communities are lists of nodes `< nodes`.
pub fn f1_best_match(detected: &[Vec<u32>], truth: &[Vec<u32>], nodes: usize) -> f64 {
    let side = |x: &[Vec<u32>], y: &[Vec<u32>]| {
        if x.is_empty() {
            return 0.0;
        }
        let y_of = index(y, nodes);
        let total: f64 = overlaps(x, &y_of)
            .zip(x)
            .map(|(meet, members)| {
                meet.iter()
                    .map(|(&c, &common)| {
                        2.0 * common / (members.len() + y[c as usize].len()) as f64
                    })
                    .fold(0.0, f64::max)
            })
            .sum();
        total / x.len() as f64
    };
    (side(detected, truth) + side(truth, detected)) / 2.0
}

/// Overlapping NMI (McDaid et al.'s `NMI_max`) between two covers of `nodes` nodes. Pairs of
/// communities that share no node are never the best match in the LFK criterion for sets small
/// against `nodes`, so only intersecting pairs are examined.
pub fn overlapping_nmi(x: &[Vec<u32>], y: &[Vec<u32>], nodes: usize) -> f64 {
    let n = nodes as f64;
    let h = |w: f64| entropy_term(w, n);
    let set_entropy = |size: f64| h(size) + h(n - size);
    let conditional = |x: &[Vec<u32>], y: &[Vec<u32>]| {
        let y_of = index(y, nodes);
        overlaps(x, &y_of)
            .zip(x)
            .map(|(meet, members)| {
                let sx = members.len() as f64;
                let mut best = set_entropy(sx);
                for (&c, &d) in &meet {
                    let sy = y[c as usize].len() as f64;
                    let (a, b, cc) = (n - sx - sy + d, sy - d, sx - d);
                    if h(a) + h(d) >= h(b) + h(cc) {
                        best = best.min(h(a) + h(b) + h(cc) + h(d) - h(b + d) - h(a + cc));
                    }
                }
                best
            })
            .sum::<f64>()
    };
    let hx: f64 = x.iter().map(|c| set_entropy(c.len() as f64)).sum();
    let hy: f64 = y.iter().map(|c| set_entropy(c.len() as f64)).sum();
    if hx.max(hy) == 0.0 {
        return 1.0;
    }
    let mutual = 0.5 * (hx - conditional(x, y) + hy - conditional(y, x));
    (mutual / hx.max(hy)).clamp(0.0, 1.0)
}
