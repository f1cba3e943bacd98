//! The people "me" has history with: every relationship's strength, stage, trend and ledger.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rapport_advice::PersonSummary;
use rapport_check::Verdict;
use rapport_model::{InteractionKind, Timestamp};
use rapport_score::OtherSide::{Seen, Unseen};
use rapport_score::{OneSided, Relationship, RelationshipDetail, ScoreParams, Stage, Trend};
use rapport_store::{AccountRow, InteractionRow, Read};

use crate::cache::Verdicts;
use crate::events::EventSet;
use crate::pair::PairSides;
use crate::{Error, Result, Snapshot, View, derived};

/// How to list people (the view says whose, as of when and on which network).
#[derive(Clone, Debug, Default)]
pub struct PeopleQuery {
    /// Only people at this stage.
    pub stage: Option<Stage>,
    /// Only relationships that are cooling.
    pub cooling: bool,
    /// The order.
    pub sort: SortKey,
    /// At most this many people.
    pub limit: Option<usize>,
}

/// The order of a people listing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Strongest first: the most invested relationships (see [`rapport_score::Investment`]).
    #[default]
    Strength,
    /// Most likely to be in contact within 30 days first (the model's forecast).
    Forecast,
    /// Fastest warming first (cooling last).
    Trend,
    /// Fastest cooling first.
    Cooling,
    /// Most recent interaction first.
    Last,
    /// Most reciprocal first.
    Reciprocity,
    /// By name.
    Name,
}

/// A people listing and the moment it describes.
#[derive(Clone, Debug)]
pub struct People {
    /// The moment everything was computed at.
    pub as_of: Timestamp,
    /// The people.
    pub people: Vec<PersonSummary>,
}

/// One relationship in full.
#[derive(Clone, Debug)]
pub struct PersonDetail {
    /// The moment everything was computed at.
    pub as_of: Timestamp,
    /// The person's accounts.
    pub accounts: Vec<AccountRow>,
    /// The relationship with its strength history and stage changes.
    pub detail: RelationshipDetail,
    /// Every interaction between "me" and them up to `as_of`, oldest first.
    pub timeline: Vec<InteractionRow>,
    /// Person or organisation, with the evidence (issue 18).
    pub judgement: rapport_advice::Judgement,
}

