//! Texts quoted in a listing or a sentence: a post, a message or a reply, on one line and short.

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

#[cfg(test)]
mod tests {
    use super::*;

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
