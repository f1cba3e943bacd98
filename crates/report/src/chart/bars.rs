//! Grouped bars: what the user gave and asked, month by month, side by side.

use rapport_model::Timestamp;

use super::{FRAME, Linear, Series, bands, open, ticks, x_axis, y_axis};
use crate::format;
use crate::html::{Esc, put};

/// One group of bars per month, one bar per series; zero values draw no bar.
pub(crate) fn grouped_bars(months: &[Timestamp], series: &[Series<'_>], label: &str) -> String {
    let frame = FRAME;
    let (centres, step) = bands(months.len(), frame.left, frame.right);
    let value =
        |s: &Series<'_>, i: usize| s.values.get(i).copied().map_or(0.0, format::finite).max(0.0);
    let max =
        series.iter().flat_map(|s| (0..months.len()).map(move |i| value(s, i))).fold(0.0, f64::max);
    let ticks = ticks(max, true);
    let y = Linear::new((0.0, ticks.last().copied().unwrap_or(1.0)), (frame.bottom, frame.top));
    // Groups fill 70% of their band, capped so that a few months do not become slabs.
    let group = (step * 0.7).min(48.0);
    let bar = if series.is_empty() { 0.0 } else { group / series.len() as f64 };

    let mut out = String::new();
    open(&mut out, &frame, label);
    y_axis(&mut out, &frame, &y, &ticks, format::tick);
    for (i, (&month, &centre)) in months.iter().zip(&centres).enumerate() {
        for (j, s) in series.iter().enumerate() {
            let v = value(s, i);
            if v <= 0.0 {
                continue;
            }
            let top = y.map(v);
            put!(
                out,
                r#"<rect class="mark k-{key}" x="{x:.1}" y="{top:.1}" width="{w:.1}" height="{h:.1}" rx="1.5"><title>{title}</title></rect>"#,
                key = Esc(s.key),
                x = centre - group / 2.0 + bar * j as f64,
                w = (bar - 1.0).max(0.5),
                h = frame.bottom - top,
                title = Esc(&format!(
                    "{} in {}: {}",
                    s.name,
                    format::month(month, true),
                    format::tick(v)
                )),
            );
        }
    }
    x_axis(&mut out, &frame, months, &centres, false);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_2025: Timestamp = 1_735_689_600;

    fn give_ask(given: &[f64], asked: &[f64]) -> Vec<Series<'static>> {
        vec![
            Series { name: "Given", key: "given", values: given.to_vec() },
            Series { name: "Asked", key: "asked", values: asked.to_vec() },
        ]
    }

    #[test]
    fn empty_series_has_no_bars() {
        let svg = grouped_bars(&[], &give_ask(&[], &[]), "Give and ask");
        assert!(!svg.contains("<rect"), "{svg}");
        let none = grouped_bars(&[JAN_2025], &[], "Give and ask");
        assert!(!none.contains("<rect"), "{none}");
    }

    #[test]
    fn single_month_draws_one_group() {
        let svg = grouped_bars(&[JAN_2025], &give_ask(&[4.0], &[1.0]), "Give and ask");
        assert_eq!(svg.matches("<rect class=\"mark").count(), 2);
        assert!(svg.contains("Given in Jan 2025: 4"), "{svg}");
    }

    #[test]
    fn zero_and_missing_values_draw_nothing() {
        let svg = grouped_bars(&[JAN_2025, JAN_2025 + 2_678_400], &give_ask(&[0.0, 2.0], &[]), "g");
        assert_eq!(svg.matches("<rect").count(), 1);
    }

    #[test]
    fn bars_stay_inside_the_frame() {
        let svg = grouped_bars(&[JAN_2025], &give_ask(&[f64::INFINITY], &[1e300]), "g");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }
}
