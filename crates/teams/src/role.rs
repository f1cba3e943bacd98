//! The roles of a workspace member, and the one table that says what each may do.
//!
//! Every request the server answers is first resolved to a role and a [`Permission`], then
//! checked here, so the rules are in one place and a handler cannot forget them.

use std::fmt;
use std::str::FromStr;

use crate::TeamsError;

/// A member's role in one workspace (a user may hold different roles in different workspaces).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Reads everything, and manages the workspace: members, invitations and settings.
    Owner,
    /// Reads, and does the day's work: imports, syncs, marks actions done, sends, merges.
    Editor,
    /// Reads only.
    Viewer,
}

/// What a request wants to do, at the granularity roles differ on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read people, person pages, today, discover, groups, the audit, the map and reports.
    Read,
    /// Import a file.
    Import,
    /// Sync a connected account.
    Sync,
    /// Mark one of today's actions done, or undo it.
    MarkDone,
    /// Send a post or reply through a connected account.
    Send,
    /// Merge two accounts into one person, or set "me".
    Merge,
    /// Change a workspace setting.
    ChangeSetting,
    /// Invite members, change their roles, remove them.
    ManageMembers,
    /// Read the workspace's audit log of who did what.
    ReadAuditLog,
}

impl Permission {
    /// Every permission, for tests and for listing a role's rights.
    pub const ALL: [Self; 9] = [
        Self::Read,
        Self::Import,
        Self::Sync,
        Self::MarkDone,
        Self::Send,
        Self::Merge,
        Self::ChangeSetting,
        Self::ManageMembers,
        Self::ReadAuditLog,
    ];

    /// Whether the permission changes the workspace (and so is written to the audit log).
    #[must_use]
    pub const fn is_write(self) -> bool {
        !matches!(self, Self::Read | Self::ReadAuditLog)
    }
}

/// Which roles hold each permission: one row per permission, read as (permission, owner, editor,
/// viewer). Settings and members are the owner's: a setting changes everyone's advice.
const TABLE: [(Permission, [bool; 3]); 9] = [
    (Permission::Read, [true, true, true]),
    (Permission::Import, [true, true, false]),
    (Permission::Sync, [true, true, false]),
    (Permission::MarkDone, [true, true, false]),
    (Permission::Send, [true, true, false]),
    (Permission::Merge, [true, true, false]),
    (Permission::ChangeSetting, [true, false, false]),
    (Permission::ManageMembers, [true, false, false]),
    (Permission::ReadAuditLog, [true, false, false]),
];

/// Whether `role` may do `permission`.
#[must_use]
pub fn allows(role: Role, permission: Permission) -> bool {
    let column = match role {
        Role::Owner => 0,
        Role::Editor => 1,
        Role::Viewer => 2,
    };
    TABLE.iter().any(|(p, roles)| *p == permission && roles[column])
}

impl Role {
    /// Every role, strongest first.
    pub const ALL: [Self; 3] = [Self::Owner, Self::Editor, Self::Viewer];

    /// The role's name as stored and shown.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Editor => "editor",
            Self::Viewer => "viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = TeamsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| TeamsError::UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules written out the other way round (by role), so a slip in the table shows.
    fn expected(role: Role) -> &'static [Permission] {
        use Permission::*;
        match role {
            Role::Owner => &Permission::ALL,
            Role::Editor => &[Read, Import, Sync, MarkDone, Send, Merge],
            Role::Viewer => &[Read],
        }
    }

    #[test]
    fn each_role_holds_exactly_its_permissions() {
        for role in Role::ALL {
            for permission in Permission::ALL {
                assert_eq!(
                    allows(role, permission),
                    expected(role).contains(&permission),
                    "{role} / {permission:?}"
                );
            }
        }
    }

    #[test]
    fn the_table_names_every_permission_once() {
        for permission in Permission::ALL {
            assert_eq!(TABLE.iter().filter(|(p, _)| *p == permission).count(), 1, "{permission:?}");
        }
    }

    #[test]
    fn viewers_write_nothing() {
        for permission in Permission::ALL.into_iter().filter(|p| p.is_write()) {
            assert!(!allows(Role::Viewer, permission), "{permission:?}");
        }
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().ok(), Some(role));
        }
        assert!("admin".parse::<Role>().is_err());
        assert!("Owner".parse::<Role>().is_err());
    }
}
