//! A certified-rate map: each cell coloured by the rate certified on every L-smooth μ-strongly
//! convex function (viridis), cells stable on quadratics but not certified in one warm colour,
//! cells unstable on some quadratic in grey, with the exact quadratic stability edge on top.

use super::stability::{MapFigure, Mark};
use super::{DIVERGENT, FAMILY, on_backend};
use momentum::certify::map::{CertifiedMap, Status};
use momentum::error::Result;
use momentum::spectrum::Spectrum;
use momentum::stability::{clip, stability_edges};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Colour of a cell stable on quadratics with neither a certificate nor a cycle on F(μ, L).
pub const NOT_CERTIFIED: RGBColor = RGBColor(255, 150, 90);

/// Colour of a cell stable on quadratics with a verified cycle on some f ∈ F(μ, L).
pub const COUNTEREXAMPLE: RGBColor = RGBColor(200, 30, 60);

const BLOCKS_PNG: usize = 700;
const BLOCKS_SVG: usize = 160;

/// Colour of a certified cell in the three-zone figure ([`save_zones`]).
pub const CERTIFIED: RGBColor = RGBColor(70, 160, 95);

/// Save the figure of a certified map to `path` (.png or .svg): certified cells by their rate.
pub fn save(map: &CertifiedMap, fig: &MapFigure, path: &Path) -> Result<()> {
    on_backend!(path, |root| draw(root, map, fig, path, false))
}

/// Save the three-zone figure of a certified map to `path` (.png or .svg): certified cells in
/// one colour (no rate scale), counterexample, undecided and unstable-on-quadratics cells in
/// theirs, and the quadratic stability edge.
pub fn save_zones(map: &CertifiedMap, fig: &MapFigure, path: &Path) -> Result<()> {
    on_backend!(path, |root| draw(root, map, fig, path, true))
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    map: &CertifiedMap,
    fig: &MapFigure,
    path: &Path,
    zones: bool,
) -> std::result::Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    let svg = super::format_of(path).map_err(|x| x.to_string())? == super::Format::Svg;
    root.fill(&WHITE).map_err(e)?;
    let spec = map.spec();
    let (mu, l) = map.bounds();
    let family = spec.family();
    let scale = if fig.normalised { l } else { 1.0 };
    let (b0, b1) = spec.momentum_range();
    let x1 = spec.step_max() * scale;
    let log_lo = spec.step_min();
    let xt = |a: f64| if log_lo.is_some() { a.log10() } else { a };
    let (xa0, xa1) = match log_lo {
        Some(lo) => ((lo * scale).log10(), x1.log10()),
        None => (0.0, x1),
    };
    let title = fig.title.clone().unwrap_or_else(|| {
        format!(
            "{}: rate certified on every L-smooth μ-strongly convex f, [μ, L] = [{mu}, {l}]",
            family.name()
        )
    });
    let (main, bar) = root.split_horizontally(super::SIZE.0 - if zones { 0 } else { 150 });
    let x_desc = if fig.normalised {
        "normalised step  h = αL"
    } else {
        "step size  α"
    };
    let x_desc = if log_lo.is_some() {
        format!("{x_desc}  (log scale)")
    } else {
        x_desc.to_string()
    };
    let mut chart = ChartBuilder::on(&main)
        .caption(&title, (FAMILY, 24))
        .margin(18)
        .x_label_area_size(60)
        .y_label_area_size(75)
        .build_cartesian_2d(xa0..xa1, b0..b1)
        .map_err(e)?;
    let log_label = |v: &f64| format!("{:.0e}", 10f64.powf(*v));
    let mut mesh = chart.configure_mesh();
    if log_lo.is_some() {
        mesh.x_label_formatter(&log_label);
    }
    mesh.disable_mesh()
        .x_desc(x_desc)
        .y_desc("momentum  β")
        .label_style((FAMILY, 18))
        .axis_desc_style((FAMILY, 21))
        .draw()
        .map_err(e)?;

    // colour range [ρ_min, 1) of the certified rates, rounded down to 0.05
    let colours = super::Scale::for_radii(map.cells().filter_map(|c| c.rate));
    let (n, m) = spec.shape();
    let cap = if svg { BLOCKS_SVG } else { BLOCKS_PNG };
    let (nx, ny) = (n.min(cap), m.min(cap));
    let mut blocks = Vec::with_capacity(nx * ny);
    for by in 0..ny {
        for bx in 0..nx {
            let c = map.cell((bx * n + n / 2) / nx, (by * m + m / 2) / ny);
            let colour = match (c.status(), c.rate) {
                (Status::Certified, _) if zones => CERTIFIED,
                (Status::Certified, Some(r)) => colours.colour(r),
                (Status::Undecided, _) => NOT_CERTIFIED,
                (Status::Counterexample, _) => COUNTEREXAMPLE,
                _ => DIVERGENT,
            };
            let xa = xa0 + (xa1 - xa0) * bx as f64 / nx as f64;
            let xb = xa0 + (xa1 - xa0) * (bx + 1) as f64 / nx as f64;
            let ya = b0 + (b1 - b0) * by as f64 / ny as f64;
            let yb = b0 + (b1 - b0) * (by + 1) as f64 / ny as f64;
            blocks.push(Rectangle::new([(xa, ya), (xb, yb)], colour.filled()));
        }
    }
    chart.draw_series(blocks).map_err(e)?;
    if zones {
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(e)?
            .label("certified: a rate < 1 on every f in F(μ, L) (one-step or lifted certificate)")
            .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], CERTIFIED.filled()));
    }
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
        .map_err(e)?
        .label("undecided: stable on every quadratic, no certificate, no cycle found")
        .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], NOT_CERTIFIED.filled()));
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
        .map_err(e)?
        .label("counterexample: a verified cycle on some f in F(μ, L)")
        .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], COUNTEREXAMPLE.filled()));
    if zones {
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(e)?
            .label("unstable on quadratics (ρ_quad ≥ 1): diverges on a quadratic of the class")
            .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], DIVERGENT.filled()));
    }

    // the exact quadratic stability edge (Jury), on top
    let spectrum = Spectrum::interval(mu, l).map_err(|x| x.to_string())?;
    let samples = if log_lo.is_some() { 20_000 } else { 800 };
    let step_lo = log_lo.unwrap_or(0.0);
    let mut first = true;
    for c in clip(
        &stability_edges(family, &spectrum, (b0, b1), samples),
        (step_lo, spec.step_max()),
        (b0, b1),
    ) {
        let pts: Vec<(f64, f64)> = c
            .iter()
            .filter(|&&(a, _)| log_lo.is_none() || a > 0.0)
            .map(|&(a, b)| (xt(a * scale), b))
            .collect();
        let s = chart
            .draw_series(LineSeries::new(pts, BLACK.stroke_width(3)))
            .map_err(e)?;
        if std::mem::take(&mut first) {
            s.label("quadratic stability edge ρ_quad = 1 (Jury, exact)")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(3))
                });
        }
    }
    draw_marks(&mut chart, &fig.marks, |a| xt(a * scale)).map_err(e)?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FAMILY, 16))
        .draw()
        .map_err(e)?;
    if !zones {
        colour_bar(&bar, &colours).map_err(e)?;
    }
    root.present().map_err(e)?;
    Ok(())
}

