//! Sales pressure: manufactured urgency, discount wording and shouting in capitals.

use std::ops::Range;
use std::sync::LazyLock;

use super::{Draft, Pattern, RuleId, first_match, pattern};
use crate::report::Finding;

static URGENCY: Pattern = LazyLock::new(|| {
    pattern(
        r"\b(?:act\s+(?:now|fast|today)|limited[\s-]time|only\s+\d+\s+(?:left|spots?|seats?|places?|remaining)|today\s+only|last\s+chance|hurry(?:\s+up)?|ends?\s+(?:tonight|today|soon|at\s+midnight|in\s+\d+\s+(?:hours?|days?))|don'?t\s+miss\s+(?:out|this)|while\s+(?:supplies|stocks?)\s+lasts?|expires?\s+(?:soon|today|tonight)|offer\s+ends|before\s+it'?s\s+(?:gone|too\s+late)|limited\s+(?:spots?|seats|places|offer|stock|availability)|now\s+or\s+never|final\s+hours?|selling\s+out\s+fast|call\s+now|order\s+now|claim\s+(?:now|your))\b",
    )
});

static DISCOUNT: Pattern = LazyLock::new(|| {
    pattern(
        r"\b\d{1,3}\s?%\s?off\b|[$£€]\s?\d+(?:[.,]\d+)?\s+off\b|\b(?:half\s+price|discount(?:ed)?|promo\s*code|coupon|use\s+(?:my\s+)?code|voucher|free\s+shipping|buy\s+(?:now|one\s+get)|bogo|flash\s+sale|clearance\s+sale|lowest\s+prices?|best\s+prices?|shop\s+now|special\s+offer|exclusive\s+offer|cash\s+prize|free\s+gift)\b",
    )
});

/// Words of at least this many letters count toward a run of capitals; shorter ones are acronyms.
const CAPS_WORD: usize = 2;
/// This many capitalised words in a row read as shouting.
const CAPS_RUN: usize = 3;

pub(super) fn find(draft: &Draft<'_>, out: &mut Vec<Finding>) {
    let text = draft.text;
    if let Some(span) = first_match(&URGENCY, text) {
        let reason = format!("\"{}\" manufactures urgency", &text[span.clone()]);
        out.push(Finding::new(RuleId::Urgency, span, 0.35, reason));
    }
    if let Some(span) = first_match(&DISCOUNT, text) {
        let reason = format!("\"{}\" is sale wording", &text[span.clone()]);
        out.push(Finding::new(RuleId::Discount, span, 0.3, reason));
    }
    if let Some((span, words)) = caps_run(text) {
        let reason = format!("{words} words in capitals read as shouting");
        out.push(Finding::new(RuleId::AllCaps, span, 0.3, reason));
    }
}

/// The first run of [`CAPS_RUN`] or more words written wholly in capitals, and its length in words.
fn caps_run(text: &str) -> Option<(Range<usize>, usize)> {
    // Most texts have too few capitals for a run; ASCII ones can be ruled out with a byte count.
    if text.is_ascii() && text.bytes().filter(u8::is_ascii_uppercase).count() < CAPS_RUN * CAPS_WORD
    {
        return None;
    }
    let mut run: Option<(Range<usize>, usize)> = None;
    for (start, word) in words(text) {
        let mut letters = 0;
        let mut lower = false;
        for c in word.chars() {
            lower |= c.is_lowercase();
            letters += usize::from(c.is_uppercase());
        }
        if lower || letters == 0 {
            // A word with lower-case letters ends a run; a number or emoji does not.
            if lower {
                match run.take() {
                    Some(found) if found.1 >= CAPS_RUN => return Some(found),
                    _ => {}
                }
            }
            continue;
        }
        if letters < CAPS_WORD {
            continue;
        }
        let end = start + word.len();
        run = Some(match run {
            Some((span, n)) => (span.start..end, n + 1),
            None => (start..end, 1),
        });
    }
    run.filter(|(_, n)| *n >= CAPS_RUN)
}

/// Whitespace-separated words with their byte offsets, punctuation trimmed.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace().filter_map(move |w| {
        let trimmed = w.trim_matches(|c: char| !c.is_alphanumeric());
        if trimmed.is_empty() {
            return None;
        }
        // Safe offset arithmetic: both slices point into `text`.
        let start = trimmed.as_ptr() as usize - text.as_ptr() as usize;
        Some((start, trimmed))
    })
}

#[cfg(test)]
pub(super) fn force_patterns() {
    LazyLock::force(&URGENCY);
    LazyLock::force(&DISCOUNT);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_runs() {
        let text = "ok THIS IS HUGE news";
        let (span, n) = caps_run(text).unwrap();
        assert_eq!((&text[span], n), ("THIS IS HUGE", 3));
        assert!(caps_run("NASA and the ESA met at CERN").is_none());
        assert!(caps_run("日本語のテキスト").is_none());
    }
}
