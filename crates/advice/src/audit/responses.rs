//! Mentions, replies and DMs left unanswered for a week, and the median time to answer.

use std::collections::HashMap;

use rapport_model::rows::InteractionRow;
use rapport_model::time::DAY;
use rapport_model::{InteractionKind, Timestamp};

use super::{EXAMPLES, Example, Finding, Severity};

/// A mention, reply or DM not answered within this long counts as unanswered.
const ANSWER_WITHIN: Timestamp = 7 * DAY;

/// Adds the unanswered finding and returns the median time to answer, in seconds. Messages of the
/// last week are not judged yet; any later touch of the sender answers.
pub(super) fn responses(
    history: &[InteractionRow],
    me: &[i64],
    as_of: Timestamp,
    findings: &mut Vec<Finding>,
) -> Option<Timestamp> {
    // The user's outgoing interactions per account, in time order, to find each answer.
    let mut outgoing: HashMap<i64, Vec<Timestamp>> = HashMap::new();
    for i in history.iter().filter(|i| me.contains(&i.source) && !i.kind.is_state()) {
        if let Some(at) = i.at {
            outgoing.entry(i.target).or_default().push(at);
        }
    }
    for times in outgoing.values_mut() {
        times.sort_unstable();
    }
    let mut delays = Vec::new();
    let mut unanswered = Vec::new();
    for i in history {
        let asks = matches!(
            i.kind,
            InteractionKind::Dm | InteractionKind::Reply | InteractionKind::Mention
        );
        let Some(at) = i.at else { continue };
        if !asks || !me.contains(&i.target) || at > as_of - ANSWER_WITHIN {
            continue;
        }
        let answer = outgoing.get(&i.source).and_then(|t| t.iter().find(|&&o| o >= at));
        match answer {
            Some(&o) if o - at <= ANSWER_WITHIN => delays.push(o - at),
            _ => unanswered.push(i),
        }
    }
    delays.sort_unstable();
    let median = delays.get(delays.len() / 2).copied();
    let total = delays.len() + unanswered.len();
    if !unanswered.is_empty() {
        let share = unanswered.len() as f64 / total.max(1) as f64;
        findings.push(Finding {
            rule: "audit.unanswered".into(),
            title: "Mentions, replies and messages left unanswered".into(),
            severity: if share > 0.3 { Severity::Serious } else { Severity::Warning },
            count: unanswered.len(),
            detail: format!(
                "{} of {total} went unanswered for more than a week ({:.0}%){}; people who talk to you are your warmest relationships: answer them first",
                unanswered.len(),
                share * 100.0,
                median.map_or_else(String::new, |m| format!("; when you answer, you take {:.1} hours (median)", m as f64 / 3600.0))
            ),
            examples: unanswered
                .iter()
                .rev()
                .take(EXAMPLES)
                .map(|i| Example { at: i.at, text: i.text.clone().unwrap_or_else(|| format!("a {}", i.kind)) })
                .collect(),
        });
    }
    median
}

#[cfg(test)]
mod tests {
    use InteractionKind::{Dm, Follow, Like, Mention, Reply, Repost};

    use super::*;
    use crate::fixture::{ME, NOW, incoming, outgoing};

    #[test]
    fn unanswered_mentions_and_the_median_response() {
        let cases = vec![
            (
                "answered within a day",
                vec![incoming(1, 1, Reply, 10.0, "hi"), outgoing(2, 1, Reply, 9.5, "hello")],
                None,
                Some(DAY / 2),
            ),
            (
                "answered after more than a week is unanswered",
                vec![incoming(1, 1, Mention, 20.0, "hi"), outgoing(2, 1, Reply, 12.0, "sorry!")],
                Some((
                    Severity::Serious,
                    "1 of 1 went unanswered for more than a week (100%); people who talk to you are your warmest relationships: answer them first",
                )),
                None,
            ),
            (
                "any touch answers, a like too",
                vec![incoming(1, 1, Dm, 10.0, ""), outgoing(2, 1, Like, 9.0, "")],
                None,
                Some(DAY),
            ),
            (
                "a follow is no answer, and an answer names what it was",
                vec![incoming(1, 1, Dm, 10.0, ""), outgoing(2, 1, Follow, 9.0, "")],
                Some((
                    Severity::Serious,
                    "1 of 1 went unanswered for more than a week (100%); people who talk to you are your warmest relationships: answer them first",
                )),
                None,
            ),
            ("the last week is not judged yet", vec![incoming(1, 1, Reply, 6.0, "hi")], None, None),
            ("a repost asks no answer", vec![incoming(1, 1, Repost, 20.0, "")], None, None),
            (
                "a few missed among many answered is a warning, with the median",
                vec![
                    incoming(1, 1, Reply, 30.0, "a"),
                    outgoing(2, 1, Reply, 29.0, "a!"),
                    incoming(3, 2, Reply, 30.0, "b"),
                    outgoing(4, 2, Reply, 28.0, "b!"),
                    incoming(5, 3, Reply, 30.0, "c"),
                    outgoing(6, 3, Reply, 27.0, "c!"),
                    incoming(7, 4, Reply, 30.0, "d"),
                ],
                Some((
                    Severity::Warning,
                    "1 of 4 went unanswered for more than a week (25%); when you answer, you take 48.0 hours (median); people who talk to you are your warmest relationships: answer them first",
                )),
                Some(2 * DAY),
            ),
        ];
        for (name, history, want, median) in cases {
            let mut findings = Vec::new();
            assert_eq!(responses(&history, &[ME], NOW, &mut findings), median, "{name}");
            let got: Vec<(Severity, &str)> =
                findings.iter().map(|f| (f.severity, f.detail.as_str())).collect();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{name}");
            if let Some(f) = findings.first() {
                assert_eq!(f.rule, "audit.unanswered", "{name}");
                assert!(f.examples.iter().all(|e| !e.text.is_empty()), "{name}");
            }
        }
    }
}
