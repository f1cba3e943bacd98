//! The headline: a row of figures that say at a glance how the user's relationships stand.

use crate::data::ReportData;
use crate::format;
use crate::html::{Esc, put};
use crate::page;

/// Renders the headline figures, and a welcome note when the store holds nothing yet.
pub(crate) fn render(out: &mut String, data: &ReportData) {
    page::section(
        out,
        "overview",
        "Overview",
        "Your relationships, not your reach: who you really talk with, and where that is heading.",
    );
    if is_blank(data) {
        page::empty(
            out,
            "No data yet",
            "Import an export of your account (rapport import PATH) and run the report again.",
        );
    }
    let h = &data.headline;
    let (given, asked) = data
        .give_ask
        .iter()
        .fold((0u64, 0u64), |(g, a), p| (g + u64::from(p.given), a + u64::from(p.asked)));
    let ratio = match (given, asked) {
        (0, 0) => "–".to_owned(),
        (_, 0) => format!("{} : 0", format::count(given)),
        (g, a) => format!("{:.1} : 1", g as f64 / a as f64),
    };
    let stats = [
        (
            "People",
            format::count(h.people),
            format!("{} interactions", format::count(h.interactions)),
            "",
        ),
        (
            "Mutual & close",
            format::count(h.mutual.saturating_add(h.close)),
            if h.one_sided == 0 {
                format!("{} close", format::count(h.close))
            } else {
                // A one-sided export cannot show who answered: the count is a floor.
                format!(
                    "{} close; at least, {} one-sided",
                    format::count(h.close),
                    format::count(h.one_sided)
                )
            },
            "",
        ),
        ("Warming", format::count(h.warming), "stronger than 90 days ago".to_owned(), "up"),
        ("Cooling", format::count(h.cooling), "weaker than 90 days ago".to_owned(), "down"),
        (
            "Give : ask",
            ratio,
            format!("{} given, {} asked", format::count(given), format::count(asked)),
            "",
        ),
        ("Today", data.today.len().to_string(), "actions waiting".to_owned(), ""),
    ];
    out.push_str(r#"<ul class="stats">"#);
    for (label, value, sub, tone) in stats {
        put!(
            out,
            r#"<li class="stat{}"><span class="stat-label">{}</span><span class="stat-value">{}</span><span class="stat-sub">{}</span></li>"#,
            if tone.is_empty() { String::new() } else { format!(" tone-{tone}") },
            Esc(label),
            Esc(&value),
            Esc(&sub),
        );
    }
    out.push_str("</ul>\n");
    super::highlights::render(out, data);
    page::end_section(out);
}

/// Whether the engine had nothing at all to report.
fn is_blank(data: &ReportData) -> bool {
    data.headline == crate::data::Headline::default()
        && data.stages.is_empty()
        && data.warming.is_empty()
        && data.cooling.is_empty()
        && data.give_ask.is_empty()
        && data.promotional.is_empty()
        && data.groups.is_empty()
        && data.discover.is_empty()
        && data.today.is_empty()
        && data.audit.is_empty()
}
