//! A stability map in a framework's own (lr, momentum) plane: ρ heatmap (viridis, divergent cells
//! grey), the exact stability edge in the framework's lr (`FrameworkGrid::stable_lrs`, the
//! converted recurrence's Jury bound at each momentum), marked settings and the colour bar.
//! The canonical figure's critical-damping curves are not drawn here: they live in canonical
//! coordinates.

use super::stability::{Mark, colour_bar};
use super::{DIVERGENT, FAMILY, on_backend};
use momentum::error::Result;
use momentum::map::GridSpec;
use momentum::map::framework::FrameworkMap;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// What to draw besides the cells.
pub struct FrameworkFigure {
    /// Title.
    pub title: String,
    /// x-axis description (the framework's lr).
    pub x_desc: String,
    /// y-axis description (the framework's momentum or β₁).
    pub y_desc: String,
    /// The exact edge: (momentum, smallest stable lr, largest stable lr), densely sampled along
    /// the momentum axis; rows with no stable lr are left out.
    pub edge: Vec<(f64, f64, f64)>,
    /// Settings to mark.
    pub marks: Vec<Mark>,
    /// The legend entry of the edge (how it was computed).
    pub edge_label: &'static str,
}

/// Save the figure to `path` (.png or .svg).
pub fn save(map: &FrameworkMap, fig: &FrameworkFigure, path: &Path) -> Result<()> {
    let cells = |i: usize, j: usize| {
        let c = map.cell(i, j);
        (c.radius, c.stable)
    };
    save_cells(map.grid().axes(), &cells, fig, path)
}

/// Save the figure of any map on these axes whose cell (i, j) is (ρ, stable) to `path`.
pub fn save_cells(
    spec: &GridSpec,
    cells: &(dyn Fn(usize, usize) -> (f64, bool) + Sync),
    fig: &FrameworkFigure,
    path: &Path,
) -> Result<()> {
    on_backend!(path, |root| draw(root, spec, cells, fig, path))
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    spec: &GridSpec,
    cells: &(dyn Fn(usize, usize) -> (f64, bool) + Sync),
    fig: &FrameworkFigure,
    path: &Path,
) -> std::result::Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    let svg = super::format_of(path).map_err(|x| x.to_string())? == super::Format::Svg;
    root.fill(&WHITE).map_err(e)?;
    let (b0, b1) = spec.momentum_range();
    let log_lo = spec.step_min();
    let xt = |a: f64| if log_lo.is_some() { a.log10() } else { a };
    let (xa0, xa1) = match log_lo {
        Some(lo) => (lo.log10(), spec.step_max().log10()),
        None => (0.0, spec.step_max()),
    };
    let (main, bar) = root.split_horizontally(super::SIZE.0 - 150);
    let mut chart = ChartBuilder::on(&main)
        .caption(&fig.title, (FAMILY, 24))
        .margin(18)
        .x_label_area_size(60)
        .y_label_area_size(75)
        .build_cartesian_2d(xa0..xa1, b0..b1)
        .map_err(e)?;
    let log_label = |v: &f64| format!("{:.0e}", 10f64.powf(*v));
    let x_desc = if log_lo.is_some() {
        format!("{}  (log scale)", fig.x_desc)
    } else {
        fig.x_desc.clone()
    };
    let mut mesh = chart.configure_mesh();
    if log_lo.is_some() {
        mesh.x_label_formatter(&log_label);
    }
    mesh.disable_mesh()
        .x_desc(x_desc)
        .y_desc(fig.y_desc.as_str())
        .label_style((FAMILY, 18))
        .axis_desc_style((FAMILY, 21))
        .draw()
        .map_err(e)?;

    // the colour scale of the stable cells, as the canonical map
    let (n, m) = spec.shape();
    let scale = super::Scale::for_radii((0..n * m).filter_map(|k| {
        let (radius, stable) = cells(k % n, k / n);
        stable.then_some(radius)
    }));
    let cap = if svg { 160 } else { 700 };
    let (nx, ny) = (n.min(cap), m.min(cap));
    let mut blocks = Vec::with_capacity(nx * ny);
    for by in 0..ny {
        for bx in 0..nx {
            let (radius, stable) = cells((bx * n + n / 2) / nx, (by * m + m / 2) / ny);
            let colour = if stable {
                scale.colour(radius)
            } else {
                DIVERGENT
            };
            let xa = xa0 + (xa1 - xa0) * bx as f64 / nx as f64;
            let xb = xa0 + (xa1 - xa0) * (bx + 1) as f64 / nx as f64;
            let ya = b0 + (b1 - b0) * by as f64 / ny as f64;
            let yb = b0 + (b1 - b0) * (by + 1) as f64 / ny as f64;
            blocks.push(Rectangle::new([(xa, ya), (xb, yb)], colour.filled()));
        }
    }
    chart.draw_series(blocks).map_err(e)?;

    // the exact edge, split where it leaves the axis range
    let lr_lo = log_lo.unwrap_or(0.0);
    let inside = |a: f64| a > lr_lo && a <= spec.step_max();
    let mut first = true;
    for pick in [|t: &(f64, f64, f64)| t.2, |t: &(f64, f64, f64)| t.1] {
        let mut runs: Vec<Vec<(f64, f64)>> = vec![vec![]];
        for t in &fig.edge {
            let a = pick(t);
            if inside(a) {
                if let Some(r) = runs.last_mut() {
                    r.push((xt(a), t.0));
                }
            } else if runs.last().is_some_and(|r| !r.is_empty()) {
                runs.push(vec![]);
            }
        }
        for run in runs.into_iter().filter(|r| r.len() > 1) {
            let s = chart
                .draw_series(LineSeries::new(run, BLACK.stroke_width(3)))
                .map_err(e)?;
            if std::mem::take(&mut first) {
                s.label(fig.edge_label).legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(3))
                });
            }
        }
    }

    let palette = [
        RGBColor(230, 25, 75),
        RGBColor(245, 130, 48),
        RGBColor(240, 50, 230),
    ];
    for (k, mark) in fig.marks.iter().enumerate() {
        let c = palette[k % palette.len()];
        let at = (xt(mark.step), mark.momentum);
        chart
            .draw_series(std::iter::once(Circle::new(at, 9, c.filled())))
            .map_err(e)?
            .label(mark.label.clone())
            .legend(move |(x, y)| Circle::new((x + 12, y), 7, c.filled()));
        chart
            .draw_series(std::iter::once(Circle::new(at, 9, BLACK.stroke_width(2))))
            .map_err(e)?;
    }
    chart
        .configure_series_labels()
        // a log axis leaves its small-lr side at ρ ≈ 1 (nothing to see; marks sit at high
        // momentum); a uniform one its large-lr corner divergent
        .position(if log_lo.is_some() {
            SeriesLabelPosition::LowerLeft
        } else {
            SeriesLabelPosition::LowerRight
        })
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FAMILY, 16))
        .draw()
        .map_err(e)?;
    colour_bar(&bar, &scale).map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}
