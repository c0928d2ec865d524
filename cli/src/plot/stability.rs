//! A stability map: ρ heatmap (viridis for stable cells, grey for divergent ones), a colour bar,
//! the exact stability edges and critical-damping curves, regime labels and optional marked
//! tunings.

use super::{DIVERGENT, FAMILY, on_backend};
use momentum::error::Result;
use momentum::map::{Endpoint, StabilityMap};
use momentum::mode::Regime;
use momentum::spectrum::Spectrum;
use momentum::stability::{clip, critical_curves, sign_change_curve, stability_edges};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// A point to mark on a map (e.g. an optimal tuning).
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Legend text.
    pub label: String,
    /// Step α.
    pub step: f64,
    /// Momentum β.
    pub momentum: f64,
}

/// How to draw a map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapFigure {
    /// Title (a default is made from the family and spectrum when `None`).
    pub title: Option<String>,
    /// Plot the step axis as h = αL instead of α.
    pub normalised: bool,
    /// Points to mark.
    pub marks: Vec<Mark>,
}

/// Critical-damping curve colour at λ = L (magenta: visible on viridis, grey and the white legend).
const CRITICAL_L: RGBColor = RGBColor(230, 0, 160);

/// Heatmap blocks per axis at most (PNG, SVG): more would be finer than the pixels, or a huge SVG.
const BLOCKS_PNG: usize = 700;
const BLOCKS_SVG: usize = 160;

/// The region a cell belongs to for labelling: the regime at the worst endpoint, or divergent.
fn class(map: &StabilityMap, i: usize, j: usize) -> (u8, Regime, Endpoint) {
    let c = map.cell(i, j);
    let (regime, end) = match c.worst {
        Endpoint::Lo => (c.regime_lo, Endpoint::Lo),
        Endpoint::Hi => (c.regime_hi, Endpoint::Hi),
    };
    let code = if !c.stable {
        0
    } else {
        1 + match regime {
            Regime::Underdamped => 0,
            Regime::CriticallyDamped => 1,
            Regime::Overdamped => 2,
            Regime::Alternating => 3,
        } + 4 * (end == Endpoint::Lo) as u8
    };
    (code, regime, end)
}

/// For each code present in `codes` (a `kx` × `ky` grid, row-major), ascending: the largest
/// distance of one of its cells to the nearest cell of another code or to the frame (one past
/// the edge cells), and the first cell (in grid order) with it. Each cell's distance is
/// min(frame, √s) with s the smallest squared distance to another code's cell, found row by row
/// outward from the nearest other-code column of each row; √ is monotone and the squares are
/// exact integers, so the same bits as the minimum of the square roots over every other cell
/// (`farthest_cells_by_pairs`).
fn farthest_cells(codes: &[u8], kx: usize, ky: usize) -> Vec<(f64, usize)> {
    let mut seen = codes.to_vec();
    seen.sort_unstable();
    seen.dedup();
    let mut out = vec![];
    // per row: the distance from each column to the nearest column of another code (None: none)
    let mut near = vec![usize::MAX; kx * ky];
    for &code in &seen {
        for b in 0..ky {
            let row = &codes[b * kx..(b + 1) * kx];
            let dist = &mut near[b * kx..(b + 1) * kx];
            let mut last = None;
            for a in 0..kx {
                if row[a] != code {
                    last = Some(a);
                }
                dist[a] = last.map_or(usize::MAX, |l| a - l);
            }
            let mut last = None;
            for a in (0..kx).rev() {
                if row[a] != code {
                    last = Some(a);
                }
                if let Some(l) = last {
                    dist[a] = dist[a].min(l - a);
                }
            }
        }
        let mut best = (-1.0f64, 0usize);
        for (k, &c) in codes.iter().enumerate() {
            if c != code {
                continue;
            }
            let (a, b) = (k % kx, k / kx);
            let (af, bf) = (a as f64, b as f64);
            let mut d = af
                .min(bf)
                .min(kx as f64 - 1.0 - af)
                .min(ky as f64 - 1.0 - bf)
                + 1.0;
            // the smallest squared distance, rows in order of |b − b2|
            let mut s = usize::MAX;
            for db in 0..ky {
                if db * db >= s {
                    break;
                }
                for b2 in [b.checked_sub(db), (db > 0).then_some(b + db)] {
                    let Some(b2) = b2.filter(|&b2| b2 < ky) else {
                        continue;
                    };
                    let dx = near[b2 * kx + a];
                    if dx != usize::MAX {
                        s = s.min(dx * dx + db * db);
                    }
                }
            }
            if s != usize::MAX {
                d = d.min((s as f64).sqrt());
            }
            if d > best.0 {
                best = (d, k);
            }
        }
        out.push(best);
    }
    out
}

