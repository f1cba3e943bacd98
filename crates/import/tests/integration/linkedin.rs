//! The LinkedIn importer on its anonymised fixture (preamble, mixed line endings, doubled quoting).

use rapport_import::Format;
use rapport_model::{ActorKind, InteractionKind, Record};

use crate::common::{fixture, import, import_members, members_of, render};

#[test]
fn snapshot() {
    let c = import(&fixture("linkedin", "basic")).unwrap();
    insta::assert_snapshot!(render(&c));
}

#[test]
fn reads_each_file() {
    let c = import(&fixture("linkedin", "basic")).unwrap();
    assert_eq!(c.me(), Some("Ada Lim"));
    assert_eq!(c.interactions(InteractionKind::Connect), 2);
    assert_eq!(c.interactions(InteractionKind::Dm), 2);
    assert_eq!(c.interactions(InteractionKind::Request), 2);
    // One member followed, one company followed.
    assert_eq!(c.interactions(InteractionKind::Follow), 2);
    let share = c
        .records
        .iter()
        .find_map(|r| match r {
            Record::Post(p) if p.id.contains("share") => Some(p),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        share.text,
        "Sharing my latest #DataScience project\n\nLink to the code on my site:\n\nhttps://ada.example/project"
    );
    assert_eq!(share.hashtags, ["datascience"]);
    // Issue 18: followed companies are accounts of the company type, never merged with a person.
    let company = c
        .records
        .iter()
        .find_map(|r| match r {
            Record::Account(a) if a.kind == Some(ActorKind::Company) => Some(a),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (company.id.as_str(), company.display_name.as_deref()),
        ("company:Acme Corp", Some("Acme Corp"))
    );
    assert!(c.report("Company Follows.csv").unread.is_none());
}

/// The fixture's members, renamed by `rename` (a `None` drops the member).
fn renamed(rename: impl Fn(&str) -> Option<String>) -> Vec<(String, Vec<u8>)> {
    members_of(&fixture("linkedin", "basic"))
        .into_iter()
        .filter_map(|(name, bytes)| rename(&name).map(|n| (n, bytes)))
        .collect()
}

// Issue 17: real exports spell `messages.csv` as `Messages.csv` in some years.
#[test]
fn matches_member_names_without_regard_to_case() {
    let members = renamed(|name| match name {
        "Profile.csv" | "Invitations.csv" => None,
        "messages.csv" => Some("Messages.csv".into()),
        other => Some(other.to_uppercase()),
    });
    let c = import_members(members, None).unwrap();
    // With no profile and no invitations, the owner comes from the messages.
    assert_eq!(c.me(), Some("Ada Lim"));
    assert_eq!(c.interactions(InteractionKind::Dm), 2);
    assert_eq!(c.interactions(InteractionKind::Connect), 2);
    assert_eq!(c.interactions(InteractionKind::Follow), 2);
}

// Issue 17: a refusal names what the export did hold.
#[test]
fn names_the_files_found_when_refusing() {
    let members = renamed(|name| {
        ["Company Follows.csv", "Connections.csv"].contains(&name).then(|| name.to_owned())
    });
    let err = import_members(members, Some(Format::LinkedIn)).unwrap_err().to_string();
    assert!(err.contains("found: Company Follows.csv, Connections.csv"), "{err}");
}

// Issue 17: a `Connections.csv` cut inside its preamble of notes is reported, not silently empty.
#[test]
fn warns_when_connections_is_cut_inside_its_preamble() {
    let mut members = renamed(|name| Some(name.to_owned()));
    for (name, bytes) in &mut members {
        if name == "Connections.csv" {
            let header = bytes.windows(10).position(|w| w == b"First Name").unwrap();
            bytes.truncate(header / 2);
        }
    }
    let c = import_members(members, None).unwrap();
    assert_eq!(c.interactions(InteractionKind::Connect), 0);
    let warning = c.skipped.iter().find(|s| s.reason.contains("Connections.csv")).unwrap();
    assert!(warning.reason.contains("cut short"), "{}", warning.reason);
    assert!(c.report("Connections.csv").unread.is_some());
    // The other files still import.
    assert_eq!(c.interactions(InteractionKind::Dm), 2);
}
