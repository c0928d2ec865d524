//! Line figures: the tuned methods' rate against momentum and against κ, and error against
//! iteration with the predicted envelopes. One small engine, [`LinePlot`], draws them all:
//! series of lines, dashed lines or markers on linear or logarithmic axes.
//!
//! Logarithmic axes are drawn by plotting log₁₀ of the data on a linear axis and labelling the
//! ticks at whole powers of ten, so one code path serves all four axis combinations.

use super::{FAMILY, on_backend};
use momentum::Spectrum;
use momentum::error::{Error, Result};
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

/// The colours of the tuned methods, in [`momentum::tune::all`] order (tab10).
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

/// Colours of κ = 10, 100, 1000 in the sweep figure.
const KAPPA_COLOURS: [RGBColor; 3] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
];

/// Run length that takes a rate to e^{−300}.
fn steps_for(rate: f64) -> usize {
    ((300.0 / -rate.ln()) as usize).clamp(400, 40_000)
}

/// Rate against momentum for heavy ball at Polyak's step α*, κ ∈ {10, 100, 1000}: the
/// worst-case spectral radius (lines) and the rate read off simulations on 64 eigenvalues
/// spanning [μ, L] (markers), with β* marked.
pub fn polyak_sweep(path: &Path) -> Result<()> {
    use super::sweep::{SweepStep, heavy_ball_sweep};
    let mut series = vec![];
    let mut vlines = vec![];
    for (i, kappa) in [10.0f64, 100.0, 1000.0].into_iter().enumerate() {
        let (mu, l) = (1.0 / kappa, 1.0);
        let t = momentum::tune::heavy_ball(&Spectrum::interval(mu, l)?)?;
        let a = t.method.step();
        let spectrum = momentum::spectrum::Spectrum::interval(mu, l)?;
        let theory: Vec<(f64, f64)> = (0..=400)
            .map(|j| j as f64 / 400.0 * 0.999)
            .filter_map(|b| {
                let m = momentum::Method::heavy_ball(a, b).ok()?;
                let r = spectrum.worst_case(&m.recurrence()).ok()?.spectral_radius();
                // unstable momenta (ρ > 1.05) are off the chart
                (r <= 1.05).then_some((b, r))
            })
            .collect();
        let b_star = t.method.momentum();
        let betas: Vec<f64> = (-6..=6)
            .map(|k| b_star + 0.04 * k as f64)
            .filter(|b| (0.0..0.99).contains(b))
            .collect();
        let sim = heavy_ball_sweep(mu, l, SweepStep::Held(a), &betas, 64, steps_for(t.rate))?;
        let c = KAPPA_COLOURS[i];
        series.push(Series {
            label: format!("κ = {kappa}: spectral radius at α* = {:.4}", a),
            points: theory,
            colour: c,
            style: Style::Line,
        });
        series.push(Series {
            label: format!("κ = {kappa}: simulated (64 eigenvalues)"),
            points: sim
                .iter()
                .filter(|p| p.simulated_rate < 1.05)
                .map(|p| (p.momentum, p.simulated_rate))
                .collect(),
            colour: c,
            style: Style::Markers,
        });
        vlines.push(VLine {
            x: b_star,
            label: format!(" β* = {b_star:.3}"),
            colour: c,
        });
    }
    LinePlot {
        title: "Polyak's momentum β* = ((√κ−1)/(√κ+1))² is the simulated optimum (step held at α*)"
            .into(),
        x_label: "momentum  β".into(),
        y_label: "worst-case rate  max ρ(λ) over [μ, L]".into(),
        x_log: false,
        y_log: false,
        x_range: (0.0, 1.0),
        y_range: (0.3, 1.05),
        series,
        vlines,
        legend_upper: false,
    }
    .save(path)
}

