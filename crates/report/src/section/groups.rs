//! The groups in the user's network, named by what they talk about.

use crate::data::{Group, ReportData};
use crate::format;
use crate::html::{Esc, put};
use crate::page;

/// How many of the closest members a group card names.
const CLOSEST_SHOWN: usize = 5;

/// Renders one card per group.
pub(crate) fn render(out: &mut String, data: &ReportData) {
    page::section(
        out,
        "groups",
        "Groups",
        "The communities in your network, named by the words and hashtags that set them apart.",
    );
    if data.groups.is_empty() {
        page::empty(
            out,
            "No groups yet",
            "Groups appear once your network is large enough to have communities.",
        );
    } else {
        out.push_str(r#"<ul class="groups">"#);
        for (i, group) in data.groups.iter().enumerate() {
            card(out, i + 1, group);
        }
        out.push_str("</ul>\n");
    }
    page::end_section(out);
}

fn card(out: &mut String, number: usize, group: &Group) {
    out.push_str(r#"<li class="group"><p class="tags">"#);
    let keywords: Vec<&String> = group.keywords.iter().filter(|k| !k.trim().is_empty()).collect();
    if keywords.is_empty() {
        put!(out, r#"<span class="tag">Group {number}</span>"#);
    }
    for keyword in keywords {
        put!(out, r#"<span class="tag">{}</span>"#, Esc(keyword));
    }
    let engagement = format::unit(group.engagement);
    put!(
        out,
        r#"</p><p class="group-size"><strong>{}</strong> people</p><div class="meter" role="img" aria-label="Your engagement: {p}"><span style="width:{w:.1}%"></span></div><p class="sub">You engage with {p} of the group</p>"#,
        format::count(u64::from(group.size)),
        p = format::percent(engagement),
        w = engagement * 100.0,
    );
    let closest: Vec<&String> = group.closest.iter().filter(|c| !c.trim().is_empty()).collect();
    if !closest.is_empty() {
        out.push_str(r#"<p class="closest"><span class="sub">Closest to you</span>"#);
        for name in closest.iter().take(CLOSEST_SHOWN) {
            put!(out, r#"<span class="person">{}</span>"#, Esc(name));
        }
        if closest.len() > CLOSEST_SHOWN {
            put!(out, r#"<span class="more">+{} more</span>"#, closest.len() - CLOSEST_SHOWN);
        }
        out.push_str("</p>");
    }
    out.push_str("</li>");
}
