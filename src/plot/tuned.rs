//! Line figures: the tuned methods' rate against momentum and against κ, and error against
//! iteration with the predicted envelopes. One small engine, [`LinePlot`], draws them all:
//! series of lines, dashed lines or markers on linear or logarithmic axes.
//!
//! Logarithmic axes are drawn by plotting log₁₀ of the data on a linear axis and labelling the
//! ticks at whole powers of ten, so one code path serves all four axis combinations.

use super::{FAMILY, on_backend};
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    /// A solid line.
    Line,
    /// A dashed line.
    Dashed,
    /// A dotted line (short dashes).
    Dotted,
    /// Filled circles.
    Markers,
}

/// One labelled series.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// (x, y) in data units.
    pub points: Vec<(f64, f64)>,
    /// Colour.
    pub colour: RGBColor,
    /// Drawing style.
    pub style: Style,
}

/// A vertical marker line with a label.
#[derive(Clone, Debug)]
pub struct VLine {
    /// Where, in data units.
    pub x: f64,
    /// Text beside it.
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
}

/// A figure of series.
#[derive(Clone, Debug)]
pub struct LinePlot {
    /// Caption.
    pub title: String,
    /// x-axis name, with its symbol.
    pub x_label: String,
    /// y-axis name, with its symbol.
    pub y_label: String,
    /// Logarithmic x axis.
    pub x_log: bool,
    /// Logarithmic y axis.
    pub y_log: bool,
    /// Data range shown (data units; positive for log axes).
    pub x_range: (f64, f64),
    /// Data range shown.
    pub y_range: (f64, f64),
    /// The series.
    pub series: Vec<Series>,
    /// Vertical markers.
    pub vlines: Vec<VLine>,
    /// Where the legend goes.
    pub legend_upper: bool,
}

/// The colours of the tuned methods, in [`crate::tuning::all`] order (tab10).
pub const METHOD_COLOURS: [RGBColor; 5] = [
    RGBColor(127, 127, 127),
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
];

impl LinePlot {
    /// Save to `path` (.png or .svg).
    pub fn save(&self, path: &Path) -> Result<()> {
        for (ax, log, (lo, hi)) in [
            ("x", self.x_log, self.x_range),
            ("y", self.y_log, self.y_range),
        ] {
            if !(lo.is_finite() && hi.is_finite() && lo < hi && (!log || lo > 0.0)) {
                return Err(Error::Unsupported(format!(
                    "cannot draw {}: the {ax} range [{lo}, {hi}] is empty or not positive on a log axis",
                    path.display()
                )));
            }
        }
        on_backend!(path, |root| self.draw(root))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
        let tx = |v: f64| if self.x_log { v.log10() } else { v };
        let ty = |v: f64| if self.y_log { v.log10() } else { v };
        let (x0, x1) = (tx(self.x_range.0), tx(self.x_range.1));
        let (y0, y1) = (ty(self.y_range.0), ty(self.y_range.1));
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&self.title, (FAMILY, 26))
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(e)?;
        let xf = |v: &f64| tick(*v, self.x_log);
        let yf = |v: &f64| tick(*v, self.y_log);
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style((FAMILY, 18))
            .axis_desc_style((FAMILY, 21))
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .light_line_style(WHITE.mix(0.0));
        if self.x_log {
            mesh.x_labels(((x1 - x0).ceil() as usize + 1).max(2));
        }
        if self.y_log {
            mesh.y_labels(((y1 - y0).ceil() as usize + 1).clamp(2, 20));
        }
        mesh.draw().map_err(e)?;
        let inside = |&(x, y): &(f64, f64)| {
            let (x, y) = (tx(x), ty(y));
            x.is_finite() && y.is_finite()
        };
        for s in &self.series {
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .filter(|p| inside(p))
                .map(|&(x, y)| (tx(x), ty(y).clamp(y0 - 1.0, y1 + 1.0)))
                .collect();
            let c = s.colour;
            let anno = match s.style {
                Style::Line => chart
                    .draw_series(LineSeries::new(pts, c.stroke_width(3)))
                    .map_err(e)?,
                Style::Dashed => chart
                    .draw_series(DashedLineSeries::new(pts, 10, 6, c.stroke_width(2)))
                    .map_err(e)?,
                Style::Dotted => chart
                    .draw_series(DashedLineSeries::new(pts, 3, 5, c.stroke_width(2)))
                    .map_err(e)?,
                Style::Markers => chart
                    .draw_series(pts.into_iter().map(|p| Circle::new(p, 6, c.filled())))
                    .map_err(e)?,
            };
            let style = s.style;
            anno.label(s.label.as_str())
                .legend(move |(x, y)| -> DynElement<'static, _, _> {
                    match style {
                        Style::Markers => Circle::new((x + 12, y), 6, c.filled()).into_dyn(),
                        Style::Line => {
                            PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3))
                                .into_dyn()
                        }
                        _ => PathElement::new(
                            vec![(x, y), (x + 6, y), (x + 10, y)],
                            c.stroke_width(2),
                        )
                        .into_dyn(),
                    }
                });
        }
        for v in &self.vlines {
            let x = tx(v.x);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, y0), (x, y1)],
                    6,
                    6,
                    v.colour.stroke_width(1),
                ))
                .map_err(e)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    v.label.clone(),
                    (x, y1 - 0.04 * (y1 - y0)),
                    (FAMILY, 17).into_font().color(&v.colour),
                )))
                .map_err(e)?;
        }
        chart
            .configure_series_labels()
            .position(if self.legend_upper {
                SeriesLabelPosition::UpperRight
            } else {
                SeriesLabelPosition::LowerRight
            })
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FAMILY, 17))
            .draw()
            .map_err(e)?;
        root.present().map_err(e)?;
        Ok(())
    }
}

/// A tick label: the value, or on a log axis 10^v at whole powers only.
fn tick(v: f64, log: bool) -> String {
    if !log {
        let r = (v * 1e6).round() / 1e6;
        return format!("{r}");
    }
    if (v - v.round()).abs() > 1e-9 {
        return String::new();
    }
    let k = v.round() as i32;
    if (-3..=4).contains(&k) {
        format!("{}", 10f64.powi(k))
    } else {
        format!("1e{k}")
    }
}
