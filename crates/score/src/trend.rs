//! Whether a relationship is warming, steady or cooling: a test of whether the pair's contact rate
//! changed over the last 30 or 90 days.

use std::fmt;

use rapport_model::Timestamp;
use rapport_model::time::DAY;

use crate::error::Error;
use crate::event::Tier;
use crate::index::PairEvent;

/// The recent windows, in days, whose contact rate is compared with the rate before them.
pub const TREND_WINDOWS: [i64; 2] = [30, 90];

/// How many days before a recent window the earlier rate is measured over, at most (less when the
/// account's history is shorter).
pub const TREND_BASELINE: i64 = 365;

/// The one-sided p-value a change must reach in at least one comparison.
pub const TREND_SIGNIFICANCE: f64 = 0.01;

/// How many times higher (warming) or lower (cooling) the recent rate must be than the earlier one
/// for a change to matter, whatever its significance.
pub const TREND_MIN_RATIO: f64 = 1.5;

/// The direction a relationship is moving in: is the pair in touch more or less often than before?
///
/// Trend is a test of the change in the pair's contact rate, the quantity strength forecasts from.
/// It is not the difference between strength now and strength 30 or 90 days ago: strength is the
/// probability of contact within 30 days and jumps at every contact, so for a pair in touch every
/// three weeks those snapshots mostly measure where "now" falls between two contacts, and duration
/// grows by itself. A relationship with a constant contact rate would read warming or cooling at
/// random. (The snapshots are still reported, as `strength_30d_ago` and `strength_90d_ago`.)
///
/// The test, with every count taken at or before the as-of time:
/// - A *contact day* is a day (counted back from the as-of time) with at least one dated
///   interaction either way; a burst of messages on one day counts once.
/// - For each window `w` of [`TREND_WINDOWS`] (30 and 90 days), `n` is the contact days in the last
///   `w` days and `m` those in the `b` days before (`b` is [`TREND_BASELINE`], 365, or fewer when
///   "me"'s first dated interaction with anyone is more recent; there is no comparison when `b` would
///   be zero or less). A third comparison looks at a current silence: when the last contact was
///   `g` days ago with 30 < `g` < 90, the window is those `g` days.
/// - With no change in rate, each of the `n + m` contact days falls in the recent window with
///   probability `w / (w + b)`, so `n` is binomial. A comparison shows *warming* when the recent rate
///   is at least [`TREND_MIN_RATIO`] (1.5) times the earlier one (half a contact day is added to each
///   count so empty windows compare) and the exact binomial `P(X >= n)` is at most
///   [`TREND_SIGNIFICANCE`] (0.01); *cooling* is the mirror image (`P(X <= n)`, rate at most 1/1.5).
/// - The trend is the direction of the most significant comparison that shows one, or steady when
///   none does.
///
/// So a relationship whose contact rate rose over the last three months reads warming, one whose
/// contact stopped a couple of months ago after being regular reads cooling, and one with a constant
/// rate reads steady at about 99% of moments (98.8% over 2,336 moments of 32 seeded pairs in the
/// crate's tests; the rare long silences a constant rate produces cannot be told from a stop). A
/// brand-new relationship with a few contact days reads warming: before it, "me"'s history held no
/// contact with that person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trend {
    /// In touch less often than before.
    Cooling,
    /// About as often as before.
    Steady,
    /// In touch more often than before.
    Warming,
}

impl Trend {
    /// The trend of a pair's `events` (in time order) at `as_of`, given when "me"'s history begins
    /// (`history_from`, "me"'s first dated interaction with anyone), with the evidence behind it:
    /// `-log10` of the p-value of the most significant comparison that shows a change, positive for
    /// warming and negative for cooling (0 when none does).
    pub(crate) fn of(
        events: &[PairEvent],
        as_of: Timestamp,
        history_from: Option<Timestamp>,
    ) -> (Trend, f64) {
        let Some(from) = history_from.filter(|&f| f <= as_of) else { return (Trend::Steady, 0.0) };
        // Ages in whole days before the as-of time, youngest first, one per contact day.
        let mut ages: Vec<i64> = events
            .iter()
            .take_while(|e| e.at <= as_of)
            .filter(|e| Tier::of(e.kind).is_some())
            .filter_map(PairEvent::dated)
            .map(|at| (as_of - at) / DAY)
            .collect();
        ages.reverse();
        ages.dedup();
        // Days 0..=oldest can hold a contact.
        let observable = (as_of - from) / DAY + 1;
        let silence = ages.first().copied().filter(|g| (31..90).contains(g));
        let mut best = 0.0_f64;
        for window in TREND_WINDOWS.into_iter().chain(silence) {
            let baseline = TREND_BASELINE.min(observable - window);
            if baseline <= 0 {
                continue;
            }
            let evidence = compare(&ages, window, baseline);
            if evidence.abs() > best.abs() {
                best = evidence;
            }
        }
        let trend = if best > 0.0 {
            Trend::Warming
        } else if best < 0.0 {
            Trend::Cooling
        } else {
            Trend::Steady
        };
        (trend, best)
    }

    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::Cooling => "cooling",
            Trend::Steady => "steady",
            Trend::Warming => "warming",
        }
    }
}

