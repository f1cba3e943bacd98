//! Parsing and formatting of timestamps: RFC 3339 or Unix seconds in, RFC 3339 (UTC) out.

use ::time::format_description::well_known::Rfc3339;
use ::time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::Timestamp;

/// Parses a timestamp given as Unix seconds (optionally with a fraction, or in milliseconds when it
/// has 13 digits), RFC 3339, a bare `YYYY-MM-DD HH:MM:SS` (taken as UTC) or a bare date (midnight UTC).
///
/// Returns `None` for anything else; callers turn that into an error naming the record.
pub fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(secs) = parse_unix(text) {
        return Some(secs);
    }
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    let (date_part, time_part) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let date = parse_date(date_part)?;
    let time = match time_part {
        Some(t) => parse_hms(t.trim_end_matches('Z'))?,
        None => Time::MIDNIGHT,
    };
    Some(PrimitiveDateTime::new(date, time).assume_utc().unix_timestamp())
}

fn parse_unix(text: &str) -> Option<Timestamp> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) if f.bytes().all(|b| b.is_ascii_digit()) => (i, Some(f)),
        Some(_) => return None,
        None => (text, None),
    };
    let digits = int.strip_prefix('-').unwrap_or(int);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 16 {
        return None;
    }
    let value: i64 = int.parse().ok()?;
    // Thirteen digits and no fraction is a millisecond timestamp (Facebook, many JSON APIs).
    if frac.is_none() && digits.len() == 13 {
        return Some(value.div_euclid(1000));
    }
    Some(value)
}

fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::from_calendar_date(year, ::time::Month::try_from(month).ok()?, day).ok()
}

fn parse_hms(text: &str) -> Option<Time> {
    let text = text.split('.').next()?;
    let mut parts = text.split(':');
    let h: u8 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let s: u8 = parts.next().map_or(Some(0), |s| s.parse().ok())?;
    Time::from_hms(h, m, s).ok()
}

/// Formats a timestamp as RFC 3339 in UTC, e.g. `2024-03-01T09:30:00Z`.
pub fn format(ts: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ts.to_string())
}

/// Formats a timestamp as its UTC date, e.g. `2024-03-01`.
pub fn format_date(ts: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(ts)
        .map_or_else(|_| ts.to_string(), |t| t.date().to_string())
}

/// Seconds in one day.
pub const DAY: Timestamp = 86_400;

/// Seconds in one hour.
pub const HOUR: Timestamp = 3_600;

/// Parses a positive duration into seconds: a whole number followed by `s`, `h`, `d` or `w`
/// (seconds, hours, days, weeks), or a bare whole number counted in `bare` seconds (each caller
/// says what a bare number means: `rapport today --snooze 7` is days, `--horizon 3600` seconds).
///
/// Returns `None` for anything else, zero, or a duration too long to count in seconds.
pub fn parse_duration(text: &str, bare: Timestamp) -> Option<Timestamp> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().last()? {
        (i, 's') => (&text[..i], 1),
        (i, 'h') => (&text[..i], HOUR),
        (i, 'd') => (&text[..i], DAY),
        (i, 'w') => (&text[..i], 7 * DAY),
        _ => (text, bare),
    };
    // `parse` alone would take a sign; a duration is digits only.
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse::<Timestamp>().ok().filter(|n| *n > 0)?.checked_mul(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_tables_use() {
        let cases = [
            ("1341100972", Some(1_341_100_972)),
            ("1341100972.5", Some(1_341_100_972)),
            ("1341100972000", Some(1_341_100_972)),
            ("2012-07-01T00:02:52Z", Some(1_341_100_972)),
            ("2012-07-01T02:02:52+02:00", Some(1_341_100_972)),
            ("2012-07-01 00:02:52", Some(1_341_100_972)),
            ("2012-07-01", Some(1_341_100_800)),
            ("", None),
            ("yesterday", None),
            ("2012-13-01", None),
            ("12abc", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), want, "{text}");
        }
    }

    #[test]
    fn parses_durations_in_every_unit() {
        let cases = [
            ("30d", 1, Some(30 * DAY)),
            ("2w", 1, Some(14 * DAY)),
            ("12h", 1, Some(12 * HOUR)),
            ("90s", DAY, Some(90)),
            (" 7d ", 1, Some(7 * DAY)),
            ("3600", 1, Some(3600)),
            ("7", DAY, Some(7 * DAY)),
            ("0d", 1, None),
            ("0", DAY, None),
            ("-3d", 1, None),
            ("+3d", 1, None),
            ("d", 1, None),
            ("", 1, None),
            ("1.5d", 1, None),
            ("3m", 1, None),
            ("7 days", 1, None),
            ("99999999999999999w", 1, None),
        ];
        for (text, bare, want) in cases {
            assert_eq!(parse_duration(text, bare), want, "{text:?} with bare unit {bare}");
        }
    }

    #[test]
    fn formats_utc() {
        assert_eq!(format(1_341_100_972), "2012-07-01T00:02:52Z");
        assert_eq!(format_date(1_341_100_972), "2012-07-01");
    }
}