impl Snapshot<'_> {
    /// The people the view's account has any history with, with their relationships.
    pub fn people(&self, view: &View, query: &PeopleQuery) -> Result<People> {
        let all = self.all_people(view)?;
        // Filtered and ordered by reference, so only the people returned are copied.
        let mut people: Vec<&PersonSummary> = all
            .people
            .iter()
            .filter(|p| {
                query.stage.is_none_or(|s| p.relationship.stage == s)
                    && (!query.cooling || p.relationship.trend == Trend::Cooling)
            })
            .collect();
        sort(&mut people, query.sort);
        if let Some(limit) = query.limit {
            people.truncate(limit);
        }
        Ok(People { as_of: all.as_of, people: people.into_iter().cloned().collect() })
    }

    /// Every relationship of the view, strongest first. Kept in the store for views of now, so
    /// only the first call after the data changes computes it.
    pub(crate) fn all_people(&self, view: &View) -> Result<Arc<People>> {
        self.view_of(
            "people",
            view,
            "",
            || self.compute_people(view),
            derived::encode_people,
            derived::decode_people,
        )
    }

    #[tracing::instrument(level = "debug", skip_all)]
    fn compute_people(&self, view: &View) -> Result<People> {
        let seen = self.seen(view)?;
        let events = self.events(&seen)?;
        let (set, as_of) = (&events.set, events.as_of);
        // Scored numbered by person, as `person` scores a pair (see `EventSet::by_person`).
        let scoring = set.by_person(&set.events);
        let me = scoring.number(events.me);
        let mut relationships =
            rapport_score::relationships(&scoring.events, me, as_of, &ScoreParams::default());
        for r in &mut relationships {
            r.other = scoring.node(r.other);
        }
        let history = self.history(&seen.ids, as_of)?;
        // The verdicts are locked for this pass only: other threads' passes wait for no more.
        count_pitches(
            set,
            &seen.ids,
            &history,
            &mut self.engine.cache.verdicts(),
            &mut relationships,
        );
        let accounts = self.accounts_by_node(set, relationships.iter().map(|r| r.other))?;
        let sides = self.sides()?;
        let mut people: Vec<PersonSummary> = relationships
            .into_iter()
            .map(|mut r| {
                let accounts = accounts.get(&r.other).cloned().unwrap_or_default();
                sides.mark(&accounts, &mut r);
                PersonSummary { person: set.persons[r.other as usize], accounts, relationship: r }
            })
            .collect();
        sort(&mut people, SortKey::Strength);
        Ok(People { as_of, people })
    }

    /// One relationship in full: timeline, strength history, ledger and stage changes.
    ///
    /// A pair's relationship reads only the events of its two sides (their pair, each side's own
    /// activity, their neighbours), so only those are read (see `pair`), and its pitches are
    /// counted from the pair's own messages, which the timeline reads anyway: the answer is the one
    /// the whole store gives, for a fraction of the work.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn person(&self, view: &View, handle: &str) -> Result<PersonDetail> {
        let seen = self.seen(view)?;
        let PairSides { set, me, them, as_of, events: sides } = self.pair_sides(&seen, handle)?;
        let params = ScoreParams::default();
        // Numbered by person, as the listing scores (see `EventSet::by_person`).
        let scoring = set.by_person(&sides);
        let (me_number, them_number) = (scoring.number(me), scoring.number(them));
        let score = |side| {
            rapport_score::relationship_as(
                &scoring.events,
                me_number,
                them_number,
                as_of,
                &params,
                side,
            )
            .ok_or_else(|| no_history(handle))
        };
        let mut detail = score(Seen)?;
        let accounts = self.accounts_by_node(&set, [them])?.remove(&them).unwrap_or_default();
        if self.sides()?.unseen(&accounts, &detail.relationship) {
            // The history and stage changes are read from "me"'s side alone too.
            detail = score(Unseen)?;
        }
        detail.relationship.other = them;
        // Spent, as in the listing (`Sides::mark`): the person is the listing's relationship.
        detail.relationship.one_sided = OneSided::default();
        let mine = &seen.ids;
        let theirs: Vec<i64> = accounts.iter().map(|a| a.id).collect();
        let pair: Vec<InteractionRow> = self
            .store
            .interactions_touching(&theirs, Some(as_of))?
            .into_iter()
            .filter(|i| mine.contains(&i.source) || mine.contains(&i.target))
            .collect();
        let asked = std::slice::from_mut(&mut detail.relationship);
        // Checked outside the shared verdicts' lock: people opened at once run side by side.
        let mut verdicts =
            self.engine.cache.verdicts_on(pair.iter().filter_map(|i| i.text.as_deref()));
        count_pitches(&set, mine, &pair, &mut verdicts, asked);
        self.engine.cache.keep_verdicts(verdicts);
        let judgement = rapport_advice::judge(&accounts, &pair, mine);
        let timeline = pair.into_iter().filter(|i| view.sees(i.network)).collect();
        Ok(PersonDetail { as_of, accounts, detail, timeline, judgement })
    }

    /// The accounts of the person `handle` names.
    pub(crate) fn find_person(&self, handle: &str) -> Result<Vec<AccountRow>> {
        let found = self.store.find_accounts(handle)?;
        if found.is_empty() {
            return Err(Error::UnknownAccount { query: handle.to_owned() });
        }
        Ok(found)
    }

    /// The accounts behind each node, for the nodes asked.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) fn accounts_by_node(
        &self,
        set: &EventSet,
        nodes: impl IntoIterator<Item = u32>,
    ) -> Result<HashMap<u32, Vec<AccountRow>>> {
        let mut ids = Vec::new();
        for node in nodes {
            ids.extend(set.accounts_of(node));
        }
        let mut out: HashMap<u32, Vec<AccountRow>> = HashMap::new();
        for account in self.store.accounts(&ids)? {
            if let Some(node) = set.node_of(account.person) {
                out.entry(node).or_default().push(account);
            }
        }
        for accounts in out.values_mut() {
            accounts.sort_by_key(|a| a.id);
        }
        Ok(out)
    }
}

