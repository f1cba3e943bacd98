//! Writing HTML safely: one escaping type for every piece of user text, and one macro for appending.

use std::fmt;

/// Appends formatted text to a `String`.
///
/// Writing into a `String` cannot fail, so the `fmt::Result` is dropped in this one place rather
/// than at every call site.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}
pub(crate) use put;

/// User text, escaped for HTML text and for quoted attribute values alike.
///
/// Names and post texts come from other people and are hostile by assumption, so every string from
/// [`crate::ReportData`] reaches the page through this type. Control characters other than tab and
/// newline become U+FFFD, because they are parse errors in HTML.
pub(crate) struct Esc<'a>(pub(crate) &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(needs_escape) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or('\u{FFFD}');
            f.write_str(match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => "\u{FFFD}",
            })?;
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

fn needs_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'')
        || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Shortens text to at most `max` characters, ending in an ellipsis when cut.
///
/// Audit examples can be whole posts; the page shows enough to recognise them.
pub(crate) fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((at, _)) => format!("{}…", text[..at].trim_end()).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(Esc(input).to_string(), expected);
    }

    #[test]
    fn escapes_markup_and_quotes() {
        check("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        check("a & \"b\"", "a &amp; &quot;b&quot;");
        check("plain ünïcødé 🙂", "plain ünïcødé 🙂");
        check("nul\0bell\u{7}", "nul\u{FFFD}bell\u{FFFD}");
        check("tab\tline\n", "tab\tline\n");
    }

    #[test]
    fn clips_on_char_boundaries() {
        assert_eq!(clip("héllo wörld", 5), "héllo…");
        assert_eq!(clip("short", 5), "short");
    }
}
