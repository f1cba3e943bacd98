//! The list itself: done and snoozed actions hidden, then the most valuable few with every kind
//! represented.

use std::collections::HashMap;

use rapport_model::Timestamp;
use rapport_model::rows::ActionState;

use super::{Action, ActionKind, Today};

/// Today's list from the `candidates` at `as_of`: without the actions the user marked done or
/// snoozed past `as_of` (`states`: action id to state and snoozed-until), at most `limit`, most
/// valuable first. The candidates are read, not taken: only the actions listed are copied, so a
/// front end can keep one set of candidates and list it for every request.
pub fn list(
    as_of: Timestamp,
    candidates: &[Action],
    states: &HashMap<String, (ActionState, Option<Timestamp>)>,
    limit: usize,
) -> Today {
    let mut shown: Vec<&Action> = candidates
        .iter()
        .filter(|a| match states.get(&a.id) {
            Some((ActionState::Done, _)) => false,
            Some((ActionState::Snoozed, until)) => until.is_some_and(|u| u <= as_of),
            None => true,
        })
        .collect();
    let hidden = candidates.len() - shown.len();
    rank(&mut shown);
    let actions = diverse(shown, limit).into_iter().cloned().collect();
    Today { as_of, actions, hidden }
}

/// Most valuable first; ties by id, so the order is the same on every run.
fn rank(actions: &mut [&Action]) {
    actions.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.id.cmp(&b.id)));
}

/// The most valuable actions, with every kind that has one represented (its best), and no kind
/// taking more than two fifths of the list while other kinds wait: a day of only answers hides
/// the people worth reconnecting with or meeting.
fn diverse(ranked: Vec<&Action>, limit: usize) -> Vec<&Action> {
    let cap = (limit * 2).div_ceil(5).max(2);
    let mut chosen: Vec<&Action> = Vec::with_capacity(limit);
    let mut rest = Vec::new();
    let mut per_kind: HashMap<ActionKind, usize> = HashMap::new();
    // First the best of each kind (the list is ranked, so the first seen is the best).
    for action in ranked {
        if chosen.len() < limit && !per_kind.contains_key(&action.kind) {
            per_kind.insert(action.kind, 1);
            chosen.push(action);
        } else {
            rest.push(action);
        }
    }
    // Then by value, under the cap.
    let mut over = Vec::new();
    for action in rest {
        let taken = per_kind.entry(action.kind).or_insert(0);
        if chosen.len() < limit && *taken < cap {
            *taken += 1;
            chosen.push(action);
        } else {
            over.push(action);
        }
    }
    // Fill what the cap left empty with the best of the rest.
    chosen.extend(over.into_iter().take(limit.saturating_sub(chosen.len())));
    rank(&mut chosen);
    chosen
}

#[cfg(test)]
mod tests {
    use rapport_model::Network;

    use super::*;

    fn action(id: &str, kind: ActionKind, value: f64) -> Action {
        Action {
            id: id.into(),
            kind,
            who: String::new(),
            network: Network::Mastodon,
            why: String::new(),
            approach: String::new(),
            value,
            at: None,
        }
    }

    fn ids(today: &Today) -> Vec<&str> {
        today.actions.iter().map(|a| a.id.as_str()).collect()
    }

    #[test]
    fn the_diversity_cap() {
        use ActionKind::{Answer, Introduce, Reconnect, Thank};
        // Six answers worth 10 down to 5, three reconnects worth 1 down to 0.8, an introduction.
        let answers = || (0..6).map(|k| action(&format!("a{k}"), Answer, 10.0 - k as f64));
        let mut pool: Vec<Action> = answers().collect();
        pool.extend((0..3).map(|k| action(&format!("r{k}"), Reconnect, 1.0 - k as f64 / 10.0)));
        pool.push(action("i", Introduce, 0.5));
        for (name, pool, limit, want) in [
            (
                "every kind's best, then at most two fifths of one kind",
                pool.clone(),
                5,
                vec!["a0", "a1", "r0", "r1", "i"],
            ),
            (
                "the cap is at least two, and the best of each kind comes first",
                pool.clone(),
                3,
                vec!["a0", "r0", "i"],
            ),
            (
                "a limit of seven caps a kind at three",
                pool.clone(),
                7,
                vec!["a0", "a1", "a2", "r0", "r1", "r2", "i"],
            ),
            (
                "what the cap leaves empty is filled with the best of the rest",
                answers().collect(),
                5,
                vec!["a0", "a1", "a2", "a3", "a4"],
            ),
            (
                "ties are broken by id",
                vec![action("b", Thank, 1.0), action("a", Thank, 1.0)],
                5,
                vec!["a", "b"],
            ),
        ] {
            let got = list(0, &pool, &HashMap::new(), limit);
            assert_eq!(ids(&got), want, "{name}");
        }
    }

    #[test]
    fn done_and_snoozed_actions_are_hidden() {
        let pool = vec![
            action("done", ActionKind::Thank, 3.0),
            action("snoozed", ActionKind::Thank, 2.0),
            action("woken", ActionKind::Thank, 1.0),
            action("open", ActionKind::Thank, 0.5),
        ];
        let states = HashMap::from([
            ("done".to_owned(), (ActionState::Done, None)),
            ("snoozed".to_owned(), (ActionState::Snoozed, Some(101))),
            ("woken".to_owned(), (ActionState::Snoozed, Some(100))),
        ]);
        let got = list(100, &pool, &states, 10);
        assert_eq!(ids(&got), ["woken", "open"]);
        assert_eq!(got.hidden, 2);
    }
}
