//! LinkedIn writes dates differently in each file: `2022-09-08 18:34:12`, `2022-09-08 18:08:14 UTC`,
//! `09 Sep 2022` (connections), `8/26/22, 8:56 PM` (invitations) and `Tue Aug 30 14:33:11 UTC 2022`
//! (company follows). All are UTC.

use rapport_model::{Timestamp, time};

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Parses any of LinkedIn's date forms.
pub(super) fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    let text = text.strip_suffix(" UTC").unwrap_or(text);
    if let Some(t) = time::parse(text) {
        return Some(t);
    }
    day_month_year(text).or_else(|| us_short(text)).or_else(|| weekday_first(text))
}

/// `Tue Aug 30 14:33:11 UTC 2022`, as Java's `Date.toString` writes it.
fn weekday_first(text: &str) -> Option<Timestamp> {
    let [_, month, day, clock, "UTC", year] = text.split_whitespace().collect::<Vec<_>>()[..]
    else {
        return None;
    };
    let month =
        MONTHS.iter().position(|m| month.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(m)))? + 1;
    let (day, year): (u8, i32) = (day.parse().ok()?, year.parse().ok()?);
    time::parse(&format!("{year:04}-{month:02}-{day:02} {clock}"))
}

/// `09 Sep 2022` (also `9-Sep-22`, as spreadsheets re-save it).
fn day_month_year(text: &str) -> Option<Timestamp> {
    let parts: Vec<&str> = text.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    let [day, month, year] = parts.as_slice() else { return None };
    let month =
        MONTHS.iter().position(|m| month.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(m)))? + 1;
    let year: i32 = year.parse().ok()?;
    let year = if year < 100 { 2000 + year } else { year };
    let day: u8 = day.parse().ok()?;
    time::parse(&format!("{year:04}-{month:02}-{day:02}"))
}

/// `8/26/22, 8:56 PM`.
fn us_short(text: &str) -> Option<Timestamp> {
    let (date, clock) = text.split_once(',')?;
    let mut d = date.trim().split('/');
    let (month, day, year): (u8, u8, i32) =
        (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    let year = if year < 100 { 2000 + year } else { year };
    let (hm, meridiem) = clock.trim().split_once(' ')?;
    let (h, m) = hm.split_once(':')?;
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    let h = match (meridiem.to_ascii_uppercase().as_str(), h) {
        ("AM", 12) => 0,
        ("AM", h) => h,
        ("PM", 12) => 12,
        ("PM", h) => h + 12,
        _ => return None,
    };
    time::parse(&format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:00"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let t = |s| time::parse(s);
        assert_eq!(parse("2022-09-08 18:34:12"), t("2022-09-08T18:34:12Z"));
        assert_eq!(parse("2022-09-08 18:08:14 UTC"), t("2022-09-08T18:08:14Z"));
        assert_eq!(parse("09 Sep 2022"), t("2022-09-09"));
        assert_eq!(parse("9-Sep-22"), t("2022-09-09"));
        assert_eq!(parse("8/26/22, 8:56 PM"), t("2022-08-26T20:56:00Z"));
        assert_eq!(parse("8/26/22, 12:05 AM"), t("2022-08-26T00:05:00Z"));
        assert_eq!(parse("Tue Aug 30 14:33:11 UTC 2022"), t("2022-08-30T14:33:11Z"));
        assert_eq!(parse("Tue Aug 30 14:33:11 CET 2022"), None);
        assert_eq!(parse("someday"), None);
    }
}
