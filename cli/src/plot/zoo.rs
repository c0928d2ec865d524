//! Figures of the order-n optimizers (`momentum::zoo`): AdEMAMix in its (lr·s, β₃) plane,
//! Lookahead in its (lr·λ, slow step) plane, each with the exact edges of the stable steps drawn
//! over the cells as the independent check (cells: the per-step rate at one curvature; edges:
//! the crossing search or the monodromy scan with bisection), and schedule-free SGD's transient
//! peak against lr·λ from its exact time-varying update.

use super::{DIVERGENT, FAMILY, Scale, on_backend};
use momentum::Framework;
use momentum::error::Result;
use momentum::zoo::{ZooMethod, ZooParams};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

const CELLS: (usize, usize) = (220, 120);

type Made = std::result::Result<ZooMethod, String>;

fn zoo(f: Framework, p: ZooParams) -> std::result::Result<ZooMethod, String> {
    ZooMethod::new(f, &p).map_err(|e| e.to_string())
}

/// One panel of a plane: x = lr·λ ∈ (0, x1], y from `ys` (with its label), the rate of the method
/// `at(y)` at h = x, and its stable intervals of h as the edge.
struct Plane<'a> {
    title: String,
    x1: f64,
    ys: (f64, f64),
    y_label: &'a str,
    x_label: &'a str,
    /// The method at the row's y (lr = 1: h = x).
    at: &'a dyn Fn(f64) -> Made,
    /// A reference line x = value, with its legend.
    reference: Option<(f64, &'a str)>,
}

fn draw_planes<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    planes: &[Plane],
) -> std::result::Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let (head, body) = root.split_vertically(50);
    head.draw(&Text::new(title.to_string(), (30, 12), (FAMILY, 26)))
        .map_err(e)?;
    let (main, bar) = body.split_horizontally(super::SIZE.0 - 150);
    let panels = main.split_evenly((1, planes.len()));
    // the rates first, so that one colour scale serves every panel
    let mut all = vec![];
    for p in planes {
        let (n, m) = CELLS;
        let mut radii = vec![f64::INFINITY; n * m];
        for j in 0..m {
            let y = p.ys.0 + (p.ys.1 - p.ys.0) * (j as f64 + 0.5) / m as f64;
            let method = (p.at)(y)?;
            for i in 0..n {
                let h = p.x1 * (i as f64 + 0.5) / n as f64;
                let md = method
                    .at_lr(h)
                    .and_then(|q| q.mode(1.0))
                    .map_err(|x| x.to_string())?;
                radii[j * n + i] = if md.stable {
                    md.spectral_radius
                } else {
                    f64::INFINITY
                };
            }
        }
        all.push(radii);
    }
    let scale = Scale::for_radii(all.iter().flatten().copied());
    for ((p, radii), panel) in planes.iter().zip(&all).zip(&panels) {
        let (n, m) = CELLS;
        let (y0, y1) = p.ys;
        let mut chart = ChartBuilder::on(panel)
            .caption(&p.title, (FAMILY, 21))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..p.x1, y0..y1)
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(p.x_label)
            .y_desc(p.y_label)
            .label_style((FAMILY, 15))
            .axis_desc_style((FAMILY, 17))
            .draw()
            .map_err(e)?;
        let mut blocks = Vec::with_capacity(n * m);
        for j in 0..m {
            for i in 0..n {
                let r = radii[j * n + i];
                let colour = if r < 1.0 { scale.colour(r) } else { DIVERGENT };
                let (xa, xb) = (p.x1 * i as f64 / n as f64, p.x1 * (i + 1) as f64 / n as f64);
                let ya = y0 + (y1 - y0) * j as f64 / m as f64;
                let yb = y0 + (y1 - y0) * (j + 1) as f64 / m as f64;
                blocks.push(Rectangle::new([(xa, ya), (xb, yb)], colour.filled()));
            }
        }
        chart.draw_series(blocks).map_err(e)?;
        // the exact ends of the stable intervals, row by row
        let mut ends = vec![];
        for k in 0..=300 {
            let y = y0 + (y1 - y0) * k as f64 / 300.0;
            for (lo, hi) in (p.at)(y)?.stable_steps().map_err(|x| x.to_string())? {
                for x in [lo, hi] {
                    if x > 0.0 && x < p.x1 {
                        ends.push((x, y));
                    }
                }
            }
        }
        chart
            .draw_series(
                ends.iter()
                    .map(|&(x, y)| Circle::new((x, y), 2, BLACK.filled())),
            )
            .map_err(e)?
            .label("ends of the stable intervals (exact)")
            .legend(|(x, y)| Circle::new((x + 10, y), 3, BLACK.filled()));
        if let Some((x, label)) = p.reference {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, y0), (x, y1)],
                    6,
                    4,
                    RED.stroke_width(2),
                ))
                .map_err(e)?
                .label(label)
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
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

/// AdEMAMix (β₁ = 0.9) in the (lr·s, −log₁₀(1 − β₃)) plane at α = 5 and α = 8.
pub fn ademamix_plane(path: &Path) -> Result<()> {
    on_backend!(path, ademamix_draw)
}

fn ademamix_at(alpha: f64) -> impl Fn(f64) -> Made {
    move |y: f64| {
        zoo(
            Framework::Ademamix,
            ZooParams {
                lr: 1.0,
                b3: Some(1.0 - 10f64.powf(-y)),
                alpha: Some(alpha),
                ..Default::default()
            },
        )
    }
}

