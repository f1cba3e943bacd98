//! Mastodon note content is HTML: turned into plain text here with html5ever (through `scraper`), the
//! browsers' own parsing algorithm, so entities are decoded and broken or hostile markup parses the
//! way a browser would show it. Tags are dropped, paragraphs and line breaks kept, links collected.

use scraper::{Html, Node};

/// A note's text and the links it holds (mention and hashtag links left out: they are tags).
#[derive(Debug, Default, PartialEq)]
pub struct Text {
    /// The plain text.
    pub text: String,
    /// The links, in order of first appearance.
    pub links: Vec<String>,
}

/// Converts an HTML fragment to plain text.
pub fn to_text(html: &str) -> Text {
    let fragment = Html::parse_fragment(html);
    let mut out = Text::default();
    for node in fragment.root_element().descendants() {
        match node.value() {
            Node::Text(text) => {
                let hidden = node
                    .parent()
                    .and_then(|p| p.value().as_element())
                    .is_some_and(|e| matches!(e.name(), "script" | "style"));
                if !hidden {
                    out.text.push_str(text);
                }
            }
            Node::Element(element) => match element.name() {
                "br" => out.text.push('\n'),
                "p" | "li" | "blockquote" | "div" | "pre" | "h1" | "h2" | "h3" | "h4" | "h5"
                | "h6"
                    if !out.text.is_empty() =>
                {
                    out.text.push_str("\n\n");
                }
                "a" => {
                    let class = element.attr("class").unwrap_or("");
                    let tag_link = class.contains("mention") || class.contains("hashtag");
                    if let Some(href) = element.attr("href").filter(|_| !tag_link)
                        && !out.links.iter().any(|l| l == href)
                    {
                        out.links.push(href.to_owned());
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    out.text = tidy(&out.text);
    out
}

/// Trims lines and allows at most one blank line in a row.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_start_matches(' '));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_decodes_entities_keeps_links() {
        let html = r#"<p><span class="h-card"><a href="https://x.example/@ada" class="u-url mention">@<span>ada</span></a></span> Fish &amp; chips &lt;3</p><p>See <a href="https://blog.example/post" rel="nofollow"><span class="invisible">https://</span><span>blog.example/post</span></a><br>and <a href="https://x.example/tags/rust" class="mention hashtag">#<span>rust</span></a></p><script>alert(1)</script>"#;
        let text = to_text(html);
        assert_eq!(text.text, "@ada Fish & chips <3\n\nSee https://blog.example/post\nand #rust");
        assert_eq!(text.links, ["https://blog.example/post"]);
    }

    #[test]
    fn survives_broken_markup() {
        // As in a browser: `&not` is a legacy entity that needs no semicolon.
        assert_eq!(
            to_text("<p>unclosed <b>bold &notanentity; <").text,
            "unclosed bold ¬anentity; <"
        );
        assert_eq!(to_text("").text, "");
    }
}
