//! The dashboard's HTML: one module per page, each rendered by maud from the data its `/api/`
//! twin serves. maud escapes every value it writes, so imported names and texts (hostile by
//! assumption) reach the page as text, never as markup; the pages carry no inline script or style,
//! so the Content-Security-Policy can forbid both.

pub(crate) mod audit;
pub(crate) mod charts;
pub(crate) mod discover;
pub(crate) mod groups;
pub(crate) mod import;
pub(crate) mod map;
pub(crate) mod people;
pub(crate) mod person;
pub(crate) mod today;

use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use crate::error::ApiError;
use crate::state::AppState;

/// The pages in the navigation, in order: address and name.
const NAV: [(&str, &str); 8] = [
    ("/", "Today"),
    ("/people", "People"),
    ("/map", "Map"),
    ("/discover", "Discover"),
    ("/groups", "Groups"),
    ("/audit", "Audit"),
    ("/report", "Report"),
    ("/import", "Import"),
];

/// A page with the navigation around `body`; `current` is the address of the page shown.
/// What every page's frame shows besides the page: the CSRF token for the script, and the view
/// the server shows the store from when it is not "me", now (`--as`, `--as-of`).
#[derive(Default)]
pub(crate) struct Frame<'a> {
    pub(crate) csrf: &'a str,
    pub(crate) view: Option<String>,
    /// `?as=…&as_of=…` when the address chose the view, so the navigation keeps it.
    pub(crate) query: String,
}

impl AppState {
    /// The frame of this server's pages.
    pub(crate) fn frame(&self) -> Frame<'_> {
        let view = self.current_view();
        let day = view.as_of.map(rapport_engine::model::time::format_date);
        let who = view.as_account.as_deref().map(|a| format!("as {a}"));
        let when = day.as_deref().map(|d| format!("as of {d}"));
        let described: Vec<String> = who.into_iter().chain(when).collect();
        let mut query = Vec::new();
        if !std::sync::Arc::ptr_eq(&view, &self.view) {
            query.extend(view.as_account.as_deref().map(|a| format!("as={}", people::encode(a))));
            query.extend(day.map(|d| format!("as_of={d}")));
        }
        Frame {
            csrf: &self.security.csrf,
            view: (!described.is_empty()).then(|| described.join(", ")),
            query: if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) },
        }
    }
}

pub(crate) fn layout(title: &str, current: &str, frame: &Frame<'_>, body: Markup) -> Markup {
    let csrf = frame.csrf;
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="csrf-token" content=(csrf);
                title { (title) " · Rapport" }
                link rel="icon" href="/assets/icon.svg" type="image/svg+xml";
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to the content" }
                header.top {
                    a.brand href="/" { "Rapport" }
                    nav aria-label="Pages" {
                        ul {
                            @for (href, name) in NAV {
                                li {
                                    @if href == current {
                                        a href={(href) (frame.query)} aria-current="page" { (name) }
                                    } @else {
                                        a href={(href) (frame.query)} { (name) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(view) = &frame.view {
                    p.view-banner role="note" {
                        "You are viewing the store " (view) "; replies cannot be sent from this view. "
                        a href=(current) { "Back to the server's view" }
                    }
                }
                main #main tabindex="-1" data-page=(current) {
                    @if !current.is_empty() && current != "/import" {
                        details.view-switch {
                            summary { "View as another account or as of another day" }
                            form method="get" action=(current) {
                                label { span { "As (handle or id)" } input type="text" name="as" autocomplete="off"; }
                                label { span { "As of" } input type="date" name="as_of"; }
                                button type="submit" { "Show" }
                            }
                        }
                    }
                    (body)
                }
                div #live.visually-hidden aria-live="polite" {}
            }
        }
    }
}

/// A page that failed: the same message the API gives, with its status, on a plain page.
pub(crate) struct PageError(pub(crate) ApiError);

impl From<ApiError> for PageError {
    fn from(err: ApiError) -> PageError {
        PageError(err)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let body = html! {
            h1 { "Nothing to show here" }
            p.error role="alert" { (self.0.message) }
            p { "Start from " a href="/" { "today's list" } ", or " a href="/import" { "import an export" } "." }
        };
        (status, layout("Error", "", &Frame::default(), body)).into_response()
    }
}

/// The address of a person's page; the key is percent-encoded, since handles come from imports.
pub(crate) fn person_href(key: &str) -> String {
    let mut out = String::from("/person/");
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'@') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The date part of an RFC 3339 moment.
pub(crate) fn date(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// A strength or score from 0 to 1 as a meter with its number beside it.
pub(crate) fn meter(value: f64, label: &str) -> Markup {
    html! {
        span.meter {
            meter min="0" max="1" value=(format!("{value:.3}")) aria-label=(label) {}
            span.num { (format!("{value:.2}")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_addresses_escape_what_imports_put_in_handles() {
        assert_eq!(person_href("ada"), "/person/ada");
        assert_eq!(person_href("ada@town.example"), "/person/ada@town.example");
        assert_eq!(person_href("<script>/x"), "/person/%3Cscript%3E%2Fx");
        assert_eq!(person_href("a b?c#d"), "/person/a%20b%3Fc%23d");
        assert_eq!(person_href("é"), "/person/%C3%A9");
    }
}