fn draw_marks<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    marks: &[Mark],
    x: impl Fn(f64) -> f64,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let palette = [
        RGBColor(230, 25, 75),
        RGBColor(245, 130, 48),
        RGBColor(240, 50, 230),
    ];
    for (k, mark) in marks.iter().enumerate() {
        let c = palette[k % palette.len()];
        let at = (x(mark.step), mark.momentum);
        chart
            .draw_series(std::iter::once(Circle::new(
                at,
                9,
                c.filled().stroke_width(2),
            )))?
            .label(mark.label.clone())
            .legend(move |(x, y)| Circle::new((x + 12, y), 7, c.filled()));
        chart.draw_series(std::iter::once(Circle::new(at, 9, BLACK.stroke_width(2))))?;
    }
    Ok(())
}

/// A vertical viridis bar for the certified ρ (`scale`), with the two swatches below it.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &super::Scale,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (top, bottom) = area.split_vertically(super::SIZE.1 - 230);
    super::stability::viridis_bar(&top, ("certified ρ", 20), scale)?;
    for (y, colour, l1, l2) in [
        (10, NOT_CERTIFIED, "undecided", "(no certificate)"),
        (80, COUNTEREXAMPLE, "cycle on F(μ, L)", "(counterexample)"),
        (150, DIVERGENT, "ρ_quad ≥ 1", "divergent"),
    ] {
        bottom.draw(&Rectangle::new([(60, y), (100, y + 30)], colour.filled()))?;
        bottom.draw(&Rectangle::new(
            [(60, y), (100, y + 30)],
            BLACK.stroke_width(1),
        ))?;
        bottom.draw(&Text::new(l1, (12, y + 38), (FAMILY, 15)))?;
        bottom.draw(&Text::new(l2, (12, y + 56), (FAMILY, 15)))?;
    }
    Ok(())
}

/// The PEP evidence the rates figure draws: `examples/pep_points.rs` (feature `sdp`) wrote it;
/// columns tuning, kappa, steps, worst_factor, rate_estimate.
pub const PEP_POINTS: &str = include_str!("../../assets/pep_points.csv");

/// One row of [`PEP_POINTS`]: (tuning, κ, N, worst factor, worst factor^(1/N)).
pub type PepPoint = (String, f64, usize, f64, f64);

