//! Cold pitches and copy-paste outreach among the user's DMs, checked in time order with the
//! relationship each had when the DM was sent.

use std::collections::HashMap;

use rapport_check::{Context, DraftKind, History, Model};
use rapport_model::InteractionKind;
use rapport_model::rows::InteractionRow;

use super::{EXAMPLES, Example, Finding, Severity};

/// A DM to someone with fewer earlier interactions than this is outreach.
const OUTREACH_BELOW: u32 = 3;

/// Adds the cold-pitch and copy-paste findings.
pub(super) fn outreach(
    history: &[InteractionRow],
    me: &[i64],
    model: &Model,
    findings: &mut Vec<Finding>,
) {
    let mut prior: HashMap<i64, u32> = HashMap::new();
    let mut sent = History::new();
    let (mut cold, mut copies) = (Vec::new(), Vec::new());
    for i in history {
        let other = if me.contains(&i.source) { i.target } else { i.source };
        if i.kind == InteractionKind::Dm
            && me.contains(&i.source)
            && let Some(text) = &i.text
        {
            let seen = prior.get(&other).copied().unwrap_or(0);
            let recipient = other.to_string();
            // Only outreach (a DM to someone barely known) can be a cold pitch or copy-paste
            // outreach; checking every DM against every earlier one would grow with the square
            // of the history. The same friendly note to close friends is not a mass mailing.
            if seen >= OUTREACH_BELOW {
                sent.push(&recipient, text);
                *prior.entry(other).or_insert(0) += 1;
                continue;
            }
            let relationship = rapport_check::RelationshipContext {
                stage: if seen == 0 {
                    rapport_check::Stage::Stranger
                } else {
                    rapport_check::Stage::Engaged
                },
                strength: 0.0,
                interactions: seen,
                they_reached_out_last: false,
            };
            let ctx = Context {
                kind: DraftKind::Dm,
                relationship: Some(relationship),
                recipient: Some(&recipient),
                history: Some(&sent),
                ..Context::default()
            };
            let report = rapport_check::check(text, &ctx, model);
            let example = Example { at: i.at, text: text.clone() };
            if report.findings.iter().any(|f| f.rule.as_str() == "pitch.cold") {
                cold.push(example.clone());
            }
            if report.findings.iter().any(|f| f.rule.as_str() == "outreach.copy_paste") {
                copies.push(example);
            }
            sent.push(&recipient, text);
        }
        if !i.kind.is_state() {
            *prior.entry(other).or_insert(0) += 1;
        }
    }
    if !cold.is_empty() {
        findings.push(Finding {
            rule: "pitch.cold".into(),
            title: "Cold pitches sent".into(),
            severity: Severity::Serious,
            count: cold.len(),
            detail: "sales messages to people you had never spoken with; start with their work, and offer yours only when asked".into(),
            examples: cold.into_iter().take(EXAMPLES).collect(),
        });
    }
    if !copies.is_empty() {
        findings.push(Finding {
            rule: "outreach.copy_paste".into(),
            title: "Copy-paste outreach".into(),
            severity: Severity::Warning,
            count: copies.len(),
            detail: "near-identical messages to several people read as a mass mailing; write to one person about them".into(),
            examples: copies.into_iter().take(EXAMPLES).collect(),
        });
    }
}

#[cfg(test)]
mod tests {
    use InteractionKind::{Dm, Reply};

    use super::*;
    use crate::fixture::{ME, incoming, outgoing};

    const PITCH: &str = "Hi! Our agency helps businesses like yours grow revenue 10x. Buy our premium package today, limited offer, book a sales call now";
    const NOTE: &str = "Hey, loved your talk on soil health last week, I have been trying no-dig beds since and wanted to share how it went for us this summer";

    /// The rules of the findings for the user's DMs in `history`, with their counts.
    fn outreach_of(history: &[InteractionRow]) -> Vec<(String, usize)> {
        let mut findings = Vec::new();
        outreach(history, &[ME], Model::embedded(), &mut findings);
        findings.into_iter().map(|f| (f.rule, f.count)).collect()
    }

    #[test]
    fn cold_pitches_and_copy_paste_outreach() {
        let to_each = |people: std::ops::Range<i64>, text: &str| -> Vec<InteractionRow> {
            people.map(|p| outgoing(p, p, Dm, 20.0 - p as f64, text)).collect()
        };
        let mut friends = Vec::new();
        for p in 1..5 {
            for k in 0..3 {
                friends.push(incoming(100 * p + k, p, Reply, 40.0 - k as f64, "hello"));
            }
        }
        let mut friends_then_note = friends.clone();
        friends_then_note.extend(to_each(1..5, NOTE));
        let cases = vec![
            ("a pitch to a stranger", to_each(1..2, PITCH), vec![("pitch.cold", 1)]),
            ("a friendly note to a stranger", to_each(1..2, NOTE), vec![]),
            ("the same note to three strangers", to_each(1..4, NOTE), vec![]),
            (
                "the same note to a fourth stranger",
                to_each(1..5, NOTE),
                vec![("outreach.copy_paste", 1)],
            ),
            ("the same note to four friends is no mass mailing", friends_then_note, vec![]),
        ];
        for (name, history, want) in cases {
            let got = outreach_of(&history);
            let got: Vec<(&str, usize)> = got.iter().map(|(r, n)| (r.as_str(), *n)).collect();
            assert_eq!(got, want, "{name}");
        }
    }
}
