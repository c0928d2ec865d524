//! Optimizer paths on the contour plot of a two-dimensional quadratic.
//!
//! [`save`] draws panels of paths over the level sets of f(x₁, x₂) = ½(a x₁² + b x₂²) (ellipses,
//! drawn exactly from their parametrisation); [`ravine`] draws the seeds' ravine
//! f = 50x₁² + 0.5x₂²: gradient descent, heavy ball and Nesterov each tuned for κ = 100, and heavy
//! ball added at gradient descent's step (`claims::ravine`, claim C14). The shallow coordinate x₂ runs along the horizontal axis so
//! that the long, narrow valley lies flat on the page.

use super::{FAMILY, on_backend};
use momentum::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One path: a legend label and its iterates (x₁, x₂), x₀ first.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text (method and its (η, β)).
    pub label: String,
    /// Iterates (x₁, x₂).
    pub points: Vec<[f64; 2]>,
}

/// One panel: a subtitle, the plotted ranges and the paths.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Panel title (the setting of its paths).
    pub title: String,
    /// Horizontal range (x₂).
    pub x2_range: (f64, f64),
    /// Vertical range (x₁).
    pub x1_range: (f64, f64),
    /// The paths; up to three are styled distinctly (blue circles, orange triangles, green
    /// squares), further ones reuse the styles.
    pub series: Vec<Series>,
}

/// What to draw: f(x₁, x₂) = ½(a x₁² + b x₂²), its level sets, and panels of paths stacked
/// vertically.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Curvatures (a, b) = (∂²f/∂x₁², ∂²f/∂x₂²), both > 0.
    pub curvatures: [f64; 2],
    /// Levels of f drawn as contour lines.
    pub levels: Vec<f64>,
    /// The panels, top to bottom.
    pub panels: Vec<Panel>,
}

/// The ravine figure of claim C14: f = 50x₁² + 0.5x₂², 60 iterations from (1, −10) at rest. Top:
/// gradient descent, heavy ball and Nesterov, each tuned for κ = 100; bottom: heavy ball with
/// β = 0.5 and 0.9 at gradient descent's step.
pub fn ravine(path: &Path) -> Result<()> {
    let r = momentum_claims::ravine()?;
    let f0 = 0.5 * (r.curvatures[0] * r.start[0].powi(2) + r.curvatures[1] * r.start[1].powi(2));
    // contours at f(x₀)·2^k
    let levels = (-12..=4).map(|k| f0 * 2f64.powi(k)).collect();
    let series = |paths: Vec<momentum_claims::RavinePath>| {
        paths
            .into_iter()
            .map(|p| Series {
                label: p.label,
                points: p.points,
            })
            .collect()
    };
    let fig = Figure {
        curvatures: r.curvatures,
        levels,
        panels: vec![
            Panel {
                title: format!(
                    "f = 50x₁² + 0.5x₂² (κ = 100), {} steps from (x₁, x₂) = (1, −10): each (η, β) tuned for κ",
                    momentum_claims::RAVINE_STEPS
                ),
                x2_range: (-11.0, 3.5),
                // headroom above the paths for the legend
                x1_range: (-4.1, 6.6),
                series: series(r.tuned),
            },
            Panel {
                title: "the same ravine: momentum added at gradient descent's step η = 2/(L+μ) = 0.0198".into(),
                x2_range: (-11.0, 3.5),
                x1_range: (-1.1, 1.85),
                series: series(r.same_step),
            },
        ],
    };
    save(path, &fig)
}

/// Save a paths figure to `path` (.png or .svg).
pub fn save(path: &Path, fig: &Figure) -> Result<()> {
    let [a, b] = fig.curvatures;
    if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()) {
        return Err(Error::OutOfRange {
            name: "curvature",
            value: if a > 0.0 { b } else { a },
            expected: "both curvatures finite and > 0 for a contour plot",
        });
    }
    let ok_range = |(lo, hi): (f64, f64)| lo.is_finite() && hi.is_finite() && lo < hi;
    if fig.panels.is_empty()
        || fig
            .panels
            .iter()
            .any(|p| !ok_range(p.x1_range) || !ok_range(p.x2_range))
    {
        return Err(Error::Unsupported(
            "a paths figure needs at least one panel, with finite ranges lo < hi".into(),
        ));
    }
    on_backend!(path, |root: DrawingArea<_, Shift>| {
        let root = root;
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let areas = root.split_evenly((fig.panels.len(), 1));
        for (area, panel) in areas.into_iter().zip(&fig.panels) {
            draw(area, fig, panel)?;
        }
        root.present().map_err(|e| e.to_string())
    })
}

