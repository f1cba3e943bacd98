//! Person: one relationship in full: the strength history chart, stages, the give/ask ledger,
//! the timeline, and merge and split with the suggestions and their evidence.

use axum::extract::{Path, State};
use maud::{Markup, html};

use super::{PageError, date, layout, meter};
use crate::api::person::{AccountDto, PersonDto, load};
use crate::state::AppState;

pub(crate) async fn page(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Markup, PageError> {
    let person = load(&state, key).await?;
    Ok(layout(&person.name, "/people", &state.frame(), render(&person)))
}

fn kinds(list: &[(&str, u32)]) -> String {
    if list.is_empty() {
        return "nothing".to_owned();
    }
    list.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ")
}

fn account(a: &AccountDto) -> Markup {
    html! {
        (a.label) " " span.muted { "(" (a.network) ")" }
        @if let Some(d) = &a.display_name { " " (d) }
    }
}

fn render(p: &PersonDto) -> Markup {
    let l = &p.ledger;
    html! {
        h1 { (p.name) }
        p.lead {
            span class={"badge stage-" (p.stage)} { @if p.blocked { "blocked" } @else { (p.stage) } }
            " " span class={"trend trend-" (p.trend)} { (p.trend) }
            @if p.kind == "organisation" { " " span.badge.kind-organisation { "organisation" } }
            " · as of " (date(&p.as_of))
        }
        section aria-labelledby="accounts" {
            h2 #accounts { "Accounts" }
            @if !p.kind_evidence.is_empty() {
                p.evidence {
                    span.label { (p.kind) ", from: " }
                    (p.kind_evidence.join("; "))
                }
            }
            ul.accounts {
                @for a in &p.accounts {
                    li {
                        (account(a))
                        @if a.merged && p.accounts.len() > 1 {
                            " " button type="button" data-split=(a.spec) { "Split off" }
                        }
                    }
                }
            }
            @if !p.merge_suggestions.is_empty() {
                h3 { "May be the same person" }
                ul.suggestions {
                    @for s in &p.merge_suggestions {
                        li {
                            (account(&s.a)) " and " (account(&s.b))
                            " " span.muted { (format!("{:.0}%", s.confidence * 100.0)) ": " (s.evidence.join("; ")) }
                            " " button type="button" data-merge-a=(s.a.spec) data-merge-b=(s.b.spec) { "Merge" }
                        }
                    }
                }
            }
            form.merge data-merge-into=(p.accounts.first().map_or("", |a| a.spec.as_str())) {
                label {
                    span { "Merge with another account" }
                    input type="text" name="other" placeholder="network:handle, e.g. bluesky:ada.example" required;
                }
                button type="submit" { "Merge" }
            }
            p.form-result aria-live="polite" {}
        }
        section aria-labelledby="strength" {
            h2 #strength { "Strength" }
            div.figures {
                div { span.label { "invested" } (meter(p.strength, "strength: invested over time")) }
                div { span.label { "next 30 days" } (meter(p.next_30d, "chance of contact in the next 30 days")) }
                div { span.label { "30 days ago" } (meter(p.next_30d_30d_ago, "chance of contact, as it was 30 days ago")) }
                div { span.label { "90 days ago" } (meter(p.next_30d_90d_ago, "chance of contact, as it was 90 days ago")) }
                div { span.label { "reciprocity" } span.num { (p.reciprocity.map_or_else(|| "— (one-sided export)".to_owned(), |x| format!("{x:.2}"))) } }
                div { span.label { "known since" } span { (p.first_contact.as_deref().map_or("undated", date)) } }
                div { span.label { "shared connections" } span.num { (p.shared_connections) } }
            }
            (super::charts::strength_history(&p.history))
        }
        section aria-labelledby="ledger" {
            h2 #ledger { "Give and ask" }
            div.scroll {
                table.ledger {
                    thead { tr { th scope="col" { "" } th scope="col" { "replies" } th scope="col" { "credits" } th scope="col" { "reposts" } th scope="col" { "likes" } th scope="col" { "total" } } }
                    tbody {
                        tr { th scope="row" { "you gave" } td { (l.given.replies) } td { (l.given.credits) } td { (l.given.reposts) } td { (l.given.likes) } td { (l.given.total) } }
                        tr { th scope="row" { "they gave" } td { (l.received.replies) } td { (l.received.credits) } td { (l.received.reposts) } td { (l.received.likes) } td { (l.received.total) } }
                    }
                }
            }
            p { "You asked: " (l.asked_requests) " requests, " (l.asked_cold_dms) " cold DMs, " (l.asked_pitches) " pitches. " span.muted { (l.basis) } }
            p { "You: " (kinds(&p.you_gave)) "." br; "They: " (kinds(&p.they_gave)) "." }
        }
        @if !p.stage_changes.is_empty() {
            section aria-labelledby="stages" {
                h2 #stages { "Stages" }
                ol.stages {
                    @for c in &p.stage_changes {
                        li { (c.at.as_deref().map_or("undated", date)) ": " (c.from) " → " (c.to) }
                    }
                }
            }
        }
        section aria-labelledby="timeline" {
            h2 #timeline { "Timeline" }
            p.muted { "The newest " (p.timeline.len()) " of " (p.timeline_total) ", newest first." }
            ol.timeline {
                @for i in p.timeline.iter().rev() {
                    li class=(if i.from_me { "out" } else { "in" }) {
                        span.when { (i.at.as_deref().map_or("undated", date)) }
                        span.who { (if i.from_me { "you →" } else { "they →" }) }
                        span.kind { (i.kind) }
                        span.muted { (i.network) }
                        @if let Some(t) = &i.text { q.text { (t) } }
                    }
                }
            }
        }
    }
}
