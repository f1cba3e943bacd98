//! A stacked area chart: how many relationships were in each stage, month by month.

use rapport_model::Timestamp;

use super::{FRAME, Linear, Series, open, points, ticks, x_axis, y_axis};
use crate::format;
use crate::html::{Esc, put};

/// Stacks the series bottom to top in the given order; a single month is drawn as one column.
pub(crate) fn stacked_area(months: &[Timestamp], layers: &[Series<'_>], label: &str) -> String {
    let frame = FRAME;
    let n = months.len();
    let xs = points(n, frame.left, frame.right);
    let value = |layer: &Series<'_>, i: usize| {
        layer.values.get(i).copied().map_or(0.0, format::finite).max(0.0)
    };
    let max_total =
        (0..n).map(|i| layers.iter().map(|l| value(l, i)).sum::<f64>()).fold(0.0, f64::max);
    let ticks = ticks(max_total, true);
    let y = Linear::new((0.0, ticks.last().copied().unwrap_or(1.0)), (frame.bottom, frame.top));

    let mut out = String::new();
    open(&mut out, &frame, label);
    y_axis(&mut out, &frame, &y, &ticks, format::tick);
    let mut lower = vec![0.0; n];
    for layer in layers {
        let upper: Vec<f64> = (0..n).map(|i| lower[i] + value(layer, i)).collect();
        if (0..n).any(|i| value(layer, i) > 0.0) {
            put!(out, r#"<path class="mark area k-{}" d=""#, Esc(layer.key));
            if n == 1 {
                // One month has no extent in time, so it becomes a column a third of the width wide.
                let half = (frame.right - frame.left) / 6.0;
                let (top, bottom) = (y.map(upper[0]), y.map(lower[0]));
                put!(
                    out,
                    "M{:.1},{bottom:.1}V{top:.1}H{:.1}V{bottom:.1}Z",
                    xs[0] - half,
                    xs[0] + half
                );
            } else {
                for (i, x) in xs.iter().enumerate() {
                    put!(out, "{}{x:.1},{:.1}", if i == 0 { 'M' } else { 'L' }, y.map(upper[i]));
                }
                for (i, x) in xs.iter().enumerate().rev() {
                    put!(out, "L{x:.1},{:.1}", y.map(lower[i]));
                }
                out.push('Z');
            }
            put!(out, r#""><title>{}</title></path>"#, Esc(&layer_title(months, layer)));
        }
        lower = upper;
    }
    x_axis(&mut out, &frame, months, &xs, true);
    out.push_str("</svg>");
    out
}

/// "Mutual: 42 in Mar 2025, from 12 in Jan 2024".
fn layer_title(months: &[Timestamp], layer: &Series<'_>) -> String {
    let at = |i: usize| {
        let v = layer.values.get(i).copied().map_or(0.0, format::finite).max(0.0);
        format!("{} in {}", format::tick(v), format::month(months[i], true))
    };
    match months.len() {
        0 => layer.name.to_owned(),
        1 => format!("{}: {}", layer.name, at(0)),
        n => format!("{}: {}, from {}", layer.name, at(n - 1), at(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_2025: Timestamp = 1_735_689_600;
    const MONTH: Timestamp = 31 * 86_400;

    fn series(values: &[f64]) -> Vec<Series<'static>> {
        vec![
            Series { name: "Close", key: "close", values: values.to_vec() },
            Series {
                name: "Mutual",
                key: "mutual",
                values: values.iter().map(|v| v * 2.0).collect(),
            },
        ]
    }

    #[test]
    fn empty_series_draws_axes_but_no_marks() {
        let svg = stacked_area(&[], &series(&[]), "Stages");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("mark"), "{svg}");
    }

    #[test]
    fn single_month_is_a_column() {
        let svg = stacked_area(&[JAN_2025], &series(&[3.0]), "Stages");
        assert_eq!(svg.matches("class=\"mark").count(), 2);
        assert!(svg.contains("Close: 3 in Jan 2025"), "{svg}");
        assert!(svg.contains("V"), "a column is drawn with vertical edges");
    }

    #[test]
    fn layers_stack_and_titles_name_first_and_last() {
        let months = [JAN_2025, JAN_2025 + MONTH, JAN_2025 + 2 * MONTH];
        let svg = stacked_area(&months, &series(&[1.0, 2.0, 4.0]), "Stages");
        assert_eq!(svg.matches("class=\"mark").count(), 2);
        assert!(svg.contains("Mutual: 8 in Mar 2025, from 2 in Jan 2025"), "{svg}");
        // The total peaks at 12, so the axis runs to a round number at or above it.
        assert!(svg.contains(">12<") || svg.contains(">15<"), "{svg}");
    }

    #[test]
    fn an_all_zero_layer_is_left_out() {
        let layers = vec![Series { name: "Close", key: "close", values: vec![0.0, 0.0] }];
        let svg = stacked_area(&[JAN_2025, JAN_2025 + MONTH], &layers, "Stages");
        assert!(!svg.contains("mark"));
    }
}
