//! Charts as inline SVG: scales, ticks and axes shared by the chart kinds in the submodules.
//!
//! Every chart has the same frame (a 480 × 240 view box scaled to its card), marks its data shapes
//! with the class `mark` (the browser test counts them), takes its colours from CSS classes
//! (`k-close`, `k-given`, …) so the stylesheet owns the palette, and carries a `<title>` and an
//! `aria-label` so that a screen reader can say what it shows.

mod area;
mod bars;
mod line;
mod spark;

pub(crate) use area::stacked_area;
pub(crate) use bars::grouped_bars;
pub(crate) use line::{SharePoint, share_line};
pub(crate) use spark::strength_bars;

use rapport_model::Timestamp;

use crate::format;
use crate::html::{Esc, put};

/// One named series of a chart, drawn in the colour of its CSS class `k-{key}`.
pub(crate) struct Series<'a> {
    /// The name shown in titles and legends.
    pub(crate) name: &'a str,
    /// The colour key.
    pub(crate) key: &'a str,
    /// One value per month; NaN and negative values are drawn as zero.
    pub(crate) values: Vec<f64>,
}

/// The drawing area inside the view box, leaving room for the axes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) left: f64,
    pub(crate) right: f64,
    pub(crate) top: f64,
    pub(crate) bottom: f64,
}

/// The frame every main chart uses.
pub(crate) const FRAME: Frame =
    Frame { width: 480.0, height: 240.0, left: 40.0, right: 468.0, top: 12.0, bottom: 212.0 };

/// A linear map from a data interval onto a pixel interval.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Linear {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Linear {
    pub(crate) fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        Linear { d0: domain.0, d1: domain.1, r0: range.0, r1: range.1 }
    }

    /// Maps a value; an empty domain maps everything to the start of the range, and values outside
    /// the domain are clamped so that no shape escapes the frame.
    pub(crate) fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span.abs() < f64::EPSILON || !span.is_finite() {
            return self.r0;
        }
        let t = ((format::finite(v) - self.d0) / span).clamp(0.0, 1.0);
        self.r0 + t * (self.r1 - self.r0)
    }
}

/// Tick values from zero up to a round number at or above `max`, about four intervals.
///
/// Counts get whole-number steps; shares (`integer == false`) may step by 0.05.
pub(crate) fn ticks(max: f64, integer: bool) -> Vec<f64> {
    let max = format::finite(max).max(0.0);
    let mut step = nice(max / 4.0);
    if integer {
        step = step.max(1.0).round();
    }
    if max <= 0.0 {
        return vec![0.0, step];
    }
    let intervals = (max / step).ceil().max(1.0);
    // The number of ticks is small by construction (at most about eight), so the cast is exact.
    let n = intervals as usize;
    (0..=n).map(|i| step * i as f64).collect()
}

/// The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `x`.
pub(crate) fn nice(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&v| v >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * magnitude)
}

/// The x positions of `n` points spread from edge to edge; a single point sits in the middle.
pub(crate) fn points(n: usize, x0: f64, x1: f64) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![(x0 + x1) / 2.0],
        _ => (0..n).map(|i| x0 + (x1 - x0) * i as f64 / (n - 1) as f64).collect(),
    }
}

/// The centres of `n` equal bands from `x0` to `x1`, and the band width.
pub(crate) fn bands(n: usize, x0: f64, x1: f64) -> (Vec<f64>, f64) {
    if n == 0 {
        return (Vec::new(), 0.0);
    }
    let step = (x1 - x0) / n as f64;
    ((0..n).map(|i| x0 + step * (i as f64 + 0.5)).collect(), step)
}

/// Which of `n` positions get a label: at most `max` of them, evenly spaced, always the last.
pub(crate) fn labelled(n: usize, max: usize) -> Vec<usize> {
    if n == 0 || max == 0 {
        return Vec::new();
    }
    let every = n.div_ceil(max);
    (0..n).filter(|i| (n - 1 - i).is_multiple_of(every)).collect()
}

/// Opens a chart's `<svg>` with its accessible name.
pub(crate) fn open(out: &mut String, frame: &Frame, label: &str) {
    put!(
        out,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{l}"><title>{l}</title>"#,
        w = frame.width,
        h = frame.height,
        l = Esc(label),
    );
}

