//! Signs of automation in the user's posts: machine-regular intervals, bursts within a minute,
//! and posts sent at exactly :00 seconds.

use rapport_model::Timestamp;
use rapport_model::rows::PostRow;

use super::{Finding, Severity};

/// Adds the finding when ten posts or more show any sign.
pub(super) fn automation(posts: &[&PostRow], findings: &mut Vec<Finding>) {
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
    use crate::fixture::{ME, post};

    /// Posts at the given times.
    fn posts_at(times: &[Timestamp]) -> Vec<PostRow> {
        times
            .iter()
            .enumerate()
            .map(|(k, &at)| PostRow { at: Some(at), ..post(k as i64, ME, 0.0, "hello") })
            .collect()
    }

    #[test]
    fn automation_habits() {
        const H: Timestamp = 3600;
        let start: Timestamp = 1_699_999_987; // 7 seconds past a minute
        let human: Vec<Timestamp> =
            [0, 5, 7, 30, 31, 52, 80, 81, 99, 130].iter().map(|h| start + h * H + h * 7).collect();
        let cases: Vec<(&str, Vec<Timestamp>, Option<&str>)> = vec![
            ("a human's irregular posting", human.clone(), None),
            ("fewer than ten posts say nothing", (0..9).map(|k| start + k * 6 * H).collect(), None),
            (
                "every six hours to the second",
                (0..10).map(|k| start + k * 6 * H).collect(),
                Some(
                    "posts come at near-constant intervals (every 6.0 hours, varying 0%); scheduled broadcast is fine in moderation, but people answer people",
                ),
            ),
            (
                "a burst of five in a minute",
                human
                    .iter()
                    .take(5)
                    .copied()
                    .chain((0..5).map(|k| start + 200 * H + k * 10))
                    .collect(),
                Some(
                    "1 bursts of five posts within a minute; scheduled broadcast is fine in moderation, but people answer people",
                ),
            ),
            (
                "on the minute",
                human.iter().map(|t| t - t % 60).collect(),
                Some(
                    "100% of posts go out at exactly :00 seconds, as schedulers send them; scheduled broadcast is fine in moderation, but people answer people",
                ),
            ),
        ];
        for (name, times, want) in cases {
            let posts = posts_at(&times);
            let refs: Vec<&PostRow> = posts.iter().collect();
            let mut findings = Vec::new();
            automation(&refs, &mut findings);
            let got: Vec<&str> = findings.iter().map(|f| f.detail.as_str()).collect();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "{name}");
        }
    }
}
