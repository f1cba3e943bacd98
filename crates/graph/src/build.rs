//! Parallel CSR construction: count row lengths, scatter arcs with atomic cursors, then sort and
//! merge each row in balanced parallel blocks.
//!
//! Atomics make the scatter safe without `unsafe`; the per-row sort afterwards makes the result
//! independent of the order in which threads wrote, so a build is deterministic.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::csr::{Adjacency, BuildOptions};
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

pub(crate) fn build_adjacency(
    n: usize,
    edges: &[[u32; 2]],
    weights: Option<&[f32]>,
    orient: Orientation,
    options: &BuildOptions,
    keep_loops: bool,
) -> Adjacency {
    let counts: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(0)).collect();
    edges.par_iter().for_each(|&e| {
        for_each_arc(e, orient, keep_loops, |row, _| {
            counts[row as usize].fetch_add(1, Ordering::Relaxed);
        });
    });
    let mut offsets = Vec::with_capacity(n + 1);
    let mut total = 0u64;
    offsets.push(0);
    for c in &counts {
        total += u64::from(c.load(Ordering::Relaxed));
        offsets.push(total);
    }
    drop(counts);

    let cursors: Vec<AtomicU64> = offsets[..n].iter().map(|&o| AtomicU64::new(o)).collect();
    let slots: Vec<AtomicU32> = (0..total).map(|_| AtomicU32::new(0)).collect();
    let weight_slots: Option<Vec<AtomicU32>> =
        weights.map(|_| (0..total).map(|_| AtomicU32::new(0)).collect());
    edges.par_iter().enumerate().for_each(|(i, &e)| {
        for_each_arc(e, orient, keep_loops, |row, col| {
            let at = cursors[row as usize].fetch_add(1, Ordering::Relaxed) as usize;
            slots[at].store(col, Ordering::Relaxed);
            if let (Some(ws), Some(w)) = (&weight_slots, weights) {
                ws[at].store(w[i].to_bits(), Ordering::Relaxed);
            }
        });
    });
    drop(cursors);
    let mut targets: Vec<u32> = slots.into_iter().map(AtomicU32::into_inner).collect();
    let mut weights: Option<Vec<f32>> = weight_slots
        .map(|ws| ws.into_iter().map(|w| f32::from_bits(w.into_inner())).collect());

    let lengths = sort_rows(&offsets, &mut targets, weights.as_deref_mut(), options.dedup);
    if options.dedup {
        compact(&mut offsets, &mut targets, weights.as_mut(), &lengths);
    }
    Adjacency { offsets, targets, weights }
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
                        Some(ws) => sort_weighted_row(&mut ts[lo..hi], &mut ws[lo..hi], &mut packed, dedup),
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
    packed.extend(row.iter().zip(ws.iter()).map(|(&t, &w)| (u64::from(t) << 32) | u64::from(w.to_bits())));
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
fn compact(offsets: &mut [u64], targets: &mut Vec<u32>, mut weights: Option<&mut Vec<f32>>, lengths: &[u32]) {
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
