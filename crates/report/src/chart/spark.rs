//! Small bars that compare a relationship's strength now with 90 days ago, inside a table cell.

use crate::format;
use crate::html::{Esc, put};

/// Two thin bars on a 0..1 track: grey for 90 days ago, coloured (up or down) for now.
pub(crate) fn strength_bars(then: f64, now: f64) -> String {
    let (then, now) = (format::unit(then), format::unit(now));
    let key = if now >= then { "up" } else { "down" };
    let label =
        format!("Strength {} now, {} 90 days ago", format::decimal(now), format::decimal(then));
    let mut out = String::new();
    put!(
        out,
        r#"<svg class="spark" viewBox="0 0 100 18" width="100" height="18" role="img" aria-label="{l}"><title>{l}</title><rect class="track" x="0" y="2" width="100" height="5" rx="2.5"/><rect class="then" x="0" y="2" width="{tw:.1}" height="5" rx="2.5"/><rect class="track" x="0" y="10" width="100" height="6" rx="3"/><rect class="mark k-{key}" x="0" y="10" width="{nw:.1}" height="6" rx="3"/></svg>"#,
        l = Esc(&label),
        tw = then * 100.0,
        nw = now * 100.0,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_strengths_and_clamp() {
        let svg = strength_bars(0.25, 0.5);
        assert!(svg.contains(r#"class="then" x="0" y="2" width="25.0""#), "{svg}");
        assert!(svg.contains(r#"class="mark k-up" x="0" y="10" width="50.0""#), "{svg}");
        let wild = strength_bars(f64::NAN, 3.0);
        assert!(wild.contains(r#"width="100.0""#) && wild.contains("k-up"), "{wild}");
        assert!(strength_bars(0.9, 0.1).contains("k-down"));
    }
}
