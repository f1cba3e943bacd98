//! The report: everything the other commands show, gathered into the data the HTML page is drawn
//! from, with the history that only a report needs (stages month by month, give and ask).

use std::collections::HashMap;

use rapport_check::DraftKind;
use rapport_model::time::DAY;
use rapport_model::{InteractionKind, Timestamp};
use rapport_report::{
    Action as ReportAction, Example as ReportExample, Finding as ReportFinding, GiveAskPoint,
    Group as ReportGroup, Headline, Mover, PromotionalPoint, ReportData, StageCounts, StagePoint,
    Suggestion as ReportSuggestion,
};
use rapport_score::{Stage, Trend};
use rapport_store::Read;

use crate::people::is_pitch;
use crate::{
    AccountRow, DiscoverQuery, Group, PROMOTIONAL_LIMIT, PeopleQuery, PersonSummary, Result,
    Severity, Snapshot, SortKey, TodayQuery, View,
};

/// How many months of history the report draws.
const MONTHS: i64 = 18;
/// How many warming and cooling relationships it lists.
const MOVERS: usize = 8;

impl Snapshot<'_> {
    /// Gathers the report of the view.
    pub fn report(&self, view: &View) -> Result<ReportData> {
        self.report_with(view, self.groups(view)?)
    }

    /// Gathers the report of the view with its `groups` as [`Snapshot::groups`] gave them: a
    /// server that keeps the groups (a second of work at 10,000 people) does not find them again.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn report_with(&self, view: &View, groups: Vec<Group>) -> Result<ReportData> {
        let people = self.people(view, &PeopleQuery::default())?;
        let as_of = people.as_of;
        let seen = self.seen(view)?;
        let (me, ids) = (&seen.me, &seen.ids);
        let set = self.event_set(view.network, ids)?;
        let stats = self.store.stats()?;
        let count = |f: &dyn Fn(&PersonSummary) -> bool| {
            people.people.iter().filter(|p| f(p)).count() as u64
        };
        let headline = Headline {
            people: people.people.len() as u64,
            interactions: stats.interactions,
            posts: stats.posts,
            mutual: count(&|p| p.relationship.stage == Stage::Mutual),
            close: count(&|p| p.relationship.stage == Stage::Close),
            warming: count(&|p| p.relationship.trend == Trend::Warming),
            cooling: count(&|p| p.relationship.trend == Trend::Cooling),
            one_sided: count(&|p| p.relationship.reciprocity_seen().is_none()),
        };
        // Stages month by month, each as of that month's end, from one index over the events.
        let stages = match set.me() {
            Some(node) => {
                let months = month_ends(as_of, set.first());
                let stages = rapport_score::stages_at(&set.events, node, &months);
                months
                    .into_iter()
                    .zip(stages)
                    .map(|(month, stages)| StagePoint { month, counts: counts_of(&stages) })
                    .collect()
            }
            None => Vec::new(),
        };
        // The listing above holds everyone; the movers are its warming and cooling people, ranked.
        let movers = |key: SortKey, trend: Trend| -> Vec<Mover> {
            let mut moving: Vec<PersonSummary> =
                people.people.iter().filter(|p| p.relationship.trend == trend).cloned().collect();
            crate::people::sort(&mut moving, key);
            moving.iter().take(MOVERS).map(mover).collect()
        };
        // Everything else at the listing's moment: kept views when the view is of now.
        let audit = self.audit(view)?;
        let today = self.today(view, &TodayQuery { limit: 10 })?;
        let discover =
            self.discover(view, &DiscoverQuery { limit: 8, ..DiscoverQuery::default() })?;
        Ok(ReportData {
            title: format!(
                "Your relationships, {}",
                me.first().map_or_else(String::new, AccountRow::label)
            ),
            accounts: me.iter().map(|a| format!("{} on {}", a.label(), a.network)).collect(),
            as_of,
            headline,
            stages,
            warming: movers(SortKey::Trend, Trend::Warming),
            cooling: movers(SortKey::Cooling, Trend::Cooling),
            give_ask: self.give_ask(view, ids, as_of)?,
            promotional: audit
                .windows
                .iter()
                .map(|w| PromotionalPoint {
                    month: w.end,
                    posts: w.posts as u32,
                    promotional: w.promotional as u32,
                })
                .collect(),
            promotional_limit: Some(PROMOTIONAL_LIMIT),
            groups: groups
                .into_iter()
                .map(|g| ReportGroup {
                    keywords: g.terms,
                    size: g.size as u32,
                    closest: g.closest,
                    engagement: g.engagement,
                })
                .collect(),
            discover: discover
                .iter()
                .map(|s| ReportSuggestion { handle: s.label(), score: s.score, why: s.why.clone() })
                .collect(),
            today: today
                .actions
                .into_iter()
                .map(|a| ReportAction {
                    kind: a.kind.as_str().into(),
                    who: a.who,
                    why: a.why,
                    approach: a.approach,
                })
                .collect(),
            audit: audit
                .findings
                .into_iter()
                .map(|f| ReportFinding {
                    rule: f.rule,
                    title: f.title,
                    severity: match f.severity {
                        Severity::Serious => 0.9,
                        Severity::Warning => 0.6,
                        Severity::Info => 0.3,
                    },
                    count: f.count as u64,
                    examples: f
                        .examples
                        .into_iter()
                        .map(|e| ReportExample { date: e.at, text: e.text })
                        .collect(),
                })
                .collect(),
        })
    }

    /// What the user gave (replies, reposts, quotes, likes) and asked (requests, and private
    /// messages that read as pitches) per 30-day window, oldest first.
    fn give_ask(&self, view: &View, me: &[i64], as_of: Timestamp) -> Result<Vec<GiveAskPoint>> {
        let mut windows: HashMap<i64, (u32, u32)> = HashMap::new();
        let history = self.history(me, as_of)?;
        let verdicts = &mut self.engine.cache.verdicts();
        for i in history.iter() {
            let Some(at) = i.at else { continue };
            if !me.contains(&i.source) || !view.sees(i.network) || as_of - at >= MONTHS * 30 * DAY {
                continue;
            }
            let k = (as_of - at) / (30 * DAY);
            let entry = windows.entry(k).or_insert((0, 0));
            match i.kind {
                InteractionKind::Reply
                | InteractionKind::Repost
                | InteractionKind::Quote
                | InteractionKind::Like => entry.0 += 1,
                InteractionKind::Request => entry.1 += 1,
                InteractionKind::Dm
                    if i.text.as_deref().is_some_and(|t| is_pitch(verdicts, DraftKind::Dm, t)) =>
                {
                    entry.1 += 1;
                }
                _ => {}
            }
        }
        let oldest = windows.keys().copied().max().unwrap_or(0);
        Ok((0..=oldest)
            .rev()
            .map(|k| {
                let (given, asked) = windows.get(&k).copied().unwrap_or((0, 0));
                GiveAskPoint { month: as_of - k * 30 * DAY, given, asked }
            })
            .collect())
    }
}

