//! A minimal checker for the HTML the renderer emits: every element it opens is closed, in order.
//!
//! It is not an HTML parser; it relies on the renderer's own invariant that user text never holds a
//! raw `<`, so every `<` starts a tag, a doctype or the end of a raw-text element.

/// Elements that have no end tag.
const VOID: [&str; 6] = ["meta", "link", "br", "hr", "img", "input"];

/// Returns the first problem found, or `None` when every tag is balanced.
pub(crate) fn problem(html: &str) -> Option<String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let Some(end) = rest.find('>') else { return Some("unterminated tag".to_owned()) };
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name => continue,
                Some(open) => return Some(format!("</{name}> closes <{open}>")),
                None => return Some(format!("</{name}> closes nothing")),
            }
        }
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Some(format!("odd tag <{tag}>"));
        }
        if tag.ends_with('/') || VOID.contains(&name) {
            continue;
        }
        if name == "style" || name == "script" {
            // Raw text: skip to the end tag without reading the CSS as markup.
            let close = format!("</{name}>");
            let Some(end) = rest.find(&close) else { return Some(format!("unclosed <{name}>")) };
            rest = &rest[end + close.len()..];
            continue;
        }
        stack.push(name);
    }
    (!stack.is_empty()).then(|| format!("unclosed: {stack:?}"))
}

#[test]
fn the_checker_finds_problems() {
    assert_eq!(problem("<p><b>x</b></p><br><svg><line/></svg>"), None);
    assert!(problem("<p><b>x</p></b>").is_some());
    assert!(problem("<div>").is_some());
    assert!(problem("</div>").is_some());
    assert_eq!(problem("<style>a > b {}</style>"), None);
}
