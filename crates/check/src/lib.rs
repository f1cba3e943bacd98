//! Checks a draft before it is sent: is it interruption marketing, spam or engagement bait, why,
//! and what to write instead.
//!
//! Two layers, both explained in the [`Report`]:
//! 1. a statistical [`Model`] (hashed word and character n-grams, two logistic-regression heads)
//!    trained on public labelled data and shipped inside the binary ([`Model::embedded`]); its top
//!    contributing n-grams explain each score;
//! 2. [`rules`] with stable ids, each naming the platform rule or norm it comes from, each finding
//!    carrying the exact byte span that triggered it and a concrete suggestion.
//!
//! [`check`] is infallible: any string, in any language, of any length, gets a report.
//!
//! ```
//! use rapport_check::{Context, DraftKind, Model, Verdict, check};
//!
//! let ctx = Context { kind: DraftKind::Post, ..Context::default() };
//! let report = check("Tag a friend who needs this!!", &ctx, Model::embedded());
//! assert_eq!(report.verdict, Verdict::EngagementBait);
//! assert_eq!(report.findings[0].rule.as_str(), "bait.tag");
//! ```

mod context;
pub mod data;
mod error;
pub mod eval;
mod explain;
mod history;
mod markup;
mod metrics;
mod model;
mod report;
mod rules;
mod text;
mod train;
mod weighting;

pub use context::{Context, DraftKind, RelationshipContext};
pub use error::Error;
pub use history::History;
pub use metrics::{Metrics, metrics, roc_auc};
pub use model::{Head, Model, NgramHit, Scores};
pub use rapport_model::Stage;
pub use report::{Finding, Report, Verdict};
pub use rules::{RuleId, RuleInfo, rules};
pub use train::{Choice, Sample, train, train_from_data};

use rules::Draft;

/// How many explaining n-grams a report carries.
const TOP_NGRAMS: usize = 5;

/// From this probability a model head adds a finding of its own. The bar is above the model's 0.5
/// decision threshold because a finding interrupts the user: it should rarely be wrong.
const PROMOTIONAL_FINDING: f32 = 0.6;
const BAIT_FINDING: f32 = 0.95;

/// A score from this value is spammy whatever the findings.
const SPAMMY: f32 = 0.7;
/// A score from this value is promotional whatever the findings.
const PROMOTIONAL: f32 = 0.5;

/// Checks a draft and explains the result.
pub fn check(text: &str, ctx: &Context<'_>, model: &Model) -> Report {
    // The model reads the draft without its links (see `without_links`); the rules read all of it.
    let (scores, mut top_ngrams) = model.explain(&rules::links::without_links(text), TOP_NGRAMS);
    for hit in &mut top_ngrams {
        // A phrase may run across a blanked link; quote it as the draft has it.
        hit.text = text[hit.span.clone()].to_owned();
    }
    let promotional_span =
        top_ngrams.iter().find(|hit| hit.head == Head::Promotional).map(|hit| hit.span.clone());
    let draft = Draft { text, ctx, scores, promotional_span };
    let mut findings = Vec::new();
    rules::run(&draft, &mut findings);
    let mut score = findings.iter().fold(1.0, |keep, f| keep * (1.0 - f.severity));

    let (promotional, bait) = model_weights(scores, ctx.kind);
    score *= (1.0 - promotional) * (1.0 - bait);
    let score = (1.0 - score).clamp(0.0, 1.0);
    model_findings(&draft, &top_ngrams, [promotional, bait], &mut findings);

    findings.sort_by_key(|f| (f.span.start, f.rule));
    let verdict = verdict(score, &findings);
    Report { score, verdict, model: scores, findings, top_ngrams }
}

/// How much each head adds to the score.
///
/// Probabilities are squared so that the mild scores ordinary friendly text gets add next to
/// nothing. The bait head learned from headlines, so it is weaker evidence about a post: it adds at
/// most 0.4 for posts, 0.2 for replies and nothing for private messages.
fn model_weights(scores: Scores, kind: DraftKind) -> (f32, f32) {
    let bait_weight = match kind {
        DraftKind::Post => 0.4,
        DraftKind::Reply => 0.2,
        DraftKind::Dm => 0.0,
    };
    (scores.promotional.powi(2), bait_weight * scores.bait.powi(2))
}

fn model_findings(draft: &Draft<'_>, top: &[NgramHit], severity: [f32; 2], out: &mut Vec<Finding>) {
    let heads = [
        (Head::Promotional, RuleId::ModelPromotional, PROMOTIONAL_FINDING, severity[0]),
        (Head::Bait, RuleId::ModelBait, BAIT_FINDING, severity[1]),
    ];
    for (head, rule, threshold, severity) in heads {
        let probability = draft.scores.get(head);
        let hits: Vec<&NgramHit> = top.iter().filter(|hit| hit.head == head).collect();
        if probability < threshold || severity <= 0.0 || hits.is_empty() {
            continue;
        }
        // Facebook's exemption holds for the model as for the bait rules: a request for help is
        // not engagement bait, however much it reads like a headline.
        if head == Head::Bait && rules::bait::asks_for_help(draft.text) {
            continue;
        }
        let quoted: Vec<String> =
            hits.iter().take(3).map(|hit| format!("\"{}\"", hit.text)).collect();
        let reason = format!(
            "reads like {} the model learned from (p = {probability:.2}), mostly because of {}",
            if head == Head::Promotional { "spam and promotion" } else { "clickbait" },
            quoted.join(", ")
        );
        out.push(Finding::new(rule, hits[0].span.clone(), severity, reason));
    }
}

/// The verdict: rule findings first, most specific first, because a rule names exactly what is
/// wrong; the model's findings and the overall score decide only what no rule did.
fn verdict(score: f32, findings: &[Finding]) -> Verdict {
    let found = |v: Verdict, model: bool| {
        findings.iter().any(|f| f.rule.verdict() == v && f.rule.is_model() == model)
    };
    if found(Verdict::ColdPitch, false) {
        Verdict::ColdPitch
    } else if found(Verdict::EngagementBait, false) {
        Verdict::EngagementBait
    } else if score >= SPAMMY || found(Verdict::Spammy, false) {
        Verdict::Spammy
    } else if found(Verdict::Promotional, false) {
        Verdict::Promotional
    } else if found(Verdict::EngagementBait, true) {
        Verdict::EngagementBait
    } else if score >= PROMOTIONAL || found(Verdict::Promotional, true) {
        Verdict::Promotional
    } else {
        Verdict::Fine
    }
}
