//! Parallel CSR construction: count row lengths, scatter arcs with atomic cursors, then sort and
//! merge each row in balanced parallel blocks.
//!
//! Atomics make the scatter safe without `unsafe`; the per-row sort afterwards makes the result
//! independent of the order in which threads wrote, so a build is deterministic.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::csr::BuildOptions;
use crate::parallel::{balanced_ranges, block_count, split_rows_mut};

/// Which rows an edge `[a, b]` lands in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Orientation {
    /// Row `a` gets `b`.
    Forward,
    /// Row `b` gets `a`.
    Reverse,
    /// Both (an undirected edge).
    Both,
}

fn for_each_arc(e: [u32; 2], orient: Orientation, keep_loops: bool, mut f: impl FnMut(u32, u32)) {
    let [a, b] = e;
    if a == b && !keep_loops {
        return;
    }
    match orient {
        Orientation::Forward => f(a, b),
        Orientation::Reverse => f(b, a),
        Orientation::Both => {
            f(a, b);
            if a != b {
                f(b, a);
            }
        }
    }
}

/// One direction of adjacency as built, with full `f32` weights (merged parallel edges sum
/// theirs); [`crate::Adjacency`] stores the weights compactly, Leiden keeps them as they are.
pub(crate) struct Built {
    pub(crate) offsets: Vec<u64>,
    pub(crate) targets: Vec<u32>,
    pub(crate) weights: Option<Vec<f32>>,
}

pub(crate) fn build_adjacency(
    n: usize,
    edges: &[[u32; 2]],
    weights: Option<&[f32]>,
    orient: Orientation,
    options: &BuildOptions,
    keep_loops: bool,
) -> Built {
    // Rows are cut into contiguous buckets. Arcs are first partitioned by bucket, each input
    // chunk writing into its own reserved run of every bucket; then each bucket is counting-sorted
    // into its own slice of the output. No two threads ever write the same cache line (except at
    // run boundaries), which matters on skewed graphs: scattering straight into rows made every
    // thread fight over the rows of the few hubs.
    let buckets = (block_count() * 4).min(n.max(1));
    let rows_per_bucket = n.div_ceil(buckets).max(1);
    let chunk = edges.len().div_ceil(block_count()).max(1);
    let counts: Vec<Vec<u64>> = edges
        .par_chunks(chunk)
        .map(|part| {
            let mut local = vec![0u64; buckets];
            for &e in part {
                for_each_arc(e, orient, keep_loops, |row, _| {
                    local[row as usize / rows_per_bucket] += 1
                });
            }
            local
        })
        .collect();
    let mut bucket_starts = vec![0u64; buckets + 1];
    for b in 0..buckets {
        bucket_starts[b + 1] = bucket_starts[b] + counts.iter().map(|c| c[b]).sum::<u64>();
    }
    let total = bucket_starts[buckets];
    let mut runs: Vec<Vec<u64>> = Vec::with_capacity(counts.len());
    let mut cursor = bucket_starts[..buckets].to_vec();
    for local in &counts {
        runs.push(cursor.clone());
        for (c, add) in cursor.iter_mut().zip(local) {
            *c += add;
        }
    }
    let arcs: Vec<AtomicU64> = (0..total).map(|_| AtomicU64::new(0)).collect();
    let arc_weights: Option<Vec<AtomicU32>> =
        weights.map(|_| (0..total).map(|_| AtomicU32::new(0)).collect());
    edges.par_chunks(chunk).zip(runs).enumerate().for_each(|(i, (part, mut run))| {
        for (j, &e) in part.iter().enumerate() {
            for_each_arc(e, orient, keep_loops, |row, col| {
                let slot = &mut run[row as usize / rows_per_bucket];
                let at = *slot as usize;
                *slot += 1;
                arcs[at].store((u64::from(row) << 32) | u64::from(col), Ordering::Relaxed);
                if let (Some(ws), Some(w)) = (&arc_weights, weights) {
                    ws[at].store(w[i * chunk + j].to_bits(), Ordering::Relaxed);
                }
            });
        }
    });
    let arcs: Vec<u64> = arcs.into_iter().map(AtomicU64::into_inner).collect();
    let arc_weights: Option<Vec<f32>> =
        arc_weights.map(|ws| ws.into_iter().map(|w| f32::from_bits(w.into_inner())).collect());

    // Counting sort inside each bucket, into the bucket's own slices of the output.
    let mut offsets = vec![0u64; n + 1];
    let mut targets = vec![0u32; total as usize];
    let mut out_weights: Option<Vec<f32>> = weights.map(|_| vec![0.0; total as usize]);
    {
        let bucket_rows: Vec<std::ops::Range<usize>> = (0..buckets)
            .map(|b| (b * rows_per_bucket).min(n)..((b + 1) * rows_per_bucket).min(n))
            .collect();
        let mut offset_parts = Vec::with_capacity(buckets);
        let mut rest = &mut offsets[1..];
        for r in &bucket_rows {
            let (head, tail) = rest.split_at_mut(r.len());
            offset_parts.push(head);
            rest = tail;
        }
        let bucket_ranges: Vec<std::ops::Range<usize>> = (0..buckets).map(|b| b..b + 1).collect();
        let target_parts = split_rows_mut(&mut targets, &bucket_starts, &bucket_ranges);
        let weight_parts: Vec<Option<&mut [f32]>> = match out_weights.as_mut() {
            Some(w) => {
                split_rows_mut(w, &bucket_starts, &bucket_ranges).into_iter().map(Some).collect()
            }
            None => (0..buckets).map(|_| None).collect(),
        };
        offset_parts.into_par_iter().zip(target_parts).zip(weight_parts).enumerate().for_each(
            |(b, ((row_ends, out), mut out_w))| {
                let base = bucket_rows[b].start;
                let lo = bucket_starts[b] as usize;
                let slice = &arcs[lo..bucket_starts[b + 1] as usize];
                for &a in slice {
                    row_ends[(a >> 32) as usize - base] += 1;
                }
                let mut sum = 0u64;
                let mut cursor = Vec::with_capacity(row_ends.len());
                for end in row_ends.iter_mut() {
                    cursor.push(sum);
                    sum += *end;
                    *end = sum + lo as u64;
                }
                for (k, &a) in slice.iter().enumerate() {
                    let r = (a >> 32) as usize - base;
                    let at = cursor[r] as usize;
                    cursor[r] += 1;
                    out[at] = a as u32;
                    if let (Some(ow), Some(aw)) = (out_w.as_deref_mut(), &arc_weights) {
                        ow[at] = aw[lo + k];
                    }
                }
            },
        );
    }
    drop(arcs);
    let lengths = sort_rows(&offsets, &mut targets, out_weights.as_deref_mut(), options.dedup);
    if options.dedup {
        compact(&mut offsets, &mut targets, out_weights.as_mut(), &lengths);
    }
    Built { offsets, targets, weights: out_weights }
}

