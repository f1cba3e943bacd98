//! A line of shares over time: the promotional share of the user's own posts, against a guideline.

use rapport_model::Timestamp;

use super::{FRAME, Linear, bands, open, ticks, x_axis, y_axis};
use crate::format;
use crate::html::{Esc, put};

/// One point of a share line.
pub(crate) struct SharePoint {
    /// The share, 0 to 1, or `None` for a month with nothing to share out (a gap in the line).
    pub(crate) share: Option<f64>,
    /// The point's tooltip.
    pub(crate) title: String,
}

/// Draws the shares as a line with a dot per month, and the guideline as a dashed rule.
pub(crate) fn share_line(
    months: &[Timestamp],
    points: &[SharePoint],
    guideline: Option<f64>,
    label: &str,
) -> String {
    let frame = FRAME;
    let (xs, _) = bands(months.len(), frame.left, frame.right);
    let guideline = guideline.map(format::unit).filter(|&g| g > 0.0);
    let max = points
        .iter()
        .filter_map(|p| p.share.map(format::unit))
        .chain(guideline.map(|g| g * 1.25))
        .fold(0.0, f64::max);
    let mut ticks = ticks(max.min(1.0), false);
    ticks.retain(|&t| t <= 1.0 + 1e-9);
    let y = Linear::new((0.0, ticks.last().copied().unwrap_or(1.0)), (frame.bottom, frame.top));

    let mut out = String::new();
    open(&mut out, &frame, label);
    y_axis(&mut out, &frame, &y, &ticks, format::percent);
    if let Some(g) = guideline {
        let gy = y.map(g);
        put!(
            out,
            r#"<line class="guide" x1="{x0}" x2="{x1}" y1="{gy:.1}" y2="{gy:.1}"/><text class="guide-label" x="{tx}" y="{ty:.1}">Guideline {p}</text>"#,
            x0 = frame.left,
            x1 = frame.right,
            tx = frame.left + 6.0,
            ty = gy - 6.0,
            p = format::percent(g),
        );
    }
    // Months without posts break the line into runs; a run of one month is left to its dot.
    let mut path = String::new();
    for run in points.iter().zip(&xs).collect::<Vec<_>>().split(|(p, _)| p.share.is_none()) {
        if run.len() < 2 {
            continue;
        }
        for (i, (p, x)) in run.iter().enumerate() {
            let share = format::unit(p.share.unwrap_or(0.0));
            put!(path, "{}{x:.1},{:.1}", if i == 0 { 'M' } else { 'L' }, y.map(share));
        }
    }
    if !path.is_empty() {
        put!(out, r#"<path class="line k-promo" d="{path}"/>"#);
    }
    for (p, x) in points.iter().zip(&xs) {
        if let Some(share) = p.share {
            put!(
                out,
                r#"<circle class="mark dot k-promo" cx="{x:.1}" cy="{cy:.1}" r="3.5"><title>{t}</title></circle>"#,
                cy = y.map(format::unit(share)),
                t = Esc(&p.title),
            );
        }
    }
    x_axis(&mut out, &frame, months, &xs, false);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_2025: Timestamp = 1_735_689_600;
    const MONTH: Timestamp = 31 * 86_400;

    fn point(share: Option<f64>) -> SharePoint {
        SharePoint { share, title: "t".to_owned() }
    }

    #[test]
    fn empty_series_draws_only_the_guideline() {
        let svg = share_line(&[], &[], Some(0.2), "Promotional share");
        assert!(!svg.contains("mark") && !svg.contains("<path"), "{svg}");
        assert!(svg.contains("Guideline 20%"), "{svg}");
    }

    #[test]
    fn single_point_is_a_dot() {
        let svg = share_line(&[JAN_2025], &[point(Some(0.5))], None, "p");
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(svg.contains(r#"cx="254.0""#), "the lone point sits mid-frame: {svg}");
        assert!(!svg.contains("<path"), "a single point draws no line");
    }

    #[test]
    fn months_without_posts_break_the_line() {
        let months: Vec<Timestamp> = (0..5).map(|i| JAN_2025 + i * MONTH).collect();
        let shares = [Some(0.1), Some(0.2), None, Some(0.3), Some(0.4)];
        let points: Vec<SharePoint> = shares.into_iter().map(point).collect();
        let svg = share_line(&months, &points, None, "p");
        assert_eq!(svg.matches("<circle").count(), 4);
        let d = svg.split(r#"class="line k-promo" d=""#).nth(1).unwrap_or_default();
        assert_eq!(d.split('"').next().unwrap_or_default().matches('M').count(), 2, "{svg}");
    }

    #[test]
    fn shares_above_one_are_clamped() {
        let svg = share_line(&[JAN_2025], &[point(Some(7.0))], Some(f64::NAN), "p");
        assert!(svg.contains(">100%<"), "{svg}");
        assert!(!svg.contains("Guideline"), "a NaN guideline is dropped");
    }
}
