//! Rate against noise floor (issue 13): for gradient descent, heavy ball and Nesterov at κ = 100,
//! the fastest worst-case rate reachable with a stationary floor at most F, from a grid over
//! (α, β) — the trade-off the noise floor forces (module `momentum::noise`).

use super::tuned::{LinePlot, METHOD_COLOURS, Series, Style, VLine};
use momentum::error::Result;
use momentum::noise::{NoiseInput, floor};
use momentum::{Family, Spectrum};
use std::path::Path;

/// (F, 1 − ρ) points of the lower envelope: the best rate gap reachable with floor ≤ F.
pub fn envelope(
    family: Family,
    spectrum: &Spectrum,
    steps: usize,
    momenta: usize,
) -> Vec<(f64, f64)> {
    let l = spectrum.bounds().1;
    let mut pts = vec![];
    let betas: Vec<f64> = if family == Family::GradientDescent {
        vec![0.0]
    } else {
        (0..momenta)
            .map(|j| 1.0 - 10f64.powf(-3.0 + 3.0 * j as f64 / (momenta - 1) as f64))
            .collect()
    };
    for i in 0..steps {
        let a = 10f64.powf(-5.0 + 5.6 * i as f64 / (steps - 1) as f64) / l;
        for &b in &betas {
            let Ok(m) = family.method(a, b) else { continue };
            let rec = m.recurrence();
            let Ok(w) = spectrum.worst_case(&rec) else {
                continue;
            };
            if !w.is_stable() {
                continue;
            }
            if let Ok(f) = floor(&rec, NoiseInput::single_gradient(&rec), spectrum) {
                pts.push((f.mean_per_direction, 1.0 - w.spectral_radius()));
            }
        }
    }
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    // running maximum of the rate gap as the allowed floor grows
    let mut out: Vec<(f64, f64)> = vec![];
    let mut best = 0.0_f64;
    for (f, g) in pts {
        if g > best {
            best = g;
            out.push((f, g));
        }
    }
    out
}

/// Draw the figure.
pub fn rate_vs_floor(path: &Path) -> Result<()> {
    let s = Spectrum::interval(0.01, 1.0)?;
    let fams = [
        (
            Family::GradientDescent,
            "gradient descent",
            METHOD_COLOURS[0],
        ),
        (Family::HeavyBall, "heavy ball", METHOD_COLOURS[1]),
        (Family::Nesterov, "Nesterov", METHOD_COLOURS[2]),
    ];
    let series: Vec<Series> = fams
        .iter()
        .map(|&(f, label, colour)| Series {
            label: label.into(),
            points: envelope(f, &s, 240, 160)
                .into_iter()
                .filter(|&(x, y)| x >= 1e-3 && y >= 1e-5)
                .collect(),
            colour,
            style: Style::Line,
        })
        .collect();
    let polyak = momentum::tune::heavy_ball(&s)?;
    let rec = polyak.method.recurrence();
    let pf = floor(&rec, NoiseInput::single_gradient(&rec), &s)?.mean_per_direction;
    LinePlot {
        title: "Best worst-case rate at a given noise floor, κ = 100 ([μ, L] = [0.01, 1])".into(),
        x_label: "noise floor E|e|²/σ² per direction (uniform density on [μ, L])".into(),
        y_label: "1 − ρ (rate gap: higher converges faster)".into(),
        x_log: true,
        y_log: true,
        x_range: (1e-3, 1e3),
        y_range: (1e-5, 0.3),
        series,
        vlines: vec![VLine {
            x: pf,
            label: format!("Polyak's tuning: floor {pf:.0}"),
            colour: METHOD_COLOURS[1],
        }],
        legend_upper: false,
    }
    .save(path)
}
