//! Reconnect: relationships going cold, or overdue for the cadence of their group or stage.

use std::collections::HashMap;

use rapport_model::rows::InteractionRow;
use rapport_model::time::DAY;
use rapport_model::{Network, Stage, Timestamp};
use rapport_score::{Tier, Trend};

use super::audience::Talk;
use super::{Action, ActionKind, Cadence, GroupOf, TodayInputs, action_id};
use crate::PersonSummary;
use rapport_model::text::one_line;

use crate::text::days;

/// Adds a reconnect action for each relationship that is cooling after having been strong, or
/// silent for longer than its cadence allows, anchored at the last contact (so any touch, which
/// moves the last contact, retires it).
///
/// Only people the user has talked with are candidates: a like or a repost is not a conversation,
/// and an audience (a brand, a show, a bot; see [`Talk::audience`]) is not a person to catch up
/// with. A tie silent for more than [`DORMANT`] is dormant: the most invested of them may come back
/// as one "revive" action, which ranks below every other kind (see `rank.rs`).
pub(super) fn reconnects(inputs: &TodayInputs<'_>, actions: &mut Vec<Action>) {
    let topics = last_topics(inputs.history, inputs.me);
    let talk = Talk::of(inputs.history, inputs.me, inputs.people.iter().flat_map(|p| &p.accounts));
    let cadences: HashMap<Stage, Cadence> = inputs.stage_cadences.iter().copied().collect();
    let by_group = group_cadence_of_members(inputs.group_cadences, inputs.groups);
    let mut dormant: Option<(&PersonSummary, Timestamp)> = None;
    for p in inputs.people {
        let r = &p.relationship;
        if r.blocked || r.stage < Stage::Engaged || talk.audience(p).is_some() {
            continue;
        }
        let Some(last) = r.last else { continue };
        if inputs.as_of - last.at > DORMANT {
            if dormant.is_none_or(|(d, _)| r.invested() > d.relationship.invested()) {
                dormant = Some((p, last.at));
            }
            continue;
        }
        let silent = (inputs.as_of - last.at) as f64 / DAY as f64;
        let was_strong =
            r.strength_90d_ago >= 0.05 || matches!(r.stage, Stage::Mutual | Stage::Close);
        let cooling = r.trend == Trend::Cooling && was_strong;
        let group = by_group.get(&p.person);
        let cadence = group.map(|g| g.1).or_else(|| cadences.get(&r.stage).copied());
        let overdue = cadence.filter(|c| silent > f64::from(c.max));
        if !cooling && overdue.is_none() {
            continue;
        }
        let topic = topics_of(&topics, p);
        let mut why = if cooling {
            format!(
                "your {} relationship with {} is cooling: strength {:.2}, from {:.2} 90 days ago; last contact {} ago",
                r.stage,
                p.label(),
                r.strength,
                r.strength_90d_ago,
                days(silent)
            )
        } else {
            format!("{} ago since you were last in touch with {}", days(silent), p.label())
        };
        match (overdue, group) {
            (Some(c), Some((term, _))) => why.push_str(&format!(
                " (with your {term} group you aim for every {} days, at most {})",
                c.ideal, c.max
            )),
            (Some(c), None) => {
                why.push_str(&format!(" (you aim for every {} days, at most {})", c.ideal, c.max))
            }
            (None, _) => {}
        }
        if let Some(topic) = &topic {
            why.push_str(&format!("; you last talked about: {topic}"));
        }
        actions.push(Action {
            id: action_id(ActionKind::Reconnect, p.person, last.at),
            kind: ActionKind::Reconnect,
            who: p.label(),
            network: p.accounts.first().map_or(Network::Table, |a| a.network),
            why,
            approach: "Pick up where you left off: ask how it went, or share something that made you think of them".into(),
            value: 0.7 * r.strength_90d_ago.max(r.strength).max(0.05) * 4.0 + if overdue.is_some() { 0.3 } else { 0.0 },
            at: Some(last.at),
        });
    }
    if let Some((p, last)) = dormant {
        actions.push(revive(p, last, inputs.as_of, topics_of(&topics, p)));
    }
}

/// How long a silence makes a tie dormant: a year.
pub const DORMANT: Timestamp = 365 * DAY;

/// The one "revive" action for the most invested dormant tie.
fn revive(p: &PersonSummary, last: Timestamp, as_of: Timestamp, topic: Option<String>) -> Action {
    let silent = (as_of - last) as f64 / DAY as f64;
    let mut why = format!(
        "revive a dormant tie: {} ago since you were last in touch with {}, the most invested of your dormant ties",
        days(silent),
        p.label()
    );
    if let Some(topic) = &topic {
        why.push_str(&format!("; you last talked about: {topic}"));
    }
    Action {
        id: action_id(ActionKind::Revive, p.person, last),
        kind: ActionKind::Revive,
        who: p.label(),
        network: p.accounts.first().map_or(Network::Table, |a| a.network),
        why,
        approach:
            "A long silence is fine to break lightly: say what reminded you of them, with no ask"
                .into(),
        value: p.relationship.invested(),
        at: Some(last),
    }
}

