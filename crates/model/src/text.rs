//! Texts quoted in a listing or a sentence: a post, a message or a reply, on one line and short;
//! and other people's text made safe for a terminal.

use std::borrow::Cow;

/// `text` on one line (every run of white space one space), cut to at most `max` characters with
/// an ellipsis.
pub fn one_line(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// The visible stand-in of a character that must not reach a terminal raw, or `None` for a
/// harmless one. C0 controls (except newline and tab, which every listing uses) become their
/// Unicode control pictures (ESC shows as `␛`), DEL becomes `␡`, and C1 controls and the bidi
/// overrides and isolates (which reorder what a line appears to say) become `�`.
fn stand_in(c: char) -> Option<char> {
    match c {
        '\n' | '\t' => None,
        '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)),
        '\u{7f}' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some(char::REPLACEMENT_CHARACTER)
        }
        _ => None,
    }
}

/// `text` with every control character replaced by a visible stand-in, one character for one so
/// aligned tables stay aligned: names, handles, texts and servers' messages come from other
/// people, and an escape sequence in them could write the clipboard (OSC 52), forge a link
/// (OSC 8), clear the screen or rewrite earlier lines. The one rule of the project: the CLI
/// applies it to everything it prints, sync to what it quotes from a server.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| stand_in(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| stand_in(c).unwrap_or(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        let cases = [
            ("plain", "ada \u{e9}t\u{e9}\n\tok", "ada \u{e9}t\u{e9}\n\tok"),
            ("osc52", "\u{1b}]52;c;ZXZpbA==\u{7}", "\u{241b}]52;c;ZXZpbA==\u{2407}"),
            ("clear", "\u{1b}[2J", "\u{241b}[2J"),
            ("carriage return", "bob\rALICE", "bob\u{240d}ALICE"),
            ("nul and del", "b\0o\u{7f}b", "b\u{2400}o\u{2421}b"),
            ("c1 csi", "\u{9b}2J", "\u{fffd}2J"),
            ("bidi override", "\u{202e}cod.exe", "\u{fffd}cod.exe"),
        ];
        for (name, input, expected) in cases {
            assert_eq!(neutralise(input), expected, "{name}");
        }
    }

    #[test]
    fn quotes_fit_on_one_line() {
        for (text, max, want) in [
            ("short", 10, "short"),
            ("two\nlines  and\ttabs", 40, "two lines and tabs"),
            ("exactly ten", 11, "exactly ten"),
            ("a longer sentence", 8, "a longe…"),
            ("ééééé", 3, "éé…"),
            ("anything", 0, "…"),
        ] {
            assert_eq!(one_line(text, max), want, "{text:?} cut to {max}");
        }
    }
}
