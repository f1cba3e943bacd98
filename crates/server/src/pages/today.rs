//! Today: the actions with why and how, done and snooze, and a reply box per action whose draft
//! is checked as it is typed (the script fills in the score and highlights flagged phrases).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use maud::{Markup, html};

use super::{PageError, date, layout, person_href};
use crate::api::today::{ActionDto, TodayDto, TodayParams, load};
use crate::state::AppState;

pub(crate) async fn page(
    State(state): State<AppState>,
    params: Result<Query<TodayParams>, QueryRejection>,
) -> Result<Markup, PageError> {
    let today = load(&state, crate::api::query(params)?).await?;
    let frame = state.frame();
    Ok(layout("Today", "/", &frame, render(&today, &frame.query)))
}

/// Today's page; `view` is the address's choice of view (`?as=…`), which links keep.
fn render(today: &TodayDto, view: &str) -> Markup {
    html! {
        h1 { "Today, " (date(&today.as_of)) }
        p.lead {
            @if today.actions.is_empty() {
                "Nothing waits for you. A good day to post something useful or to answer someone's question."
            } @else {
                (today.actions.len()) " things worth your time. Write your reply here: it is checked as you type."
            }
            @if today.hidden > 0 {
                " " span.muted { "(" (today.hidden) " done or snoozed hidden)" }
            }
        }
        ol.actions {
            @for a in &today.actions { li { (action(a, view)) } }
        }
    }
}

fn action(a: &ActionDto, view: &str) -> Markup {
    let reply_id = format!("reply-{}", a.id);
    html! {
        article.action data-action-id=(a.id) {
            header {
                span class={"badge kind-" (a.kind)} { (a.kind) }
                h2 { a href={(person_href(&a.key)) (view)} { (a.who) } }
                span.muted { "on " (a.network) @if let Some(at) = &a.at { ", " (date(at)) } }
            }
            p.why { strong { "Why: " } (a.why) }
            p.how { strong { "How: " } (a.approach) }
            div.reply {
                label for=(reply_id) { "Your " (if a.reply_kind == "dm" { "message" } else { "reply" }) " to " (a.who) }
                div.draft {
                    div.mirror aria-hidden="true" {}
                    textarea id=(reply_id) rows="3" data-check=(a.reply_kind) data-to=(a.key) data-network=(a.network)
                        aria-describedby={(reply_id) "-result"} {}
                }
                div.check-result id={(reply_id) "-result"} aria-live="polite" {}
                @if let Some(plan) = &a.send {
                    div.send {
                        p.send-plan id={(reply_id) "-plan"} { (plan.says) }
                        button type="button" data-send=(reply_id) aria-describedby={(reply_id) "-plan"} {
                            "Send on " (a.network)
                        }
                    }
                } @else if let Some(why) = &a.unsendable {
                    p.send-unavailable.muted { "Send is unavailable: " (why) }
                }
            }
            div.buttons {
                button type="button" data-do="done" { "Done" }
                label.snooze {
                    span.visually-hidden { "Snooze for" }
                    select data-snooze-days="" {
                        option value="1" { "1 day" }
                        option value="3" { "3 days" }
                        option value="7" selected { "1 week" }
                        option value="30" { "1 month" }
                    }
                }
                button type="button" data-do="snooze" { "Snooze" }
                span.muted { "id " code { (a.id) } }
            }
        }
    }
}
