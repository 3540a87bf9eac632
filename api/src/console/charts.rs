//! Horizontal bar charts as plain SVG, drawn on the server: they print, need no script, and stay
//! legible on a phone (the SVG scales to its container's width).

use super::format;
use maud::{Markup, html};

/// One group of bars: a label and its values (one per series).
pub struct Row {
    /// The group's label.
    pub label: String,
    /// One value per series, same order as the series names.
    pub values: Vec<f64>,
    /// How each value is written beside its bar.
    pub texts: Vec<String>,
}

/// Draws `rows` as grouped horizontal bars, one colour per series; `title` is the accessible name.
pub fn bars(title: &str, series: &[&str], rows: &[Row]) -> Markup {
    const WIDTH: f64 = 640.0;
    const LABEL: f64 = 0.0;
    const BAR_H: f64 = 14.0;
    const GAP: f64 = 6.0;
    let max = rows
        .iter()
        .flat_map(|r| r.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let group_h = 18.0 + series.len() as f64 * (BAR_H + 2.0) + GAP;
    let height = 24.0 + rows.len() as f64 * group_h;
    let scale = |v: f64| {
        if max > 0.0 && v.is_finite() && v > 0.0 {
            (v / max) * (WIDTH * 0.62)
        } else {
            0.0
        }
    };
    html! {
        figure.chart {
            svg viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-label=(title) xmlns="http://www.w3.org/2000/svg" {
                title { (title) }
                @for (i, name) in series.iter().enumerate() {
                    rect x=(LABEL + i as f64 * 160.0) y="2" width="12" height="12" class={ "s" (i) } {}
                    text x=(LABEL + 16.0 + i as f64 * 160.0) y="12" class="legend" { (name) }
                }
                @for (r, row) in rows.iter().enumerate() {
                    @let top = 24.0 + r as f64 * group_h;
                    text x=(LABEL) y=(top + 12.0) class="group" { (row.label) }
                    @for (i, v) in row.values.iter().enumerate() {
                        @let y = top + 16.0 + i as f64 * (BAR_H + 2.0);
                        rect x=(LABEL) y=(y) width=(format!("{:.1}", scale(*v))) height=(BAR_H) class={ "s" (i) } {}
                        text x=(LABEL + scale(*v) + 4.0) y=(y + BAR_H - 3.0) class="value" {
                            (row.texts.get(i).cloned().unwrap_or_default())
                        }
                    }
                }
            }
        }
    }
}

/// A bar row of whole-Rupiah amounts.
pub fn rupiah_row(label: String, amounts: &[i128]) -> Row {
    Row {
        label,
        values: amounts.iter().map(|n| *n as f64).collect(),
        texts: amounts
            .iter()
            .map(|n| format!("Rp {}", format::thousands(*n)))
            .collect(),
    }
}
