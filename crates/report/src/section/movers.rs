//! Warming and cooling: the relationships whose strength moved most against 90 days ago.

use super::stage_pill;
use crate::chart;
use crate::data::{Mover, ReportData};
use crate::format;
use crate::html::Esc;
use crate::page;

/// Renders the two tables side by side (stacked on a phone).
pub(crate) fn render(out: &mut String, data: &ReportData) {
    page::section(
        out,
        "movers",
        "Warming and cooling",
        "Strength now against 90 days ago. Cooling ties that once were mutual or close are worth a message.",
    );
    out.push_str(r#"<div class="grid">"#);
    let tables = [
        (
            "Warming",
            "Relationships growing stronger",
            &data.warming,
            "No relationship grew stronger in the last 90 days.",
        ),
        (
            "Cooling",
            "Relationships going cold",
            &data.cooling,
            "No relationship is going cold. Keep it up.",
        ),
    ];
    for (heading, caption, movers, none) in tables {
        page::card(out, heading, true);
        if movers.is_empty() {
            page::empty(out, "Nothing here yet", none);
        } else {
            let rows: Vec<Vec<String>> = movers.iter().map(|m| row(m, data.as_of)).collect();
            page::table(
                out,
                caption,
                &["Person", "Stage", "Strength", "Last talked", "Note"],
                &rows,
            );
        }
        page::end_card(out);
    }
    out.push_str("</div>\n");
    page::end_section(out);
}

fn row(m: &Mover, as_of: rapport_model::Timestamp) -> Vec<String> {
    let person = if m.network.trim().is_empty() {
        format!(r#"<span class="name">{}</span>"#, Esc(&m.name))
    } else {
        format!(
            r#"<span class="name">{}</span><span class="sub">{}</span>"#,
            Esc(&m.name),
            Esc(&m.network)
        )
    };
    let (now, then) = (format::unit(m.strength_now), format::unit(m.strength_90d_ago));
    let tone = if now >= then { "up" } else { "down" };
    let strength = format!(
        r#"<div class="strength">{}<span class="figures">{} → {} <span class="delta {tone}">{}</span></span></div>"#,
        chart::strength_bars(then, now),
        format::decimal(then),
        format::decimal(now),
        format::signed(now - then),
    );
    let last = match m.last_interaction {
        Some(ts) => format!(
            r#"<time>{}</time><span class="sub">{}</span>"#,
            format::day(ts),
            format::ago(ts, as_of)
        ),
        None => r#"<span class="sub">never</span>"#.to_owned(),
    };
    vec![
        person,
        stage_pill(&m.stage),
        strength,
        last,
        format!(r#"<span class="note-cell">{}</span>"#, Esc(&m.note)),
    ]
}
