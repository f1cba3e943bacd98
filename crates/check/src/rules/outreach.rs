//! Copy-paste outreach: the draft is nearly the same as messages the user already sent to many
//! other people.

use super::{Draft, RuleId};
use crate::history::Signature;
use crate::report::Finding;

/// This many other recipients of the same template make it outreach in bulk.
const MIN_RECIPIENTS: usize = 3;

/// Recipients named in the reason.
const NAMED: usize = 3;

pub(super) fn find(draft: &Draft<'_>, out: &mut Vec<Finding>) {
    let Some(history) = draft.ctx.history else { return };
    if history.is_empty() {
        return;
    }
    let Some(signature) = Signature::of(draft.text) else { return };
    let recipients = history.similar_recipients(&signature, draft.ctx.recipient);
    if recipients.len() < MIN_RECIPIENTS {
        return;
    }
    let trimmed = draft.text.trim();
    let start = draft.text.len() - draft.text.trim_start().len();
    let named = recipients.iter().take(NAMED).copied().collect::<Vec<_>>().join(", ");
    let more = if recipients.len() > NAMED { ", …" } else { "" };
    let reason = format!(
        "nearly the same message already went to {} other people ({named}{more})",
        recipients.len()
    );
    let severity = (0.4 + 0.05 * recipients.len() as f32).min(0.8);
    out.push(Finding::new(RuleId::CopyPaste, start..start + trimmed.len(), severity, reason));
}
