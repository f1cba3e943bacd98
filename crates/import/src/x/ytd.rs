//! The `window.YTD.<name>.partN = [...]` wrapper of every X archive data file, and X's dates.

use rapport_model::{Timestamp, time};
use serde_json::Value;

use crate::ImportError;
use crate::export::Export;

/// Parses a data file: the JSON after the first `=` of its first line (`window.YTD.tweets.part0 = `
/// or `window.__THAR_CONFIG = `), or the whole file when it is plain JSON.
pub(super) fn parse(ex: &Export<'_, '_>, name: &str, bytes: &[u8]) -> Result<Value, ImportError> {
    ex.json(name, bytes, json_start(bytes))
}

/// Where the JSON of a data file starts: after the first `=` of its first line when the file
/// starts with `window.`, else at its start.
pub(super) fn json_start(bytes: &[u8]) -> usize {
    let first_line = bytes.iter().position(|b| *b == b'\n').unwrap_or(bytes.len());
    match bytes[..first_line].iter().position(|b| *b == b'=') {
        Some(eq) if bytes.starts_with(b"window.") => eq + 1,
        _ => 0,
    }
}

/// The elements of a data file's array; a file that is not an array has none.
pub(super) fn items(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// Parses X's `created_at`, as in `Thu Nov 03 08:50:26 +0000 2022`.
pub(super) fn created_at(text: &str) -> Option<Timestamp> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, month, day, clock, offset, year] = parts.as_slice() else {
        return time::parse(text);
    };
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| m == month)? + 1;
    let (sign, digits) = offset.split_at(1);
    if digits.len() != 4 || !matches!(sign, "+" | "-") {
        return None;
    }
    let iso = format!("{year}-{month:02}-{day:0>2}T{clock}{sign}{}:{}", &digits[..2], &digits[2..]);
    time::parse(&iso)
}

/// Undoes the three HTML escapes X applies to tweet text.
pub(super) fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_created_at() {
        assert_eq!(
            created_at("Thu Nov 03 08:50:26 +0000 2022"),
            time::parse("2022-11-03T08:50:26Z")
        );
        assert_eq!(
            created_at("Thu Nov 03 10:50:26 +0200 2022"),
            time::parse("2022-11-03T08:50:26Z")
        );
        assert_eq!(created_at("Thu Foo 03 08:50:26 +0000 2022"), None);
        assert_eq!(created_at("2021-09-15T06:00:28.597Z"), time::parse("2021-09-15T06:00:28Z"));
    }
}
