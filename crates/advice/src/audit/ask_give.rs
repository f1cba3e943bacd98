//! Relationships where the user asked (requests, pitches) more than they gave (replies, shares,
//! likes, credit).

use super::{EXAMPLES, Example, Finding, Severity};
use crate::PersonSummary;

/// Adds the finding when any relationship's asks outnumber its gifts.
pub(super) fn ask_give(people: &[PersonSummary], findings: &mut Vec<Finding>) {
    let takers: Vec<Example> = people
        .iter()
        .filter(|p| p.relationship.ledger.asked.total() > p.relationship.ledger.given.total())
        .map(|p| {
            let l = &p.relationship.ledger;
            Example {
                at: p.relationship.last.map(|l| l.at),
                text: format!("{}: asked {}, gave {}", p.label(), l.asked.total(), l.given.total()),
            }
        })
        .collect();
    if takers.is_empty() {
        return;
    }
    findings.push(Finding {
        rule: "audit.ask_give".into(),
        title: "Relationships where you asked more than you gave".into(),
        severity: Severity::Warning,
        count: takers.len(),
        detail: format!(
            "with {} people your asks (requests, pitches) outnumber what you gave (replies, shares, likes, credit); give before you ask ({})",
            takers.len(),
            rapport_score::LEDGER_BASIS
        ),
        examples: takers.into_iter().take(EXAMPLES).collect(),
    });
}

#[cfg(test)]
mod tests {
    use rapport_model::Stage;

    use super::*;
    use crate::fixture::person;

    #[test]
    fn asked_more_than_gave() {
        for (name, asked, given, want) in [
            ("asked more", (1, 1, 1), 2, Some("@ada: asked 3, gave 2")),
            ("as much as given", (1, 0, 1), 2, None),
            ("gave more", (0, 0, 1), 5, None),
        ] {
            let mut ada = person(1, "ada", 0.2, Stage::Engaged);
            let ledger = &mut ada.relationship.ledger;
            (ledger.asked.requests, ledger.asked.cold_dms, ledger.asked.pitches) = asked;
            ledger.given.replies = given;
            let mut findings = Vec::new();
            ask_give(&[ada], &mut findings);
            let got: Vec<&str> =
                findings.iter().flat_map(|f| &f.examples).map(|e| e.text.as_str()).collect();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{name}");
        }
    }
}
