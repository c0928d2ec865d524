//! Schedule figures: the worst case over the curvatures step by step under warmup + cosine
//! against a constant lr at the same peak (the interior worst curvature drawn), and Chebyshev
//! steps against Polyak's heavy ball over short horizons (`momentum::schedule`).

use super::tuned::{LinePlot, METHOD_COLOURS, Series, Style, VLine};
use momentum::Spectrum;
use momentum::error::Result;
use momentum::schedule::shape::Shape;
use momentum::schedule::{Run, Schedule};
use momentum::setting::Setting;
use std::path::Path;

fn optax(momentum: f64, s: &Spectrum) -> Result<momentum::setting::Resolved> {
    Setting {
        lr: Some(3.0),
        momentum: Some(momentum),
        ..Setting::named("optax", None)?
    }
    .resolve(s)
}

/// optax.sgd(momentum=0.9) under warmup_cosine_decay_schedule(0, 3, 100, 1000) on [0.01, 1].
pub fn envelope(path: &Path) -> Result<()> {
    let s = Spectrum::interval(0.01, 1.0)?;
    let r = optax(0.9, &s)?;
    let lr = Shape::parse("warmup_cosine_decay_schedule(0, 3, 100, 1000)")?
        .values(1000, None)?
        .lr;
    let warm = Run::new(&r, &Schedule::lr(lr), 1000)?;
    let constant = Run::new(&r, &Schedule::lr(vec![3.0]), 1000)?;
    let w = warm.worst(&s)?;
    let pts = |env: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        env.iter()
            .enumerate()
            .map(|(t, &(v, _))| ((t + 1) as f64, 10f64.powf(v)))
            .collect()
    };
    let along = |lam: f64| -> Result<Vec<(f64, f64)>> {
        Ok(warm
            .trajectory(lam)?
            .iter()
            .enumerate()
            .skip(1)
            .map(|(t, x)| (t as f64, x.abs().max(1e-30)))
            .collect())
    };
    let series = vec![
        Series {
            label: "warmup + cosine (peak lr 3): max over λ of |e_k|/|e_0|".into(),
            points: pts(warm.envelope(&s)?),
            colour: METHOD_COLOURS[1],
            style: Style::Line,
        },
        Series {
            label: "constant lr 3: max over λ".into(),
            points: pts(constant.envelope(&s)?),
            colour: METHOD_COLOURS[2],
            style: Style::Line,
        },
        Series {
            label: format!(
                "warmup + cosine at the interior worst λ* = {:.5} (|e_N| {:.3}× the value at μ)",
                w.worst_lambda,
                w.worst_factor / 10f64.powf(w.at_ends_log10[0])
            ),
            points: along(w.worst_lambda)?,
            colour: METHOD_COLOURS[3],
            style: Style::Dashed,
        },
        Series {
            label: "warmup + cosine at λ = μ = 0.01 (what an endpoint check sees)".into(),
            points: along(0.01)?,
            colour: METHOD_COLOURS[0],
            style: Style::Dotted,
        },
    ];
    LinePlot {
        title: "optax.sgd(momentum=0.9) on [μ, L] = [0.01, 1]: worst error by step, warmup + cosine vs constant lr".into(),
        x_label: "step k".into(),
        y_label: "|e_k| / |e_0|".into(),
        x_log: false,
        y_log: true,
        x_range: (1.0, 1000.0),
        y_range: (1e-22, 10.0),
        series,
        vlines: vec![VLine {
            x: 100.0,
            label: "end of warmup".into(),
            colour: METHOD_COLOURS[0],
        }],
        legend_upper: true,
    }
    .save(path)
}

/// Gradient descent with Chebyshev steps (1/T_N) against constant methods after N steps.
pub fn chebyshev(path: &Path) -> Result<()> {
    let (mu, l) = (0.01f64, 1.0f64);
    let s = Spectrum::interval(mu, l)?;
    let gd = Setting {
        lr: Some(1.0),
        ..Setting::named("canonical", Some("gd"))?
    }
    .resolve(&s)?;
    let k = l / mu;
    let alpha = 4.0 / (l.sqrt() + mu.sqrt()).powi(2);
    let beta = ((k.sqrt() - 1.0) / (k.sqrt() + 1.0)).powi(2);
    let hb = Setting {
        lr: Some(alpha),
        momentum: Some(beta),
        ..Setting::named("canonical", Some("hb"))?
    }
    .resolve(&s)?;
    let mut cheb = vec![];
    let mut polyak = vec![];
    let mut gd_const = vec![];
    for n in 1..=60usize {
        let steps: Vec<f64> = (1..=n)
            .map(|j| {
                1.0 / ((l + mu) / 2.0
                    + (l - mu) / 2.0
                        * ((2 * j - 1) as f64 * std::f64::consts::PI / (2 * n) as f64).cos())
            })
            .collect();
        let c = Run::new(&gd, &Schedule::lr(steps), n)?.worst(&s)?;
        cheb.push((n as f64, c.worst_factor));
        let p = Run::new(&hb, &Schedule::default(), n)?.worst(&s)?;
        polyak.push((n as f64, p.worst_factor));
        gd_const.push((n as f64, ((k - 1.0) / (k + 1.0)).powi(n as i32)));
    }
    let series = vec![
        Series {
            label: "gradient descent, Chebyshev steps for each N: 1/T_N((L+μ)/(L−μ))".into(),
            points: cheb,
            colour: METHOD_COLOURS[1],
            style: Style::Line,
        },
        Series {
            label: "Polyak's heavy ball (constant, from rest): exact worst case".into(),
            points: polyak,
            colour: METHOD_COLOURS[2],
            style: Style::Line,
        },
        Series {
            label: "gradient descent, constant step 2/(μ+L): ((κ−1)/(κ+1))^N".into(),
            points: gd_const,
            colour: METHOD_COLOURS[0],
            style: Style::Dashed,
        },
    ];
    LinePlot {
        title:
            "Worst |e_N|/|e_0| over [0.01, 1] after N steps: the optimal short schedule vs Polyak"
                .into(),
        x_label: "horizon N (steps)".into(),
        y_label: "worst |e_N| / |e_0| over λ ∈ [μ, L]".into(),
        x_log: false,
        y_log: true,
        x_range: (1.0, 60.0),
        y_range: (1e-7, 10.0),
        series,
        vlines: vec![],
        legend_upper: true,
    }
    .save(path)
}
