//! Discover: like-minded people to get to know, each with the reason they were suggested.

use crate::data::ReportData;
use crate::format;
use crate::html::Esc;
use crate::page;

/// Renders the suggestions as a ranked table, the match drawn relative to the best suggestion.
pub(crate) fn render(out: &mut String, data: &ReportData) {
    page::section(
        out,
        "discover",
        "People to discover",
        "Found through the people you trust and the interests you share; every suggestion says why.",
    );
    if data.discover.is_empty() {
        page::empty(
            out,
            "No suggestions yet",
            "Suggestions need a few mutual or close relationships to start from.",
        );
    } else {
        let best =
            data.discover.iter().map(|s| format::finite(s.score).max(0.0)).fold(0.0, f64::max);
        let rows: Vec<Vec<String>> = data
            .discover
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let score = format::finite(s.score).max(0.0);
                let width = if best > 0.0 { score / best * 100.0 } else { 0.0 };
                vec![
                    format!(r#"<span class="rank">{}</span>"#, i + 1),
                    format!(r#"<span class="name">{}</span>"#, Esc(&s.handle)),
                    format!(
                        r#"<div class="match"><div class="meter" role="img" aria-label="Match {d}"><span style="width:{width:.1}%"></span></div><span class="figures">{d}</span></div>"#,
                        d = format::decimal(score),
                    ),
                    format!(r#"<span class="why-cell">{}</span>"#, Esc(&s.why)),
                ]
            })
            .collect();
        page::table(
            out,
            "Suggested people, best match first",
            &["#", "Person", "Match", "Why"],
            &rows,
        );
    }
    page::end_section(out);
}
