//! LinkedIn data exports (zip or folder of CSV files).
//!
//! LinkedIn's files name people by full name, and only some give profile links, so a person's full
//! name is their account id (the profile link, when a file has it, becomes the account's URL). The
//! owner is `Profile.csv`'s name, else the sender of outgoing invitations, else the name most often on
//! messages. Each file has its own header, date format and line endings; `Connections.csv` starts
//! with a preamble of notes.

mod dates;
mod files;

use std::collections::HashMap;

use rapport_model::{Account, ActorKind, Network};

use crate::export::{Export, base};
use crate::rows::{self, Row};
use crate::{ErrorKind, FieldReport, ImportError, Location};

/// The files the importer reads, with the first column of their header row.
const FILES: [(&str, &str); 9] = [
    ("Profile.csv", "First Name"),
    ("Connections.csv", "First Name"),
    ("messages.csv", "CONVERSATION ID"),
    ("Invitations.csv", "From"),
    ("Shares.csv", "Date"),
    ("Comments.csv", "Date"),
    ("Reactions.csv", "Date"),
    ("Member_Follows.csv", "Date"),
    ("Company Follows.csv", "Organization"),
];

/// How many of `names` look like LinkedIn export members, for detection.
pub(crate) fn score(names: &[&str]) -> usize {
    names.iter().filter(|n| known(n).is_some()).count()
}

/// The file a member is, with its header's first column. Exports of different years spell the same
/// file with different capitals (`messages.csv`, `Messages.csv`), so names match without regard to case.
fn known(name: &str) -> Option<(&'static str, &'static str)> {
    FILES.iter().find(|(f, _)| f.eq_ignore_ascii_case(base(name))).copied()
}

/// One CSV file: its header and data rows, and the rows before the header (a preamble).
pub(super) struct Table {
    pub(super) name: String,
    pub(super) header: Row,
    pub(super) rows: Vec<Row>,
    /// Lines before the header (blank ones included).
    pub(super) preamble: u64,
}

impl Table {
    /// The column index of each name.
    pub(super) fn columns<const N: usize>(&self, names: [&str; N]) -> [Option<usize>; N] {
        rows::columns(&self.header, names)
    }

    /// Counts each cell of `row` as mapped or ignored by its column's name.
    pub(super) fn account(&self, row: &Row, mapped: &[&str], report: &mut FieldReport) {
        for (i, value) in row.fields.iter().enumerate() {
            let column = self.header.fields.get(i).map_or("(extra column)", |c| c.trim());
            report.column(
                column,
                value.trim(),
                mapped.iter().any(|m| m.eq_ignore_ascii_case(column)),
            );
        }
    }
}

/// Parses a file and finds its header: the first row whose first cell is `first`. A file without
/// one (cut short inside `Connections.csv`'s preamble of notes, or empty) gives no table and a
/// warning naming it, so the rest of the export still imports and the loss is not silent.
fn table(
    ex: &mut Export<'_, '_>,
    name: &str,
    bytes: &[u8],
    first: &str,
) -> Result<Option<Table>, ImportError> {
    let mut all = rows::parse(ex, name, bytes)?;
    let Some(at) = all.iter().position(|r| r.get(Some(0)).eq_ignore_ascii_case(first)) else {
        let lines = all.last().map_or(0, |r| r.line);
        let why = format!(
            "no header row (a row starting with '{first}') in its {lines} lines: the file is cut short, perhaps inside its preamble of notes; nothing was read from it, export it again"
        );
        let location =
            Location::Member { name: name.to_owned(), at: Some(Box::new(Location::Line(1))) };
        ex.skip(&location, format!("{name}: {why}"));
        ex.report(&FieldReport::unread(name.to_owned(), why));
        return Ok(None);
    };
    let rows = all.split_off(at + 1);
    let header = all.pop().unwrap_or(Row { line: 1, fields: Vec::new() });
    let preamble = header.line.saturating_sub(1);
    Ok(Some(Table { name: name.to_owned(), header, rows, preamble }))
}

