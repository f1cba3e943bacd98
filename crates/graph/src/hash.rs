//! A small Fx-style hasher for u32 keys in per-query sparse maps, also used by the distributed
//! jobs (crates/dist) for their per-worker id tables.
//!
//! Personalized PageRank and SALSA touch a few thousand nodes per query, so their vectors are
//! hash maps; SipHash would dominate the query time, and a multiply-rotate hash is enough for
//! integer keys that are not attacker-chosen.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The Firefox/rustc multiply-rotate hasher.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hash map keyed by node ids.
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