/// For each region, the coarse cell farthest from any other region (where its label goes).
fn label_points(map: &StabilityMap, single: bool) -> Vec<(String, usize, usize)> {
    const K: usize = 64;
    let (n, m) = map.spec().shape();
    let (kx, ky) = (K.min(n), K.min(m));
    let at = |a: usize, b: usize| ((a * n + n / 2) / kx, (b * m + m / 2) / ky);
    let classes: Vec<(u8, Regime, Endpoint)> = (0..ky)
        .flat_map(|b| (0..kx).map(move |a| (a, b)))
        .map(|(a, b)| {
            let (i, j) = at(a, b);
            class(map, i, j)
        })
        .collect();
    let codes: Vec<u8> = classes.iter().map(|c| c.0).collect();
    let mut out = vec![];
    for best in farthest_cells(&codes, kx, ky) {
        // regions thinner than two coarse cells get no label: they are named by the legend
        if best.0 < 2.0 {
            continue;
        }
        let c = classes[best.1];
        let text = if c.0 == 0 {
            "divergent (ρ ≥ 1)".to_string()
        } else {
            let name = match c.1 {
                Regime::Underdamped => "underdamped",
                Regime::CriticallyDamped => "critically damped",
                Regime::Overdamped => "overdamped",
                Regime::Alternating => "alternating",
            };
            if single {
                name.to_string()
            } else {
                format!(
                    "{name} at {}",
                    if c.2 == Endpoint::Lo {
                        "λ = μ"
                    } else {
                        "λ = L"
                    }
                )
            }
        };
        let (i, j) = at(best.1 % kx, best.1 / kx);
        out.push((text, i, j));
    }
    out
}

