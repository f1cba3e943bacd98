//! Which permission a request needs, from its method and path: one table, so a new endpoint that
//! changes state and is not listed here needs the owner (fails closed) rather than nobody.

use axum::http::Method;
use rapport_engine::team::rules::Permission;

/// Addresses anyone may reach without a session: the login and invitation forms and their API
/// twins, and the static assets those pages load.
const PUBLIC: [&str; 5] =
    ["/login", "/invite", "/api/team/login", "/api/team/invitations/accept", "/assets/"];

/// State-changing requests and what they need. A path ending in `/` covers everything under it.
/// Checking a draft, logging out, switching workspace and managing one's own API tokens change
/// nothing of the workspace's data, so any member may.
const WRITES: [(&str, Permission); 19] = [
    ("/api/import", Permission::Import),
    ("/api/today/", Permission::MarkDone),
    ("/api/person/merge", Permission::Merge),
    ("/api/person/split", Permission::Merge),
    ("/api/me", Permission::Merge),
    ("/api/send", Permission::Send),
    ("/api/sync", Permission::Sync),
    ("/api/settings", Permission::ChangeSetting),
    ("/api/team/accounts", Permission::Sync),
    ("/api/team/accounts/", Permission::Sync),
    ("/api/check", Permission::Read),
    ("/api/team/invitations", Permission::ManageMembers),
    ("/api/team/members", Permission::ManageMembers),
    ("/api/team/tokens", Permission::Read),
    ("/api/team/tokens/", Permission::Read),
    ("/api/team/logout", Permission::Read),
    ("/api/team/workspaces/switch", Permission::Read),
    ("/logout", Permission::Read),
    ("/workspaces/switch", Permission::Read),
];

/// Reads only some roles may make: the audit log, the settings (owners) and the connected
/// accounts (those who may sync them).
const READS: [(&str, Permission); 3] = [
    ("/api/team/audit-log", Permission::ReadAuditLog),
    ("/api/settings", Permission::ChangeSetting),
    ("/api/team/accounts", Permission::Sync),
];

/// State-changing forms of pages without scripts: they carry the CSRF token in a form field,
/// which their handlers check, instead of the header.
pub(crate) const FORM_POSTS: [&str; 2] = ["/logout", "/workspaces/switch"];

fn matches(pattern: &str, path: &str) -> bool {
    if pattern.ends_with('/') { path.starts_with(pattern) } else { path == pattern }
}

/// Whether `path` is reachable without a session.
pub(crate) fn is_public(path: &str) -> bool {
    PUBLIC.iter().any(|p| matches(p, path))
}

/// Whether the method changes state.
pub(crate) fn writes(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The permission a request needs.
pub(crate) fn of(method: &Method, path: &str) -> Permission {
    let table: &[(&str, Permission)] = if writes(method) { &WRITES } else { &READS };
    let listed = table.iter().find(|(p, _)| matches(p, path)).map(|(_, needs)| *needs);
    match listed {
        Some(needs) => needs,
        None if writes(method) => Permission::ChangeSetting,
        None => Permission::Read,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_engine::team::rules::{Role, allows};

    fn check(method: Method, path: &str, expected: Permission) {
        assert_eq!(of(&method, path), expected, "{method} {path}");
    }

    #[test]
    fn every_change_of_the_dashboard_needs_its_permission() {
        check(Method::POST, "/api/import", Permission::Import);
        check(Method::POST, "/api/today/abc/done", Permission::MarkDone);
        check(Method::POST, "/api/today/abc/snooze", Permission::MarkDone);
        check(Method::POST, "/api/person/merge", Permission::Merge);
        check(Method::POST, "/api/person/split", Permission::Merge);
        check(Method::POST, "/api/check", Permission::Read);
        check(Method::POST, "/api/team/invitations", Permission::ManageMembers);
        check(Method::POST, "/api/team/members", Permission::ManageMembers);
        check(Method::GET, "/api/team/members", Permission::Read);
        check(Method::GET, "/api/team/audit-log", Permission::ReadAuditLog);
        check(Method::GET, "/api/people", Permission::Read);
        check(Method::GET, "/person/42", Permission::Read);
        check(Method::POST, "/api/sync", Permission::Sync);
        check(Method::POST, "/api/send", Permission::Send);
        check(Method::GET, "/api/settings", Permission::ChangeSetting);
        check(Method::POST, "/api/settings", Permission::ChangeSetting);
        check(Method::GET, "/api/team/accounts", Permission::Sync);
        check(Method::POST, "/api/team/accounts", Permission::Sync);
        check(Method::POST, "/api/team/accounts/mastodon/code", Permission::Sync);
    }

    #[test]
    fn unlisted_changes_need_the_owner() {
        for path in ["/api/whatever", "/api/import/1", "/api/people", "/api/todayx"] {
            check(Method::POST, path, Permission::ChangeSetting);
            check(Method::DELETE, path, Permission::ChangeSetting);
            assert!(!allows(Role::Editor, of(&Method::PUT, path)));
        }
    }

    #[test]
    fn only_the_login_and_invitation_doors_are_public() {
        for path in [
            "/login",
            "/invite",
            "/api/team/login",
            "/api/team/invitations/accept",
            "/assets/app.css",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/",
            "/people",
            "/api/people",
            "/loginx",
            "/api/team/me",
            "/api/team/invitations",
            "/assets",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }
}
