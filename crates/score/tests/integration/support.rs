//! Shared helpers: building events tersely and seeded randomness.

use rapport_model::InteractionKind;
use rapport_model::time::DAY;
use rapport_score::Event;

/// A dated event `days` days after the epoch used by the tests.
pub(crate) fn ev(source: u32, target: u32, kind: InteractionKind, days: i64) -> Event {
    Event::new(source, target, kind, T0 + days * DAY)
}

/// An undated event.
pub(crate) fn undated(source: u32, target: u32, kind: InteractionKind) -> Event {
    Event { source, target, kind, at: None }
}

/// The tests' reference time: 2024-01-01.
pub(crate) const T0: i64 = 1_704_067_200;

/// A tiny seeded generator (SplitMix64), so synthetic histories are the same on every run.
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform number in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform index below `n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
}