pub(crate) fn read(ex: &mut Export<'_, '_>) -> Result<(), ImportError> {
    let entries: Vec<(usize, String)> =
        ex.archive.entries().iter().enumerate().map(|(i, e)| (i, e.name.clone())).collect();
    let mut tables: HashMap<&'static str, Vec<Table>> = HashMap::new();
    for (index, name) in &entries {
        match known(name) {
            Some((file, first)) => {
                let bytes = ex.read(*index)?;
                if let Some(table) = table(ex, name, &bytes, first)? {
                    tables.entry(file).or_default().push(table);
                }
            }
            None if name.ends_with(".csv") => {
                ex.report(&FieldReport::unread(name.clone(), "not about relationships"))
            }
            None => {}
        }
    }
    let get = |file: &str| tables.get(file).map_or(&[][..], Vec::as_slice);
    owner(ex, get("Profile.csv"), get("Invitations.csv"), get("messages.csv"), &entries)?;
    for t in get("Connections.csv") {
        files::connections(ex, t)?;
    }
    for t in get("Invitations.csv") {
        files::invitations(ex, t)?;
    }
    for t in get("messages.csv") {
        files::messages(ex, t)?;
    }
    for t in get("Member_Follows.csv") {
        files::follows(ex, t)?;
    }
    for t in get("Company Follows.csv") {
        files::company_follows(ex, t)?;
    }
    for t in get("Shares.csv").iter().chain(get("Comments.csv")) {
        files::posts(ex, t)?;
    }
    for t in get("Reactions.csv") {
        files::reactions(ex, t)?;
    }
    Ok(())
}

fn owner(
    ex: &mut Export<'_, '_>,
    profile: &[Table],
    invitations: &[Table],
    messages: &[Table],
    entries: &[(usize, String)],
) -> Result<(), ImportError> {
    for t in profile {
        let [first, last] = t.columns(["First Name", "Last Name"]);
        let mut report = FieldReport::new(&t.name);
        for row in &t.rows {
            report.items += 1;
            t.account(row, &["First Name", "Last Name"], &mut report);
            let full = format!("{} {}", row.get(first), row.get(last)).trim().to_owned();
            if !full.is_empty() && ex.me().is_empty() {
                report.outcome("me");
                ex.set_me(person(&full, None), row.at(&t.name))?;
            }
        }
        ex.report(&report);
    }
    if !ex.me().is_empty() {
        return Ok(());
    }
    for t in invitations {
        let [from, to, direction] = t.columns(["From", "To", "Direction"]);
        for row in &t.rows {
            let me = match row.get(direction) {
                "OUTGOING" => row.get(from),
                "INCOMING" => row.get(to),
                _ => continue,
            };
            if !me.is_empty() {
                return ex.set_me(person(me, None), row.at(&t.name));
            }
        }
    }
    // The owner is on every message they sent or received.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut first_row = None;
    for t in messages {
        let [from, to] = t.columns(["FROM", "TO"]);
        for row in &t.rows {
            first_row.get_or_insert_with(|| row.at(&t.name));
            for name in [row.get(from), row.get(to)].into_iter().filter(|n| !n.is_empty()) {
                *counts.entry(name).or_insert(0) += 1;
            }
        }
    }
    let best = counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)));
    match (best, first_row) {
        (Some((me, _)), Some(at)) => {
            let me = me.to_owned();
            ex.set_me(person(&me, None), at)
        }
        _ => {
            // Naming what was found tells a user with a partial download what is missing.
            let csv: Vec<&str> = entries
                .iter()
                .map(|(_, n)| n.as_str())
                .filter(|n| n.to_ascii_lowercase().ends_with(".csv"))
                .collect();
            let found = match csv.len() {
                0 => "no CSV file".to_owned(),
                n if n > 20 => format!("{} and {} more", csv[..20].join(", "), n - 20),
                _ => csv.join(", "),
            };
            let why = format!(
                "the export has no Profile.csv, invitations or messages (found: {found}); download the complete archive"
            );
            Err(ex.error(
                Location::Member { name: "Profile.csv".into(), at: None },
                ErrorKind::NoOwner(why),
            ))
        }
    }
}

/// The account of a company page named `name`. Its id is prefixed so that a company never merges
/// with a person of the same name (LinkedIn names people by full name too).
pub(super) fn company(name: &str) -> Account {
    Account {
        display_name: Some(name.to_owned()),
        kind: Some(ActorKind::Company),
        ..Account::new(Network::LinkedIn, format!("company:{name}"))
    }
}

/// The account of a person named `name`.
pub(super) fn person(name: &str, url: Option<&str>) -> Account {
    Account {
        display_name: Some(name.to_owned()),
        url: url.filter(|u| !u.is_empty()).map(str::to_owned),
        ..Account::new(Network::LinkedIn, name)
    }
}
