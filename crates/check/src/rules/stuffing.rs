//! Hashtag and mention stuffing, judged against each network's norm.

use std::ops::Range;

use rapport_model::Network;

use super::{Draft, RuleId};
use crate::context::DraftKind;
use crate::report::Finding;

/// Most hashtags a post carries before it reads as stuffed, per network.
fn hashtag_norm(network: Option<Network>) -> usize {
    match network {
        Some(Network::X) => 2,
        Some(Network::Facebook | Network::Bluesky) => 3,
        Some(Network::LinkedIn | Network::Mastodon | Network::Table) | None => 5,
    }
}

/// Most mentions a post carries before it reads as stuffed, per network.
fn mention_norm(network: Option<Network>) -> usize {
    match network {
        Some(Network::X | Network::Bluesky) => 3,
        _ => 5,
    }
}

pub(super) fn find(draft: &Draft<'_>, out: &mut Vec<Finding>) {
    let text = draft.text;
    let network = draft.ctx.network;
    let where_ = network.map_or("most networks".to_owned(), |n| n.to_string());

    let hashtags = tokens(text, '#');
    let norm = hashtag_norm(network);
    if hashtags.len() > norm {
        let span = hashtags[norm].start..hashtags[hashtags.len() - 1].end;
        let reason = format!("{} hashtags; the norm on {where_} is {norm} at most", hashtags.len());
        out.push(Finding::new(RuleId::HashtagStuffing, span, excess(hashtags.len(), norm), reason));
    }

    let mut mentions = tokens(text, '@');
    if draft.ctx.kind == DraftKind::Reply {
        // A reply opens with the handles of the conversation; those are addressing, not stuffing.
        let lead = mentions
            .iter()
            .enumerate()
            .take_while(|(i, m)| {
                let before = if *i == 0 { 0 } else { mentions[i - 1].end };
                text[before..m.start].trim().is_empty()
            })
            .count();
        mentions.drain(..lead);
    }
    let norm = mention_norm(network);
    if mentions.len() > norm {
        let span = mentions[0].start..mentions[mentions.len() - 1].end;
        let reason = format!("{} mentions; the norm on {where_} is {norm} at most", mentions.len());
        out.push(Finding::new(RuleId::MentionStuffing, span, excess(mentions.len(), norm), reason));
    }
}

/// Severity grows with how far past the norm a draft goes.
fn excess(count: usize, norm: usize) -> f32 {
    (0.3 + 0.1 * (count - norm) as f32).min(0.8)
}

/// The byte ranges of `#tag` or `@handle` tokens: the sigil not glued to a preceding word (so
/// `C#` and `ana@example.org` do not count), followed by at least one letter, digit or `_`.
pub(super) fn tokens(text: &str, sigil: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if !text.contains(sigil) {
        return out;
    }
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let glued = previous.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == sigil);
        previous = Some(c);
        if c != sigil || glued {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(at, next)) = chars.peek() {
            let allowed = next.is_alphanumeric()
                || next == '_'
                || (sigil == '@' && matches!(next, '.' | '@' | '-'));
            if !allowed {
                break;
            }
            end = at + next.len_utf8();
            previous = Some(next);
            chars.next();
        }
        // Handles do not end with a dot: "@ana." ends a sentence.
        let token = text[start..end].trim_end_matches(['.', '-', '@']);
        if token.chars().count() > 1 {
            out.push(start..start + token.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_skip_glued_sigils() {
        let text = "C# and @ana.b. wrote to ana@example.org #rust #日本 # ##";
        let got: Vec<&str> = tokens(text, '#').into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["#rust", "#日本"]);
        let got: Vec<&str> = tokens(text, '@').into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["@ana.b"]);
    }
}
