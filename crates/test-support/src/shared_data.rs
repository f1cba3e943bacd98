//! The public datasets of the real-data suite: `$RAPPORT_DATA`, or `../shared/data` beside the
//! workspace. A missing file fails the test with its path and how to point at the data, so the
//! suite never passes without it.

use std::path::PathBuf;

/// The file or folder `relative` of the shared data.
pub fn path(relative: &str) -> PathBuf {
    let root = std::env::var_os("RAPPORT_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let path = root.join(relative);
    assert!(
        path.exists(),
        "real-data file {} is missing; set RAPPORT_DATA to the shared data folder",
        path.display()
    );
    path
}

/// An export sample: `<collection>/<date>[/<inside>]` names the sub-folder of `collection` whose
/// name ends with `-<date>`, so that no sample owner's account name is written in a test.
pub fn sample(spec: &str) -> PathBuf {
    let (collection, rest) = spec.split_once('/').unwrap_or((spec, ""));
    let (date, inside) = rest.split_once('/').unwrap_or((rest, ""));
    let base = path(collection);
    if date.is_empty() {
        return base;
    }
    let folder = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.is_dir() && p.file_name().unwrap().to_string_lossy().ends_with(&format!("-{date}"))
        })
        .unwrap_or_else(|| panic!("no sample dated {date} in {}", base.display()));
    if inside.is_empty() { folder } else { folder.join(inside) }
}
