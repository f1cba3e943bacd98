//! The audit: the user's own history held against the rules of social media, with examples.

use crate::data::{Finding, ReportData};
use crate::format;
use crate::html::{Esc, clip, put};
use crate::page;

/// How many examples a finding shows, and how long each may be.
const EXAMPLES_SHOWN: usize = 5;
const EXAMPLE_CHARS: usize = 280;

/// Renders the findings, most severe first.
pub(crate) fn render(out: &mut String, data: &ReportData) {
    page::section(
        out,
        "audit",
        "Audit",
        "Your own history against the rules of social media, with the posts and messages behind each finding.",
    );
    if data.audit.is_empty() {
        page::empty(
            out,
            "Nothing to report",
            "No promotional streaks, cold pitches, engagement bait or unanswered mentions were found.",
        );
    } else {
        let mut findings: Vec<&Finding> = data.audit.iter().collect();
        findings.sort_by(|a, b| severity(b.severity).total_cmp(&severity(a.severity)));
        out.push_str(r#"<div class="findings">"#);
        for finding in findings {
            render_finding(out, finding, data.as_of);
        }
        out.push_str("</div>\n");
    }
    page::end_section(out);
}

fn render_finding(out: &mut String, f: &Finding, as_of: rapport_model::Timestamp) {
    let (key, label) = level(f.severity);
    put!(
        out,
        r#"<details class="finding" open><summary><span class="sev sev-{key}">{label}</span><span class="finding-title">{}</span><span class="count">{}×</span></summary><div class="finding-body"><p class="rule">Rule <code>{}</code></p>"#,
        Esc(&f.title),
        format::count(f.count),
        Esc(&f.rule),
    );
    if !f.examples.is_empty() {
        out.push_str(r#"<ul class="examples">"#);
        for e in f.examples.iter().take(EXAMPLES_SHOWN) {
            out.push_str("<li>");
            if let Some(ts) = e.date {
                put!(
                    out,
                    r#"<time title="{}">{}</time>"#,
                    Esc(&format::ago(ts, as_of)),
                    format::day(ts)
                );
            }
            put!(out, "<q>{}</q></li>", Esc(&clip(&e.text, EXAMPLE_CHARS)));
        }
        out.push_str("</ul>");
    }
    out.push_str("</div></details>");
}

/// Severity as a sortable number: NaN sorts as zero.
fn severity(s: f32) -> f32 {
    if s.is_finite() { s.clamp(0.0, 1.0) } else { 0.0 }
}

/// The label of a severity, in three levels a person can act on.
fn level(s: f32) -> (&'static str, &'static str) {
    match severity(s) {
        s if s >= 0.66 => ("high", "High"),
        s if s >= 0.33 => ("medium", "Medium"),
        _ => ("low", "Low"),
    }
}
