//! Groups: the communities of the user's network, named by what they talk about.

use axum::extract::State;
use maud::{Markup, html};

use super::{PageError, layout, meter};
use crate::api::groups::{GroupsDto, load};
use crate::state::AppState;

pub(crate) async fn page(State(state): State<AppState>) -> Result<Markup, PageError> {
    let groups = load(&state).await?;
    Ok(layout("Groups", "/groups", &state.frame(), render(&groups)))
}

fn render(g: &GroupsDto) -> Markup {
    html! {
        h1 { "Your groups" }
        @if g.groups.is_empty() { p.empty { "No groups found in your network yet." } }
        ol.cards {
            @for group in &g.groups {
                li.card {
                    h2 { a href={"/people?group=" (group.index)} { (group.name) } }
                    p { (group.size) " people; you talk with " (group.talking_with) " of them." }
                    div.figures { div { span.label { "engagement" } (meter(group.engagement, "engagement")) } }
                    @if !group.closest.is_empty() { p { span.label { "closest: " } (group.closest.join(", ")) } }
                    @if !group.terms.is_empty() { p.muted { (group.terms.join(" · ")) } }
                }
            }
        }
    }
}