/// Fills in the ledger's asks that only text shows: the user's messages (DMs, replies) among
/// `history` (interactions touching `mine`, in time order) that the check reads as a pitch or a
/// request. DMs before the other person ever interacted are already counted as cold DMs and are not
/// counted twice. A pair's count reads only that pair's rows, so the rows of one pair give the
/// count the whole history gives. `verdicts` keeps the check's verdicts by kind and text: the same
/// template sent to many people, or read again after the next batch, is judged once.
#[tracing::instrument(level = "debug", skip_all)]
fn count_pitches(
    set: &EventSet,
    mine: &[i64],
    history: &[InteractionRow],
    verdicts: &mut Verdicts,
    relationships: &mut [Relationship],
) {
    let index: HashMap<u32, usize> =
        relationships.iter().enumerate().map(|(i, r)| (r.other, i)).collect();
    let mut heard_from: HashSet<u32> = HashSet::new();
    for row in history {
        let from_me = mine.contains(&row.source);
        let other = if from_me { row.target } else { row.source };
        let Some(node) = set.node_of_account(other) else { continue };
        if !from_me {
            if !row.kind.is_state() {
                heard_from.insert(node);
            }
            continue;
        }
        let kind = match row.kind {
            InteractionKind::Dm => rapport_check::DraftKind::Dm,
            InteractionKind::Reply => rapport_check::DraftKind::Reply,
            _ => continue,
        };
        let (Some(text), Some(&i)) = (row.text.as_deref(), index.get(&node)) else { continue };
        if kind == rapport_check::DraftKind::Dm && !heard_from.contains(&node) {
            continue;
        }
        if is_pitch(verdicts, kind, text) {
            relationships[i].ledger.asked.pitches += 1;
        }
    }
}

/// Whether the check reads the user's message `text`, sent as `kind`, as a pitch or a request:
/// judged once per kind and text (`verdicts` keeps the answers).
pub(crate) fn is_pitch(
    verdicts: &mut Verdicts,
    kind: rapport_check::DraftKind,
    text: &str,
) -> bool {
    let known = &mut verdicts[usize::from(kind == rapport_check::DraftKind::Dm)];
    if let Some(&pitch) = known.get(text) {
        return pitch;
    }
    let ctx = rapport_check::Context { kind, ..rapport_check::Context::default() };
    let verdict = rapport_check::check(text, &ctx, rapport_check::Model::embedded()).verdict;
    let pitch = matches!(verdict, Verdict::ColdPitch | Verdict::Promotional | Verdict::Spammy);
    known.insert(text.to_owned(), pitch);
    pitch
}

/// The error of a person "me" has no history with.
pub(crate) fn no_history(handle: &str) -> Error {
    Error::NoHistory { query: handle.to_owned() }
}

/// Orders people by `key`, names breaking ties.
pub(crate) fn sort<P: Borrow<PersonSummary>>(people: &mut [P], key: SortKey) {
    let by_name = |a: &PersonSummary, b: &PersonSummary| a.label().cmp(&b.label());
    match key {
        SortKey::Strength => people.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            let (a_r, b_r) = (&a.relationship, &b.relationship);
            b_r.invested().total_cmp(&a_r.invested()).then_with(|| by_name(a, b))
        }),
        SortKey::Forecast => people.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            b.relationship.strength.total_cmp(&a.relationship.strength).then_with(|| by_name(a, b))
        }),
        SortKey::Trend => people.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            b.relationship
                .trend_change
                .total_cmp(&a.relationship.trend_change)
                .then_with(|| by_name(a, b))
        }),
        SortKey::Cooling => people.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            a.relationship
                .trend_change
                .total_cmp(&b.relationship.trend_change)
                .then_with(|| by_name(a, b))
        }),
        SortKey::Last => people.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            let at = |p: &PersonSummary| p.relationship.last.map(|l| l.at);
            at(b).cmp(&at(a)).then_with(|| by_name(a, b))
        }),
        // Unknown reciprocity (a one-sided source) sorts after every known one.
        SortKey::Reciprocity => people.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            let known = |p: &PersonSummary| p.relationship.reciprocity_seen().unwrap_or(-1.0);
            known(b).total_cmp(&known(a)).then_with(|| by_name(a, b))
        }),
        SortKey::Name => people.sort_by(|a, b| by_name(a.borrow(), b.borrow())),
    }
}
