//! Map: "me" at the centre, relationships in rings by stage, node size by strength, colour by stage
//! or trend, groups as sectors. The page is a frame; `map.js` draws `/api/map` on a canvas and
//! fills the table beside it, which gives screen readers the same data.

use axum::extract::State;
use maud::{Markup, html};

use super::layout;
use crate::state::AppState;

pub(crate) async fn page(State(state): State<AppState>) -> Markup {
    layout("Map", "/map", &state.frame(), render())
}

fn render() -> Markup {
    html! {
        h1 { "Your relationships" }
        form.map-controls aria-label="Map settings" {
            label {
                span { "Colour by" }
                select #map-colour {
                    option value="stage" selected { "stage" }
                    option value="trend" { "trend" }
                }
            }
            fieldset {
                legend { "Show" }
                @for stage in ["close", "mutual", "engaged", "aware", "stranger"] {
                    label.check { input type="checkbox" name="stage" value=(stage) checked; " " (stage) }
                }
            }
        }
        div.map-wrap {
            div.map-canvas {
                canvas #map role="img" aria-label="Map of your relationships; the table below lists the same people" {}
                div #map-tip.tip role="tooltip" hidden {}
                p #map-status.muted aria-live="polite" { "Loading the map…" }
            }
            div #map-legend.legend {}
        }
        section aria-labelledby="map-table-title" {
            h2 #map-table-title { "The map as a table" }
            div.scroll {
                table #map-table {
                    caption.visually-hidden { "Everyone on the map, strongest first" }
                    thead { tr {
                        th scope="col" { "Person" } th scope="col" { "Stage" } th scope="col" { "Strength" }
                        th scope="col" { "Trend" } th scope="col" { "Group" }
                    } }
                    tbody {}
                }
            }
        }
        script src="/assets/map.js" defer {}
    }
}
