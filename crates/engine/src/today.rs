//! `today`: a short list of relationship-building actions, ranked by value, each with who and why.
//!
//! Five kinds of action, each from the store as of a moment: answer what is waiting, thank the
//! people who shared your work, reconnect with relationships going cold or overdue for their
//! cadence, introduce yourself to a like-minded person (from discovery), and warm opportunities
//! (someone asking for what you offer). Done and snoozed actions stay hidden; an action the user
//! has done in the network (a reply, a DM) resolves itself on the next import.

use std::collections::{HashMap, HashSet};

use rapport_check::{Context, DraftKind, Model, Verdict};
use rapport_model::time::{self, DAY};
use rapport_model::{InteractionKind, Network, Timestamp};
use rapport_score::{Stage, Trend};
use rapport_store::{ActionState, InteractionRow, Read, Store};
use xxhash_rust::xxh3::xxh3_64;

use crate::people::PersonSummary;
use crate::settings::normalise_term;
use crate::{Cadence, Engine, Error, People, Result, Snapshot, View, derived};

/// How far back a message still waits for an answer.
const ANSWER_WINDOW: Timestamp = 30 * DAY;
/// How many like-minded people discovery offers to meet each day.
const INTRODUCTIONS: usize = 3;
/// How far back a share still deserves thanks, and an ask is still an opportunity.
const RECENT: Timestamp = 14 * DAY;

/// The kind of a daily action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// A mention, reply or DM waits for an answer.
    Answer,
    /// Someone shared the user's work.
    Thank,
    /// A relationship is going cold or is overdue for its cadence.
    Reconnect,
    /// A like-minded person the user could meet, through a warm path.
    Introduce,
    /// Someone in the network asks for what the user offers.
    Opportunity,
}

impl ActionKind {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Answer => "answer",
            ActionKind::Thank => "thank",
            ActionKind::Reconnect => "reconnect",
            ActionKind::Introduce => "introduce",
            ActionKind::Opportunity => "opportunity",
        }
    }
}

/// One thing to do today.
#[derive(Clone, Debug)]
pub struct Action {
    /// A short stable id, for `--done` and `--snooze`.
    pub id: String,
    /// What kind of action.
    pub kind: ActionKind,
    /// Who it is about.
    pub who: String,
    /// The network it happens on.
    pub network: Network,
    /// Why it is on the list.
    pub why: String,
    /// How to go about it.
    pub approach: String,
    /// How much it is worth, for ranking.
    pub value: f64,
    /// When what prompted it happened.
    pub at: Option<Timestamp>,
}

/// How to compute today's list (the view says for whom, and which moment is "today").
#[derive(Clone, Debug, Default)]
pub struct TodayQuery {
    /// At most this many actions.
    pub limit: usize,
}

/// Today's list.
#[derive(Clone, Debug)]
pub struct Today {
    /// The moment it describes.
    pub as_of: Timestamp,
    /// The actions, most valuable first.
    pub actions: Vec<Action>,
    /// How many actions are hidden because they are done or snoozed.
    pub hidden: usize,
}

/// Phrases that ask the network for a recommendation or for help finding something.
/// Today's candidate actions at one moment, as kept in the store.
pub(crate) struct Candidates {
    pub(crate) as_of: Timestamp,
    pub(crate) actions: Vec<Action>,
}

const ASKS: [&str; 12] = [
    "can anyone recommend",
    "could anyone recommend",
    "any recommendations",
    "recommendations for",
    "looking for a",
    "looking for recommendations",
    "does anyone know where",
    "does anyone know a",
    "any suggestions",
    "where can i buy",
    "where to buy",
    "who can help",
];

impl Engine {
    /// Marks an action done: it is not shown again.
    pub fn mark_done(&self, id: &str) -> Result<()> {
        Ok(self.store.set_action_state(&check_id(id)?, ActionState::Done, None)?)
    }

    /// Hides an action until `until`.
    pub fn snooze(&self, id: &str, until: Timestamp) -> Result<()> {
        Ok(self.store.set_action_state(&check_id(id)?, ActionState::Snoozed, Some(until))?)
    }
}

