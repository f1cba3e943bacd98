//! `audit`: the user's own history held against the rules of social media, each finding with
//! examples and the rule id from the check.
//!
//! The findings: the share of promotional posts per 30-day window (the common "one in five"
//! guideline), mentions and messages left unanswered and the median time to answer, cold pitches
//! sent, engagement bait used, copy-paste outreach, signs of automation, and relationships where
//! the user asked more than they gave.

use std::collections::HashMap;

use rapport_check::{Context, DraftKind, History, Model, Report, Verdict};
use rapport_model::time::DAY;
use rapport_model::{InteractionKind, Timestamp};
use rapport_store::{InteractionRow, PostRow, Read};

use crate::{Result, Snapshot, View, derived};

/// Above this share of promotional posts in a 30-day window, the window is flagged.
pub const PROMOTIONAL_LIMIT: f64 = 0.2;
/// A mention, reply or DM not answered within this long counts as unanswered.
const ANSWER_WITHIN: Timestamp = 7 * DAY;
/// A DM to someone with fewer earlier interactions than this is outreach.
const OUTREACH_BELOW: u32 = 3;
/// How many examples a finding carries.
const EXAMPLES: usize = 5;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Worth changing.
    Warning,
    /// Hurts relationships now.
    Serious,
}

impl Severity {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Serious => "serious",
        }
    }
}

/// One example behind a finding.
#[derive(Clone, Debug)]
pub struct Example {
    /// When.
    pub at: Option<Timestamp>,
    /// The text, or what happened.
    pub text: String,
}

/// One finding of the audit.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule id (the check's, or `audit.*` for habits no single message shows).
    pub rule: String,
    /// What the finding is, in a few words.
    pub title: String,
    /// How bad it is.
    pub severity: Severity,
    /// How many times it happened.
    pub count: usize,
    /// What it means and what to do.
    pub detail: String,
    /// A few of the cases.
    pub examples: Vec<Example>,
}

/// One 30-day window of the user's public posts.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// The window's end.
    pub end: Timestamp,
    /// Public posts in it.
    pub posts: usize,
    /// Of which promotional, spammy or bait.
    pub promotional: usize,
}

/// The audit's result.
#[derive(Clone, Debug)]
pub struct Audit {
    /// The moment it describes.
    pub as_of: Timestamp,
    /// The findings, most serious first.
    pub findings: Vec<Finding>,
    /// The promotional share per 30-day window, oldest first.
    pub windows: Vec<Window>,
    /// The median time to answer a mention, reply or DM, in seconds, when any were answered.
    pub median_response: Option<Timestamp>,
}

impl Snapshot<'_> {
    /// Holds the view's account's own history against the rules of social media.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn audit(&self, view: &View) -> Result<Audit> {
        self.view_of(
            "audit",
            view,
            "",
            || self.compute_audit(view),
            derived::encode_audit,
            derived::decode_audit,
        )
    }

    #[tracing::instrument(level = "debug", skip_all)]
    fn compute_audit(&self, view: &View) -> Result<Audit> {
        let people = self.all_people(view)?;
        let as_of = people.as_of;
        let me = self.seen(view)?.ids;
        let mut history = self.store.interactions_touching(&me, Some(as_of))?;
        history.retain(|i| view.sees(i.network));
        let posts: Vec<PostRow> = self
            .store
            .posts_by(&me, Some(as_of))?
            .into_iter()
            .filter(|p| !p.private && p.reply_to.is_none() && view.sees(p.network))
            .collect();
        let model = Model::embedded();
        let checked: Vec<(&PostRow, Report)> = posts
            .iter()
            .map(|p| (p, rapport_check::check(&p.text, &Context::default(), model)))
            .collect();
        let mut findings = Vec::new();
        let windows = windows(&checked, as_of);
        promotional_share(&windows, &checked, &mut findings);
        rule_findings(
            &checked,
            "bait.",
            "Engagement bait in your posts",
            Severity::Warning,
            "Asking for likes, shares, tags or comments instead of saying something is demoted by the platforms and reads as a trick; ask a real question instead",
            &mut findings,
        );
        let median_response = responses(&history, &me, as_of, &mut findings);
        outreach(&history, &me, model, &mut findings);
        automation(&posts, &mut findings);
        let takers: Vec<Example> = people
            .people
            .iter()
            .filter(|p| p.relationship.ledger.asked.total() > p.relationship.ledger.given.total())
            .map(|p| {
                let l = &p.relationship.ledger;
                Example {
                    at: p.relationship.last.map(|l| l.at),
                    text: format!(
                        "{}: asked {}, gave {}",
                        p.label(),
                        l.asked.total(),
                        l.given.total()
                    ),
                }
            })
            .collect();
        if !takers.is_empty() {
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
        findings.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| b.count.cmp(&a.count)));
        Ok(Audit { as_of, findings, windows, median_response })
    }
}

fn is_promotional(report: &Report) -> bool {
    matches!(report.verdict, Verdict::Promotional | Verdict::Spammy | Verdict::EngagementBait)
}

