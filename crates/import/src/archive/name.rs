//! The one check every archive member's path goes through before anything reads it.

use crate::ErrorKind;

/// Normalises a member path to `a/b/c` form, refusing any path that could point outside the
/// archive if someone extracted it: absolute paths, drive letters, `..` components and NUL bytes.
/// Nothing is ever extracted to disk, but a genuine export never holds such a name, so its
/// presence means the archive was crafted and none of it is trusted.
pub(crate) fn check(raw: &str) -> Result<String, ErrorKind> {
    if raw.contains('\0') {
        return Err(ErrorKind::UnsafeMember("the member's path holds a NUL byte"));
    }
    // Zip tools on Windows write backslashes; treat them as separators so `..\x` is caught too.
    let unified = raw.replace('\\', "/");
    if unified.starts_with('/') {
        return Err(ErrorKind::UnsafeMember("the member's path is absolute"));
    }
    let bytes = unified.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return Err(ErrorKind::UnsafeMember("the member's path starts with a drive letter"));
    }
    let mut parts = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(ErrorKind::UnsafeMember(
                    "the member's path climbs out of the archive (..)",
                ));
            }
            other => parts.push(other),
        }
    }
    Ok(parts.join("/"))
}

/// The refusal of an archive holding two members of one name.
pub(crate) const DUPLICATE: ErrorKind = ErrorKind::UnsafeMember(
    "another member has the same name, and which one counts would be a guess",
);

/// Records a checked member name, refusing one seen before: tar extraction would let the later
/// member win and zip tools differ, so an archive with two members of one name (after
/// normalisation: `a//b` is `a/b`) has no one meaning and is refused.
pub(crate) fn unique(
    seen: &mut std::collections::HashSet<String>,
    name: &str,
) -> Result<(), ErrorKind> {
    if seen.insert(name.to_owned()) { Ok(()) } else { Err(DUPLICATE) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_escape() {
        for bad in ["../evil", "a/../../evil", "/etc/passwd", "C:/x", "a\\..\\b", "a\0b"] {
            assert!(check(bad).is_err(), "{bad}");
        }
        assert_eq!(check("./data//tweets.js").unwrap(), "data/tweets.js");
        assert_eq!(check("data\\like.js").unwrap(), "data/like.js");
        assert_eq!(
            check("this_profile's_activity/x.json").unwrap(),
            "this_profile's_activity/x.json"
        );
    }
}