/// The rows of [`PEP_POINTS`].
pub fn pep_points() -> Result<Vec<PepPoint>> {
    let bad = |l: &str| {
        momentum::Error::Unsupported(format!("malformed line in cli/assets/pep_points.csv: {l}"))
    };
    PEP_POINTS
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Vec<&str> = l.split(',').collect();
            if v.len() != 5 {
                return Err(bad(l));
            }
            let x = |s: &str| s.trim().parse::<f64>().map_err(|_| bad(l));
            Ok((
                v[0].to_string(),
                x(v[1])?,
                v[2].trim().parse().map_err(|_| bad(l))?,
                x(v[3])?,
                x(v[4])?,
            ))
        })
        .collect()
}

/// Rates against κ for gradient descent, Polyak heavy ball, Nesterov's standard tuning and
/// triple momentum on F(1/κ, 1): the quadratic rate (solid), the certified rate (dashed, where
/// one exists), the PEP N-step evidence (markers), Nesterov's reference curves (dotted), and the
/// κ = 9 + 4√5 where Polyak heavy ball loses its certificate.
pub fn rates_vs_kappa(path: &Path) -> Result<()> {
    use super::tuned::{LinePlot, METHOD_COLOURS, Series, Style, VLine};
    let kappas: Vec<f64> = (0..=150)
        .map(|i| 10f64.powf(0.05 + i as f64 * 2.95 / 150.0))
        .collect();
    let pep = pep_points()?;
    // every tuning at every κ, once (the four methods read their own column)
    let tunings = kappas
        .iter()
        .map(|&k| momentum::tune::all(&Spectrum::interval(1.0 / k, 1.0)?))
        .collect::<Result<Vec<_>>>()?;
    let mut series = vec![];
    for (idx, name) in [
        (0, "gradient descent"),
        (1, "heavy ball (Polyak)"),
        (2, "Nesterov, standard"),
        (4, "triple momentum"),
    ] {
        let colour = METHOD_COLOURS[idx];
        let (mut quad, mut cert) = (vec![], vec![]);
        let mut kind = String::new();
        for (&k, all) in kappas.iter().zip(&tunings) {
            let t = &all[idx];
            kind = t.kind.as_str().to_string();
            let c = momentum::certify::certified_rate(&t.method, 1.0 / k, 1.0)?;
            quad.push((k, c.quadratic_rate));
            if let Some(r) = c.rate {
                cert.push((k, r));
            }
        }
        series.push(Series {
            label: format!("{name}: quadratic"),
            points: quad,
            colour,
            style: Style::Line,
        });
        series.push(Series {
            label: format!("{name}: certified"),
            points: cert,
            colour,
            style: Style::Dashed,
        });
        let pts: Vec<(f64, f64)> = pep
            .iter()
            .filter(|p| p.0 == kind)
            .map(|p| (p.1, p.4))
            .collect();
        if let Some(n) = pep.first().map(|p| p.2) {
            series.push(Series {
                label: format!("{name}: PEP (worst ‖x_N−x*‖/‖x₀−x*‖)^(1/{n})"),
                points: pts,
                colour,
                style: Style::Markers,
            });
        }
    }
    for (label, colour, f) in [
        (
            "1 − 1/√κ",
            RGBColor(0, 0, 0),
            (|k: f64| 1.0 - 1.0 / k.sqrt()) as fn(f64) -> f64,
        ),
        ("1 − 2/√(3κ+1)", RGBColor(148, 103, 189), |k: f64| {
            1.0 - 2.0 / (3.0 * k + 1.0).sqrt()
        }),
        (
            "√(1 − 1/√κ) (Nesterov's bound)",
            RGBColor(140, 86, 75),
            |k: f64| (1.0 - 1.0 / k.sqrt()).sqrt(),
        ),
    ] {
        series.push(Series {
            label: label.into(),
            points: kappas.iter().map(|&k| (k, f(k))).collect(),
            colour,
            style: Style::Dotted,
        });
    }
    series.push(Series {
        label: "ρ = 1".into(),
        points: vec![(1.0, 1.0), (1e3, 1.0)],
        colour: RGBColor(120, 120, 120),
        style: Style::Dashed,
    });
    LinePlot {
        title: "Rates on F(1/κ, 1): quadratic (solid), certified by IQC (dashed), PEP 10-step evidence (dots)".into(),
        x_label: "condition number  κ = L/μ".into(),
        y_label: "linear rate  ρ".into(),
        x_log: true,
        y_log: false,
        x_range: (1.0, 1e3),
        y_range: (0.0, 1.7),
        series,
        vlines: vec![VLine {
            x: 9.0 + 4.0 * 5f64.sqrt(),
            label: "Polyak heavy ball loses its certificate: κ = 9 + 4√5 ≈ 17.94".into(),
            colour: METHOD_COLOURS[1],
        }],
        legend_upper: false,
    }
    .save(path)
}
