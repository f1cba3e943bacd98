//! What the user's own posts show: the share of promotional posts per 30-day window, and
//! engagement bait.

use rapport_check::{Report, Verdict};
use rapport_model::Timestamp;
use rapport_model::rows::PostRow;
use rapport_model::time::DAY;

use super::{EXAMPLES, Example, Finding, Severity, Window};

/// Above this share of promotional posts in a 30-day window, the window is flagged.
pub const PROMOTIONAL_LIMIT: f64 = 0.2;

/// A post with the check's report on it.
pub(super) type Checked<'a> = (&'a PostRow, Report);

fn is_promotional(report: &Report) -> bool {
    matches!(report.verdict, Verdict::Promotional | Verdict::Spammy | Verdict::EngagementBait)
}

/// The user's public posts in 30-day windows ending at `as_of`, oldest first.
pub(super) fn windows(checked: &[Checked<'_>], as_of: Timestamp) -> Vec<Window> {
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

/// A finding when any post is promotional: a warning when a window of three posts or more went
/// over [`PROMOTIONAL_LIMIT`].
pub(super) fn promotional_share(
    windows: &[Window],
    checked: &[Checked<'_>],
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

/// One finding for the posts with a finding of an engagement-bait rule (`bait.*`).
pub(super) fn bait(checked: &[Checked<'_>], findings: &mut Vec<Finding>) {
    const PREFIX: &str = "bait.";
    let hits: Vec<&Checked<'_>> = checked
        .iter()
        .filter(|(_, r)| r.findings.iter().any(|f| f.rule.as_str().starts_with(PREFIX)))
        .collect();
    if hits.is_empty() {
        return;
    }
    let mut rules: Vec<&str> = hits
        .iter()
        .flat_map(|(_, r)| {
            r.findings.iter().map(|f| f.rule.as_str()).filter(|id| id.starts_with(PREFIX))
        })
        .collect();
    rules.sort_unstable();
    rules.dedup();
    findings.push(Finding {
        rule: rules.join(", "),
        title: "Engagement bait in your posts".into(),
        severity: Severity::Warning,
        count: hits.len(),
        detail: "Asking for likes, shares, tags or comments instead of saying something is demoted by the platforms and reads as a trick; ask a real question instead".into(),
        examples: hits
            .iter()
            .take(EXAMPLES)
            .map(|(p, _)| Example { at: p.at, text: p.text.clone() })
            .collect(),
    });
}

#[cfg(test)]
mod tests {
    use rapport_check::{Context, Model};

    use super::*;
    use crate::fixture::{ME, NOW, post};

    const PLAIN: &str = "Lovely walk by the river with my sister this afternoon";
    const BAIT: &str = "Tag a friend who needs this!!";

    /// The findings and windows of posts `(days ago, text)`.
    fn audit_posts(posts: &[(f64, &str)]) -> (Vec<Finding>, Vec<Window>) {
        let posts: Vec<PostRow> =
            posts.iter().enumerate().map(|(k, (d, t))| post(k as i64, ME, *d, t)).collect();
        let checked: Vec<Checked<'_>> = posts
            .iter()
            .map(|p| (p, rapport_check::check(&p.text, &Context::default(), Model::embedded())))
            .collect();
        let mut findings = Vec::new();
        let windows = windows(&checked, NOW);
        promotional_share(&windows, &checked, &mut findings);
        bait(&checked, &mut findings);
        (findings, windows)
    }

    #[test]
    fn promotional_share_per_window() {
        let cases = vec![
            ("no promotional post", vec![(1.0, PLAIN), (2.0, PLAIN), (3.0, PLAIN)], None),
            (
                "one in three is over one in five",
                vec![(1.0, PLAIN), (2.0, PLAIN), (3.0, BAIT)],
                Some((
                    Severity::Warning,
                    "1 of your 3 posts read as promotional (33%); 1 of 1 30-day windows went over one in five, the worst at 33%",
                )),
            ),
            (
                "one in five is within the limit",
                vec![(1.0, PLAIN), (2.0, PLAIN), (3.0, BAIT), (4.0, PLAIN), (5.0, PLAIN)],
                Some((
                    Severity::Info,
                    "1 of your 5 posts read as promotional (20%); 0 of 1 30-day windows went over one in five",
                )),
            ),
            (
                "a window of fewer than three posts is not judged",
                vec![(1.0, BAIT), (2.0, PLAIN), (31.0, PLAIN), (32.0, PLAIN), (33.0, PLAIN)],
                Some((
                    Severity::Info,
                    "1 of your 5 posts read as promotional (20%); 0 of 2 30-day windows went over one in five",
                )),
            ),
        ];
        for (name, posts, want) in cases {
            let (findings, _) = audit_posts(&posts);
            let got: Vec<(Severity, &str)> = findings
                .iter()
                .filter(|f| f.rule == "audit.promotional_share")
                .map(|f| (f.severity, f.detail.as_str()))
                .collect();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{name}");
        }
    }

    #[test]
    fn windows_run_back_from_now_oldest_first() {
        let (_, windows) = audit_posts(&[(1.0, BAIT), (2.0, PLAIN), (45.0, PLAIN), (70.0, PLAIN)]);
        let got: Vec<(Timestamp, usize, usize)> =
            windows.iter().map(|w| (w.end, w.posts, w.promotional)).collect();
        assert_eq!(got, [(NOW - 60 * DAY, 1, 0), (NOW - 30 * DAY, 1, 0), (NOW, 2, 1)]);
        assert!(audit_posts(&[]).1.is_empty());
    }

    #[test]
    fn engagement_bait() {
        let (findings, _) = audit_posts(&[(1.0, BAIT), (2.0, PLAIN), (3.0, BAIT)]);
        let bait: Vec<(&str, usize, usize)> = findings
            .iter()
            .filter(|f| f.title == "Engagement bait in your posts")
            .map(|f| (f.rule.as_str(), f.count, f.examples.len()))
            .collect();
        assert_eq!(bait, [("bait.tag", 2, 2)]);
        let (findings, _) = audit_posts(&[(1.0, PLAIN)]);
        assert!(findings.is_empty());
    }
}