/// Sorts every row by target and, when `dedup`, merges equal targets in place (summing
/// weights). Returns the new length of each row.
fn sort_rows(
    offsets: &[u64],
    targets: &mut [u32],
    weights: Option<&mut [f32]>,
    dedup: bool,
) -> Vec<u32> {
    let ranges = balanced_ranges(offsets, block_count());
    let target_blocks = split_rows_mut(targets, offsets, &ranges);
    let weight_blocks: Vec<Option<&mut [f32]>> = match weights {
        Some(w) => split_rows_mut(w, offsets, &ranges).into_iter().map(Some).collect(),
        None => ranges.iter().map(|_| None).collect(),
    };
    let per_block: Vec<Vec<u32>> = ranges
        .par_iter()
        .zip(target_blocks)
        .zip(weight_blocks)
        .map(|((range, ts), mut ws)| {
            let base = offsets[range.start];
            let mut packed = Vec::new();
            range
                .clone()
                .map(|u| {
                    let lo = (offsets[u] - base) as usize;
                    let hi = (offsets[u + 1] - base) as usize;
                    match ws.as_deref_mut() {
                        Some(ws) => {
                            sort_weighted_row(&mut ts[lo..hi], &mut ws[lo..hi], &mut packed, dedup)
                        }
                        None => sort_row(&mut ts[lo..hi], dedup),
                    }
                })
                .collect()
        })
        .collect();
    per_block.concat()
}

fn sort_row(row: &mut [u32], dedup: bool) -> u32 {
    row.sort_unstable();
    if !dedup || row.is_empty() {
        return row.len() as u32;
    }
    let mut len = 1;
    for i in 1..row.len() {
        if row[i] != row[len - 1] {
            row[len] = row[i];
            len += 1;
        }
    }
    len as u32
}

/// Sorts a weighted row by packing `(target, weight bits)` into one u64 per arc.
fn sort_weighted_row(row: &mut [u32], ws: &mut [f32], packed: &mut Vec<u64>, dedup: bool) -> u32 {
    packed.clear();
    packed.extend(
        row.iter().zip(ws.iter()).map(|(&t, &w)| (u64::from(t) << 32) | u64::from(w.to_bits())),
    );
    packed.sort_unstable();
    let mut len = 0usize;
    for &p in packed.iter() {
        let (t, w) = ((p >> 32) as u32, f32::from_bits(p as u32));
        if dedup && len > 0 && row[len - 1] == t {
            ws[len - 1] += w;
        } else {
            row[len] = t;
            ws[len] = w;
            len += 1;
        }
    }
    len as u32
}

/// Moves each row to its deduplicated place; rows only ever move left, so one pass suffices.
fn compact(
    offsets: &mut [u64],
    targets: &mut Vec<u32>,
    mut weights: Option<&mut Vec<f32>>,
    lengths: &[u32],
) {
    let mut write = 0usize;
    for (u, &len) in lengths.iter().enumerate() {
        let start = offsets[u] as usize;
        let len = len as usize;
        targets.copy_within(start..start + len, write);
        if let Some(w) = weights.as_deref_mut() {
            w.copy_within(start..start + len, write);
        }
        offsets[u] = write as u64;
        write += len;
    }
    offsets[lengths.len()] = write as u64;
    targets.truncate(write);
    targets.shrink_to_fit();
    if let Some(w) = weights {
        w.truncate(write);
        w.shrink_to_fit();
    }
}
