//! Link-only posts: a link with next to no words of one's own.

use std::sync::LazyLock;

use super::stuffing::tokens;
use super::{Draft, Pattern, RuleId, pattern};
use crate::context::DraftKind;
use crate::report::Finding;

/// A drop is judged only in short texts; anything longer has words of its own.
const MAX_BYTES: usize = 400;

/// Fewer words than this around a link make it a bare link.
const MIN_WORDS: usize = 3;

static URL: Pattern = LazyLock::new(|| {
    pattern(
        r"\b(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|io|ly|co|gl|me|app|link|shop|store)/\S*",
    )
});

/// `text` with every link blanked out by spaces of the same length, so byte offsets stay valid.
///
/// The model learned from YouTube comments and text messages, where nearly every link is spam;
/// on a social network a link shared with words of one's own is ordinary, and whether a link is
/// dropped bare is this rule's call, not the model's.
pub(crate) fn without_links(text: &str) -> std::borrow::Cow<'_, str> {
    if !URL.is_match(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for link in URL.find_iter(text) {
        out.push_str(&text[at..link.start()]);
        out.extend(std::iter::repeat_n(' ', link.len()));
        at = link.end();
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

pub(super) fn find(draft: &Draft<'_>, out: &mut Vec<Finding>) {
    let text = draft.text;
    if text.len() > MAX_BYTES {
        return;
    }
    let Some(first) = URL.find(text) else { return };
    let mut covered: Vec<std::ops::Range<usize>> = URL.find_iter(text).map(|m| m.range()).collect();
    covered.extend(tokens(text, '#'));
    covered.extend(tokens(text, '@'));
    let words =
        word_starts(text).filter(|start| !covered.iter().any(|r| r.contains(start))).count();
    if words >= MIN_WORDS {
        return;
    }
    let (severity, reason) = match draft.ctx.kind {
        DraftKind::Post => {
            (0.35, "a link with no words of your own gives readers no reason to click")
        }
        DraftKind::Reply | DraftKind::Dm => {
            (0.5, "a bare link in a conversation is a drop, not an answer")
        }
    };
    out.push(Finding::new(RuleId::LinkOnly, first.range(), severity, reason.to_owned()));
}

/// Byte offsets where words of two or more letters or digits start.
fn word_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut run_start = None;
    let mut run_len = 0;
    let mut out = Vec::new();
    for (at, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_alphanumeric() {
            if run_start.is_none() {
                run_start = Some(at);
            }
            run_len += 1;
        } else {
            if let Some(start) = run_start.take()
                && run_len >= 2
            {
                out.push(start);
            }
            run_len = 0;
        }
    }
    out.into_iter()
}

#[cfg(test)]
pub(super) fn force_patterns() {
    LazyLock::force(&URL);
}
