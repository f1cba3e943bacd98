//! The team pages without a workspace's data: the login form, the invitation form and the
//! workspace switcher. Like every page, no script and no inline style; maud escapes every value.

use maud::{DOCTYPE, Markup, html};

fn shell(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Rapport" }
                link rel="icon" href="/assets/icon.svg" type="image/svg+xml";
                link rel="stylesheet" href="/assets/app.css";
            }
            body { main #main { (body) } }
        }
    }
}

fn problem(message: Option<&str>) -> Markup {
    html! { @if let Some(message) = message { p.error role="alert" { (message) } } }
}

/// The login form, with why the last try failed.
pub(crate) fn login(message: Option<&str>) -> Markup {
    shell(
        "Log in",
        html! {
            h1 { "Log in to Rapport" }
            (problem(message))
            form method="post" action="/login" {
                label for="name" { "Name" }
                input #name name="name" autocomplete="username" required;
                label for="password" { "Password" }
                input #password name="password" type="password" autocomplete="current-password" required;
                button type="submit" { "Log in" }
            }
        },
    )
}

/// The form an invitee fills in.
pub(crate) fn invitation(token: &str, message: Option<&str>) -> Markup {
    shell(
        "Join",
        html! {
            h1 { "Join a Rapport workspace" }
            (problem(message))
            form method="post" action="/invite" {
                input type="hidden" name="token" value=(token);
                label for="name" { "Your name" }
                input #name name="name" autocomplete="username" required maxlength="64";
                label for="password" { "A password (12 characters or more)" }
                input #password name="password" type="password" autocomplete="new-password" required minlength="12";
                button type="submit" { "Join" }
            }
        },
    )
}

/// The workspace switcher: (id, name, role) of each of the user's workspaces.
pub(crate) fn workspaces(
    user: &str,
    current: i64,
    csrf: &str,
    rows: &[(i64, &str, &str)],
) -> Markup {
    shell(
        "Workspaces",
        html! {
            h1 { "Workspaces of " (user) }
            ul {
                @for (id, name, role) in rows {
                    li {
                        @if *id == current {
                            strong { (name) } " (" (role) ", current)"
                        } @else {
                            form method="post" action="/workspaces/switch" {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="workspace" value=(id);
                                button type="submit" { (name) } " (" (role) ")"
                            }
                        }
                    }
                }
            }
            form method="post" action="/logout" {
                input type="hidden" name="csrf" value=(csrf);
                button type="submit" { "Log out" }
            }
        },
    )
}