/// The last topic of any of `p`'s accounts.
fn topics_of(topics: &HashMap<i64, (Timestamp, String)>, p: &PersonSummary) -> Option<String> {
    p.accounts
        .iter()
        .filter_map(|a| topics.get(&a.id))
        .max_by_key(|(at, _)| *at)
        .map(|(_, t)| t.clone())
}

/// A group's term as `rapport groups` names it: lower case, hashtags with their `#`.
pub fn normalise_term(term: &str) -> String {
    term.trim().to_lowercase()
}

/// The cadence each member of a group with a cadence of its own should keep, with the term that
/// named it; the strictest where a person is in several.
fn group_cadence_of_members(
    wanted: &[(String, Cadence)],
    groups: &[GroupOf<'_>],
) -> HashMap<i64, (String, Cadence)> {
    let mut out: HashMap<i64, (String, Cadence)> = HashMap::new();
    if wanted.is_empty() {
        return out;
    }
    // Names show hashtags as `#tag` and words in quotes; a user may type either form bare.
    let bare = |t: &str| normalise_term(t).trim_matches('"').trim_start_matches('#').to_owned();
    for group in groups {
        for (term, cadence) in wanted {
            if !group.terms.iter().any(|t| bare(t) == bare(term)) {
                continue;
            }
            for &person in group.members {
                let entry = out.entry(person).or_insert_with(|| (term.clone(), *cadence));
                if cadence.max < entry.1.max {
                    *entry = (term.clone(), *cadence);
                }
            }
        }
    }
    out
}

/// What the user and each account last talked about: the time and text of their last
/// conversation (a reply, quote, mention or DM; a repost's or a like's text is someone else's
/// words, not a conversation), in one pass over the history.
fn last_topics(history: &[InteractionRow], me: &[i64]) -> HashMap<i64, (Timestamp, String)> {
    // The newest message with each person first (the later one in `history` of two at the same
    // time), then only those quoted: the history holds every message, and quoting each took most
    // of today's own rules at 10,000 people.
    let mut newest: HashMap<i64, (Timestamp, &str)> = HashMap::new();
    for i in history {
        if Tier::of(i.kind).is_none_or(|t| t < Tier::Conversation) {
            continue;
        }
        // A post with no words (an image, a bare link card) has no topic to quote.
        let text = i.text.as_deref().filter(|t| !t.trim().is_empty());
        let (Some(text), Some(at)) = (text, i.at) else { continue };
        let other = if me.contains(&i.source) { i.target } else { i.source };
        if newest.get(&other).is_none_or(|(seen, _)| at >= *seen) {
            newest.insert(other, (at, text));
        }
    }
    newest
        .into_iter()
        .map(|(other, (at, text))| (other, (at, format!("\"{}\"", one_line(text, 70)))))
        .collect()
}

#[cfg(test)]
mod tests {
    use rapport_model::InteractionKind;

    use super::*;
    use crate::PersonSummary;
    use crate::fixture::{Setup, assert_one, incoming, last_contact, outgoing, person};
    use crate::today::candidates;

    fn friend(stage: Stage, trend: Trend, before: f64, now: f64, silent: f64) -> PersonSummary {
        let mut p = person(1, "ada", now, stage);
        p.relationship.trend = trend;
        p.relationship.strength_90d_ago = before;
        p.relationship.last = Some(last_contact(silent));
        p
    }

    #[test]
    fn cooling_thresholds() {
        for (name, stage, trend, before, want) in [
            ("cooling after being strong", Stage::Engaged, Trend::Cooling, 0.3, true),
            ("cooling at exactly the threshold", Stage::Engaged, Trend::Cooling, 0.05, true),
            ("cooling but never strong", Stage::Engaged, Trend::Cooling, 0.04, false),
            ("cooling, weak before but mutual", Stage::Mutual, Trend::Cooling, 0.01, true),
            ("cooling, weak before but close", Stage::Close, Trend::Cooling, 0.01, true),
            ("steady", Stage::Engaged, Trend::Steady, 0.3, false),
            ("warming", Stage::Engaged, Trend::Warming, 0.3, false),
        ] {
            let mut setup = Setup::default();
            setup.people.push(friend(stage, trend, before, 0.02, 10.0));
            let got = setup.actions_of(ActionKind::Reconnect);
            assert_eq!(got.len(), usize::from(want), "{name}: {got:?}");
            if want {
                assert!(got[0].0.contains("is cooling: strength 0.02"), "{name}: {}", got[0].0);
                let value = 0.7 * before.max(0.02).max(0.05) * 4.0;
                assert!((got[0].1 - value).abs() < 1e-9, "{name}: {}", got[0].1);
            }
        }
    }

    #[test]
    fn cadences_of_stages_and_groups() {
        let stage = (Stage::Engaged, Cadence { ideal: 30, max: 60 });
        let group = ("#compost".to_owned(), Cadence { ideal: 7, max: 21 });
        let loose = ("#soil".to_owned(), Cadence { ideal: 30, max: 90 });
        let terms = ["#compost".to_owned(), "\"soil\"".to_owned()];
        let members = [-1];
        for (name, silent, stages, wanted, want) in [
            ("within the stage's cadence", 59.0, vec![stage], vec![], None),
            (
                "past the stage's cadence",
                61.0,
                vec![stage],
                vec![],
                Some(
                    "61 days ago since you were last in touch with @ada (you aim for every 30 days, at most 60)",
                ),
            ),
            ("no cadence for the stage", 400.0, vec![], vec![], None),
            (
                "a group's cadence comes before the stage's",
                22.0,
                vec![stage],
                vec![group.clone()],
                Some(
                    "22 days ago since you were last in touch with @ada (with your #compost group you aim for every 7 days, at most 21)",
                ),
            ),
            (
                "the strictest group wins, typed bare or not",
                22.0,
                vec![],
                vec![loose.clone(), ("compost".to_owned(), group.1)],
                Some(
                    "22 days ago since you were last in touch with @ada (with your compost group you aim for every 7 days, at most 21)",
                ),
            ),
            (
                "a looser group's cadence overrides the stage's",
                61.0,
                vec![stage],
                vec![loose],
                None,
            ),
        ] {
            let mut setup = Setup::default();
            setup.people.push(friend(Stage::Engaged, Trend::Steady, 0.3, 0.3, silent));
            setup.stage_cadences = stages;
            setup.group_cadences = wanted;
            setup.groups = vec![GroupOf { terms: &terms, members: &members }];
            let value = 0.7 * 0.3 * 4.0 + 0.3;
            assert_one(name, &setup.actions_of(ActionKind::Reconnect), want.map(|w| (w, value)));
        }
    }

    #[test]
    fn any_touch_resets_the_cadence() {
        // The action is anchored at the last contact: a touch of any kind moves it, so the
        // old action's id is retired, and the new silence is measured from the touch.
        let cadence = vec![(Stage::Engaged, Cadence { ideal: 30, max: 60 })];
        let mut before = Setup::default();
        before.people.push(friend(Stage::Engaged, Trend::Steady, 0.3, 0.3, 70.0));
        before.stage_cadences = cadence.clone();
        let old = candidates(&before.inputs());
        assert_eq!(old.len(), 1);
        for (name, touch_days_ago, want_action) in
            [("a like ten days ago", 10.0, false), ("a reply 61 days ago", 61.0, true)]
        {
            let mut after = Setup::default();
            after.people.push(friend(Stage::Engaged, Trend::Steady, 0.3, 0.3, touch_days_ago));
            after.stage_cadences = cadence.clone();
            let new = candidates(&after.inputs());
            assert_eq!(new.len(), usize::from(want_action), "{name}");
            assert!(new.iter().all(|a| a.id != old[0].id), "{name}: the old action is retired");
        }
    }

    /// See issue 18: an X archive's reconnects quoted a retweet, listed `@github`, and put ties
    /// silent for years at the top of the day.
    #[test]
    fn retweets_audiences_and_dormant_ties() {
        use InteractionKind::{Mention, Reply, Repost};
        let mut setup = Setup {
            stage_cadences: vec![(Stage::Engaged, Cadence { ideal: 30, max: 60 })],
            ..Setup::default()
        };
        // Ada: talked with, then retweeted; the reply is the topic, the retweet is not.
        setup.people.push(friend(Stage::Engaged, Trend::Steady, 0.3, 0.3, 70.0));
        setup.history = vec![
            outgoing(1, 1, Reply, 90.0, "@ada how did the launch go?"),
            outgoing(2, 1, Repost, 70.0, "RT @ada: our new release"),
        ];
        // A brand: retweeted and talked about, never talked to.
        let mut brand = person(2, "brand", 0.3, Stage::Engaged);
        brand.relationship.last = Some(last_contact(70.0));
        setup.people.push(brand);
        for k in 0..6 {
            setup.history.push(outgoing(10 + k, 2, Repost, 80.0, "RT @brand: news"));
        }
        setup.history.push(outgoing(20, 2, Mention, 75.0, "New @brand UI updates"));
        // A bot that was answered once.
        let mut bot = person(3, "bot", 0.3, Stage::Engaged);
        bot.relationship.last = Some(last_contact(70.0));
        bot.accounts[0].bot = true;
        setup.people.push(bot);
        // Two dormant ties: only the more invested one comes back, as a revive.
        for (id, invested) in [(4, 0.5), (5, 0.2)] {
            let mut old = person(id, &format!("old{id}"), 0.3, Stage::Mutual);
            old.relationship.last = Some(last_contact(800.0));
            old.relationship.investment.two_way = invested;
            setup.people.push(old);
        }
        let all = candidates(&setup.inputs());
        let reconnects: Vec<&Action> =
            all.iter().filter(|a| a.kind == ActionKind::Reconnect).collect();
        assert_eq!(reconnects.len(), 1, "{reconnects:?}");
        assert_eq!(reconnects[0].who, "@ada");
        assert!(reconnects[0].why.ends_with("\"@ada how did the launch go?\""), "{reconnects:?}");
        let revives: Vec<&Action> = all.iter().filter(|a| a.kind == ActionKind::Revive).collect();
        assert_eq!(revives.len(), 1, "{revives:?}");
        assert_eq!(revives[0].who, "@old4");
        assert!(revives[0].why.starts_with("revive a dormant tie: 800 days ago"), "{revives:?}");
        // However valuable, a revive ranks after the reconnect.
        let listed =
            crate::today::list(crate::fixture::NOW, &all, &std::collections::HashMap::new(), 10);
        assert_eq!(listed.actions.last().map(|a| a.kind), Some(ActionKind::Revive));
    }

    /// Issue 18: an organisation the user really talks with (replies both ways) is still no one
    /// to reconnect with or revive, though its question waits for an answer like anyone's.
    #[test]
    fn organisations_are_never_reconnects_but_are_answered() {
        use InteractionKind::{Mention, Reply};
        let mut setup = Setup {
            stage_cadences: vec![(Stage::Engaged, Cadence { ideal: 30, max: 60 })],
            ..Setup::default()
        };
        // A shop that answers, recently silent, and a Mastodon group silent for years.
        let mut shop = friend(Stage::Engaged, Trend::Cooling, 0.3, 0.1, 70.0);
        shop.accounts[0].display_name = Some("Greenfork Supply Ltd".into());
        let mut group = person(2, "gardeners", 0.3, Stage::Mutual);
        group.relationship.last = Some(last_contact(800.0));
        group.relationship.investment.two_way = 0.5;
        group.accounts[0].kind = Some(rapport_model::ActorKind::Group);
        setup.people = vec![shop, group];
        setup.history = vec![
            outgoing(1, 1, Reply, 90.0, "@ada where is my order?"),
            incoming(2, 1, Reply, 89.0, "on its way"),
            outgoing(3, 2, Reply, 800.0, "@gardeners count me in"),
            incoming(4, 1, Mention, 1.0, "@me would you review the seeds you bought?"),
        ];
        let all = candidates(&setup.inputs());
        assert!(
            all.iter().all(|a| !matches!(a.kind, ActionKind::Reconnect | ActionKind::Revive)),
            "{all:?}"
        );
        assert!(
            all.iter().any(|a| a.kind == ActionKind::Answer && a.who == "@ada"),
            "organisations are still answered"
        );
        // The same rows with no profile evidence give the reconnect and the revive.
        setup.people[0].accounts[0].display_name = None;
        setup.people[1].accounts[0].kind = None;
        let kinds: Vec<ActionKind> = candidates(&setup.inputs()).iter().map(|a| a.kind).collect();
        assert!(kinds.contains(&ActionKind::Reconnect), "{kinds:?}");
        assert!(kinds.contains(&ActionKind::Revive), "{kinds:?}");
    }

    #[test]
    fn the_last_topic_is_quoted() {
        let mut setup = Setup::default();
        setup.people.push(friend(Stage::Engaged, Trend::Cooling, 0.3, 0.1, 40.0));
        setup.history = vec![
            incoming(1, 1, InteractionKind::Reply, 50.0, "older words"),
            incoming(2, 1, InteractionKind::Reply, 40.0, "the  tomato\nharvest"),
            incoming(3, 1, InteractionKind::Like, 39.0, ""),
            incoming(4, 1, InteractionKind::Reply, 38.0, " "),
        ];
        let got = setup.actions_of(ActionKind::Reconnect);
        assert!(got[0].0.ends_with("; you last talked about: \"the tomato harvest\""), "{got:?}");
    }
}