/// The user's public posts in 30-day windows ending at `as_of`, oldest first.
fn windows(checked: &[(&PostRow, Report)], as_of: Timestamp) -> Vec<Window> {
    let Some(first) = checked.iter().filter_map(|(p, _)| p.at).min() else { return Vec::new() };
    let count = ((as_of - first) / (30 * DAY) + 1) as usize;
    let mut windows: Vec<Window> = (0..count)
        .rev()
        .map(|k| Window { end: as_of - k as i64 * 30 * DAY, posts: 0, promotional: 0 })
        .collect();
    for (post, report) in checked {
        let Some(at) = post.at else { continue };
        let k = ((as_of - at) / (30 * DAY)) as usize;
        if let Some(w) = windows.len().checked_sub(k + 1).and_then(|i| windows.get_mut(i)) {
            w.posts += 1;
            w.promotional += usize::from(is_promotional(report));
        }
    }
    windows
}

fn promotional_share(
    windows: &[Window],
    checked: &[(&PostRow, Report)],
    findings: &mut Vec<Finding>,
) {
    let over: Vec<&Window> = windows
        .iter()
        .filter(|w| w.posts >= 3 && w.promotional as f64 / w.posts as f64 > PROMOTIONAL_LIMIT)
        .collect();
    let total = checked.len();
    let promotional = checked.iter().filter(|(_, r)| is_promotional(r)).count();
    if over.is_empty() && promotional == 0 {
        return;
    }
    let worst = over.iter().map(|w| w.promotional as f64 / w.posts as f64).fold(0.0, f64::max);
    findings.push(Finding {
        rule: "audit.promotional_share".into(),
        title: "Share of promotional posts".into(),
        severity: if over.is_empty() { Severity::Info } else { Severity::Warning },
        count: promotional,
        detail: format!(
            "{promotional} of your {total} posts read as promotional ({:.0}%); {} of {} 30-day windows went over one in five{}",
            100.0 * promotional as f64 / total.max(1) as f64,
            over.len(),
            windows.len(),
            if over.is_empty() { String::new() } else { format!(", the worst at {:.0}%", worst * 100.0) }
        ),
        examples: checked
            .iter()
            .filter(|(_, r)| is_promotional(r))
            .take(EXAMPLES)
            .map(|(p, _)| Example { at: p.at, text: p.text.clone() })
            .collect(),
    });
}

/// One finding for the posts with a finding of a rule under `prefix`.
fn rule_findings(
    checked: &[(&PostRow, Report)],
    prefix: &str,
    title: &str,
    severity: Severity,
    detail: &str,
    findings: &mut Vec<Finding>,
) {
    let hits: Vec<&(&PostRow, Report)> = checked
        .iter()
        .filter(|(_, r)| r.findings.iter().any(|f| f.rule.as_str().starts_with(prefix)))
        .collect();
    if hits.is_empty() {
        return;
    }
    let mut rules: Vec<&str> = hits
        .iter()
        .flat_map(|(_, r)| {
            r.findings.iter().map(|f| f.rule.as_str()).filter(|id| id.starts_with(prefix))
        })
        .collect();
    rules.sort_unstable();
    rules.dedup();
    findings.push(Finding {
        rule: rules.join(", "),
        title: title.into(),
        severity,
        count: hits.len(),
        detail: detail.into(),
        examples: hits
            .iter()
            .take(EXAMPLES)
            .map(|(p, _)| Example { at: p.at, text: p.text.clone() })
            .collect(),
    });
}

/// Unanswered mentions, replies and DMs, and the median time to answer. Returns the median.
fn responses(
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

/// Cold pitches and copy-paste outreach among the user's DMs, checked in time order with the
/// relationship each had when the DM was sent.
fn outreach(history: &[InteractionRow], me: &[i64], model: &Model, findings: &mut Vec<Finding>) {
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
            // of the history.
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
            // Outreach is reaching out to people one barely knows; the same friendly note to
            // close friends is not a mass mailing.
            let outreach = seen < OUTREACH_BELOW;
            if outreach && report.findings.iter().any(|f| f.rule.as_str() == "outreach.copy_paste")
            {
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

/// Signs of automation: posts at machine-regular intervals, or many within a minute.
fn automation(posts: &[PostRow], findings: &mut Vec<Finding>) {
    let mut times: Vec<Timestamp> = posts.iter().filter_map(|p| p.at).collect();
    times.sort_unstable();
    if times.len() < 10 {
        return;
    }
    let gaps: Vec<f64> = times.windows(2).map(|w| (w[1] - w[0]) as f64).collect();
    let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
    let sd = (gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / gaps.len() as f64).sqrt();
    let bursts = times.windows(5).filter(|w| w[4] - w[0] <= 60).count();
    let on_the_minute = times.iter().filter(|t| *t % 60 == 0).count() as f64 / times.len() as f64;
    let mut signs = Vec::new();
    if mean > 0.0 && sd / mean < 0.1 {
        signs.push(format!(
            "posts come at near-constant intervals (every {:.1} hours, varying {:.0}%)",
            mean / 3600.0,
            100.0 * sd / mean
        ));
    }
    if bursts > 0 {
        signs.push(format!("{bursts} bursts of five posts within a minute"));
    }
    if on_the_minute > 0.8 {
        signs.push(format!(
            "{:.0}% of posts go out at exactly :00 seconds, as schedulers send them",
            on_the_minute * 100.0
        ));
    }
    if !signs.is_empty() {
        findings.push(Finding {
            rule: "audit.automation".into(),
            title: "Signs of automation".into(),
            severity: Severity::Info,
            count: signs.len(),
            detail: format!(
                "{}; scheduled broadcast is fine in moderation, but people answer people",
                signs.join("; ")
            ),
            examples: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order() {
        assert!(Severity::Serious > Severity::Warning && Severity::Warning > Severity::Info);
    }
}
