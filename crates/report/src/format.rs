//! How numbers and dates read on the page: "1.2k", "24%", "Mar 2025", "3 weeks ago".

use rapport_model::Timestamp;
use time::{Date, OffsetDateTime};

const DAY: Timestamp = 86_400;

/// The calendar date of a timestamp in UTC, or `None` if it is out of range.
fn date(ts: Timestamp) -> Option<Date> {
    OffsetDateTime::from_unix_timestamp(ts).ok().map(OffsetDateTime::date)
}

fn short_month(date: Date) -> &'static str {
    const NAMES: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    NAMES[usize::from(u8::from(date.month())) - 1]
}

/// A month label: "Mar" alone, or "Mar 2025" when `with_year`.
pub(crate) fn month(ts: Timestamp, with_year: bool) -> String {
    match date(ts) {
        Some(d) if with_year => format!("{} {}", short_month(d), d.year()),
        Some(d) => short_month(d).to_owned(),
        None => "?".to_owned(),
    }
}

/// Whether a month label should carry its year: the first label shown, and every January.
pub(crate) fn is_january(ts: Timestamp) -> bool {
    date(ts).is_some_and(|d| d.month() == time::Month::January)
}

/// A day, e.g. "7 Mar 2025".
pub(crate) fn day(ts: Timestamp) -> String {
    match date(ts) {
        Some(d) => format!("{} {} {}", d.day(), short_month(d), d.year()),
        None => "unknown date".to_owned(),
    }
}

/// How long before `now` a moment was, in words a person would use.
pub(crate) fn ago(then: Timestamp, now: Timestamp) -> String {
    let days = now.saturating_sub(then) / DAY;
    match days {
        i64::MIN..=-1 => "after the report date".to_owned(),
        0 => "today".to_owned(),
        1 => "yesterday".to_owned(),
        2..=13 => format!("{days} days ago"),
        14..=59 => format!("{} weeks ago", days / 7),
        60..=729 => format!("{} months ago", days / 30),
        _ => format!("{} years ago", days / 365),
    }
}

/// A count, compact above ten thousand: "950", "9,500", "12k", "3.4M".
pub(crate) fn count(n: u64) -> String {
    match n {
        0..=9_999 if n >= 1_000 => format!("{},{:03}", n / 1000, n % 1000),
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{}k", n / 1000),
        _ => {
            let tenths = n / 100_000;
            format!("{}.{}M", tenths / 10, tenths % 10)
        }
    }
}

/// An axis tick: integers without decimals, compact above a thousand.
pub(crate) fn tick(v: f64) -> String {
    if !v.is_finite() {
        "–".to_owned()
    } else if v >= 1_000.0 {
        let k = v / 1_000.0;
        if k.fract() == 0.0 { format!("{k:.0}k") } else { format!("{k:.1}k") }
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A share as a whole percentage, "24%".
pub(crate) fn percent(share: f64) -> String {
    format!("{:.0}%", (finite(share) * 100.0).round())
}

/// A strength or score with two decimals.
pub(crate) fn decimal(v: f64) -> String {
    format!("{:.2}", finite(v))
}

/// A change with its sign: "+0.19", "−0.07" (a real minus sign).
pub(crate) fn signed(v: f64) -> String {
    let v = finite(v);
    if v < 0.0 { format!("−{:.2}", -v) } else { format!("+{v:.2}") }
}

/// NaN and infinities read as zero: the page must never print "NaN".
pub(crate) fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// A 0..1 quantity forced into range.
pub(crate) fn unit(v: f64) -> f64 {
    finite(v).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAR_7_2025: Timestamp = 1_741_305_600;

    #[test]
    fn dates() {
        assert_eq!(day(MAR_7_2025), "7 Mar 2025");
        assert_eq!(month(MAR_7_2025, true), "Mar 2025");
        assert_eq!(month(MAR_7_2025, false), "Mar");
        assert_eq!(day(i64::MAX), "unknown date");
    }

    #[test]
    fn relative_times() {
        let now = MAR_7_2025;
        assert_eq!(ago(now, now), "today");
        assert_eq!(ago(now - DAY, now), "yesterday");
        assert_eq!(ago(now - 5 * DAY, now), "5 days ago");
        assert_eq!(ago(now - 21 * DAY, now), "3 weeks ago");
        assert_eq!(ago(now - 95 * DAY, now), "3 months ago");
        assert_eq!(ago(now - 800 * DAY, now), "2 years ago");
        assert_eq!(ago(now + DAY, now), "after the report date");
        assert!(ago(i64::MIN, i64::MAX).ends_with(" years ago"), "extremes do not overflow");
    }

    #[test]
    fn numbers() {
        assert_eq!(count(950), "950");
        assert_eq!(count(9_500), "9,500");
        assert_eq!(count(12_345), "12k");
        assert_eq!(count(3_456_789), "3.4M");
        assert_eq!(tick(2500.0), "2.5k");
        assert_eq!(tick(4.0), "4");
        assert_eq!(tick(f64::INFINITY), "–");
        assert_eq!(percent(0.246), "25%");
        assert_eq!(percent(f64::INFINITY), "0%");
        assert_eq!(signed(-0.07), "−0.07");
        assert_eq!(signed(f64::NAN), "+0.00");
    }
}
