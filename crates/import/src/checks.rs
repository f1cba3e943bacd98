//! The checks every record goes through on its way to the sink, whatever the format: a record no
//! genuine export holds is refused here once, not in each importer.
//!
//! - A date after the import started (beyond a day's slack for clocks and time zones) is a wrong
//!   clock or a forged date, and the newest date in the store is its "now": one record of year 9999
//!   would make every relationship look 2.9 million days old.
//! - An identifier (an account id or handle, a post id) holding a control character is refused: a
//!   NUL or an escape inside one would make a lookalike of a real account (`b\0ob` beside `bob`).
//! - NUL bytes are removed from names and texts, which many tools cut short at a NUL.

use rapport_model::{Record, Timestamp, time};

use crate::ErrorKind;

/// How far past the import's start a date may lie: clocks differ by minutes, and some exports
/// write local time as if it were UTC, which is at most 14 hours ahead.
pub(crate) const FUTURE_SLACK: Timestamp = time::DAY;

/// The current time in Unix seconds, the reference for [`record`].
pub(crate) fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| Timestamp::try_from(d.as_secs()).unwrap_or(Timestamp::MAX))
}

/// Checks (and cleans) one record of an import that started at `started`.
pub fn record(record: &mut Record, started: Timestamp) -> Result<(), ErrorKind> {
    let (at, ids): (Option<Timestamp>, Vec<(&'static str, Option<&str>)>) = match &*record {
        Record::Me(a) | Record::Account(a) => {
            (None, vec![("account id", Some(&a.id)), ("handle", a.handle.as_deref())])
        }
        Record::Interaction(i) => (
            i.at,
            vec![
                ("source", Some(&i.source)),
                ("target", Some(&i.target)),
                ("id", i.native_id.as_deref()),
                ("post_id", i.post_id.as_deref()),
                ("reply_to", i.reply_to.as_deref()),
            ],
        ),
        Record::Post(p) => (
            p.at,
            vec![
                ("post id", Some(&p.id)),
                ("author", Some(&p.author)),
                ("reply_to", p.reply_to.as_deref()),
                ("reply_to_author", p.reply_to_author.as_deref()),
                ("quote_of", p.quote_of.as_deref()),
            ],
        ),
    };
    if let Some(at) = at.filter(|at| *at > started.saturating_add(FUTURE_SLACK)) {
        return Err(ErrorKind::FutureDate { at: time::format(at), started: time::format(started) });
    }
    for (field, value) in ids {
        if let Some(value) = value.filter(|v| v.chars().any(char::is_control)) {
            return Err(ErrorKind::bad_value(
                field,
                &value.escape_debug().to_string(),
                "no account or post identifier holds a control character; the file was damaged or crafted",
            ));
        }
    }
    match record {
        Record::Me(a) | Record::Account(a) => strip_nul(&mut a.display_name),
        Record::Interaction(i) => strip_nul(&mut i.text),
        Record::Post(p) => {
            if p.text.contains('\0') {
                p.text.retain(|c| c != '\0');
            }
            for list in [&mut p.mentions, &mut p.hashtags] {
                list.retain(|m| !m.chars().any(char::is_control));
            }
        }
    }
    Ok(())
}

fn strip_nul(text: &mut Option<String>) {
    if let Some(t) = text.as_mut().filter(|t| t.contains('\0')) {
        t.retain(|c| c != '\0');
    }
}

#[cfg(test)]
mod tests {
    use rapport_model::{Account, Interaction, InteractionKind, Network, Post};

    use super::*;

    const STARTED: Timestamp = 1_800_000_000;

    fn interaction(at: Option<Timestamp>, source: &str) -> Record {
        Record::Interaction(Interaction::new(
            Network::Table,
            at,
            source,
            "bob",
            InteractionKind::Reply,
        ))
    }

    #[test]
    fn refuses_what_no_export_holds() {
        let future = STARTED + FUTURE_SLACK + 1;
        let cases = [
            ("past", interaction(Some(0), "ada"), None),
            ("undated", interaction(None, "ada"), None),
            ("within a day", interaction(Some(STARTED + FUTURE_SLACK), "ada"), None),
            ("after the import", interaction(Some(future), "ada"), Some("after this import")),
            ("year 9999", interaction(time::parse("9999-01-01"), "ada"), Some("9999-01-01")),
            ("nul in a handle", interaction(None, "b\0ob"), Some("b\\0ob")),
            ("escape in a handle", interaction(None, "\u{1b}[2Jbob"), Some("control character")),
            (
                "nul in an account",
                Record::Account(Account {
                    handle: Some("b\0ob".into()),
                    ..Account::new(Network::X, "1")
                }),
                Some("bad handle"),
            ),
            (
                "future post",
                Record::Post(Post { at: Some(future), ..Post::default() }),
                Some("after this import"),
            ),
        ];
        for (name, mut r, expected) in cases {
            match (record(&mut r, STARTED), expected) {
                (Ok(()), None) => {}
                (Err(e), Some(fragment)) => {
                    assert!(e.to_string().contains(fragment), "{name}: {e}");
                }
                (got, _) => panic!("{name}: {got:?}"),
            }
        }
    }

    #[test]
    fn removes_nul_from_names_and_texts() {
        let mut r = Record::Account(Account {
            display_name: Some("Ada\0 L.".into()),
            ..Account::new(Network::X, "1")
        });
        record(&mut r, STARTED).unwrap();
        let Record::Account(a) = r else { unreachable!() };
        assert_eq!(a.display_name.as_deref(), Some("Ada L."));
    }
}