/// The ends of the report's months, oldest first: every 30 days back from `as_of`, over
/// [`MONTHS`], from the month holding the first event (`first`).
fn month_ends(as_of: Timestamp, first: Timestamp) -> Vec<Timestamp> {
    (0..MONTHS).rev().map(|k| as_of - k * 30 * DAY).filter(|&at| at >= first).collect()
}

/// How many relationships are at each stage.
fn counts_of(stages: &[Stage]) -> StageCounts {
    let mut counts = StageCounts::default();
    for stage in stages {
        match stage {
            Stage::Stranger => counts.stranger += 1,
            Stage::Aware => counts.aware += 1,
            Stage::Engaged => counts.engaged += 1,
            Stage::Mutual => counts.mutual += 1,
            Stage::Close => counts.close += 1,
        }
    }
    counts
}

fn mover(p: &PersonSummary) -> Mover {
    let r = &p.relationship;
    Mover {
        name: p.label(),
        network: p.accounts.first().map_or_else(String::new, |a| a.network.as_str().to_owned()),
        stage: r.stage.as_str().into(),
        strength_now: r.strength,
        strength_90d_ago: r.strength_90d_ago,
        last_interaction: r.last.map(|l| l.at),
        note: match r.reciprocity_seen() {
            Some(reciprocity) => format!(
                "{} given, {} received; reciprocity {reciprocity:.2}",
                r.ledger.given.total(),
                r.ledger.received.total(),
            ),
            // A one-sided export: what they gave is not in it, so "0 received" would be false.
            None => format!(
                "{} given; what they gave and reciprocity are unknown (one-sided export)",
                r.ledger.given.total()
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use rapport_score::ScoreParams;

    use super::*;
    use crate::sample::SampleSpec;
    use crate::{Config, Engine};

    /// The report's months on the demo are what computing every relationship at each month's end
    /// gives (the computation the report made before, once per month).
    #[test]
    fn the_months_stages_are_those_of_computing_each_month_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let engine = Engine::open(&Config::with_db(dir.path().join("demo.db"))).expect("open");
        engine.load_sample(&SampleSpec::default()).expect("demo");
        let read = engine.read().expect("read");
        let view = View::default();
        let report = read.report(&view).expect("report");
        let seen = read.seen(&view).expect("seen");
        let set = read.event_set(None, &seen.ids).expect("events");
        let node = set.me().expect("me");
        let old: Vec<StagePoint> = month_ends(report.as_of, set.first())
            .into_iter()
            .map(|at| {
                let all =
                    rapport_score::relationships(&set.events, node, at, &ScoreParams::default());
                let stages: Vec<Stage> = all.iter().map(|r| r.stage).collect();
                StagePoint { month: at, counts: counts_of(&stages) }
            })
            .collect();
        assert_eq!(report.stages.len(), MONTHS as usize);
        assert!(report.stages.iter().any(|p| p.counts.close + p.counts.mutual > 0));
        assert_eq!(report.stages, old);
    }
}
