//! Thank: reposts and quotes of the user's work in the last two weeks, not yet acknowledged.

use std::collections::HashMap;

use rapport_model::InteractionKind;
use rapport_model::rows::InteractionRow;
use rapport_model::time;

use super::{Action, ActionKind, Lookup, RECENT, TodayInputs, action_id};

/// Adds a thank action for each person who shared the user's work lately, anchored at the last
/// share, unless the user has been in touch since.
pub(super) fn thanks(inputs: &TodayInputs<'_>, lookup: &Lookup<'_>, actions: &mut Vec<Action>) {
    let mut shares: HashMap<i64, Vec<&InteractionRow>> = HashMap::new();
    for i in inputs.history {
        let Some(at) = i.at else { continue };
        if !matches!(i.kind, InteractionKind::Repost | InteractionKind::Quote)
            || !inputs.me.contains(&i.target)
            || at < inputs.as_of - RECENT
        {
            continue;
        }
        let Some(p) = lookup.by_account.get(&i.source) else { continue };
        if p.relationship.blocked || lookup.answered_since(p.person, at) {
            continue;
        }
        shares.entry(p.person).or_default().push(i);
    }
    for (person, items) in shares {
        let Some(p) = lookup.by_account.get(&items[0].source) else { continue };
        let last = items.iter().max_by_key(|i| i.at).copied().unwrap_or(items[0]);
        actions.push(Action {
            id: action_id(ActionKind::Thank, person, last.id),
            kind: ActionKind::Thank,
            who: p.label(),
            network: last.network,
            why: format!(
                "{} shared your work {} in the last two weeks, most recently on {}",
                p.label(),
                if items.len() == 1 { "once".to_owned() } else { format!("{} times", items.len()) },
                last.at.map_or_else(String::new, time::format_date)
            ),
            approach:
                "Thank them by name, and look at what they post: like or answer something of theirs"
                    .into(),
            value: 0.5 * (0.4 + p.relationship.strength) * (items.len() as f64).sqrt(),
            at: last.at,
        });
    }
}

#[cfg(test)]
mod tests {
    use rapport_model::Stage;

    use super::*;
    use crate::fixture::{Setup, assert_one, incoming, outgoing, person};

    #[test]
    fn who_is_thanked() {
        use InteractionKind::{Like, Mention, Quote, Repost};
        let cases = vec![
            (
                "a repost yesterday",
                vec![incoming(1, 1, Repost, 1.0, "")],
                Some((
                    "@ada shared your work once in the last two weeks, most recently on 2023-11-13",
                    0.5 * 0.9,
                )),
            ),
            (
                "a quote and a repost count together, anchored at the last",
                vec![incoming(1, 1, Quote, 10.0, "so good"), incoming(2, 1, Repost, 3.0, "")],
                Some((
                    "@ada shared your work 2 times in the last two weeks, most recently on 2023-11-11",
                    0.5 * 0.9 * 2f64.sqrt(),
                )),
            ),
            ("older than two weeks", vec![incoming(1, 1, Repost, 15.0, "")], None),
            ("a mention is not a share", vec![incoming(1, 1, Mention, 1.0, "hi")], None),
            (
                "acknowledged since by any touch",
                vec![incoming(1, 1, Repost, 3.0, ""), outgoing(2, 1, Mention, 2.0, "thank you!")],
                None,
            ),
            (
                "a like is an acknowledgement too",
                vec![incoming(1, 1, Repost, 3.0, ""), outgoing(2, 1, Like, 1.0, "")],
                None,
            ),
            (
                "a touch before the share does not acknowledge it",
                vec![outgoing(2, 1, Mention, 5.0, "hello"), incoming(1, 1, Repost, 3.0, "")],
                Some((
                    "@ada shared your work once in the last two weeks, most recently on 2023-11-11",
                    0.5 * 0.9,
                )),
            ),
        ];
        for (name, history, want) in cases {
            let mut setup = Setup::default();
            setup.people.push(person(1, "ada", 0.5, Stage::Engaged));
            setup.history = history;
            assert_one(name, &setup.actions_of(ActionKind::Thank), want);
        }
    }
}
