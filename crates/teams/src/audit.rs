//! What an audit-log entry says: which action, on what. Who and in which workspace come from the
//! request, and the store adds the time.

use std::fmt;
use std::str::FromStr;

use crate::{Permission, TeamsError};

/// The most characters of an entry's subject kept: a subject names a file, a person or a
/// setting, and an audit log must not grow by whatever a client sends.
pub const SUBJECT_CHARS: usize = 300;

/// A state change worth recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A file was imported.
    Import,
    /// A connected account was synced.
    Sync,
    /// Two accounts were merged into one person, or "me" was set.
    Merge,
    /// An action of today was marked done or undone.
    MarkDone,
    /// A post or reply was sent.
    Send,
    /// A workspace setting was changed.
    SetSetting,
    /// A member was invited.
    Invite,
    /// An invitation was accepted: a member joined.
    Join,
    /// A member's role was changed or a member removed.
    ChangeMember,
    /// An API token was created.
    CreateToken,
    /// An API token was revoked.
    RevokeToken,
    /// A user logged in.
    Login,
    /// A user logged out.
    Logout,
    /// A workspace was created.
    CreateWorkspace,
    /// A personal SQLite store was moved into the workspace.
    MoveStore,
    /// A workspace was deleted with everything in it (an entry of the global log).
    DeleteWorkspace,
}

impl AuditAction {
    /// Every action, for round-trip tests and listings.
    pub const ALL: [Self; 16] = [
        Self::Import,
        Self::Sync,
        Self::Merge,
        Self::MarkDone,
        Self::Send,
        Self::SetSetting,
        Self::Invite,
        Self::Join,
        Self::ChangeMember,
        Self::CreateToken,
        Self::RevokeToken,
        Self::Login,
        Self::Logout,
        Self::CreateWorkspace,
        Self::MoveStore,
        Self::DeleteWorkspace,
    ];

    /// The action's stored name: stable, so old entries stay readable.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::Sync => "sync",
            Self::Merge => "merge",
            Self::MarkDone => "mark-done",
            Self::Send => "send",
            Self::SetSetting => "set-setting",
            Self::Invite => "invite",
            Self::Join => "join",
            Self::ChangeMember => "change-member",
            Self::CreateToken => "create-token",
            Self::RevokeToken => "revoke-token",
            Self::Login => "login",
            Self::Logout => "logout",
            Self::CreateWorkspace => "create-workspace",
            Self::MoveStore => "move-store",
            Self::DeleteWorkspace => "delete-workspace",
        }
    }
}

impl AuditAction {
    /// The entry a request granted `permission` writes when it succeeds; `None` for reads, and for
    /// member management, whose handlers write entries naming the member.
    #[must_use]
    pub const fn for_permission(permission: Permission) -> Option<Self> {
        match permission {
            Permission::Import => Some(Self::Import),
            Permission::Sync => Some(Self::Sync),
            Permission::MarkDone => Some(Self::MarkDone),
            Permission::Send => Some(Self::Send),
            Permission::Merge => Some(Self::Merge),
            Permission::ChangeSetting => Some(Self::SetSetting),
            Permission::Read | Permission::ReadAuditLog | Permission::ManageMembers => None,
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuditAction {
    type Err = TeamsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| TeamsError::UnknownAction(s.to_owned()))
    }
}

/// One entry to append: the action and its subject (a file name, a person, a setting's key and
/// value), kept verbatim up to [`SUBJECT_CHARS`]; whoever shows it escapes it for its medium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// What was done.
    pub action: AuditAction,
    /// To what.
    pub subject: String,
}

impl AuditEntry {
    /// An entry, its subject cut to [`SUBJECT_CHARS`] characters.
    #[must_use]
    pub fn new(action: AuditAction, subject: &str) -> Self {
        let subject = match subject.char_indices().nth(SUBJECT_CHARS) {
            Some((cut, _)) => format!("{}…", &subject[..cut]),
            None => subject.to_owned(),
        };
        Self { action, subject }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_through_distinct_names() {
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>().ok(), Some(action));
        }
        let mut names: Vec<_> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
        assert!("drop".parse::<AuditAction>().is_err());
    }

    #[test]
    fn every_write_but_member_management_is_audited_and_no_read_is() {
        for permission in Permission::ALL {
            let audited = AuditAction::for_permission(permission).is_some();
            let by_handler = permission == Permission::ManageMembers;
            assert_eq!(audited, permission.is_write() && !by_handler, "{permission:?}");
        }
    }

    #[test]
    fn subjects_are_kept_verbatim_up_to_the_limit() {
        let sql = "x'); DROP TABLE audit_log; --";
        assert_eq!(AuditEntry::new(AuditAction::Import, sql).subject, sql);
        let long = "é".repeat(SUBJECT_CHARS + 10);
        let cut = AuditEntry::new(AuditAction::SetSetting, &long).subject;
        assert_eq!(cut.chars().count(), SUBJECT_CHARS + 1);
        assert!(cut.ends_with('…'));
        let exact = "a".repeat(SUBJECT_CHARS);
        assert_eq!(AuditEntry::new(AuditAction::Send, &exact).subject, exact);
    }
}
