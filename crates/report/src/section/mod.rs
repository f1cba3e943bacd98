//! The report's sections, one module each, in page order.

pub(crate) mod audit;
pub(crate) mod discover;
pub(crate) mod groups;
pub(crate) mod habits;
pub(crate) mod highlights;
pub(crate) mod movers;
pub(crate) mod overview;
pub(crate) mod stages;
pub(crate) mod today;

use crate::data::StageCounts;

/// The stages from closest to most distant: the order of legends, lists and stacked layers (the
/// closest relationships at the bottom of a stack, where they are easiest to read).
pub(crate) const STAGES: [(&str, &str); 5] = [
    ("Close", "close"),
    ("Mutual", "mutual"),
    ("Engaged", "engaged"),
    ("Aware", "aware"),
    ("Stranger", "stranger"),
];

/// The count of one stage, by its key in [`STAGES`].
pub(crate) fn stage_count(counts: &StageCounts, key: &str) -> u32 {
    match key {
        "close" => counts.close,
        "mutual" => counts.mutual,
        "engaged" => counts.engaged,
        "aware" => counts.aware,
        _ => counts.stranger,
    }
}

/// A stage name as a coloured pill; unknown stages are shown as given, in neutral grey.
pub(crate) fn stage_pill(stage: &str) -> String {
    let stage = stage.trim();
    let key = STAGES
        .iter()
        .find(|(_, key)| key.eq_ignore_ascii_case(stage))
        .map_or("other", |(_, key)| key);
    format!(r#"<span class="pill k-{key}">{}</span>"#, crate::html::Esc(stage))
}
