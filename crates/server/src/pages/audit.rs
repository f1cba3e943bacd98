//! Audit: the user's own habits against the rules of social media, findings with examples, and
//! the promotional share per 30-day window.

use axum::extract::State;
use maud::{Markup, html};

use super::{PageError, date, layout};
use crate::api::audit::{AuditDto, load};
use crate::state::AppState;

pub(crate) async fn page(State(state): State<AppState>) -> Result<Markup, PageError> {
    let audit = load(&state).await?;
    Ok(layout("Audit", "/audit", &state.frame(), render(&audit)))
}

fn render(a: &AuditDto) -> Markup {
    html! {
        h1 { "Your habits" }
        p.lead {
            "As of " (date(&a.as_of)) "."
            @if let Some(h) = a.median_response_hours { " You answer in " (format!("{h:.1}")) " hours (median)." }
        }
        @if a.findings.is_empty() { p.empty { "Nothing to change: your history keeps to the rules." } }
        ol.cards {
            @for f in &a.findings {
                li class={"card severity-" (f.severity)} {
                    h2 { (f.title) " " span class={"badge severity-" (f.severity)} { (f.severity) } }
                    p { (f.count) " times. " (f.detail) }
                    p.muted { "rule " code { (f.rule) } }
                    @if !f.examples.is_empty() {
                        ul.examples {
                            @for e in &f.examples {
                                li { span.when { (e.at.as_deref().map_or("undated", date)) } " " q { (e.text) } }
                            }
                        }
                    }
                }
            }
        }
        @if !a.windows.is_empty() {
            section aria-labelledby="windows" {
                h2 #windows { "Promotional posts, 30 days at a time" }
                p.muted { "Keep it under " (format!("{:.0}%", a.promotional_limit * 100.0)) "." }
                div.scroll {
                    table {
                        thead { tr { th scope="col" { "30 days to" } th scope="col" { "posts" } th scope="col" { "promotional" } th scope="col" { "share" } } }
                        tbody {
                            @for w in &a.windows {
                                @let share = if w.posts == 0 { 0.0 } else { w.promotional as f64 / w.posts as f64 };
                                tr class=(if share > a.promotional_limit { "over" } else { "" }) {
                                    td { (date(&w.end)) } td.num { (w.posts) } td.num { (w.promotional) } td.num { (format!("{:.0}%", share * 100.0)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