/// Save the figure of a computed map to `path` (.png or .svg).
pub fn save(map: &StabilityMap, fig: &MapFigure, path: &Path) -> Result<()> {
    on_backend!(path, |root| draw(root, map, fig, path))
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    map: &StabilityMap,
    fig: &MapFigure,
    path: &Path,
) -> std::result::Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    let svg = super::format_of(path).map_err(|x| x.to_string())? == super::Format::Svg;
    root.fill(&WHITE).map_err(e)?;
    let spec = map.spec();
    let (mu, l) = map.bounds();
    let single = mu == l;
    let family = spec.family();
    let scale = if fig.normalised { l } else { 1.0 };
    let (b0, b1) = spec.momentum_range();
    let x1 = spec.step_max() * scale;
    // a logarithmic step axis is drawn on log10(step) (labels in steps); curves are sampled
    // densely enough to reach its left end
    let log_lo = spec.step_min();
    let xt = |a: f64| if log_lo.is_some() { a.log10() } else { a };
    let (xa0, xa1) = match log_lo {
        Some(lo) => ((lo * scale).log10(), x1.log10()),
        None => (0.0, x1),
    };
    let samples = if log_lo.is_some() { 20_000 } else { 800 };
    let step_lo = log_lo.unwrap_or(0.0);
    let title = fig.title.clone().unwrap_or_else(|| {
        if single {
            format!(
                "{}: spectral radius at one curvature λ = {l}",
                family.name()
            )
        } else {
            format!(
                "{}: worst-case spectral radius over λ ∈ [{mu}, {l}]",
                family.name()
            )
        }
    });
    let (main, bar) = root.split_horizontally(super::SIZE.0 - 150);
    let x_desc = match (fig.normalised, single) {
        (true, true) => "step × curvature  h = αλ",
        (true, false) => "normalised step  h = αL",
        (false, _) => "step size  α",
    };
    let mut chart = ChartBuilder::on(&main)
        .caption(&title, (FAMILY, 26))
        .margin(18)
        .x_label_area_size(60)
        .y_label_area_size(75)
        .build_cartesian_2d(xa0..xa1, b0..b1)
        .map_err(e)?;
    let log_label = |v: &f64| format!("{:.0e}", 10f64.powf(*v));
    let x_desc = if log_lo.is_some() {
        format!("{x_desc}  (log scale)")
    } else {
        x_desc.to_string()
    };
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

    // worst-case maps of ill-conditioned spectra live close to 1: the scale adapts (Scale)
    let colours = super::Scale::for_radii(map.radii().iter().copied());
    let shade = |r: f64| colours.colour(r);
    // heatmap: one block per (group of) cells, coloured by the cell at its centre
    let (n, m) = spec.shape();
    let cap = if svg { BLOCKS_SVG } else { BLOCKS_PNG };
    let (nx, ny) = (n.min(cap), m.min(cap));
    let mut blocks = Vec::with_capacity(nx * ny);
    for by in 0..ny {
        for bx in 0..nx {
            let i = (bx * n + n / 2) / nx;
            let j = (by * m + m / 2) / ny;
            let r = map.radii()[j * n + i];
            let colour = if r < 1.0 { shade(r) } else { DIVERGENT };
            let xa = xa0 + (xa1 - xa0) * bx as f64 / nx as f64;
            let xb = xa0 + (xa1 - xa0) * (bx + 1) as f64 / nx as f64;
            let ya = b0 + (b1 - b0) * by as f64 / ny as f64;
            let yb = b0 + (b1 - b0) * (by + 1) as f64 / ny as f64;
            blocks.push(Rectangle::new([(xa, ya), (xb, yb)], colour.filled()));
        }
    }
    chart.draw_series(blocks).map_err(e)?;

    // exact curves
    let spectrum = if single {
        Spectrum::eigenvalues(vec![l])
    } else {
        Spectrum::interval(mu, l)
    }
    .map_err(|x| x.to_string())?;
    let sx = |c: &Vec<(f64, f64)>| {
        c.iter()
            .filter(|&&(a, _)| log_lo.is_none() || a > 0.0)
            .map(|&(a, b)| (xt(a * scale), b))
            .collect::<Vec<_>>()
    };
    let inside = |cs: Vec<Vec<(f64, f64)>>| clip(&cs, (step_lo, spec.step_max()), (b0, b1));
    let mut first = true;
    for c in inside(stability_edges(family, &spectrum, (b0, b1), samples)) {
        let s = chart
            .draw_series(LineSeries::new(sx(&c), BLACK.stroke_width(3)))
            .map_err(e)?;
        if std::mem::take(&mut first) {
            s.label("stability edge ρ = 1 (Jury, exact)")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(3))
                });
        }
    }
    let ends: Vec<(f64, RGBColor, &str)> = if single {
        vec![(l, CRITICAL_L, "critical damping Δ = 0")]
    } else {
        vec![
            (mu, RGBColor(255, 140, 0), "critical damping at λ = μ"),
            (l, CRITICAL_L, "critical damping at λ = L"),
        ]
    };
    for (lam, colour, label) in ends {
        let mut first = true;
        for c in inside(critical_curves(
            family,
            lam,
            spec.step_max(),
            (b0, b1),
            samples,
        )) {
            let s = chart
                .draw_series(DashedLineSeries::new(sx(&c), 10, 6, colour.stroke_width(3)))
                .map_err(e)?;
            if std::mem::take(&mut first) {
                s.label(label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
            }
        }
        let mut first = true;
        for c in inside(sign_change_curve(family, lam, spec.step_max(), samples)) {
            let cyan = RGBColor(0, 200, 255);
            let s = chart
                .draw_series(DashedLineSeries::new(sx(&c), 3, 5, cyan.stroke_width(3)))
                .map_err(e)?;
            if std::mem::take(&mut first) && lam == l {
                s.label("dominant root changes sign (c₁ = 0)")
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 24, y)], cyan.stroke_width(3))
                    });
            }
        }
    }

    // marked points
    let palette = [
        RGBColor(230, 25, 75),
        RGBColor(245, 130, 48),
        RGBColor(240, 50, 230),
    ];
    for (k, mark) in fig.marks.iter().enumerate() {
        let c = palette[k % palette.len()];
        chart
            .draw_series(std::iter::once(Circle::new(
                (xt(mark.step * scale), mark.momentum),
                9,
                c.filled().stroke_width(2),
            )))
            .map_err(e)?
            .label(mark.label.clone())
            .legend(move |(x, y)| Circle::new((x + 12, y), 7, c.filled()));
        chart
            .draw_series(std::iter::once(Circle::new(
                (xt(mark.step * scale), mark.momentum),
                9,
                BLACK.stroke_width(2),
            )))
            .map_err(e)?;
    }

    // region labels
    let font = (FAMILY, 19)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Center));
    for (text, i, j) in label_points(map, single) {
        let (x, y) = (xt(spec.step(i) * scale), spec.momentum(j));
        let w = 10 * text.chars().count() as i32 / 2 + 8;
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x, y))
                    + Rectangle::new([(-w, -13), (w, 13)], WHITE.mix(0.75).filled())
                    + Text::new(text, (0, 0), font.clone()),
            ))
            .map_err(e)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FAMILY, 16))
        .draw()
        .map_err(e)?;

    colour_bar(&bar, &colours).map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}

