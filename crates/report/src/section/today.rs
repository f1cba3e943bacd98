//! Today's actions: a short numbered list, each with who, why and a suggested approach.

use crate::data::ReportData;
use crate::html::{Esc, put};
use crate::page;

/// Renders today's actions in the engine's order.
pub(crate) fn render(out: &mut String, data: &ReportData) {
    page::section(
        out,
        "today",
        "Today",
        "A few actions worth your time, most valuable first: answer, thank, reconnect, introduce.",
    );
    if data.today.is_empty() {
        page::empty(
            out,
            "Nothing waiting today",
            "No mentions are waiting, no relationship is going cold and no one is asking for what you offer.",
        );
    } else {
        out.push_str(r#"<ol class="actions">"#);
        for action in &data.today {
            let (key, label) = kind(&action.kind);
            put!(
                out,
                r#"<li class="action"><span class="kind k-{key}">{}</span><div class="action-body"><p class="who">{}</p>"#,
                Esc(&label),
                Esc(&action.who),
            );
            if !action.why.trim().is_empty() {
                put!(out, r#"<p class="why">{}</p>"#, Esc(&action.why));
            }
            if !action.approach.trim().is_empty() {
                put!(out, r#"<p class="approach"><span>Try</span>{}</p>"#, Esc(&action.approach));
            }
            out.push_str("</div></li>");
        }
        out.push_str("</ol>\n");
    }
    page::end_section(out);
}

/// The colour key and label of an action kind; unknown kinds keep their own name.
fn kind(kind: &str) -> (&'static str, String) {
    let kind = kind.trim();
    let known = [
        ("answer", "Answer"),
        ("thank", "Thank"),
        ("reconnect", "Reconnect"),
        ("introduce", "Introduce"),
        ("opportunity", "Opportunity"),
    ];
    match known.iter().find(|(k, _)| k.eq_ignore_ascii_case(kind)) {
        Some((k, label)) => (k, (*label).to_owned()),
        None if kind.is_empty() => ("other", "Action".to_owned()),
        None => ("other", kind.to_owned()),
    }
}
