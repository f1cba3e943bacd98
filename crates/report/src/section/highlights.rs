//! A few sentences under the headline that say what changed and what deserves attention, each
//! read straight off the data (no new figures are computed here).

use super::{habits, stages};
use crate::data::{Mover, ReportData};
use crate::format;
use crate::html::{Esc, put};

/// Renders up to four highlights; nothing at all when the data supports none.
pub(crate) fn render(out: &mut String, data: &ReportData) {
    let items: Vec<(&str, String)> = [
        relationships(data),
        mover(data.cooling.first(), false),
        mover(data.warming.first(), true),
        promotion(data),
    ]
    .into_iter()
    .flatten()
    .collect();
    if items.is_empty() {
        return;
    }
    out.push_str(r#"<ul class="highlights" aria-label="Highlights">"#);
    for (tone, html) in items {
        put!(out, r#"<li class="hl-{tone}">{html}</li>"#);
    }
    out.push_str("</ul>\n");
}

/// How the mutual and close relationships moved against three months before the last month.
fn relationships(data: &ReportData) -> Option<(&'static str, String)> {
    let last = data.stages.last()?;
    let earlier = stages::compared(&data.stages)?;
    let count = |c: &crate::data::StageCounts| i64::from(c.mutual) + i64::from(c.close);
    let (now, then) = (count(&last.counts), count(&earlier.counts));
    let since = Esc(&format::month(earlier.month, true)).to_string();
    Some(match now - then {
        0 => (
            "flat",
            format!(
                "<strong>{now}</strong> mutual or close relationships, as many as at the end of {since}."
            ),
        ),
        d if d > 0 => (
            "up",
            format!(
                "<strong>{now}</strong> mutual or close relationships, <strong>{d} more</strong> than at the end of {since}."
            ),
        ),
        d => (
            "down",
            format!(
                "<strong>{now}</strong> mutual or close relationships, <strong>{} fewer</strong> than at the end of {since}.",
                d.unsigned_abs()
            ),
        ),
    })
}

/// The fastest-moving relationship in one direction.
fn mover(m: Option<&Mover>, warming: bool) -> Option<(&'static str, String)> {
    let m = m?;
    let strengths = format!(
        "{} → {}",
        format::decimal(format::unit(m.strength_90d_ago)),
        format::decimal(format::unit(m.strength_now))
    );
    Some(if warming {
        ("up", format!("<strong>{}</strong> is warming fastest ({strengths}).", Esc(&m.name)))
    } else {
        (
            "down",
            format!(
                "<strong>{}</strong> is cooling fastest ({strengths}): a message now keeps the tie warm.",
                Esc(&m.name)
            ),
        )
    })
}

/// The latest month's promotional share against the guideline.
fn promotion(data: &ReportData) -> Option<(&'static str, String)> {
    let limit = format::unit(data.promotional_limit?);
    let (last, share) = habits::latest_share(&data.promotional)?;
    let month = Esc(&format::month(last.month, true)).to_string();
    let p = format::percent(share);
    Some(if share > limit {
        (
            "down",
            format!(
                "<strong>{p}</strong> of your posts in {month} were promotional, above the {} guideline: give more than you sell.",
                format::percent(limit)
            ),
        )
    } else {
        (
            "up",
            format!(
                "<strong>{p}</strong> of your posts in {month} were promotional, within the {} guideline.",
                format::percent(limit)
            ),
        )
    })
}
