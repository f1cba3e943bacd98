//! People: every relationship in a table, sortable by its column headers, filtered by stage,
//! network, trend and group, and searched by name; a plain form, so it works from the keyboard
//! and without the script.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use maud::{Markup, html};
use rapport_engine::model::Network;
use rapport_engine::score::Stage;

use super::{PageError, date, layout, meter, person_href};
use crate::api::groups::GroupsDto;
use crate::api::people::{PeopleDto, PeopleParams, load};
use crate::state::AppState;

/// The sortable columns: the sort key and the header.
const SORTS: [(&str, &str); 5] = [
    ("name", "Person"),
    ("strength", "Strength"),
    ("trend", "Trend"),
    ("reciprocity", "Reciprocity"),
    ("last", "Last"),
];

pub(crate) async fn page(
    State(state): State<AppState>,
    params: Result<Query<PeopleParams>, QueryRejection>,
) -> Result<Markup, PageError> {
    let params = crate::api::query(params)?;
    let people = load(&state, params.clone()).await?;
    let groups = crate::api::groups::load(&state).await?;
    let frame = state.frame();
    Ok(layout("People", "/people", &frame, render(&params, &people, &groups, &frame.query)))
}

/// The address of this listing with `changes` applied to its parameters.
fn href(params: &PeopleParams, changes: &[(&str, String)]) -> String {
    let mut pairs: Vec<(&str, String)> = [
        ("q", &params.q),
        ("stage", &params.stage),
        ("network", &params.network),
        ("trend", &params.trend),
        ("group", &params.group),
        ("sort", &params.sort),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (k, v)))
    .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
    .collect();
    pairs.extend(changes.iter().filter(|(_, v)| !v.is_empty()).cloned());
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    if query.is_empty() { "/people".to_owned() } else { format!("/people?{}", query.join("&")) }
}

/// Percent-encoding for a query value.
pub(super) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn select(name: &str, label: &str, current: Option<&str>, options: &[(String, String)]) -> Markup {
    html! {
        label {
            span { (label) }
            select name=(name) {
                option value="" { "any" }
                @for (value, text) in options {
                    option value=(value) selected[current == Some(value.as_str())] { (text) }
                }
            }
        }
    }
}

/// The listing; `view` is the address's choice of view (`?as=…`), which the person links keep.
fn render(params: &PeopleParams, people: &PeopleDto, groups: &GroupsDto, view: &str) -> Markup {
    let sort = params.sort.as_deref().unwrap_or("strength");
    let stages: Vec<(String, String)> =
        Stage::ALL.iter().map(|s| (s.as_str().to_owned(), s.as_str().to_owned())).collect();
    let networks: Vec<(String, String)> =
        Network::ALL.iter().map(|n| (n.as_str().to_owned(), n.as_str().to_owned())).collect();
    let trends: Vec<(String, String)> = ["warming", "steady", "cooling"]
        .iter()
        .map(|t| ((*t).to_owned(), (*t).to_owned()))
        .collect();
    let group_options: Vec<(String, String)> = groups
        .groups
        .iter()
        .map(|g| (g.index.to_string(), format!("{} ({})", g.name, g.size)))
        .collect();
    let shown = people.people.len();
    let offset = people.offset;
    html! {
        h1 { "People" }
        p.lead { (people.matching) " of " (people.total) " relationships, as of " (date(&people.as_of)) "." }
        form.filters method="get" action="/people" role="search" {
            label.search {
                span { "Search" }
                input type="search" name="q" value=(params.q.as_deref().unwrap_or("")) placeholder="handle or name";
            }
            (select("stage", "Stage", params.stage.as_deref(), &stages))
            (select("network", "Network", params.network.as_deref(), &networks))
            (select("trend", "Trend", params.trend.as_deref(), &trends))
            (select("group", "Group", params.group.as_deref(), &group_options))
            input type="hidden" name="sort" value=(sort);
            button type="submit" { "Filter" }
            a href="/people" { "Clear" }
        }
        div.scroll {
            table.people {
                caption.visually-hidden { "Relationships, sorted by " (sort) }
                thead { tr {
                    @for (key, header) in SORTS {
                        th scope="col" aria-sort=[(key == sort).then_some(if key == "name" { "ascending" } else { "descending" })] {
                            a href=(href(params, &[("sort", key.to_owned())])) { (header) }
                        }
                    }
                    th scope="col" { "Stage" }
                    th scope="col" { "Network" }
                    th scope="col" { "Given / asked" }
                } }
                tbody {
                    @for p in &people.people {
                        tr {
                            th scope="row" {
                                a href={(person_href(&p.key)) (view)} { (p.name) }
                                @if let Some(d) = &p.display_name { br; span.muted { (d) } }
                            }
                            // The column the listing is sorted by: "strongest" means invested.
                            td { (meter(p.strength, "strength")) }
                            td { span class={"trend trend-" (p.trend)} { (p.trend) } }
                            td.num { (p.reciprocity.map_or_else(|| "—".to_owned(), |x| format!("{x:.2}"))) }
                            td { (p.last.as_deref().map(date).unwrap_or("")) @if let Some(by) = p.last_by { " " span.muted { "(" (by) ")" } } }
                            td { span class={"badge stage-" (p.stage)} { @if p.blocked { "blocked" } @else { (p.stage) } } }
                            td { (p.networks.join(", ")) }
                            td.num { (p.given) " / " (p.asked) }
                        }
                    }
                }
            }
        }
        nav.paging aria-label="Pages of people" {
            @if offset > 0 {
                a href=(href(params, &[("offset", offset.saturating_sub(100).to_string())])) { "← previous" }
            }
            span.muted { (if shown == 0 { 0 } else { offset + 1 }) "–" (offset + shown) " of " (people.matching) }
            @if offset + shown < people.matching {
                a href=(href(params, &[("offset", (offset + shown).to_string())])) { "next →" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_and_encode_them() {
        let params = PeopleParams {
            q: Some("a&b c".into()),
            stage: Some("close".into()),
            ..PeopleParams::default()
        };
        assert_eq!(
            href(&params, &[("sort", "name".into())]),
            "/people?q=a%26b%20c&stage=close&sort=name"
        );
        assert_eq!(href(&PeopleParams::default(), &[]), "/people");
    }
}