/// The viridis scale of ρ on `area` (`scale`: linear in ρ or in log₁₀(1 − ρ)), captioned (the
/// quantity's name, size): the part every map figure's colour bar shares (the swatches below it
/// differ).
pub(crate) fn viridis_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: (&str, u32),
    scale: &super::Scale,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut c = ChartBuilder::on(area)
        .margin_top(70)
        .margin_bottom(10)
        .margin_right(10)
        .y_label_area_size(62)
        .caption(scale.caption(caption.0), (FAMILY, caption.1))
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    let label = |t: &f64| scale.label(*t);
    c.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(6)
        .y_label_formatter(&label)
        .label_style((FAMILY, 17))
        .draw()?;
    c.draw_series((0..200).map(|k| {
        let (a, b) = (k as f64 / 200.0, (k + 1) as f64 / 200.0);
        Rectangle::new([(0.0, a), (1.0, b)], super::radius_colour(a).filled())
    }))?;
    Ok(())
}

/// A vertical viridis bar for the stable ρ (`scale`) with a grey swatch for ρ ≥ 1.
pub(crate) fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &super::Scale,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (top, bottom) = area.split_vertically(super::SIZE.1 - 170);
    viridis_bar(&top, ("ρ", 24), scale)?;
    bottom.draw(&Rectangle::new([(60, 10), (100, 40)], DIVERGENT.filled()))?;
    bottom.draw(&Rectangle::new(
        [(60, 10), (100, 40)],
        BLACK.stroke_width(1),
    ))?;
    bottom.draw(&Text::new("ρ ≥ 1", (40, 50), (FAMILY, 18)))?;
    bottom.draw(&Text::new("divergent", (30, 72), (FAMILY, 18)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::farthest_cells;

    /// The former route: every cell against every cell of another code.
    fn farthest_cells_by_pairs(codes: &[u8], kx: usize, ky: usize) -> Vec<(f64, usize)> {
        let mut seen = codes.to_vec();
        seen.sort_unstable();
        seen.dedup();
        let mut out = vec![];
        for code in seen {
            let mut best = (-1.0f64, 0usize);
            for (k, &c) in codes.iter().enumerate() {
                if c != code {
                    continue;
                }
                let (a, b) = ((k % kx) as f64, (k / kx) as f64);
                let mut d = a.min(b).min(kx as f64 - 1.0 - a).min(ky as f64 - 1.0 - b) + 1.0;
                for (k2, &c2) in codes.iter().enumerate() {
                    if c2 != code {
                        let (a2, b2) = ((k2 % kx) as f64, (k2 / kx) as f64);
                        d = d.min(((a - a2).powi(2) + (b - b2).powi(2)).sqrt());
                    }
                }
                if d > best.0 {
                    best = (d, k);
                }
            }
            out.push(best);
        }
        out
    }

    #[test]
    fn farthest_cells_are_the_pairwise_search() {
        // random blobs (a few seeds, each cell the code of its nearest seed, some noise), single
        // codes, stripes and thin grids
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |m: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % m
        };
        let mut cases = 0;
        for (kx, ky) in [(64, 64), (64, 40), (1, 64), (64, 1), (3, 5), (17, 64)] {
            for trial in 0..12 {
                let seeds: Vec<(usize, usize, u8)> = (0..1 + trial % 6)
                    .map(|_| (next(kx), next(ky), next(9) as u8))
                    .collect();
                let codes: Vec<u8> = (0..kx * ky)
                    .map(|k| {
                        let (a, b) = (k % kx, k / kx);
                        if trial % 3 == 2 && next(50) == 0 {
                            return next(9) as u8;
                        }
                        if trial == 7 {
                            return (a / 5 % 2) as u8;
                        }
                        seeds
                            .iter()
                            .min_by_key(|s| (s.0.abs_diff(a)).pow(2) + (s.1.abs_diff(b)).pow(2))
                            .unwrap()
                            .2
                    })
                    .collect();
                let fast = farthest_cells(&codes, kx, ky);
                let slow = farthest_cells_by_pairs(&codes, kx, ky);
                assert_eq!(fast.len(), slow.len());
                for (f, s) in fast.iter().zip(&slow) {
                    assert_eq!(
                        (f.0.to_bits(), f.1),
                        (s.0.to_bits(), s.1),
                        "{kx}×{ky} {trial}"
                    );
                }
                cases += 1;
            }
        }
        assert_eq!(cases, 72);
    }
}
