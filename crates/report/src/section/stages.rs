//! Relationships by stage: how many people were at each stage month by month, and where they stand now.

use rapport_model::Timestamp;

use super::{STAGES, stage_count};
use crate::chart::{self, Series};
use crate::data::{ReportData, StagePoint};
use crate::format;
use crate::html::{Esc, put};
use crate::page;

/// How many months back the "now" card compares with.
const COMPARE_MONTHS: usize = 3;

/// Renders the stacked area chart and the current breakdown.
pub(crate) fn render(out: &mut String, data: &ReportData) {
    page::section(
        out,
        "stages",
        "Relationships by stage",
        "From strangers to close ties: how many people were at each stage at the end of every month.",
    );
    out.push_str(r#"<div class="grid">"#);
    page::card(out, "Over time", false);
    if data.stages.is_empty() {
        page::empty(
            out,
            "No history yet",
            "Stages appear here once interactions span a month or more.",
        );
    } else {
        over_time(out, &data.stages);
    }
    page::end_card(out);
    page::card(out, "Now", false);
    match data.stages.last() {
        None => page::empty(
            out,
            "No stages yet",
            "Import interactions to see who is close, mutual or engaged.",
        ),
        Some(last) => {
            now(out, last, compared(&data.stages));
        }
    }
    page::end_card(out);
    out.push_str("</div>\n");
    page::end_section(out);
}

fn over_time(out: &mut String, points: &[StagePoint]) {
    let months: Vec<Timestamp> = points.iter().map(|p| p.month).collect();
    let layers: Vec<Series<'_>> = STAGES
        .iter()
        .map(|&(name, key)| Series {
            name,
            key,
            values: points.iter().map(|p| f64::from(stage_count(&p.counts, key))).collect(),
        })
        .collect();
    chart::legend(out, &STAGES);
    out.push_str(&chart::stacked_area(&months, &layers, "Relationships by stage, month by month"));
    let head: Vec<&str> =
        std::iter::once("Month").chain(STAGES.iter().map(|(name, _)| *name)).collect();
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            std::iter::once(format::month(p.month, true))
                .chain(STAGES.iter().map(|(_, key)| stage_count(&p.counts, key).to_string()))
                .collect()
        })
        .collect();
    page::numbers(out, "Relationships by stage at the end of each month", &head, &rows);
}

/// The latest month as one bar split by stage, and a list with the change over the last months.
/// The month the current counts are compared with: three months before the last, if there is one.
pub(crate) fn compared(points: &[StagePoint]) -> Option<&StagePoint> {
    points.len().checked_sub(COMPARE_MONTHS + 1).map(|i| &points[i])
}

fn now(out: &mut String, last: &StagePoint, earlier: Option<&StagePoint>) {
    let total: u64 = STAGES.iter().map(|(_, key)| u64::from(stage_count(&last.counts, key))).sum();
    put!(
        out,
        r#"<p class="now-total"><strong>{}</strong> relationships at the end of {}</p>"#,
        format::count(total),
        Esc(&format::month(last.month, true)),
    );
    if total > 0 {
        out.push_str(
            r#"<div class="stackbar" role="img" aria-label="Share of relationships by stage">"#,
        );
        for (name, key) in STAGES {
            let n = stage_count(&last.counts, key);
            if n > 0 {
                let share = f64::from(n) / total as f64 * 100.0;
                put!(
                    out,
                    r#"<span class="k-{key}" style="width:{share:.2}%" title="{name}: {n}"></span>"#
                );
            }
        }
        out.push_str("</div>");
    }
    out.push_str(r#"<ul class="stage-list">"#);
    for (name, key) in STAGES {
        let n = stage_count(&last.counts, key);
        let change = earlier.map(|e| i64::from(n) - i64::from(stage_count(&e.counts, key)));
        let change = match change {
            None | Some(0) => String::new(),
            Some(d) if d > 0 => format!(r#"<span class="delta up">+{d}</span>"#),
            Some(d) => format!(r#"<span class="delta down">−{}</span>"#, d.unsigned_abs()),
        };
        put!(
            out,
            r#"<li><span class="swatch k-{key}"></span><span class="stage-name">{name}</span><span class="stage-n">{}</span>{change}</li>"#,
            format::count(u64::from(n)),
        );
    }
    out.push_str("</ul>");
    if let Some(e) = earlier {
        put!(
            out,
            r#"<p class="note">Changes since the end of {}.</p>"#,
            Esc(&format::month(e.month, true))
        );
    }
}
