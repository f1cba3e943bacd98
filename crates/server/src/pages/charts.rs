//! Charts drawn on the server as inline SVG: no script, no style attribute, every label escaped.

use maud::{Markup, html};

use crate::api::person::PointDto;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 10.0;

/// A relationship's strength month by month: a line over the months, a dot per month coloured by
/// the stage it was in, the axis from 0 to 1.
pub(crate) fn strength_history(points: &[PointDto]) -> Markup {
    if points.is_empty() {
        return html! { p.muted { "No history yet." } };
    }
    let first = points.first().map_or(0, |p| p.ts) as f64;
    let last = points.last().map_or(0, |p| p.ts) as f64;
    let span = (last - first).max(1.0);
    let x = |ts: i64| LEFT + (ts as f64 - first) / span * (WIDTH - LEFT - 10.0);
    let y = |s: f64| TOP + (1.0 - s.clamp(0.0, 1.0)) * (HEIGHT - TOP - BOTTOM);
    let line: Vec<String> =
        points.iter().map(|p| format!("{:.1},{:.1}", x(p.ts), y(p.strength))).collect();
    let label = format!(
        "Strength month by month, from {:.2} on {} to {:.2} on {}",
        points[0].strength,
        super::date(&points[0].at),
        points[points.len() - 1].strength,
        super::date(&points[points.len() - 1].at)
    );
    html! {
        svg.chart viewBox={"0 0 " (WIDTH) " " (HEIGHT)} role="img" aria-label=(label) {
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line.grid x1=(LEFT) x2=(WIDTH - 10.0) y1=(y(tick)) y2=(y(tick)) {}
                text.axis x=(LEFT - 6.0) y=(y(tick) + 4.0) text-anchor="end" { (format!("{tick:.2}")) }
            }
            polyline.line points=(line.join(" ")) {}
            @for p in points {
                circle class={"dot stage-" (p.stage)} cx=(format!("{:.1}", x(p.ts))) cy=(format!("{:.1}", y(p.strength))) r="3.5" {
                    title { (super::date(&p.at)) ": " (format!("{:.3}", p.strength)) ", " (p.stage) }
                }
            }
            text.axis x=(LEFT) y=(HEIGHT - 6.0) { (super::date(&points[0].at)) }
            text.axis x=(WIDTH - 10.0) y=(HEIGHT - 6.0) text-anchor="end" { (super::date(&points[points.len() - 1].at)) }
        }
    }
}
