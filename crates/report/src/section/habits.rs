//! The user's habits over time: what they gave against what they asked, and how promotional
//! their own posts were.

use rapport_model::Timestamp;

use crate::chart::{self, Series, SharePoint};
use crate::data::{GiveAskPoint, PromotionalPoint, ReportData};
use crate::format;
use crate::html::{Esc, put};
use crate::page;

/// How many recent months the summaries under the charts add up.
const RECENT_MONTHS: usize = 3;

/// Renders the give/ask bars and the promotional share line side by side.
pub(crate) fn render(out: &mut String, data: &ReportData) {
    page::section(
        out,
        "habits",
        "Give and ask",
        "Give before you ask: replies, thanks, shares and help against pitches and requests, and how much of what you post sells.",
    );
    out.push_str(r#"<div class="grid">"#);
    page::card(out, "Given and asked", false);
    if data.give_ask.is_empty() {
        page::empty(
            out,
            "No ledger yet",
            "Gives and asks appear once your own replies, shares and messages are imported.",
        );
    } else {
        give_ask(out, &data.give_ask);
    }
    page::end_card(out);
    page::card(out, "Promotional share of your posts", false);
    if data.promotional.iter().all(|p| p.posts == 0) {
        page::empty(
            out,
            "No posts yet",
            "The share of promotional posts appears once your own posts are imported.",
        );
    } else {
        promotional(out, &data.promotional, data.promotional_limit);
    }
    page::end_card(out);
    out.push_str("</div>\n");
    page::end_section(out);
}

fn give_ask(out: &mut String, points: &[GiveAskPoint]) {
    let recent = &points[points.len().saturating_sub(RECENT_MONTHS)..];
    let (given, asked) = recent
        .iter()
        .fold((0u64, 0u64), |(g, a), p| (g + u64::from(p.given), a + u64::from(p.asked)));
    let verdict = if given >= asked.saturating_mul(3) {
        ("good", "healthy")
    } else if given >= asked {
        ("warn", "could give more")
    } else {
        ("bad", "asking more than giving")
    };
    put!(
        out,
        r#"<p class="summary">Last {} months: you gave <strong>{}</strong> times and asked <strong>{}</strong> times. <span class="status {}">{}</span></p>"#,
        recent.len(),
        format::count(given),
        format::count(asked),
        verdict.0,
        verdict.1,
    );
    let months: Vec<Timestamp> = points.iter().map(|p| p.month).collect();
    let series = [
        Series {
            name: "Given",
            key: "given",
            values: points.iter().map(|p| f64::from(p.given)).collect(),
        },
        Series {
            name: "Asked",
            key: "asked",
            values: points.iter().map(|p| f64::from(p.asked)).collect(),
        },
    ];
    chart::legend(out, &[("Given", "given"), ("Asked", "asked")]);
    out.push_str(&chart::grouped_bars(&months, &series, "What you gave and asked, month by month"));
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| vec![format::month(p.month, true), p.given.to_string(), p.asked.to_string()])
        .collect();
    page::numbers(out, "Gives and asks per month", &["Month", "Given", "Asked"], &rows);
}

/// The promotional share of a month's posts, or `None` for a month without posts.
fn share(p: &PromotionalPoint) -> Option<f64> {
    (p.posts > 0).then(|| f64::from(p.promotional.min(p.posts)) / f64::from(p.posts))
}

/// The latest month with posts, and its promotional share.
pub(crate) fn latest_share(points: &[PromotionalPoint]) -> Option<(&PromotionalPoint, f64)> {
    points.iter().rev().find_map(|p| share(p).map(|s| (p, s)))
}

fn promotional(out: &mut String, points: &[PromotionalPoint], limit: Option<f64>) {
    if let Some((last, s)) = latest_share(points) {
        let status = match limit.map(format::unit) {
            Some(l) if s > l => format!(
                r#" <span class="status bad">above the {} guideline</span>"#,
                format::percent(l)
            ),
            Some(l) => format!(
                r#" <span class="status good">within the {} guideline</span>"#,
                format::percent(l)
            ),
            None => String::new(),
        };
        put!(
            out,
            r#"<p class="summary">{}: <strong>{}</strong> of {} posts promotional ({}).{status}</p>"#,
            Esc(&format::month(last.month, true)),
            last.promotional.min(last.posts),
            last.posts,
            format::percent(s),
        );
    }
    let months: Vec<Timestamp> = points.iter().map(|p| p.month).collect();
    let line: Vec<SharePoint> = points
        .iter()
        .map(|p| SharePoint {
            share: share(p),
            title: format!(
                "{}: {} of {} posts promotional",
                format::month(p.month, true),
                p.promotional.min(p.posts),
                p.posts
            ),
        })
        .collect();
    chart::legend(out, &[("Promotional share", "promo")]);
    out.push_str(&chart::share_line(
        &months,
        &line,
        limit,
        "Share of your posts that were promotional, month by month",
    ));
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            vec![
                format::month(p.month, true),
                p.posts.to_string(),
                p.promotional.min(p.posts).to_string(),
                share(p).map_or_else(|| "–".to_owned(), format::percent),
            ]
        })
        .collect();
    page::numbers(
        out,
        "Promotional posts per month",
        &["Month", "Posts", "Promotional", "Share"],
        &rows,
    );
}
