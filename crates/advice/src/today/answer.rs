//! Answer: mentions, replies, quotes and DMs from people that the user has not answered since,
//! weighted by how long they have waited.

use std::collections::HashMap;

use rapport_check::{Context, DraftKind, Model, Verdict};
use rapport_model::rows::InteractionRow;
use rapport_model::time::DAY;
use rapport_model::{InteractionKind, Stage, Timestamp};

use super::{Action, ActionKind, Lookup, TodayInputs, action_id};
use crate::PersonSummary;
use rapport_model::text::one_line;

use crate::text::days;

/// How far back a message still waits for an answer.
const ANSWER_WINDOW: Timestamp = 30 * DAY;

/// Adds an answer action for each person with messages waiting, anchored at the first of them.
pub(super) fn answers(inputs: &TodayInputs<'_>, lookup: &Lookup<'_>, actions: &mut Vec<Action>) {
    let (me, as_of) = (inputs.me, inputs.as_of);
    let mut waiting: HashMap<i64, Vec<&InteractionRow>> = HashMap::new();
    for i in inputs.history {
        let asks_answer = matches!(
            i.kind,
            InteractionKind::Dm
                | InteractionKind::Reply
                | InteractionKind::Mention
                | InteractionKind::Quote
        );
        let Some(at) = i.at else { continue };
        if !asks_answer || !me.contains(&i.target) || at < as_of - ANSWER_WINDOW {
            continue;
        }
        let Some(person) = lookup.by_account.get(&i.source) else { continue };
        if person.relationship.blocked || person.accounts.iter().any(|a| a.bot) {
            continue;
        }
        if lookup.answered_since(person.person, at) {
            continue;
        }
        if i.kind == InteractionKind::Dm && is_pitch(i.text.as_deref(), person) {
            continue;
        }
        waiting.entry(person.person).or_default().push(i);
    }
    for (person, items) in waiting {
        let Some(p) = lookup.by_account.get(&items[0].source) else { continue };
        let first = items.iter().min_by_key(|i| i.at).copied().unwrap_or(items[0]);
        let waited = (as_of - first.at.unwrap_or(as_of)) as f64 / DAY as f64;
        let weight = match first.kind {
            InteractionKind::Dm => 1.0,
            InteractionKind::Reply => 0.85,
            InteractionKind::Quote => 0.75,
            _ => 0.65,
        };
        let what = if items.len() == 1 {
            format!("a {}", noun(first.kind))
        } else {
            format!("{} messages", items.len())
        };
        let quote =
            first.text.as_deref().map(|t| format!(": \"{}\"", one_line(t, 80))).unwrap_or_default();
        actions.push(Action {
            id: action_id(ActionKind::Answer, person, first.id),
            kind: ActionKind::Answer,
            who: p.label(),
            network: first.network,
            why: format!(
                "{} has waited {} for your answer to {what}{quote}",
                p.label(),
                days(waited)
            ),
            approach: match first.kind {
                InteractionKind::Dm => {
                    "Reply in the DM; answer what they asked before adding anything of yours".into()
                }
                _ => "Reply in the thread: thank them, answer, and ask a question back".into(),
            },
            value: weight * (0.4 + p.relationship.strength) * urgency(waited),
            at: first.at,
        });
    }
}

/// How pressing an unanswered message is after `waited` days: more so each day for a week, then
/// less, as a late answer to an old reply matters less than a prompt one to a new one.
fn urgency(waited: f64) -> f64 {
    if waited <= 7.0 { 1.0 + waited / 3.5 } else { 3.0 * 0.5f64.powf((waited - 7.0) / 7.0) }
}

/// True when an incoming DM reads as a sales pitch from someone with no relationship: not a
/// message waiting for an answer.
fn is_pitch(text: Option<&str>, person: &PersonSummary) -> bool {
    let Some(text) = text else { return false };
    let relationship = rapport_check::RelationshipContext {
        stage: person.relationship.stage,
        strength: person.relationship.strength as f32,
        interactions: 0,
        they_reached_out_last: false,
    };
    let ctx =
        Context { kind: DraftKind::Dm, relationship: Some(relationship), ..Context::default() };
    let report = rapport_check::check(text, &ctx, Model::embedded());
    matches!(report.verdict, Verdict::ColdPitch | Verdict::Spammy)
        || (report.verdict == Verdict::Promotional && person.relationship.stage <= Stage::Aware)
}

