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
    fn formats_utc() {
        assert_eq!(format(1_341_100_972), "2012-07-01T00:02:52Z");
        assert_eq!(format_date(1_341_100_972), "2012-07-01");
    }
}