fn ademamix_draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
) -> std::result::Result<(), String> {
    let (at5, at8) = (ademamix_at(5.0), ademamix_at(8.0));
    let planes: Vec<Plane> = [("α = 5", &at5 as &dyn Fn(f64) -> Made), ("α = 8", &at8)]
        .into_iter()
        .map(|(title, at)| Plane {
            title: title.to_string(),
            x1: 45.0,
            ys: (1.0, 4.0),
            y_label: "slow EMA: −log₁₀(1 − β₃)   (4 = 0.9999)",
            x_label: "lr·s  (s: preconditioned curvature)",
            at,
            reference: Some((38.0, "Adam's edge lr·s = 38")),
        })
        .collect();
    draw_planes(
        root,
        "AdEMAMix (β₁ = 0.9, frozen second moment): rate per step at one curvature",
        &planes,
    )
}

/// Lookahead (k = 5) over optax.sgd without and with momentum 0.9 in the (lr·λ, slow step) plane.
pub fn lookahead_plane(path: &Path) -> Result<()> {
    on_backend!(path, |root| {
        let sgd = |a: f64| {
            zoo(
                Framework::Lookahead,
                ZooParams {
                    lr: 1.0,
                    sync_period: Some(5),
                    slow_step: Some(a),
                    ..Default::default()
                },
            )
        };
        let hb = |a: f64| {
            zoo(
                Framework::Lookahead,
                ZooParams {
                    lr: 1.0,
                    momentum: Some(0.9),
                    sync_period: Some(5),
                    slow_step: Some(a),
                    ..Default::default()
                },
            )
        };
        draw_planes(
            root,
            "Lookahead (k = 5) over optax.sgd: rate per inner step at one curvature",
            &[
                Plane {
                    title: "inner SGD".into(),
                    x1: 4.0,
                    ys: (0.02, 1.0),
                    y_label: "slow step a",
                    x_label: "lr·λ",
                    at: &sgd,
                    reference: Some((2.0, "SGD's edge lr·λ = 2")),
                },
                Plane {
                    title: "inner momentum 0.9 (buffer kept at a sync)".into(),
                    x1: 4.0,
                    ys: (0.02, 1.0),
                    y_label: "slow step a",
                    x_label: "lr·λ",
                    at: &hb,
                    reference: Some((3.8, "momentum's edge lr·λ = 2(1 + β) = 3.8")),
                },
            ],
        )
    })
}

/// Schedule-free SGD: the largest |·/x₀| of the average x, optax's parameters y and the base
/// sequence z over 5000 exact steps, against lr·λ, for b₁ = 0.9 and 0.95.
pub fn schedule_free_transient(path: &Path) -> Result<()> {
    on_backend!(path, |root: DrawingArea<_, Shift>| {
        let e = |x: DrawingAreaErrorKind<_>| format!("{x:?}");
        root.fill(&WHITE).map_err(e)?;
        let mut series = vec![];
        for (beta, dash) in [(0.9, false), (0.95, true)] {
            let edge = 2.0 / (1.0 - beta);
            let (mut px, mut py, mut pz) = (vec![], vec![], vec![]);
            for k in 1..400 {
                let h = 40.0 * k as f64 / 400.0;
                if h >= edge {
                    break;
                }
                let m = zoo(
                    Framework::ScheduleFree,
                    ZooParams {
                        lr: h,
                        momentum: Some(beta),
                        ..Default::default()
                    },
                )?;
                let mut s = m.initial();
                let (mut bx, mut by, mut bz) = (1.0f64, 1.0f64, 1.0f64);
                for t in 1..=5000u64 {
                    s = m.transition(Some(t), 1.0) * s;
                    let (z, x) = (s[0], s[1]);
                    bx = bx.max(x.abs());
                    by = by.max(((1.0 - beta) * z + beta * x).abs());
                    bz = bz.max(z.abs());
                }
                px.push((h, bx));
                py.push((h, by));
                pz.push((h, bz));
            }
            series.push((beta, dash, edge, px, py, pz));
        }
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "schedule-free SGD (optax): the transient before convergence, exact update, 5000 steps",
                (FAMILY, 24),
            )
            .margin(20)
            .x_label_area_size(55)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..40.0f64, (1.0..1e30f64).log_scale())
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_desc("lr·λ")
            .y_desc("peak |·/x₀| over the run")
            .y_label_formatter(&|v| format!("{v:.0e}"))
            .label_style((FAMILY, 16))
            .axis_desc_style((FAMILY, 18))
            .draw()
            .map_err(e)?;
        let colours = [BLUE, RGBColor(230, 120, 0), RGBColor(0, 150, 60)];
        for (beta, dash, edge, px, py, pz) in series {
            for (pts, name, c) in [
                (px, "x (schedule_free_eval_params)", colours[0]),
                (py, "y (the params optax holds)", colours[1]),
                (pz, "z (the base sequence)", colours[2]),
            ] {
                let label = format!("b₁ = {beta}: {name}");
                let style = c.stroke_width(if dash { 2 } else { 3 });
                if dash {
                    chart
                        .draw_series(DashedLineSeries::new(pts, 8, 5, style))
                        .map_err(e)?
                        .label(label)
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2))
                        });
                } else {
                    chart
                        .draw_series(LineSeries::new(pts, style))
                        .map_err(e)?
                        .label(label)
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3))
                        });
                }
            }
            chart
                .draw_series(LineSeries::new(
                    vec![(edge, 1.0), (edge, 1e30)],
                    BLACK.stroke_width(1),
                ))
                .map_err(e)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("edge 2/(1 − b₁) = {edge:.0}"),
                    (edge - 7.0, 3e28),
                    (FAMILY, 16),
                )))
                .map_err(e)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FAMILY, 15))
            .draw()
            .map_err(e)?;
        root.present().map_err(e)?;
        Ok(())
    })
}
