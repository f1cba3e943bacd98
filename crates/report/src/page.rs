//! The page around the sections: document head, masthead, navigation, footer, and the building
//! blocks every section shares (section frame, card, empty state, data table).

use crate::data::ReportData;
use crate::format;
use crate::html::{Esc, put};

/// The stylesheet, inlined so that the page opens offline and from an e-mail attachment.
const STYLE: &str = include_str!("style.css");

/// The sections in page order: id and navigation label.
pub(crate) const SECTIONS: [(&str, &str); 8] = [
    ("overview", "Overview"),
    ("today", "Today"),
    ("stages", "Stages"),
    ("movers", "Warming & cooling"),
    ("habits", "Give & ask"),
    ("groups", "Groups"),
    ("discover", "Discover"),
    ("audit", "Audit"),
];

/// The page title, with a sensible fallback when the engine gives none.
pub(crate) fn title(data: &ReportData) -> &str {
    let title = data.title.trim();
    if title.is_empty() { "Your relationships" } else { title }
}

/// Everything before the first section.
pub(crate) fn open(out: &mut String, data: &ReportData) {
    let title = title(data);
    put!(
        out,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="Rapport">
<title>{t} · Rapport report</title>
<style>
{STYLE}</style>
</head>
<body>
<header class="masthead">
<div class="wrap">
<p class="brand"><span class="logo" aria-hidden="true"></span>Rapport · relationship report</p>
<h1>{t}</h1>
<p class="meta">"#,
        t = Esc(title),
    );
    for account in data.accounts.iter().filter(|a| !a.trim().is_empty()) {
        put!(out, r#"<span class="account">{}</span> "#, Esc(account));
    }
    put!(out, r#"<span class="asof">as of <time>{}</time></span></p>"#, format::day(data.as_of));
    out.push_str("\n<nav aria-label=\"Sections\"><ul>");
    for (id, label) in SECTIONS {
        put!(out, r##"<li><a href="#{id}">{}</a></li>"##, Esc(label));
    }
    out.push_str("</ul></nav>\n</div>\n</header>\n<main class=\"wrap\">\n");
}

/// Everything after the last section.
pub(crate) fn close(out: &mut String, data: &ReportData) {
    put!(
        out,
        r#"</main>
<footer class="wrap">
<p>Made by Rapport on this computer from your own exports, as of {}. Nothing on this page was sent anywhere.</p>
<p>Strength is the estimated chance that you and a person interact again soon, from 0 to 1. Stages: stranger, aware (a follow or like), engaged (conversation one way), mutual (both ways), close (sustained, reciprocal and private).</p>
</footer>
</body>
</html>
"#,
        format::day(data.as_of)
    );
}

/// Opens a section with its heading and a one-line explanation.
pub(crate) fn section(out: &mut String, id: &str, heading: &str, lede: &str) {
    put!(
        out,
        r#"<section id="{id}" aria-labelledby="h-{id}">
<div class="section-head"><h2 id="h-{id}">{}</h2><p class="lede">{}</p></div>
"#,
        Esc(heading),
        Esc(lede),
    );
}

/// Closes a section opened with [`section`].
pub(crate) fn end_section(out: &mut String) {
    out.push_str("</section>\n");
}

/// Opens a card with a heading; `wide` cards span both columns of the grid.
pub(crate) fn card(out: &mut String, heading: &str, wide: bool) {
    put!(
        out,
        r#"<article class="card{}"><h3>{}</h3>"#,
        if wide { " wide" } else { "" },
        Esc(heading)
    );
}

/// Closes a card opened with [`card`].
pub(crate) fn end_card(out: &mut String) {
    out.push_str("</article>\n");
}

/// The empty state: says what is missing and how to get it, instead of a broken chart.
pub(crate) fn empty(out: &mut String, what: &str, how: &str) {
    put!(
        out,
        r#"<div class="empty"><p class="empty-what">{}</p><p>{}</p></div>"#,
        Esc(what),
        Esc(how)
    );
}

/// A table with a caption, inside a box that scrolls sideways on narrow screens.
///
/// `head` holds the column headings; each row holds cells that are already HTML.
pub(crate) fn table(out: &mut String, caption: &str, head: &[&str], rows: &[Vec<String>]) {
    put!(
        out,
        r#"<div class="table-wrap" tabindex="0" role="region" aria-label="{c}"><table><caption>{c}</caption><thead><tr>"#,
        c = Esc(caption),
    );
    for h in head {
        put!(out, r#"<th scope="col">{}</th>"#, Esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            put!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
}

/// A chart's numbers as a collapsible table, for screen readers and for anyone who wants them.
pub(crate) fn numbers(out: &mut String, caption: &str, head: &[&str], rows: &[Vec<String>]) {
    out.push_str(r#"<details class="numbers"><summary>Show the numbers</summary>"#);
    table(out, caption, head, rows);
    out.push_str("</details>");
}
