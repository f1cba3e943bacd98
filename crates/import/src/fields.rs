//! Lossless accounting: every field of every archive member is either mapped into a record or
//! counted as ignored, so a user (with `--verbose`) can see exactly what an import left out.

use std::collections::BTreeMap;

use serde_json::Value;

/// What an importer did with one archive member: its items, the fields it mapped and ignored, and
/// what the items became.
///
/// Field paths join object keys with `.` and mark array elements with `[]`, as in
/// `tweet.entities.hashtags[].text`; counts say how many times each path occurred.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldReport {
    /// The member's path inside the archive (or folder).
    pub member: String,
    /// How many items (array elements, table rows) the member held.
    pub items: u64,
    /// Paths read into records, with their number of occurrences.
    pub mapped: BTreeMap<String, u64>,
    /// Paths present in the source but not imported, with their number of occurrences.
    pub ignored: BTreeMap<String, u64>,
    /// What the items became (`post`, `like`, `visibility: direct`, `skipped: …`), with counts.
    pub outcomes: BTreeMap<String, u64>,
    /// Why the whole member was left unread, when it was.
    pub unread: Option<String>,
}

impl FieldReport {
    /// An empty report for `member`.
    pub fn new(member: impl Into<String>) -> FieldReport {
        FieldReport { member: member.into(), ..FieldReport::default() }
    }

    /// The report of a member no importer reads, with the reason.
    pub(crate) fn unread(member: impl Into<String>, why: impl Into<String>) -> FieldReport {
        FieldReport { unread: Some(why.into()), ..FieldReport::new(member) }
    }

    /// Counts one item that became `what`.
    pub(crate) fn outcome(&mut self, what: &str) {
        bump(&mut self.outcomes, what, 1);
    }

    /// Counts a table column of one row as mapped or ignored; empty cells are not counted.
    pub(crate) fn column(&mut self, name: &str, value: &str, mapped: bool) {
        if !value.is_empty() {
            bump(if mapped { &mut self.mapped } else { &mut self.ignored }, name, 1);
        }
    }

    /// Counts every leaf of `value` (scalars, and empty arrays and objects) as mapped when its path
    /// or an enclosing path is listed in `mapped`, and as ignored otherwise.
    pub(crate) fn account(&mut self, value: &Value, mapped: &[&str]) {
        let mut path = String::with_capacity(64);
        self.walk(value, &mut path, mapped);
    }

    fn walk(&mut self, value: &Value, path: &mut String, mapped: &[&str]) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, inner) in map {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    self.walk(inner, path, mapped);
                    path.truncate(len);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let len = path.len();
                path.push_str("[]");
                for inner in items {
                    self.walk(inner, path, mapped);
                }
                path.truncate(len);
            }
            other => {
                // An empty list or object of a mapped field is mapped too: it says "none".
                let empty = matches!(other, Value::Array(_) | Value::Object(_));
                let is_mapped =
                    mapped.iter().any(|m| covers(m, path) || (empty && covers(path, m)));
                bump(if is_mapped { &mut self.mapped } else { &mut self.ignored }, path, 1);
            }
        }
    }
}

/// True when `path` is `prefix` or lies inside it.
fn covers(prefix: &str, path: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match map.get_mut(key) {
        Some(count) => *count += n,
        None => {
            map.insert(key.to_owned(), n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leaf_is_mapped_or_ignored() {
        let value: Value = serde_json::from_str(
            r#"{"a": {"b": 1, "c": [ {"d": "x"}, {"d": "y", "e": null} ]}, "f": [], "g": "z"}"#,
        )
        .unwrap();
        let mut report = FieldReport::new("m");
        report.account(&value, &["a.c[].d", "g", "f[].h"]);
        let keys = |m: &BTreeMap<String, u64>| {
            m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>()
        };
        assert_eq!(keys(&report.mapped), ["a.c[].d=2", "f=1", "g=1"]);
        assert_eq!(keys(&report.ignored), ["a.b=1", "a.c[].e=1"]);
    }

    #[test]
    fn prefixes_stop_at_path_boundaries() {
        assert!(covers("a.b", "a.b"));
        assert!(covers("a.b", "a.b.c"));
        assert!(covers("a.b", "a.b[].c"));
        assert!(!covers("a.b", "a.bc"));
    }
}
