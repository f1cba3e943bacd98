//! Discover: people who share the user's passions, through their circle of trust, each with why,
//! filtered by topic.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use maud::{Markup, html};

use super::{PageError, layout, meter};
use crate::api::discover::{DiscoverDto, DiscoverParams, load};
use crate::state::AppState;

pub(crate) async fn page(
    State(state): State<AppState>,
    params: Result<Query<DiscoverParams>, QueryRejection>,
) -> Result<Markup, PageError> {
    let found = load(&state, crate::api::query(params)?).await?;
    Ok(layout("Discover", "/discover", &state.frame(), render(&found)))
}

fn render(d: &DiscoverDto) -> Markup {
    html! {
        h1 { "People who share your passions" }
        form.filters method="get" action="/discover" role="search" {
            label.search {
                span { "Topic" }
                input type="search" name="topic" value=(d.topic.as_deref().unwrap_or("")) placeholder="a hashtag, e.g. compost";
            }
            button type="submit" { "Find" }
            @if d.topic.is_some() { a href="/discover" { "Everyone" } }
        }
        @if d.suggestions.is_empty() {
            p.empty { "No one to suggest" @if let Some(t) = &d.topic { " for " q { (t) } } " yet." }
        }
        ol.cards {
            @for s in &d.suggestions {
                li.card {
                    h2 { (s.name) " " span.muted { (s.networks.join(", ")) } }
                    p { (s.why) }
                    div.figures {
                        div { span.label { "match" } (meter(s.score, "match")) }
                        div { span.label { "trust" } (meter(s.trust, "trust")) }
                        div { span.label { "interests" } (meter(s.interest, "shared interests")) }
                    }
                    @if !s.through.is_empty() { p { span.label { "through " } (s.through.join(", ")) } }
                    @if !s.shared.is_empty() { p { span.label { "you both post about " } (s.shared.join(", ")) } }
                }
            }
        }
    }
}
