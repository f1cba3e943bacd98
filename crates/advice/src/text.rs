//! How advice words quantities and quotes: days waited, and texts shortened to one line.

/// A number of days as a person says it.
pub(crate) fn days(d: f64) -> String {
    match d {
        d if d < 1.0 => "less than a day".into(),
        d if d < 1.5 => "1 day".into(),
        d => format!("{} days", d.round()),
    }
}

/// `text` on one line, cut to at most `max` characters with an ellipsis.
pub(crate) fn short(text: &str, max: usize) -> String {
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
    fn days_read_as_spoken() {
        for (d, want) in
            [(0.2, "less than a day"), (1.2, "1 day"), (1.6, "2 days"), (9.4, "9 days")]
        {
            assert_eq!(days(d), want, "{d}");
        }
    }

    #[test]
    fn texts_are_shortened_to_one_line() {
        for (text, max, want) in [
            ("short", 10, "short"),
            ("two\nlines  here", 20, "two lines here"),
            ("a longer sentence", 8, "a longe…"),
        ] {
            assert_eq!(short(text, max), want, "{text}");
        }
    }
}
