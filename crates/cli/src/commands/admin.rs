//! `rapport admin`: a team database's first owner, its users and workspaces, invitations, and
//! moving a personal SQLite store into a workspace. Everything here works on the database named
//! by --database (or RAPPORT_DATABASE), and every change is written to the audit log as done by
//! "rapport admin".

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use rapport_engine::model::time;
use rapport_engine::team::rules::{
    AuditAction, Role, Token, TokenKind, check_user_name, hash_password,
};
use rapport_engine::team::{
    PgDatabase, Transaction, Workspace, append_audit_entry, audit_entry, audited, tables,
    with_client, with_transaction, workspace_dir,
};

use crate::cli::Global;
use crate::output::{Format, Listing};

#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Create a user who owns a workspace (created if missing): the first step on a new database
    CreateOwner {
        /// The owner's login name
        #[arg(long)]
        name: String,
        /// The workspace they own
        #[arg(long)]
        workspace: String,
        /// Read the password from the first line of stdin instead of prompting
        #[arg(long)]
        password_stdin: bool,
    },
    /// The users, with how many workspaces each belongs to
    Users {
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// The workspaces, with their members and roles
    Workspaces {
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// A one-time link that makes whoever opens it a member of a workspace, valid for a week
    Invite {
        /// The workspace
        #[arg(long)]
        workspace: String,
        /// owner, editor or viewer
        #[arg(long, default_value = "viewer")]
        role: String,
        /// The address the team opens the server by, to print a whole link
        #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:7878")]
        base_url: String,
    },
    /// Give a user a role in a workspace (making them a member), or take them out of it
    SetRole {
        /// The user's login name
        #[arg(long)]
        user: String,
        /// The workspace
        #[arg(long)]
        workspace: String,
        /// owner, editor, viewer, or none to remove them (with their sessions and tokens there)
        #[arg(long)]
        role: String,
    },
    /// Copy a personal SQLite store into a workspace: every row, counts checked; again adds nothing
    MoveStore {
        /// The SQLite store file
        sqlite: PathBuf,
        /// The workspace to move it into (created if missing)
        #[arg(long)]
        workspace: String,
    },
    /// Delete a workspace and everything in it (data, members' access, its connected accounts' tokens); cannot be undone
    DeleteWorkspace {
        /// The workspace
        name: String,
        /// The workspace's name again, to confirm
        #[arg(long, value_name = "NAME")]
        confirm: Option<String>,
    },
}

/// How long an invitation made here can be accepted (as one made on the dashboard).
const INVITATION_SECONDS: i64 = 7 * 24 * 3600;

pub(crate) fn run(global: &Global, command: &AdminCommand) -> anyhow::Result<ExitCode> {
    if let AdminCommand::DeleteWorkspace { name, confirm } = command {
        // Checked before connecting: a mistyped command touches nothing.
        anyhow::ensure!(
            confirm.as_deref() == Some(name.as_str()),
            "deleting the workspace '{name}' removes everything in it for good; repeat its name: --confirm '{name}'"
        );
    }
    let url = global.database.as_deref().context(
        "rapport admin works on a team's PostgreSQL database: pass --database postgres://… or set RAPPORT_DATABASE",
    )?;
    let db =
        rapport_engine::team::connect(url).context("opening the team database of --database")?;
    let mut out = super::stdout();
    match command {
        AdminCommand::CreateOwner { name, workspace, password_stdin } => {
            check_user_name(name)?;
            let password = if *password_stdin {
                super::connect::first_line()?
            } else {
                rpassword::prompt_password(format!("password for {name}: "))
                    .context("reading the password (or pass --password-stdin)")?
            };
            let hash = hash_password(&password)?;
            let space = workspace_named(&db, workspace, true)?;
            with_transaction(&db, |c| {
                let user = tables::create_user(c, name, hash.as_str())?;
                tables::set_member(c, user, space.id.0, Role::Owner.as_str())?;
                audit(c, space.id.0, AuditAction::Join, &format!("{name} as owner"))
            })?;
            writeln!(
                out,
                "{name} owns the workspace {}; log in at the server's /login",
                space.name
            )?;
        }
        AdminCommand::Users { format } => {
            let users = with_client(&db, tables::users)?;
            let mut listing = Listing::new(&["name", "workspaces", "created"]);
            for u in users {
                listing.push(vec![
                    u.name.into(),
                    u64::try_from(u.workspaces).unwrap_or(0).into(),
                    time::format(u.created_at).into(),
                ]);
            }
            listing.print(*format, &mut out)?;
        }
        AdminCommand::Workspaces { format } => {
            let mut listing = Listing::new(&["id", "workspace", "member", "role"]);
            for space in db.workspaces()? {
                let members = with_client(&db, |c| tables::members(c, space.id.0))?;
                if members.is_empty() {
                    listing.push(vec![
                        space.id.0.to_string().into(),
                        space.name.clone().into(),
                        None::<String>.into(),
                        None::<String>.into(),
                    ]);
                }
                for m in members {
                    listing.push(vec![
                        space.id.0.to_string().into(),
                        space.name.clone().into(),
                        m.name.into(),
                        m.role.into(),
                    ]);
                }
            }
            listing.print(*format, &mut out)?;
        }
        AdminCommand::Invite { workspace, role, base_url } => {
            let role: Role = role.parse()?;
            let space = workspace_named(&db, workspace, false)?;
            let token = Token::generate(TokenKind::Invitation)?;
            with_transaction(&db, |c| {
                tables::create_invitation(
                    c,
                    &token.hash().0,
                    space.id.0,
                    role.as_str(),
                    None,
                    INVITATION_SECONDS,
                )?;
                audit(c, space.id.0, AuditAction::Invite, &format!("as {role}"))
            })?;
            let base = base_url.trim_end_matches('/');
            writeln!(
                out,
                "Send this link (it works once, for a week) to join {} as {role}:",
                space.name
            )?;
            writeln!(out, "{base}/invite?token={}", token.text())?;
        }
        AdminCommand::SetRole { user, workspace, role } => {
            let space = workspace_named(&db, workspace, false)?;
            let login = with_client(&db, |c| tables::user_login(c, user))?.with_context(|| {
                format!("no user named '{user}'; `rapport admin users` lists them")
            })?;
            let (role, subject) = match role.as_str() {
                "none" => (None, format!("{} removed", login.name)),
                other => {
                    let role: Role = other.parse()?;
                    (Some(role), format!("{} as {role}", login.name))
                }
            };
            let entry = audit_entry(Some(space.id.0), None, AuditAction::ChangeMember, &subject);
            let changed = with_client(&db, |c| {
                tables::change_member(c, login.id, space.id.0, role.map(Role::as_str), &entry)
            })?;
            match role {
                Some(role) => writeln!(out, "{} is {role} of {}", login.name, space.name)?,
                None => {
                    anyhow::ensure!(changed, "{} is not a member of {}", login.name, space.name);
                    writeln!(out, "{} is no longer a member of {}", login.name, space.name)?;
                }
            }
        }
        AdminCommand::MoveStore { sqlite, workspace } => {
            let space = workspace_named(&db, workspace, true)?;
            let subject = sqlite.display().to_string();
            let entry = audit_entry(Some(space.id.0), None, AuditAction::MoveStore, &subject);
            // The entry commits with the moved rows: a move is in the log exactly when it happened.
            let (moved, _) =
                audited(entry, || rapport_engine::team::move_sqlite(sqlite, &db, space.id));
            let counts = moved.with_context(|| {
                format!("moving {} into the workspace {}", sqlite.display(), space.name)
            })?;
            let rows: Vec<String> = counts.tables.iter().map(|(t, n)| format!("{t} {n}")).collect();
            writeln!(
                out,
                "Moved {} into the workspace {}: {}",
                sqlite.display(),
                space.name,
                rows.join(", ")
            )?;
        }
        AdminCommand::DeleteWorkspace { name, .. } => {
            let space = workspace_named(&db, name, false)?;
            let entry = audit_entry(None, None, AuditAction::DeleteWorkspace, &space.name);
            let counts = rapport_engine::team::delete_workspace(&db, space.id, &entry)
                .with_context(|| format!("deleting the workspace {}", space.name))?;
            // The tokens of its connected accounts go too (kept beside the database, not in it).
            let folder = workspace_dir(&local_dir(global), space.id);
            match std::fs::remove_dir_all(&folder) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => anyhow::bail!(
                    "the workspace {} is deleted, but its folder {} could not be removed ({e}); remove it by hand",
                    space.name,
                    folder.display()
                ),
            }
            let rows: u64 = counts.tables.iter().map(|(_, n)| n).sum();
            writeln!(out, "Deleted the workspace {}: {rows} rows", space.name)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The workspace named `name`, created when `create` says so and it is missing.
fn workspace_named(db: &PgDatabase, name: &str, create: bool) -> anyhow::Result<Workspace> {
    match db.workspace_by_name(name)? {
        Some(space) => Ok(space),
        None if create => Ok(db.create_workspace(name)?),
        None => anyhow::bail!(
            "the database has no workspace '{name}'; `rapport admin workspaces` lists them"
        ),
    }
}

/// Appends `rapport admin`'s entry to `workspace`'s log, in the caller's transaction.
fn audit(
    c: &mut Transaction<'_>,
    workspace: i64,
    action: AuditAction,
    subject: &str,
) -> rapport_engine::team::TableResult<()> {
    append_audit_entry(c, &audit_entry(Some(workspace), None, action, subject))
}

/// The data folder whose `workspaces/ID` folders hold each workspace's local files: the folder of
/// the store path, as `rapport serve` uses it.
fn local_dir(global: &Global) -> PathBuf {
    let db = global.db.clone().unwrap_or_else(rapport_engine::Config::default_db);
    db.parent().map_or_else(|| PathBuf::from("."), std::path::Path::to_owned)
}
