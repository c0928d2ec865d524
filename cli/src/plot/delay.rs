//! Stability maps under a gradient delay τ: one panel per map (worst-case ρ over the spectrum in
//! viridis, divergent cells grey), each with the edge α = h*(β)/L of `momentum::delay::
//! max_stable_step` drawn over the cells as the independent check.

use super::{DIVERGENT, FAMILY, on_backend};
use momentum::delay::{DelayMap, max_stable_step};
use momentum::error::Result;
use momentum::spectrum::Spectrum;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Save one panel per map (1 to 4 maps; 2 × 2 for more than one) to `path` (.png or .svg).
pub fn save(maps: &[&DelayMap], spectrum: &Spectrum, path: &Path) -> Result<()> {
    on_backend!(path, |root| draw(root, maps, spectrum))
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    maps: &[&DelayMap],
    spectrum: &Spectrum,
) -> std::result::Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let (mu, l) = spectrum.bounds();
    let family = maps[0].spec.family();
    let title = format!(
        "{}: worst-case ρ over λ ∈ [{mu}, {l}] with the gradient τ steps late",
        family.name()
    );
    let (head, body) = root.split_vertically(50);
    head.draw(&Text::new(title, (30, 12), (FAMILY, 26)))
        .map_err(e)?;
    let (main, bar) = body.split_horizontally(super::SIZE.0 - 150);
    let panels = if maps.len() == 1 {
        vec![main]
    } else {
        main.split_evenly((2, 2))
    };
    let scale = super::Scale::for_radii(maps.iter().flat_map(|m| m.radii.iter().copied()));
    for (map, panel) in maps.iter().zip(&panels) {
        let spec = &map.spec;
        let (n, m) = spec.shape();
        let (b0, b1) = spec.momentum_range();
        let x1 = spec.step_max() * l;
        let mut chart = ChartBuilder::on(panel)
            .caption(
                format!(
                    "τ = {}: {:.1}% of cells stable",
                    map.tau,
                    100.0 * map.stable_fraction()
                ),
                (FAMILY, 21),
            )
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x1, b0..b1)
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("normalised step  h = αL")
            .y_desc("momentum  β")
            .label_style((FAMILY, 15))
            .axis_desc_style((FAMILY, 17))
            .draw()
            .map_err(e)?;
        let mut blocks = Vec::with_capacity(n * m);
        for j in 0..m {
            for i in 0..n {
                let r = map.radii[j * n + i];
                let colour = if map.stable[j * n + i] && r < 1.0 {
                    scale.colour(r)
                } else {
                    DIVERGENT
                };
                let (xa, xb) = (x1 * i as f64 / n as f64, x1 * (i + 1) as f64 / n as f64);
                let ya = b0 + (b1 - b0) * j as f64 / m as f64;
                let yb = b0 + (b1 - b0) * (j + 1) as f64 / m as f64;
                blocks.push(Rectangle::new([(xa, ya), (xb, yb)], colour.filled()));
            }
        }
        chart.draw_series(blocks).map_err(e)?;
        // the exact edge h*(β) (crossing search + Schur–Cohn bisection), sampled along β
        let mut edge = vec![];
        for k in 0..=400 {
            let b = b0 + (b1 - b0) * k as f64 / 400.0;
            match max_stable_step(family, b, map.tau).map_err(|x| x.to_string())? {
                Some(h) if h <= x1 => edge.push((h, b)),
                Some(_) => edge.push((x1, b)),
                None => {}
            }
        }
        chart
            .draw_series(LineSeries::new(edge, BLACK.stroke_width(2)))
            .map_err(e)?
            .label("largest stable step h*(β) (Schur–Cohn)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
        chart
            .configure_series_labels()
            // the grey (divergent) corner: lower right without delay, upper right with it
            .position(if map.tau == 0 {
                SeriesLabelPosition::LowerRight
            } else {
                SeriesLabelPosition::UpperRight
            })
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FAMILY, 14))
            .draw()
            .map_err(e)?;
    }
    super::stability::colour_bar(&bar, &scale).map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}
