//! How advice words quantities: days waited.

/// A number of days as a person says it.
pub(crate) fn days(d: f64) -> String {
    match d {
        d if d < 1.0 => "less than a day".into(),
        d if d < 1.5 => "1 day".into(),
        d => format!("{} days", d.round()),
    }
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
}