impl Snapshot<'_> {
    /// Today's actions, most valuable first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn today(&self, view: &View, query: &TodayQuery) -> Result<Today> {
        // The candidates depend on the data and on the settings (offer, cadences), so the
        // settings are part of the key; done and snoozed states are applied afresh below.
        let settings = format!("{:016x}", xxh3_64(self.settings_fingerprint()?.as_bytes()));
        let Candidates { as_of, mut actions } = self.view_of(
            "today",
            view,
            &settings,
            || self.candidates(view),
            derived::encode_candidates,
            derived::decode_candidates,
        )?;
        let states = self.store.action_states()?;
        let before = actions.len();
        actions.retain(|a| match states.get(&a.id) {
            Some((ActionState::Done, _)) => false,
            Some((ActionState::Snoozed, until)) => until.is_some_and(|u| u <= as_of),
            None => true,
        });
        let hidden = before - actions.len();
        actions.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.id.cmp(&b.id)));
        Ok(Today { as_of, actions: diverse(actions, query.limit), hidden })
    }

    /// Every action worth suggesting at the query's moment, before done and snoozed ones are
    /// hidden and before ranking.
    #[tracing::instrument(level = "debug", skip_all)]
    fn candidates(&self, view: &View) -> Result<Candidates> {
        let people = self.all_people(view)?;
        let as_of = people.as_of;
        let me = self.seen(view)?.ids;
        // Each account's person, to find the relationship behind an interaction.
        let mut by_account: HashMap<i64, &PersonSummary> = HashMap::new();
        for p in &people.people {
            for a in &p.accounts {
                by_account.insert(a.id, p);
            }
        }
        let mut history = self.store.interactions_touching(&me, Some(as_of))?;
        history.retain(|i| view.sees(i.network));
        let mut actions = Vec::new();
        let last_out = last_outgoing(&history, &me, &by_account);
        self.answers(&history, &me, &by_account, &last_out, as_of, &mut actions);
        thanks(&history, &me, &by_account, &last_out, as_of, &mut actions);
        self.reconnects(view, &people.people, &history, &me, as_of, &mut actions)?;
        self.opportunities(view, &me, &by_account, &history, as_of, &mut actions)?;
        self.introductions(view, &people, &mut actions)?;
        Ok(Candidates { as_of, actions })
    }

    /// Mentions, replies and DMs from people that the user has not answered since.
    #[tracing::instrument(level = "debug", skip_all)]
    fn answers(
        &self,
        history: &[InteractionRow],
        me: &[i64],
        by_account: &HashMap<i64, &PersonSummary>,
        last_out: &HashMap<i64, Timestamp>,
        as_of: Timestamp,
        actions: &mut Vec<Action>,
    ) {
        let mut waiting: HashMap<i64, Vec<&InteractionRow>> = HashMap::new();
        for i in history {
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
            let Some(person) = by_account.get(&i.source) else { continue };
            if person.relationship.blocked || person.accounts.iter().any(|a| a.bot) {
                continue;
            }
            if last_out.get(&person.person).is_some_and(|&out| out >= at) {
                continue;
            }
            if i.kind == InteractionKind::Dm && is_pitch(i.text.as_deref(), person) {
                continue;
            }
            waiting.entry(person.person).or_default().push(i);
        }
        for (person, items) in waiting {
            let Some(p) = by_account.get(&items[0].source) else { continue };
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
            let quote = first
                .text
                .as_deref()
                .map(|t| format!(": \"{}\"", short(t, 80)))
                .unwrap_or_default();
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
                        "Reply in the DM; answer what they asked before adding anything of yours"
                            .into()
                    }
                    _ => "Reply in the thread: thank them, answer, and ask a question back".into(),
                },
                value: weight * (0.4 + p.relationship.strength) * urgency(waited),
                at: first.at,
            });
        }
    }

    /// Relationships going cold, or overdue for the cadence of their group or stage.
    #[tracing::instrument(level = "debug", skip_all)]
    fn reconnects(
        &self,
        view: &View,
        people: &[PersonSummary],
        history: &[InteractionRow],
        me: &[i64],
        as_of: Timestamp,
        actions: &mut Vec<Action>,
    ) -> Result<()> {
        let topics = last_topics(history, me);
        let mut cadences = HashMap::new();
        for stage in Stage::ALL {
            cadences.insert(stage, self.cadence(stage)?);
        }
        let by_group = self.group_cadence_of_members(view)?;
        for p in people {
            let r = &p.relationship;
            if r.blocked {
                continue;
            }
            let Some(last) = r.last else { continue };
            let silent = (as_of - last.at) as f64 / DAY as f64;
            let was_strong =
                r.strength_90d_ago >= 0.05 || matches!(r.stage, Stage::Mutual | Stage::Close);
            let cooling = r.trend == Trend::Cooling && was_strong;
            let group = by_group.get(&p.person);
            let cadence = group.map(|g| g.1).or_else(|| cadences.get(&r.stage).copied().flatten());
            let overdue = cadence.filter(|c| silent > f64::from(c.max));
            if !cooling && overdue.is_none() {
                continue;
            }
            let topic = p
                .accounts
                .iter()
                .filter_map(|a| topics.get(&a.id))
                .max_by_key(|(at, _)| *at)
                .map(|(_, t)| t.clone());
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
                (Some(c), None) => why
                    .push_str(&format!(" (you aim for every {} days, at most {})", c.ideal, c.max)),
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
        Ok(())
    }

    /// The cadence each member of a group with a cadence of its own should keep, with the term
    /// that named it; the strictest where a person is in several. Empty, without computing the
    /// groups, when no group cadence is set.
    fn group_cadence_of_members(&self, view: &View) -> Result<HashMap<i64, (String, Cadence)>> {
        let wanted = self.group_cadences()?;
        let mut out: HashMap<i64, (String, Cadence)> = HashMap::new();
        if wanted.is_empty() {
            return Ok(out);
        }
        // Names show hashtags as `#tag` and words in quotes; a user may type either form bare.
        let bare = |t: &str| normalise_term(t).trim_matches('"').trim_start_matches('#').to_owned();
        for group in self.groups(view)? {
            for (term, cadence) in &wanted {
                if !group.terms.iter().any(|t| bare(t) == bare(term)) {
                    continue;
                }
                for &person in &group.members {
                    let entry = out.entry(person).or_insert_with(|| (term.clone(), *cadence));
                    if cadence.max < entry.1.max {
                        *entry = (term.clone(), *cadence);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Like-minded people from discovery who can be met through a warm path: someone the user
    /// talks with who already follows or talks with them.
    #[tracing::instrument(level = "debug", skip_all)]
    fn introductions(&self, view: &View, people: &People, actions: &mut Vec<Action>) -> Result<()> {
        let discover =
            crate::DiscoverQuery { limit: INTRODUCTIONS, ..crate::DiscoverQuery::default() };
        for s in self.discover_for(view, &discover, || Ok(people))? {
            let Some(path) = s.through.first() else { continue };
            let Some(account) = s.accounts.first() else { continue };
            let mut why = format!("{} shares your interests: {}", s.label(), s.why);
            why.push_str(&format!("; {path} can introduce you"));
            actions.push(Action {
                id: action_id(ActionKind::Introduce, account.person, account.id),
                kind: ActionKind::Introduce,
                who: s.label(),
                network: account.network,
                why,
                approach: format!(
                    "Ask {path} for an introduction, or reply to something {} posted about what you share; no pitch",
                    s.label()
                ),
                value: 0.6 * s.score,
                at: None,
            });
        }
        Ok(())
    }

    /// Posts in the network asking for a recommendation, best when they ask for what the user
    /// offers and come from a strong relationship.
    #[tracing::instrument(level = "debug", skip_all)]
    fn opportunities(
        &self,
        view: &View,
        me: &[i64],
        by_account: &HashMap<i64, &PersonSummary>,
        history: &[InteractionRow],
        as_of: Timestamp,
        actions: &mut Vec<Action>,
    ) -> Result<()> {
        let offer = self.setting("offer")?;
        let keywords = keywords(&offer);
        let answered: HashSet<&str> = history
            .iter()
            .filter(|i| me.contains(&i.source))
            .filter_map(|i| i.reply_to.as_deref())
            .collect();
        for post in self.store.posts_between(as_of - RECENT, as_of)? {
            if me.contains(&post.author)
                || answered.contains(&post.native_id.as_str())
                || !view.sees(post.network)
            {
                continue;
            }
            let lower = post.text.to_lowercase();
            let Some(ask) = ASKS.iter().find(|a| lower.contains(*a)) else { continue };
            let matched: Vec<&str> = keywords
                .iter()
                .filter(|k| lower.contains(k.as_str()) || post.hashtags.iter().any(|t| t == *k))
                .map(String::as_str)
                .collect();
            if !keywords.is_empty() && matched.is_empty() {
                continue;
            }
            let person = by_account.get(&post.author);
            let strength = person.map_or(0.0, |p| p.relationship.strength);
            let who = match person {
                Some(p) => p.label(),
                None => self
                    .store
                    .accounts(&[post.author])?
                    .first()
                    .map_or_else(|| post.author.to_string(), |a| a.label()),
            };
            let fit = if keywords.is_empty() { 0.3 } else { (matched.len() as f64 / 2.0).min(1.0) };
            let mut why = format!("{who} asks \"{}\" ({ask})", short(&post.text, 100));
            if !matched.is_empty() {
                why.push_str(&format!("; it matches what you offer: {}", matched.join(", ")));
            } else {
                why.push_str("; tell Rapport what you offer with `rapport config set offer \"...\"` to see only these");
            }
            actions.push(Action {
                id: action_id(ActionKind::Opportunity, post.author, post.id),
                kind: ActionKind::Opportunity,
                who,
                network: post.network,
                why,
                approach: "Help first: answer the question with a useful tip or two good options, yours among them only if it truly fits; no link unless they ask".into(),
                value: 1.2 * (0.3 + strength) * (0.5 + fit),
                at: post.at,
            });
        }
        Ok(())
    }
}

/// Reposts and quotes of the user's work in the last two weeks, not yet acknowledged.
fn thanks(
    history: &[InteractionRow],
    me: &[i64],
    by_account: &HashMap<i64, &PersonSummary>,
    last_out: &HashMap<i64, Timestamp>,
    as_of: Timestamp,
    actions: &mut Vec<Action>,
) {
    let mut shares: HashMap<i64, Vec<&InteractionRow>> = HashMap::new();
    for i in history {
        let Some(at) = i.at else { continue };
        if !matches!(i.kind, InteractionKind::Repost | InteractionKind::Quote)
            || !me.contains(&i.target)
            || at < as_of - RECENT
        {
            continue;
        }
        let Some(p) = by_account.get(&i.source) else { continue };
        if p.relationship.blocked || last_out.get(&p.person).is_some_and(|&out| out >= at) {
            continue;
        }
        shares.entry(p.person).or_default().push(i);
    }
    for (person, items) in shares {
        let Some(p) = by_account.get(&items[0].source) else { continue };
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

/// How pressing an unanswered message is after `waited` days: more so each day for a week, then
/// less, as a late answer to an old reply matters less than a prompt one to a new one.
fn urgency(waited: f64) -> f64 {
    if waited <= 7.0 { 1.0 + waited / 3.5 } else { 3.0 * 0.5f64.powf((waited - 7.0) / 7.0) }
}

/// The most valuable actions, with every kind that has one represented (its best), and no kind
/// taking more than two fifths of the list while other kinds wait: a day of only answers hides
/// the people worth reconnecting with or meeting.
fn diverse(ranked: Vec<Action>, limit: usize) -> Vec<Action> {
    let cap = (limit * 2).div_ceil(5).max(2);
    let mut chosen: Vec<Action> = Vec::with_capacity(limit);
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
    chosen.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.id.cmp(&b.id)));
    chosen
}

/// The time of the user's last outgoing interaction with each person.
fn last_outgoing(
    history: &[InteractionRow],
    me: &[i64],
    by_account: &HashMap<i64, &PersonSummary>,
) -> HashMap<i64, Timestamp> {
    let mut last = HashMap::new();
    for i in history {
        if !me.contains(&i.source) || i.kind.is_state() {
            continue;
        }
        let (Some(at), Some(p)) = (i.at, by_account.get(&i.target)) else { continue };
        let entry = last.entry(p.person).or_insert(at);
        *entry = (*entry).max(at);
    }
    last
}

/// What the user and each account last talked about: the time and text of their last exchange
/// with text, in one pass over the history.
fn last_topics(history: &[InteractionRow], me: &[i64]) -> HashMap<i64, (Timestamp, String)> {
    let mut topics: HashMap<i64, (Timestamp, String)> = HashMap::new();
    for i in history {
        let (Some(text), Some(at)) = (i.text.as_deref(), i.at) else { continue };
        let other = if me.contains(&i.source) { i.target } else { i.source };
        if topics.get(&other).is_none_or(|(seen, _)| at >= *seen) {
            topics.insert(other, (at, format!("\"{}\"", short(text, 70))));
        }
    }
    topics
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

/// The words of an offer worth matching: lower-cased, four letters or more, no common words.
fn keywords(offer: &str) -> Vec<String> {
    const COMMON: [&str; 12] = [
        "with", "that", "this", "from", "your", "have", "help", "good", "best", "about", "some",
        "more",
    ];
    let mut words: Vec<String> = offer
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !COMMON.contains(&w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words
}

fn noun(kind: InteractionKind) -> &'static str {
    match kind {
        InteractionKind::Dm => "DM",
        InteractionKind::Reply => "reply",
        InteractionKind::Quote => "quote",
        _ => "mention",
    }
}

fn days(d: f64) -> String {
    match d {
        d if d < 1.0 => "less than a day".into(),
        d if d < 1.5 => "1 day".into(),
        d => format!("{} days", d.round()),
    }
}

fn short(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// A short stable id from what the action is about.
fn action_id(kind: ActionKind, person: i64, anchor: i64) -> String {
    let key = format!("{}:{person}:{anchor}", kind.as_str());
    format!("{:08x}", xxh3_64(key.as_bytes()) as u32)
}

fn check_id(id: &str) -> Result<String> {
    let id = id.trim().to_ascii_lowercase();
    if id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(id)
    } else {
        Err(Error::InvalidActionId { id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_keywords() {
        assert_eq!(
            keywords("Compost bins, soil testing & rainwater workshops"),
            ["bins", "compost", "rainwater", "soil", "testing", "workshops"]
        );
        assert!(keywords("").is_empty());
    }

    #[test]
    fn ids_are_stable_and_checked() {
        let id = action_id(ActionKind::Answer, -4, 99);
        assert_eq!(id, action_id(ActionKind::Answer, -4, 99));
        assert_ne!(id, action_id(ActionKind::Thank, -4, 99));
        assert!(check_id(&id).is_ok());
        assert!(check_id("nope").is_err());
    }
}