/// Draws horizontal grid lines with their values on the left.
pub(crate) fn y_axis(
    out: &mut String,
    frame: &Frame,
    y: &Linear,
    ticks: &[f64],
    fmt: fn(f64) -> String,
) {
    out.push_str(r#"<g class="axis">"#);
    for &t in ticks {
        let py = y.map(t);
        put!(
            out,
            r#"<line class="grid" x1="{x0}" x2="{x1}" y1="{py:.1}" y2="{py:.1}"/><text x="{tx}" y="{py:.1}" dy="0.32em" text-anchor="end">{label}</text>"#,
            x0 = frame.left,
            x1 = frame.right,
            tx = frame.left - 6.0,
            label = Esc(&fmt(t)),
        );
    }
    out.push_str("</g>");
}

/// Draws month labels under the given x positions, with the year on the first label and on Januaries.
///
/// With `edges`, the first and last labels are anchored inwards so that they stay in the view box.
pub(crate) fn x_axis(
    out: &mut String,
    frame: &Frame,
    months: &[Timestamp],
    xs: &[f64],
    edges: bool,
) {
    out.push_str(r#"<g class="axis">"#);
    let shown = labelled(months.len(), 6);
    for (nth, &i) in shown.iter().enumerate() {
        let (Some(&month), Some(&x)) = (months.get(i), xs.get(i)) else { continue };
        let anchor = match i {
            0 if edges && months.len() > 1 => "start",
            _ if edges && i + 1 == months.len() && months.len() > 1 => "end",
            _ => "middle",
        };
        put!(
            out,
            r#"<text x="{x:.1}" y="{y}" text-anchor="{anchor}">{label}</text>"#,
            y = frame.bottom + 18.0,
            label = Esc(&format::month(month, nth == 0 || format::is_january(month))),
        );
    }
    put!(
        out,
        r#"<line class="baseline" x1="{x0}" x2="{x1}" y1="{y}" y2="{y}"/></g>"#,
        x0 = frame.left,
        x1 = frame.right,
        y = frame.bottom,
    );
}

/// A legend in HTML (so that it wraps and stays legible on a phone), one swatch per series.
pub(crate) fn legend(out: &mut String, items: &[(&str, &str)]) {
    out.push_str(r#"<ul class="legend">"#);
    for (name, key) in items {
        put!(out, r#"<li><span class="swatch k-{}"></span>{}</li>"#, Esc(key), Esc(name));
    }
    out.push_str("</ul>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_maps_and_clamps() {
        let s = Linear::new((0.0, 10.0), (200.0, 0.0));
        assert_eq!(s.map(0.0), 200.0);
        assert_eq!(s.map(5.0), 100.0);
        assert_eq!(s.map(10.0), 0.0);
        assert_eq!(s.map(20.0), 0.0, "values above the domain clamp to its end");
        assert_eq!(s.map(f64::NAN), 200.0, "NaN reads as zero");
        let empty = Linear::new((3.0, 3.0), (10.0, 20.0));
        assert_eq!(empty.map(3.0), 10.0, "an empty domain maps to the range start");
    }

    #[test]
    fn nice_numbers() {
        for (x, want) in [(0.7, 1.0), (1.0, 1.0), (1.2, 2.0), (2.2, 2.5), (3.0, 5.0), (7.0, 10.0)] {
            assert_eq!(nice(x), want, "nice({x})");
        }
        assert_eq!(nice(0.0), 1.0);
        assert_eq!(nice(f64::INFINITY), 1.0);
        assert!((nice(0.06) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn ticks_cover_the_maximum() {
        assert_eq!(ticks(3.0, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(95.0, true), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(ticks(0.0, true), vec![0.0, 1.0], "an all-zero series still gets an axis");
        assert_eq!(ticks(f64::NAN, false), vec![0.0, 1.0]);
        let shares = ticks(0.3, false);
        assert!(shares.last().is_some_and(|&t| t >= 0.3), "{shares:?}");
        assert!(shares.len() <= 9);
    }

    #[test]
    fn positions() {
        assert_eq!(points(0, 0.0, 10.0), Vec::<f64>::new());
        assert_eq!(points(1, 0.0, 10.0), vec![5.0], "a single point sits in the middle");
        assert_eq!(points(3, 0.0, 10.0), vec![0.0, 5.0, 10.0]);
        assert_eq!(bands(2, 0.0, 10.0), (vec![2.5, 7.5], 5.0));
        assert_eq!(bands(0, 0.0, 10.0).0.len(), 0);
    }

    #[test]
    fn labels_are_thinned_and_keep_the_last() {
        assert_eq!(labelled(3, 6), vec![0, 1, 2]);
        assert_eq!(labelled(12, 6), vec![1, 3, 5, 7, 9, 11]);
        assert_eq!(labelled(13, 6), vec![0, 3, 6, 9, 12]);
        assert_eq!(labelled(0, 6), Vec::<usize>::new());
    }
}