/// Iterations per decade against κ for every tuned method, the Chebyshev lower bound, the
/// numeric minimax search (markers) and simulated heavy ball (markers); log–log.
pub fn rates_vs_kappa(path: &Path) -> Result<()> {
    use momentum::Family;
    let kappas: Vec<f64> = (0..=120)
        .map(|i| 10f64.powf(0.3 + i as f64 * 5.7 / 120.0))
        .collect();
    let ipd = |r: f64| momentum::mode::iterations_per_decade(r).unwrap_or(f64::NAN);
    let mut series = vec![];
    let names = [
        "gradient descent",
        "heavy ball (Polyak)",
        "Nesterov, standard",
        "Nesterov, quadratic-optimal",
        "triple momentum (same rate as Nesterov standard)",
    ];
    for (i, name) in names.iter().enumerate() {
        let pts = kappas
            .iter()
            .map(|&k| {
                Ok((
                    k,
                    ipd(momentum::tune::all(&Spectrum::interval(1.0 / k, 1.0)?)?[i].rate),
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        series.push(Series {
            label: (*name).into(),
            points: pts,
            colour: METHOD_COLOURS[i],
            style: Style::Line,
        });
    }
    series.push(Series {
        label: "Chebyshev lower bound (any gradient-span method)".into(),
        points: kappas
            .iter()
            .map(|&k| {
                let s = k.sqrt();
                (k, ipd((s - 1.0) / (s + 1.0)))
            })
            .collect(),
        colour: RGBColor(0, 0, 0),
        style: Style::Dotted,
    });
    let checks = [2.0, 10.0, 100.0, 1e4, 1e6];
    for (fam, i, label) in [
        (
            Family::GradientDescent,
            0,
            "numeric minimax search: gradient descent",
        ),
        (Family::HeavyBall, 1, "numeric minimax search: heavy ball"),
        (Family::Nesterov, 3, "numeric minimax search: Nesterov"),
    ] {
        let pts = checks
            .iter()
            .map(|&k| {
                Ok((
                    k,
                    ipd(
                        momentum::tune::search::tune(fam, &Spectrum::interval(1.0 / k, 1.0)?)?.rate,
                    ),
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        series.push(Series {
            label: label.into(),
            points: pts,
            colour: METHOD_COLOURS[i],
            style: Style::Markers,
        });
    }
    let mut sim = vec![];
    for k in [10.0f64, 100.0, 1000.0] {
        let t = momentum::tune::heavy_ball(&Spectrum::interval(1.0 / k, 1.0)?)?;
        let p = super::sweep::heavy_ball_sweep(
            1.0 / k,
            1.0,
            super::sweep::SweepStep::Held(t.method.step()),
            &[t.method.momentum()],
            64,
            steps_for(t.rate),
        )?;
        sim.push((k, ipd(p[0].simulated_rate)));
    }
    series.push(Series {
        label: "simulated heavy ball at (α*, β*)".into(),
        points: sim,
        colour: RGBColor(148, 103, 189),
        style: Style::Markers,
    });
    LinePlot {
        title: "Tuned methods: iterations per tenfold error reduction against κ = L/μ".into(),
        x_label: "condition number  κ = L/μ".into(),
        y_label: "iterations per decade  ln 10 / (−ln ρ)".into(),
        x_log: true,
        y_log: true,
        x_range: (1.0, 1e6),
        y_range: (1.0, 1e7),
        series,
        vlines: vec![],
        legend_upper: false,
    }
    .save(path)
}

/// Error against iteration at κ = 1000 for the five tunings, simulated on 200 eigenvalues
/// spanning [μ, L] from a seeded Gaussian start, with each method's exact worst case
/// max_λ |P_k(λ)| (dashed) and the Chebyshev lower bound (dotted).
pub fn error_vs_iteration(path: &Path) -> Result<()> {
    use momentum::simulate::{Options, Quadratic, Start, run};
    let (mu, l, n) = (1e-3, 1.0, 600usize);
    let q = Quadratic::interval(mu, l, 200)?;
    let opts = Options {
        start: Start::Gaussian,
        seed: 2,
        record_excess: false,
        ..Options::steps(n)
    };
    let names = ["GD", "HB", "NAG", "NAG-quad", "TMM"];
    let mut series = vec![];
    for (i, t) in momentum::tune::all(&Spectrum::interval(mu, l)?)?
        .iter()
        .enumerate()
    {
        let rec = t.method.recurrence();
        let tr = run(&rec, &q, &opts)?;
        series.push(Series {
            label: format!("{}: simulated", names[i]),
            points: tr
                .error
                .iter()
                .enumerate()
                .map(|(k, &e)| (k as f64, e))
                .collect(),
            colour: METHOD_COLOURS[i],
            style: Style::Line,
        });
        let mut env = vec![(0.0, 1.0)];
        for k in (5..=n).step_by(5) {
            let w = momentum::bounds::finite_horizon_pruned(
                &rec,
                &Spectrum::interval(mu, l)?,
                k as u64,
            )?;
            env.push((k as f64, w.worst_factor));
        }
        series.push(Series {
            label: format!("{}: exact worst case max |P_k(λ)|", names[i]),
            points: env,
            colour: METHOD_COLOURS[i],
            style: Style::Dashed,
        });
    }
    series.push(Series {
        label: "Chebyshev lower bound 2/(σ^k + σ^−k)".into(),
        points: (0..=n as u64)
            .map(|k| Ok((k as f64, momentum::tune::chebyshev_lower_bound(1000.0, k)?)))
            .collect::<Result<Vec<_>>>()?,
        colour: RGBColor(0, 0, 0),
        style: Style::Dotted,
    });
    LinePlot {
        title: "κ = 1000: simulated error of the tuned methods and their exact envelopes".into(),
        x_label: "iteration  k".into(),
        y_label: "error  ‖x_k − x*‖ / ‖x_0 − x*‖".into(),
        x_log: false,
        y_log: true,
        // room on the right for the legend
        x_range: (0.0, 1.45 * n as f64),
        y_range: (1e-16, 10.0),
        series,
        vlines: vec![],
        legend_upper: false,
    }
    .save(path)
}
