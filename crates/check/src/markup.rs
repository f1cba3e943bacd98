//! HTML markup read as a reader sees it: `&#39;` is an apostrophe and `<br />` is a line break.
//!
//! Comments exported from YouTube and posts received from Mastodon arrive as HTML, drafts typed by
//! a user do not. Read literally, the markup becomes n-grams of its own that say which source a
//! text came from rather than what it says: in the YouTube data, escaped apostrophes occur in the
//! spam of two channels and in the ham of the third. Decoding it lets the model learn the words.

/// What a piece of markup at some position of a text stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Markup {
    /// A character reference: the character it names.
    Char(char),
    /// A tag (`<br />`, `<a href="...">`, `</a>`): a word break.
    Break,
}

/// The longest tag read as markup; anything longer is left as text.
const MAX_TAG: usize = 512;
/// The longest character reference (`&#x10FFFF;`).
const MAX_REFERENCE: usize = 10;

/// The markup that starts at byte `at` of `text`, if any, and how many bytes it covers.
///
/// Only well-formed markup counts: `<` must be followed by a letter or `/` and a letter (so `<3`
/// and `a < b` stay text), and `&` by a known name or a number and `;`.
pub(crate) fn markup_at(text: &str, at: usize) -> Option<(Markup, usize)> {
    let rest = text.get(at..)?;
    match rest.as_bytes().first()? {
        b'<' => tag(rest).map(|len| (Markup::Break, len)),
        b'&' => reference(rest).map(|(c, len)| (Markup::Char(c), len)),
        _ => None,
    }
}

fn tag(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let name = if bytes.get(1) == Some(&b'/') { 2 } else { 1 };
    if !bytes.get(name)?.is_ascii_alphabetic() {
        return None;
    }
    let window = &bytes[..bytes.len().min(MAX_TAG)];
    let close = window.iter().position(|&b| b == b'>')?;
    // A second `<` before the `>` means this `<` was text ("x <y and z>").
    (!window[1..close].contains(&b'<')).then_some(close + 1)
}

fn reference(rest: &str) -> Option<(char, usize)> {
    let window = &rest.as_bytes()[..rest.len().min(MAX_REFERENCE)];
    let end = window.iter().position(|&b| b == b';')?;
    // The `;` is ASCII, so `end` is a char boundary.
    let body = &rest[1..end];
    let c = match body {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = body.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_decode_to_their_characters() {
        assert_eq!(markup_at("I&#39;m", 1), Some((Markup::Char('\''), 5)));
        assert_eq!(markup_at("&lt;3", 0), Some((Markup::Char('<'), 4)));
        assert_eq!(markup_at("&#x1F600;", 0), Some((Markup::Char('😀'), 9)));
        assert_eq!(markup_at("&amp;", 0), Some((Markup::Char('&'), 5)));
    }

    #[test]
    fn tags_are_word_breaks() {
        assert_eq!(markup_at("a<br />b", 1), Some((Markup::Break, 6)));
        assert_eq!(markup_at("</a>", 0), Some((Markup::Break, 4)));
        let link = "<a href=\"http://x.io\">x</a>";
        assert_eq!(markup_at(link, 0), Some((Markup::Break, 22)));
    }

    #[test]
    fn text_that_only_looks_like_markup_stays_text() {
        for (text, at) in [
            ("<3", 0),
            ("a < b", 2),
            ("x <y and <z>", 2),
            ("<br", 0),
            ("Tom & Jerry; ok", 4),
            ("&bogus;", 0),
            ("&#;", 0),
            ("&#xD800;", 0),
            ("&#99999999999;", 0),
            ("&", 0),
        ] {
            assert_eq!(markup_at(text, at), None, "{text}");
        }
    }
}
