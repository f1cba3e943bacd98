//! Discover's blend as kept state: the weights of the circle's signals, chosen on the network by
//! `calibrate_circle`, kept in the store with the moment and the network's size it was chosen at,
//! and chosen again only when it is older than a week by the data's clock or the network has grown
//! or shrunk by more than a tenth. A live batch of events rarely does either, so bringing the views
//! up to date after one costs no calibration (two thirds of a refresh otherwise); and since both
//! the kept views and the views computed afresh read the same row, the two stay equal.

use rapport_graph::algo::salsa::CircleParams;
use rapport_model::{Network, Timestamp};

use crate::derived::codec::{Reader, Writer};

/// How long, by the data's clock, a blend is kept before it is chosen again.
const MAX_AGE: Timestamp = 7 * 24 * 3600;

/// How far the network's size may move from the size the blend was chosen at, as a fraction of it,
/// before the blend is chosen again.
const MAX_CHANGE: f64 = 0.10;

/// A blend and what it was chosen on.
#[derive(Clone, Debug)]
pub(crate) struct KeptBlend {
    /// The data's moment it was chosen at.
    pub(crate) chosen_at: Timestamp,
    /// The network's size then: its interactions up to that moment (see [`network_size`]).
    pub(crate) size: u64,
    pub(crate) circle: CircleParams,
}

impl KeptBlend {
    /// True when the blend may be used for the network at `at` with `size` interactions: chosen no
    /// later than `at` (a view of the past never reads a choice made on its future), at most a week
    /// before, on a network within a tenth of this size.
    pub(crate) fn is_current(&self, at: Timestamp, size: u64) -> bool {
        let changed = size.abs_diff(self.size) as f64;
        (self.chosen_at..=self.chosen_at.saturating_add(MAX_AGE)).contains(&at)
            && changed <= MAX_CHANGE * self.size as f64
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.i64(self.chosen_at);
        w.i64(i64::try_from(self.size).unwrap_or(i64::MAX));
        for weight in [
            self.circle.ppr_blend,
            self.circle.adamic_adar_blend,
            self.circle.resource_allocation_blend,
            self.circle.three_step_blend,
            self.circle.local_path_blend,
        ] {
            w.f64(weight);
        }
        w.into_bytes()
    }

    /// The blend a row holds, on top of the default parameters; `None` for a row of another layout.
    pub(crate) fn decode(bytes: &[u8]) -> Option<KeptBlend> {
        let mut r = Reader::new(bytes);
        let chosen_at = r.i64()?;
        let size = u64::try_from(r.i64()?).ok()?;
        let circle = CircleParams {
            ppr_blend: r.f64()?,
            adamic_adar_blend: r.f64()?,
            resource_allocation_blend: r.f64()?,
            three_step_blend: r.f64()?,
            local_path_blend: r.f64()?,
            ..CircleParams::default()
        };
        r.is_empty().then_some(KeptBlend { chosen_at, size, circle })
    }
}

/// The key of the blend kept for discover on `network` (all networks when `None`), for the build
/// that computes it (see `derived::build_id`): the blend is a property of the network, so every
/// account's view of it reads the same row.
pub(crate) fn key(network: Option<Network>, build: &str) -> String {
    format!("discover-blend/{}#{build}", network.map_or("all", Network::as_str))
}

/// The network's size at `at`: how many of `events` (their times) happened by then, undated ones
/// included, as the graph the blend is chosen on counts them.
pub(crate) fn network_size(times: impl Iterator<Item = Option<Timestamp>>, at: Timestamp) -> u64 {
    times.filter(|t| t.is_none_or(|t| t <= at)).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blend(chosen_at: Timestamp, size: u64) -> KeptBlend {
        let circle =
            CircleParams { ppr_blend: 0.25, local_path_blend: 0.5, ..CircleParams::default() };
        KeptBlend { chosen_at, size, circle }
    }

    #[test]
    fn a_blend_is_kept_for_a_week_of_the_data_and_a_tenth_of_the_network() {
        let kept = blend(1_000_000, 1_000);
        assert!(kept.is_current(1_000_000, 1_000));
        assert!(kept.is_current(1_000_000 + MAX_AGE, 1_100), "a week and a tenth, to the second");
        assert!(kept.is_current(1_000_500, 900));
        assert!(!kept.is_current(1_000_001 + MAX_AGE, 1_000), "older than a week");
        assert!(!kept.is_current(1_000_000, 1_101), "grown by more than a tenth");
        assert!(!kept.is_current(1_000_000, 899), "shrunk by more than a tenth");
        assert!(!kept.is_current(999_999, 1_000), "a view of a moment before it was chosen");
    }

    #[test]
    fn a_kept_blend_reads_back_and_a_damaged_row_does_not() {
        let kept = blend(1_700_000_000, 334_000);
        let body = kept.encode();
        let back = KeptBlend::decode(&body).unwrap();
        assert_eq!(
            (back.chosen_at, back.size, back.encode()),
            (kept.chosen_at, kept.size, body.clone())
        );
        assert_eq!(back.circle.ppr_blend, 0.25);
        assert!(KeptBlend::decode(&body[..body.len() - 1]).is_none());
        assert!(KeptBlend::decode(&[body.clone(), vec![0]].concat()).is_none());
    }

    #[test]
    fn the_size_counts_what_happened_by_the_moment() {
        let times = [Some(10), None, Some(20), Some(30)];
        assert_eq!(network_size(times.into_iter(), 20), 3);
        assert_eq!(network_size(times.into_iter(), 5), 1);
    }
}