/// Split a polyline into the runs that stay inside the box.
fn inside_runs(
    points: &[(f64, f64)],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![];
    let mut cur = vec![];
    for &(x, y) in points {
        if x >= x0 && x <= x1 && y >= y0 && y <= y1 {
            cur.push((x, y));
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    out.push(cur);
    out.retain(|c| c.len() > 1);
    out
}

const COLOURS: [RGBColor; 3] = [
    RGBColor(31, 119, 180),
    RGBColor(230, 110, 0),
    RGBColor(30, 150, 50),
];

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    fig: &Figure,
    panel: &Panel,
) -> std::result::Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    let (xr, yr) = (panel.x2_range, panel.x1_range);
    let mut chart = ChartBuilder::on(&root)
        .caption(&panel.title, (FAMILY, 21))
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(70)
        .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc(format!(
            "x₂  (shallow direction, ∂²f/∂x₂² = {})",
            fig.curvatures[1]
        ))
        .y_desc(format!("x₁  (steep, ∂²f/∂x₁² = {})", fig.curvatures[0]))
        .label_style((FAMILY, 15))
        .axis_desc_style((FAMILY, 17))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .draw()
        .map_err(e)?;

    // level sets ½(a x₁² + b x₂²) = c: x₁ = √(2c/a) cos t, x₂ = √(2c/b) sin t
    let [a, b] = fig.curvatures;
    let grey = RGBColor(150, 150, 150);
    for &c in fig.levels.iter().filter(|c| c.is_finite() && **c > 0.0) {
        let (r1, r2) = ((2.0 * c / a).sqrt(), (2.0 * c / b).sqrt());
        let ring: Vec<(f64, f64)> = (0..=720)
            .map(|i| {
                let t = std::f64::consts::TAU * i as f64 / 720.0;
                (r2 * t.sin(), r1 * t.cos())
            })
            .collect();
        for run in inside_runs(&ring, xr, yr) {
            chart
                .draw_series(LineSeries::new(run, grey.stroke_width(1)))
                .map_err(e)?;
        }
    }
    // the minimiser
    chart
        .draw_series(std::iter::once(Cross::new(
            (0.0, 0.0),
            9,
            BLACK.stroke_width(3),
        )))
        .map_err(e)?
        .label("minimiser x* = (0, 0)")
        .legend(|(x, y)| Cross::new((x + 12, y), 7, BLACK.stroke_width(3)));

    for (k, s) in panel.series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let pts: Vec<(f64, f64)> = s.points.iter().map(|p| (p[1], p[0])).collect();
        for run in inside_runs(&pts, xr, yr) {
            chart
                .draw_series(LineSeries::new(run, colour.stroke_width(1)))
                .map_err(e)?;
        }
        let visible = pts
            .iter()
            .copied()
            .filter(|&(x, y)| x >= xr.0 && x <= xr.1 && y >= yr.0 && y <= yr.1);
        let style = colour.filled();
        let label = s.label.as_str();
        let line = move |(x, y): (i32, i32)| {
            PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(2))
        };
        // each marker series carries the legend entry: line and marker
        match k % 3 {
            0 => {
                chart
                    .draw_series(visible.map(|p| Circle::new(p, 5, style)))
                    .map_err(e)?
                    .label(label)
                    .legend(move |(x, y)| {
                        EmptyElement::at((x, y)) + line((0, 0)) + Circle::new((12, 0), 5, style)
                    });
            }
            1 => {
                chart
                    .draw_series(visible.map(|p| TriangleMarker::new(p, 7, style)))
                    .map_err(e)?
                    .label(label)
                    .legend(move |(x, y)| {
                        EmptyElement::at((x, y))
                            + line((0, 0))
                            + TriangleMarker::new((12, 0), 7, style)
                    });
            }
            _ => {
                chart
                    .draw_series(
                        visible.map(|p| {
                            EmptyElement::at(p) + Rectangle::new([(-5, -5), (5, 5)], style)
                        }),
                    )
                    .map_err(e)?
                    .label(label)
                    .legend(move |(x, y)| {
                        EmptyElement::at((x, y))
                            + line((0, 0))
                            + Rectangle::new([(7, -5), (17, 5)], style)
                    });
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.92))
        .border_style(BLACK)
        .label_font((FAMILY, 16))
        .draw()
        .map_err(e)?;
    Ok(())
}
