//! Input already split into parts: a directory of edge-list files, or a pattern whose last
//! component holds `*` or `?` (`edges/part-*.txt`). The parts are taken in name order, so every
//! process of a job numbers them alike; hidden files (a leading `.`) are skipped.

use std::path::{Path, PathBuf};

use crate::DistError;

/// The parts `input` names, in order; `None` if it is one file.
pub(crate) fn list(input: &Path) -> Result<Option<Vec<PathBuf>>, DistError> {
    let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (dir, pattern) = if input.is_dir() {
        (input.to_owned(), "*".to_owned())
    } else if name.contains(['*', '?']) {
        let parent = input.parent().filter(|p| !p.as_os_str().is_empty());
        (parent.map_or_else(|| PathBuf::from("."), Path::to_owned), name)
    } else {
        return Ok(None);
    };
    let entries = std::fs::read_dir(&dir).map_err(|e| DistError::io(&dir, e))?;
    let mut parts = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| DistError::io(&dir, e))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().map_err(|e| DistError::io(entry.path(), e))?.is_file();
        if is_file
            && !file_name.starts_with('.')
            && matches(pattern.as_bytes(), file_name.as_bytes())
        {
            parts.push(entry.path());
        }
    }
    if parts.is_empty() {
        return Err(DistError::Unsupported(format!(
            "{} names no edge-list part (a directory of files, or a pattern such as edges/part-*)",
            input.display()
        )));
    }
    parts.sort();
    Ok(Some(parts))
}

/// Whether `name` matches `pattern`, where `*` stands for any run of bytes and `?` for one.
fn matches(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|skip| matches(rest, &name[skip..])),
        Some((b'?', rest)) => !name.is_empty() && matches(rest, &name[1..]),
        Some((c, rest)) => name.first() == Some(c) && matches(rest, &name[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn patterns_match_as_a_shell_would() {
        assert!(matches(b"part-*", b"part-00"));
        assert!(matches(b"part-*.txt", b"part-7.txt"));
        assert!(!matches(b"part-*.txt", b"part-7.txt.gz"));
        assert!(matches(b"p?rt", b"part"));
        assert!(!matches(b"p?rt", b"prt"));
        assert!(matches(b"*", b""));
        assert!(!matches(b"edges", b"edges2"));
    }
}
