//! The heavy-ball cycle of Lessard, Recht & Packard (2016, §4.6) (`momentum::cycle`): top, the
//! function's graph with Polyak-tuned heavy ball's iterates from x₋₁ = x₀ = 3.3 falling onto the
//! attracting 3-cycle, the saddle 3-cycle, and Nesterov from the same start; bottom, the fate of
//! each start along x₋₁ = x₀ for heavy ball, Nesterov and triple momentum.

use super::{FAMILY, on_backend};
use momentum::cycle::{self, Cycle, Fate};
use momentum::error::Result;
use momentum::{Spectrum, tune};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Start of the drawn runs (Lessard et al.'s).
const START: f64 = 3.3;
/// Iterates drawn on the graph.
const DRAWN: usize = 45;
/// Starts scanned on [−SPAN, SPAN] and steps per start.
const SPAN: f64 = 20.0;
const STARTS: usize = 1601;
const STEPS: usize = 3000;

struct Data {
    cycles: Vec<Cycle>,
    hb: Vec<f64>,
    nag: Vec<f64>,
    scans: Vec<(String, Vec<(f64, Fate)>)>,
}

fn compute() -> Result<Data> {
    let s = Spectrum::interval(cycle::MU, cycle::L)?;
    let hb = tune::heavy_ball(&s)?;
    let nag = tune::nesterov(&s)?;
    let tmm = tune::triple_momentum(&s)?;
    let cycles = cycle::polyak_cycles()?;
    let mut scans = vec![];
    for (name, t) in [
        ("heavy ball (Polyak)", &hb),
        ("Nesterov", &nag),
        ("triple momentum", &tmm),
    ] {
        let scan = cycle::basin(&t.method, &cycles, (-SPAN, SPAN), STARTS, STEPS)?;
        scans.push((name.to_string(), scan));
    }
    Ok(Data {
        hb: cycle::trajectory(&hb.method, START, DRAWN)?,
        nag: cycle::trajectory(&nag.method, START, DRAWN)?,
        cycles,
        scans,
    })
}

/// Save the cycle figure to `path` (.png or .svg).
pub fn save(path: &Path) -> Result<()> {
    let data = compute()?;
    on_backend!(path, |root: DrawingArea<_, Shift>| draw(root, &data))
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    d: &Data,
) -> std::result::Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let (top, bottom) = root.split_vertically(600);
    let (x_lo, x_hi) = (-3.6, 3.6);
    let mut chart = ChartBuilder::on(&top)
        .caption(
            "Polyak-tuned heavy ball (α = 1/9, β = 4/9) on Lessard et al.'s function (μ = 1, L = 25): a 3-cycle",
            (FAMILY, 24),
        )
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x_lo..x_hi, -5.0..175.0)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("x")
        .y_desc("f(x)")
        .label_style((FAMILY, 17))
        .axis_desc_style((FAMILY, 20))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(e)?;
    let n = 800;
    let graph: Vec<(f64, f64)> = (0..=n)
        .map(|i| x_lo + (x_hi - x_lo) * i as f64 / n as f64)
        .map(|x| (x, cycle::value(x)))
        .collect();
    chart
        .draw_series(LineSeries::new(graph, BLACK.stroke_width(2)))
        .map_err(e)?
        .label("f: 25x²/2 (x < 1), x²/2 + 24x − 12 (1 ≤ x < 2), 25x²/2 − 24x + 36 (x ≥ 2)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(2)));
    for b in [1.0, 2.0] {
        chart
            .draw_series(DashedLineSeries::new(
                vec![(b, -5.0), (b, 175.0)],
                6,
                5,
                RGBColor(150, 150, 150).stroke_width(1),
            ))
            .map_err(e)?;
    }
    let on_graph =
        |xs: &[f64]| -> Vec<(f64, f64)> { xs.iter().map(|&x| (x, cycle::value(x))).collect() };
    let nag_c = RGBColor(44, 160, 44);
    let nag_pts = on_graph(&d.nag);
    chart
        .draw_series(LineSeries::new(
            nag_pts.clone(),
            nag_c.mix(0.5).stroke_width(1),
        ))
        .map_err(e)?;
    chart
        .draw_series(
            nag_pts
                .iter()
                .map(|&p| TriangleMarker::new(p, 6, nag_c.filled())),
        )
        .map_err(e)?
        .label(format!(
            "Nesterov (α = 1/25, β = 2/3) from x₋₁ = x₀ = {START}: converges"
        ))
        .legend(move |(x, y)| TriangleMarker::new((x + 12, y), 6, nag_c.filled()));
    let hb_c = RGBColor(31, 119, 180);
    let hb_pts = on_graph(&d.hb);
    chart
        .draw_series(LineSeries::new(
            hb_pts.clone(),
            hb_c.mix(0.5).stroke_width(1),
        ))
        .map_err(e)?;
    chart
        .draw_series(hb_pts.iter().map(|&p| Circle::new(p, 4, hb_c.filled())))
        .map_err(e)?
        .label(format!(
            "heavy ball from x₋₁ = x₀ = {START}: {DRAWN} iterates"
        ))
        .legend(move |(x, y)| Circle::new((x + 12, y), 4, hb_c.filled()));
    for c in &d.cycles {
        let p = c.points_f64();
        let txt = c
            .points
            .iter()
            .map(|q| q.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let (colour, label, size) = if c.is_attracting() {
            (
                RGBColor(214, 39, 40),
                format!("attracting 3-cycle ({txt}), multipliers −8/27 (double)"),
                11,
            )
        } else {
            (
                RGBColor(255, 127, 14),
                format!("saddle 3-cycle ({txt}), multipliers (40 ± 16√6)/27"),
                9,
            )
        };
        let pts = on_graph(&p);
        chart
            .draw_series(
                pts.iter()
                    .map(|&q| Circle::new(q, size, colour.stroke_width(3))),
            )
            .map_err(e)?
            .label(label)
            .legend(move |(x, y)| Circle::new((x + 12, y), 7, colour.stroke_width(3)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperMiddle)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FAMILY, 16))
        .draw()
        .map_err(e)?;

    // bottom: fate of each start along x₋₁ = x₀
    let rows = d.scans.len();
    let mut basin = ChartBuilder::on(&bottom)
        .caption(
            format!(
                "Fate after {STEPS} steps from x₋₁ = x₀ (each method tuned for [1, 25]): red = onto the attracting cycle, green = converges to x* = 0"
            ),
            (FAMILY, 19),
        )
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(170)
        .build_cartesian_2d(-SPAN..SPAN, 0.0..rows as f64)
        .map_err(e)?;
    let names: Vec<String> = d.scans.iter().map(|(n, _)| n.clone()).collect();
    basin
        .configure_mesh()
        .x_desc("start x₀ (= x₋₁)")
        .y_labels(rows * 2 + 1)
        .y_label_formatter(&|y: &f64| {
            let k = (y - 0.5).round();
            if (y - 0.5 - k).abs() < 1e-9 && k >= 0.0 && (k as usize) < names.len() {
                names[rows - 1 - k as usize].clone()
            } else {
                String::new()
            }
        })
        .label_style((FAMILY, 17))
        .axis_desc_style((FAMILY, 20))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(e)?;
    let h = 2.0 * SPAN / (STARTS - 1) as f64;
    for (row, (_, scan)) in d.scans.iter().enumerate() {
        let y0 = (rows - 1 - row) as f64 + 0.1;
        basin
            .draw_series(scan.iter().map(|&(x, f)| {
                let c = match f {
                    Fate::Converges => RGBColor(120, 200, 120),
                    Fate::Cycle(_) => RGBColor(214, 39, 40),
                    Fate::Diverges => BLACK,
                    Fate::Undecided => RGBColor(160, 160, 160),
                };
                Rectangle::new([(x - h / 2.0, y0), (x + h / 2.0, y0 + 0.8)], c.filled())
            }))
            .map_err(e)?;
    }
    root.present().map_err(e)?;
    Ok(())
}
