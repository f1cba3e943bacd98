//! Small readers of decoded DAG-CBOR values, and the field accounting of one record.

use ipld_core::ipld::Ipld;

use crate::FieldReport;

/// A string value.
pub(crate) fn text(value: Option<&Ipld>) -> Option<&str> {
    match value {
        Some(Ipld::String(s)) => Some(s),
        _ => None,
    }
}

/// The field `name` of a map value.
pub(crate) fn field<'a>(value: Option<&'a Ipld>, name: &str) -> Option<&'a Ipld> {
    match value {
        Some(Ipld::Map(m)) => m.get(name),
        _ => None,
    }
}

/// The string at `path` (field names) inside a value.
pub(crate) fn text_at<'a>(value: Option<&'a Ipld>, path: &[&str]) -> Option<&'a str> {
    text(path.iter().fold(value, |v, name| field(v, name)))
}

/// The items of a list value; anything else has none.
pub(crate) fn items(value: Option<&Ipld>) -> &[Ipld] {
    match value {
        Some(Ipld::List(items)) => items,
        _ => &[],
    }
}

/// An integer value that fits a `usize`.
pub(crate) fn index(value: Option<&Ipld>) -> Option<usize> {
    match value {
        Some(Ipld::Integer(i)) => usize::try_from(*i).ok(),
        _ => None,
    }
}

/// The DID in the authority of an AT URI (`at://did:plc:…/collection/rkey`).
pub(crate) fn uri_did(uri: &str) -> Option<&str> {
    let did = uri.strip_prefix("at://")?.split('/').next()?;
    super::syntax::did(did).then_some(did)
}

/// The collection in an AT URI.
pub(crate) fn uri_collection(uri: &str) -> Option<&str> {
    uri.strip_prefix("at://")?.split('/').nth(1)
}

/// Counts every leaf of a record (scalars, links, bytes, empty lists and maps) as mapped when its
/// path or an enclosing one is in `mapped`, and as ignored otherwise. Paths are spelled as in
/// [`FieldReport`]: keys joined with `.`, list elements marked `[]`.
pub(crate) fn account(report: &mut FieldReport, value: &Ipld, mapped: &[&str]) {
    let mut path = String::with_capacity(64);
    walk(report, value, &mut path, mapped);
}

fn walk(report: &mut FieldReport, value: &Ipld, path: &mut String, mapped: &[&str]) {
    match value {
        Ipld::Map(map) if !map.is_empty() => {
            for (key, inner) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                walk(report, inner, path, mapped);
                path.truncate(len);
            }
        }
        Ipld::List(list) if !list.is_empty() => {
            let len = path.len();
            path.push_str("[]");
            for inner in list {
                walk(report, inner, path, mapped);
            }
            path.truncate(len);
        }
        _ => {
            let covered = mapped.iter().any(|m| {
                path.strip_prefix(m).is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
            });
            let counts = if covered { &mut report.mapped } else { &mut report.ignored };
            match counts.get_mut(path.as_str()) {
                Some(count) => *count += 1,
                None => {
                    counts.insert(path.clone(), 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_uris() {
        let uri = "at://did:plc:abc/app.bsky.feed.post/3k2";
        assert_eq!(uri_did(uri), Some("did:plc:abc"));
        assert_eq!(uri_collection(uri), Some("app.bsky.feed.post"));
        assert_eq!(uri_did("at://alice.test/app.bsky.feed.post/3k2"), None);
        assert_eq!(uri_did("https://example.com"), None);
    }
}
