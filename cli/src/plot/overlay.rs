//! Heavy-ball and Nesterov stability regions at one curvature on one plot (normalised step
//! h = αλ), with the β = 0.5 comparison: Nesterov's largest stable step is half of heavy ball's.

use super::{FAMILY, on_backend};
use momentum::Family;
use momentum::error::Result;
use momentum::spectrum::Spectrum;
use momentum::stability::family_stable_steps;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Save the overlay figure to `path` (.png or .svg).
pub fn save(path: &Path) -> Result<()> {
    on_backend!(path, draw)
}

/// The closed polygon of stable (h, β) for a family at λ = 1, sampled at `k` momenta.
fn region(family: Family, k: usize) -> Vec<(f64, f64)> {
    let s = Spectrum::eigenvalues(vec![1.0]).expect("one finite eigenvalue");
    let mut right = vec![];
    let mut left = vec![];
    for i in 0..=k {
        let b = -1.0 + 2.0 * i as f64 / k as f64;
        if let Some(iv) = family_stable_steps(family, b, &s) {
            right.push((iv.hi.min(4.5), b));
            left.push((iv.lo, b));
        }
    }
    left.reverse();
    right.extend(left);
    right
}

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Stable (step, momentum) at one curvature: heavy ball vs Nesterov",
            (FAMILY, 26),
        )
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size(75)
        .build_cartesian_2d(0.0..4.2, -1.05..1.05)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("step × curvature  h = αλ")
        .y_desc("momentum  β")
        .label_style((FAMILY, 18))
        .axis_desc_style((FAMILY, 21))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(e)?;
    let hb_c = RGBColor(31, 119, 180);
    let nag_c = RGBColor(214, 39, 40);
    for (family, colour, label) in [
        (
            Family::HeavyBall,
            hb_c,
            "heavy ball: 0 < h < 2(1+β), |β| < 1",
        ),
        (
            Family::Nesterov,
            nag_c,
            "Nesterov: Jury region (h < (2+2β)/(1+2β) for 0 ≤ β < 1)",
        ),
    ] {
        let poly = region(family, 1200);
        chart
            .draw_series(std::iter::once(Polygon::new(
                poly.clone(),
                colour.mix(0.25).filled(),
            )))
            .map_err(e)?;
        let mut outline = poly.clone();
        outline.push(poly[0]);
        chart
            .draw_series(LineSeries::new(outline, colour.stroke_width(3)))
            .map_err(e)?
            .label(label)
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 7), (x + 24, y + 7)], colour.mix(0.5).filled())
            });
    }
    // β = 0.5: h_max 3 for heavy ball, 1.5 for Nesterov
    chart
        .draw_series(DashedLineSeries::new(
            vec![(0.0, 0.5), (3.0, 0.5)],
            8,
            5,
            BLACK.stroke_width(2),
        ))
        .map_err(e)?
        .label("β = 0.5: Nesterov's largest step (1.5) is half of heavy ball's (3)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(2)));
    for (h, c) in [(3.0, hb_c), (1.5, nag_c)] {
        chart
            .draw_series(std::iter::once(Circle::new((h, 0.5), 8, c.filled())))
            .map_err(e)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("h = {h}"),
                (h + 0.06, 0.58),
                (FAMILY, 19),
            )))
            .map_err(e)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FAMILY, 17))
        .draw()
        .map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}