/// One comparison of the contact days in the last `window` days with the `baseline` days before:
/// `-log10 p`, signed by the direction, when the change is large and significant enough, else 0.
fn compare(ages: &[i64], window: i64, baseline: i64) -> f64 {
    let recent = ages.iter().filter(|&&a| a < window).count();
    let earlier = ages.iter().filter(|&&a| a >= window && a < window + baseline).count();
    let (w, b) = (window as f64, baseline as f64);
    let ratio = ((recent as f64 + 0.5) / w) / ((earlier as f64 + 0.5) / b);
    let share = w / (w + b);
    let total = recent + earlier;
    let (p, sign) = if ratio >= TREND_MIN_RATIO {
        (binomial_tail(total, share, recent..=total), 1.0)
    } else if ratio <= 1.0 / TREND_MIN_RATIO {
        (binomial_tail(total, share, 0..=recent), -1.0)
    } else {
        return 0.0;
    };
    if p <= TREND_SIGNIFICANCE { -sign * p.log10() } else { 0.0 }
}

/// `P(X in ks)` for `X ~ Binomial(n, p)`, `0 < p < 1`, summed in log space so no term underflows
/// before it is added.
fn binomial_tail(n: usize, p: f64, ks: std::ops::RangeInclusive<usize>) -> f64 {
    let (ln_p, ln_q) = (p.ln(), (-p).ln_1p());
    // ln C(n, k), built up from ln C(n, 0) = 0.
    let mut ln_choose = 0.0;
    let mut total = 0.0;
    for k in 0..=*ks.end() {
        if k > 0 {
            ln_choose += ((n - k + 1) as f64).ln() - (k as f64).ln();
        }
        if ks.contains(&k) {
            total += (ln_choose + k as f64 * ln_p + (n - k) as f64 * ln_q).exp();
        }
    }
    total.min(1.0)
}

impl fmt::Display for Trend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Trend {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cooling" => Ok(Trend::Cooling),
            "steady" => Ok(Trend::Steady),
            "warming" => Ok(Trend::Warming),
            _ => Err(Error::UnknownTrend(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use rapport_model::InteractionKind;

    use super::*;

    const NOW: Timestamp = 1_000 * DAY;

    /// A pair with one reply on each of `days_ago`, in a history that began `history` days ago.
    fn check(name: &str, days_ago: &[i64], history: i64, expected: Trend) {
        let mut events: Vec<PairEvent> = days_ago
            .iter()
            .map(|d| PairEvent { at: NOW - d * DAY, kind: InteractionKind::Reply, forward: true })
            .collect();
        events.sort_by_key(|e| e.at);
        let (trend, evidence) = Trend::of(&events, NOW, Some(NOW - history * DAY));
        assert_eq!(trend, expected, "{name}: evidence {evidence}");
    }

    fn every(step: i64, from: i64, to: i64) -> Vec<i64> {
        (from..to).step_by(usize::try_from(step).unwrap_or(1)).collect()
    }

    #[test]
    fn trends() {
        let cases: [(&str, Vec<i64>, i64, Trend); 9] = [
            ("nothing", vec![], 500, Trend::Steady),
            ("weekly for a year", every(7, 0, 400), 500, Trend::Steady),
            ("weekly, history too short to compare", every(7, 0, 20), 20, Trend::Steady),
            (
                "monthly, then weekly for 90 days",
                [every(30, 90, 450), every(7, 0, 90)].concat(),
                500,
                Trend::Warming,
            ),
            ("weekly, then silent for 75 days", every(7, 75, 450), 500, Trend::Cooling),
            ("weekly, then silent for 40 days", every(7, 40, 450), 500, Trend::Cooling),
            ("a new acquaintance, five contact days", vec![1, 5, 9, 20, 40], 500, Trend::Warming),
            ("one mention from a stranger", vec![3], 500, Trend::Steady),
            ("long dead", every(7, 500, 800), 900, Trend::Steady),
        ];
        for (name, days, history, expected) in cases {
            check(name, &days, history, expected);
        }
    }

    #[test]
    fn binomial_tails_are_exact() {
        // P(X >= 2) for Binomial(3, 0.5) is 4/8; P(X <= 0) for Binomial(4, 0.25) is 0.75^4.
        assert!((binomial_tail(3, 0.5, 2..=3) - 0.5).abs() < 1e-12);
        assert!((binomial_tail(4, 0.25, 0..=0) - 0.75_f64.powi(4)).abs() < 1e-12);
        assert!((binomial_tail(400, 0.3, 0..=400) - 1.0).abs() < 1e-9);
    }
}
