//! Rapport's report as one self-contained HTML page.
//!
//! The engine fills a [`ReportData`] (plain numbers and strings, no IO) and [`render_html`] turns it
//! into a single file that opens offline: inline CSS, charts drawn here as inline SVG, no scripts,
//! fonts or requests. Every string from the data is escaped, since names and post texts are written
//! by other people. Every section renders when its data is empty, saying what is missing instead
//! of drawing an empty chart.

mod chart;
mod data;
mod example;
mod format;
mod html;
mod page;
mod section;

pub use data::{
    Action, Example, Finding, GiveAskPoint, Group, Headline, Mover, PromotionalPoint, ReportData,
    StageCounts, StagePoint, Suggestion,
};
pub use example::example;

/// Renders the whole report as one HTML document.
///
/// Infallible: any data, however odd (NaN strengths, hostile names, empty series), gives a
/// well-formed page.
///
/// ```
/// let html = rapport_report::render_html(&rapport_report::example());
/// assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg class=\"chart\""));
/// ```
pub fn render_html(data: &ReportData) -> String {
    let mut out = String::with_capacity(96 * 1024);
    page::open(&mut out, data);
    section::overview::render(&mut out, data);
    section::today::render(&mut out, data);
    section::stages::render(&mut out, data);
    section::movers::render(&mut out, data);
    section::habits::render(&mut out, data);
    section::groups::render(&mut out, data);
    section::discover::render(&mut out, data);
    section::audit::render(&mut out, data);
    page::close(&mut out, data);
    out
}