fn noun(kind: InteractionKind) -> &'static str {
    match kind {
        InteractionKind::Dm => "DM",
        InteractionKind::Reply => "reply",
        InteractionKind::Quote => "quote",
        _ => "mention",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{Setup, incoming, outgoing, person};
    use crate::today::candidates;

    #[test]
    fn urgency_grows_for_a_week_then_halves_each_week() {
        for (name, waited, want) in [
            ("just now", 0.0, 1.0),
            ("half a week", 3.5, 2.0),
            ("a week, the peak", 7.0, 3.0),
            ("two weeks, half the peak", 14.0, 1.5),
            ("three weeks, a quarter", 21.0, 0.75),
        ] {
            assert!((urgency(waited) - want).abs() < 1e-9, "{name}: {}", urgency(waited));
        }
    }

    /// The answer actions of a history with one friend (strength 0.5), by id, with their value.
    fn answers_of(history: Vec<InteractionRow>, stage: Stage) -> Vec<(String, f64)> {
        let mut setup = Setup::default();
        setup.people.push(person(1, "ada", 0.5, stage));
        setup.history = history;
        setup.actions_of(ActionKind::Answer)
    }

    #[test]
    fn what_waits_for_an_answer() {
        use InteractionKind::{Dm, Follow, Like, Mention, Reply};
        let pitch = "Hi! We help businesses like yours grow revenue 10x. Buy our premium package today, limited offer, click the link to book a sales call";
        let cases: Vec<(&str, Vec<InteractionRow>, Stage, &str)> = vec![
            (
                "a reply two days old waits",
                vec![incoming(1, 1, Reply, 2.0, "how did the beds do?")],
                Stage::Engaged,
                "@ada has waited 2 days for your answer to a reply: \"how did the beds do?\"",
            ),
            (
                "several messages are counted together from the first",
                vec![
                    incoming(1, 1, Mention, 5.0, "look at this"),
                    incoming(2, 1, Reply, 1.0, "and this"),
                ],
                Stage::Engaged,
                "@ada has waited 5 days for your answer to 2 messages: \"look at this\"",
            ),
            (
                "any later touch answers, even on another thread",
                vec![incoming(1, 1, Reply, 3.0, "hello"), outgoing(2, 1, Reply, 2.0, "hi!")],
                Stage::Engaged,
                "",
            ),
            (
                "a like counts as a touch too",
                vec![incoming(1, 1, Reply, 3.0, "hello"), outgoing(2, 1, Like, 2.0, "")],
                Stage::Engaged,
                "",
            ),
            (
                "a follow is no touch",
                vec![incoming(1, 1, Reply, 3.0, "hello"), outgoing(2, 1, Follow, 2.0, "")],
                Stage::Engaged,
                "@ada has waited 3 days for your answer to a reply: \"hello\"",
            ),
            (
                "a touch before the message does not answer it",
                vec![outgoing(2, 1, Reply, 4.0, "hi"), incoming(1, 1, Reply, 3.0, "hello")],
                Stage::Engaged,
                "@ada has waited 3 days for your answer to a reply: \"hello\"",
            ),
            (
                "older than thirty days no longer waits",
                vec![incoming(1, 1, Reply, 31.0, "hello")],
                Stage::Engaged,
                "",
            ),
            (
                "a cold DM that reads as a pitch is not an answer owed",
                vec![incoming(1, 1, Dm, 1.0, pitch)],
                Stage::Stranger,
                "",
            ),
            (
                "only DMs are read for pitches: the same text in a public reply waits",
                vec![incoming(1, 1, Reply, 1.0, pitch)],
                Stage::Stranger,
                "@ada has waited 1 day for your answer to a reply: \"Hi! We help businesses like yours grow revenue 10x. Buy our premium package tod…\"",
            ),
            (
                "a friend's DM waits",
                vec![incoming(1, 1, Dm, 1.0, "are you coming on Saturday?")],
                Stage::Close,
                "@ada has waited 1 day for your answer to a DM: \"are you coming on Saturday?\"",
            ),
        ];
        for (name, history, stage, want) in cases {
            let got = answers_of(history, stage);
            let whys: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
            let want: Vec<&str> = if want.is_empty() { vec![] } else { vec![want] };
            assert_eq!(whys, want, "{name}");
        }
    }

    #[test]
    fn waiting_time_weights_the_value() {
        use InteractionKind::{Dm, Reply};
        // Value = kind weight × (0.4 + strength) × urgency(days waited).
        for (name, kind, days_ago, want) in [
            ("a DM of a day", Dm, 1.0, 1.0 * 0.9 * urgency(1.0)),
            ("a reply of a week", Reply, 7.0, 0.85 * 0.9 * 3.0),
            ("a reply of three weeks", Reply, 21.0, 0.85 * 0.9 * 0.75),
        ] {
            let got = answers_of(vec![incoming(1, 1, kind, days_ago, "so?")], Stage::Close);
            assert_eq!(got.len(), 1, "{name}");
            assert!((got[0].1 - want).abs() < 1e-9, "{name}: {} != {want}", got[0].1);
        }
    }

    #[test]
    fn bots_and_blocked_people_wait_for_nothing() {
        let mut setup = Setup::default();
        let mut bot = person(1, "bot", 0.5, Stage::Engaged);
        bot.accounts[0].bot = true;
        let mut blocked = person(2, "troll", 0.5, Stage::Engaged);
        blocked.relationship.blocked = true;
        setup.people = vec![bot, blocked];
        setup.history = vec![
            incoming(1, 1, InteractionKind::Mention, 1.0, "beep"),
            incoming(2, 2, InteractionKind::Mention, 1.0, "hey"),
        ];
        assert!(candidates(&setup.inputs()).is_empty());
    }
}
