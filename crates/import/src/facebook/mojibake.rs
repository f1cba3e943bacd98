//! Facebook writes every non-ASCII character as one `\u00XX` escape per UTF-8 byte, so a JSON parser
//! returns "KÃ¸benhavn" for "København". The repair re-encodes such a string as Latin-1 and decodes the
//! bytes as UTF-8; a string that does not round-trip (a code point above U+00FF, or bytes that are not
//! UTF-8) was not mangled and is kept as it is.

use serde_json::{Map, Value};

/// Repairs every string in `value`, keys included.
pub(super) fn repair(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(repair_str(s)),
        Value::Array(items) => Value::Array(items.into_iter().map(repair).collect()),
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, inner) in map {
                out.insert(repair_str(key), repair(inner));
            }
            Value::Object(out)
        }
        other => other,
    }
}

fn repair_str(s: String) -> String {
    if s.is_ascii() {
        return s;
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(b) => bytes.push(b),
            Err(_) => return s,
        }
    }
    String::from_utf8(bytes).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_facebook_strings_and_keeps_others() {
        let fixed = |s: &str| repair_str(s.to_owned());
        assert_eq!(fixed("K\u{00c3}\u{00b8}benhavn"), "København");
        assert_eq!(fixed("\u{00f0}\u{009f}\u{0091}\u{008d}"), "👍");
        assert_eq!(fixed("\u{00c4}\u{0090}inh"), "Đinh");
        // Already proper text: a code point above U+00FF, or Latin-1 that is not UTF-8 bytes.
        assert_eq!(fixed("Đinh"), "Đinh");
        assert_eq!(fixed("café"), "café");
        assert_eq!(fixed("plain"), "plain");
    }
}
