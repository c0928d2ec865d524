//! Periodic schedules: the monodromy of one period and its per-step rate.
//!
//! Repeating steps S₀ … S_{p−1} forever, the state after k periods is M(λ)^k s with the
//! monodromy M(λ) = S_{p−1}(λ)⋯S₀(λ), so the per-step rate is ρ(M)^{1/p}: stable iff ρ(M) < 1.
//! Each step stable alone does not make the cycle stable (heavy ball, β = 0.5, λ = 1, lr 0.5 and
//! 2.5 alternating: ρ(M)^{1/2} = (1 + √3)/2 although each step alone has ρ = √0.5). With
//! z² − tr(M)z + det(M): det M = ∏ det S_t (taken as a product, not from the entries of M), and
//! ρ = √det for complex roots, (|tr| + √(tr² − 4det))/2 for real ones.

use super::{Run, Schedule, Step};
use crate::Spectrum;
use crate::error::{Error, Result, finite};
use crate::setting::Resolved;
use nalgebra::Matrix2;
use std::f64::consts::PI;

/// Curvatures sampled on an interval, at least, and per step of the period.
const MIN_SAMPLES: usize = 512;
const PER_STEP: usize = 32;

/// One period of steps, repeated forever.
#[derive(Clone, Debug, PartialEq)]
pub struct Periodic {
    steps: Vec<Step>,
}

/// The worst per-step rate of a periodic schedule over a spectrum.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PeriodicRate {
    /// The period p.
    pub period: usize,
    /// max over the spectrum of ρ(M(λ))^{1/p}.
    pub rate: f64,
    /// A curvature attaining it.
    pub worst_lambda: f64,
    /// rate < 1.
    pub stable: bool,
}

/// The scales s of a periodic lr schedule (lr_t → s·lr_t) that keep it stable.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StableScale {
    /// Every scale in (0, hi) is stable; 0 when even the smallest scale tried (2⁻⁴⁰) is not.
    pub hi: f64,
    /// Stable at every scale tried up to 2⁴⁰ (`hi` is then 2⁴⁰).
    pub unbounded: bool,
    /// hi times the largest lr of the period: the largest stable peak lr.
    pub peak_lr: f64,
    /// The rate at scale 1 (the schedule as given).
    pub rate_at_one: f64,
}

impl Periodic {
    /// One period of steps.
    ///
    /// # Errors
    ///
    /// No steps.
    pub fn new(steps: Vec<Step>) -> Result<Periodic> {
        if steps.is_empty() {
            return Err(Error::Usage("a period needs at least one step".into()));
        }
        Ok(Periodic { steps })
    }

    /// The steps of one period.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The period p.
    pub fn period(&self) -> usize {
        self.steps.len()
    }

    /// The monodromy M(λ) = S_{p−1}(λ)⋯S₀(λ) (it may overflow for long unstable periods; the
    /// rate does not).
    pub fn monodromy(&self, lambda: f64) -> Matrix2<f64> {
        self.steps
            .iter()
            .fold(Matrix2::identity(), |m, s| s.at(lambda) * m)
    }

    /// ρ(M(λ))^{1/p}, computed with M rescaled by powers of two as it grows.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Spectrum, setting::Setting, schedule::{Run, Schedule}};
    /// let s = Spectrum::eigenvalues(vec![1.0])?;
    /// let hb = Setting { lr: Some(1.0), momentum: Some(0.5), ..Setting::named("canonical", Some("hb"))? }
    ///     .resolve(&s)?;
    /// let p = Run::new(&hb, &Schedule::lr(vec![0.5, 2.5]).periodic(), 2)?.periodic()?;
    /// assert!((p.rate(1.0)? - (1.0 + 3f64.sqrt()) / 2.0).abs() < 1e-14);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// λ not finite.
    pub fn rate(&self, lambda: f64) -> Result<f64> {
        finite("lambda", lambda)?;
        Ok((self.log2_radius(lambda) / self.period() as f64).exp2())
    }

    /// log₂ ρ(M(λ)).
    fn log2_radius(&self, lambda: f64) -> f64 {
        let mut m = Matrix2::identity();
        let mut e = 0.0f64;
        let mut det_log2 = 0.0f64;
        let mut det_sign = 1.0f64;
        for s in &self.steps {
            let a = s.at(lambda);
            let d = a[(0, 0)] * a[(1, 1)] - a[(0, 1)] * a[(1, 0)];
            if d == 0.0 {
                det_sign = 0.0;
            } else {
                det_log2 += d.abs().log2();
                det_sign *= d.signum();
            }
            m = a * m;
            let big = m.amax();
            if big > 1e150 && big.is_finite() {
                let k = big.log2().floor();
                m *= (-k).exp2();
                e += k;
            }
        }
        // scaled: M̃ = M·2^{−e}, det M̃ = det M·2^{−2e}
        let tr = m[(0, 0)] + m[(1, 1)];
        let det = if det_sign == 0.0 {
            0.0
        } else {
            det_sign * (det_log2 - 2.0 * e).exp2()
        };
        let disc = tr * tr - 4.0 * det;
        let r = if disc < 0.0 {
            det.abs().sqrt()
        } else {
            0.5 * (tr.abs() + disc.sqrt())
        };
        r.log2() + e
    }

    /// The worst per-step rate over `spectrum`: each listed eigenvalue, or on [μ, L] a dense
    /// Chebyshev-angle sampling (≥ 32 per step of the period, ≥ 512) with every sampled local
    /// maximum refined by golden section.
    ///
    /// # Errors
    ///
    /// A curvature not finite; μ > L.
    pub fn worst(&self, spectrum: &Spectrum) -> Result<PeriodicRate> {
        let p = self.period() as f64;
        let f = |l: f64| self.log2_radius(l) / p;
        let (mut best, mut at) = (f64::NEG_INFINITY, 0.0);
        match spectrum {
            Spectrum::Eigenvalues(v) => {
                for &l in v {
                    let y = f(finite("lambda", l)?);
                    if y > best {
                        (best, at) = (y, l);
                    }
                }
            }
            Spectrum::Interval { mu, l } => {
                let (mu, l) = (finite("mu", *mu)?, finite("L", *l)?);
                if mu > l {
                    return Err(Error::EmptyInterval { mu, l });
                }
                let m = (PER_STEP * self.period()).max(MIN_SAMPLES);
                let lam = |th: f64| super::horizon::lam_at(mu, l, th);
                let th: Vec<f64> = (0..=m).map(|j| PI * j as f64 / m as f64).collect();
                let ys: Vec<f64> = th.iter().map(|&t| f(lam(t))).collect();
                for (j, &y) in ys.iter().enumerate() {
                    if y > best {
                        (best, at) = (y, lam(th[j]));
                    }
                }
                let mut maxima: Vec<usize> = (0..=m)
                    .filter(|&j| (j == 0 || ys[j] >= ys[j - 1]) && (j == m || ys[j] >= ys[j + 1]))
                    .collect();
                maxima.sort_by(|&a, &b| ys[b].total_cmp(&ys[a]));
                for &j in maxima.iter().take(16) {
                    let (a, b) = (th[j.saturating_sub(1)], th[(j + 1).min(m)]);
                    let g = |t: f64| -f(lam(t));
                    let (t, y) = crate::numeric::minimize::golden(&g, a, b, (th[j], -ys[j]));
                    if -y > best {
                        (best, at) = (-y, lam(t));
                    }
                }
            }
        }
        let rate = best.exp2();
        Ok(PeriodicRate {
            period: self.period(),
            rate,
            worst_lambda: at,
            stable: rate < 1.0,
        })
    }

    /// The scales s for which lr_t → s·lr_t keeps the periodic schedule stable on `spectrum`:
    /// the largest s* with every s in (0, s*) stable, from a geometric scan of s (eight points
    /// per octave, 2⁻⁴⁰ … 2⁴⁰) refined by bisection on the first stable → unstable switch. A
    /// window of instability narrower than an eighth of an octave between two stable scans can
    /// be missed.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Spectrum, setting::Setting, schedule::{Periodic, Schedule}};
    /// // a constant lr as a period of one: the classical edge 2(1 + β)/L
    /// let s = Spectrum::interval(0.1, 1.0)?;
    /// let hb = Setting { lr: Some(1.0), momentum: Some(0.5), ..Setting::named("canonical", Some("hb"))? }
    ///     .resolve(&s)?;
    /// let edge = Periodic::stable_scale(&hb, &Schedule::lr(vec![1.0]).periodic(), &s)?;
    /// assert!((edge.hi - 3.0).abs() < 1e-9, "{edge:?}");
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// What [`Run::new`] rejects; a schedule that is not periodic.
    pub fn stable_scale(
        setting: &Resolved,
        schedule: &Schedule,
        spectrum: &Spectrum,
    ) -> Result<StableScale> {
        if !schedule.periodic {
            return Err(Error::Usage(
                "the stable scale of a schedule needs a periodic schedule".into(),
            ));
        }
        let base: Vec<f64> = match &schedule.lr {
            Some(v) => v.clone(),
            None => vec![setting.params.as_ref().map_or(1.0, |p| p.lr)],
        };
        let peak = base.iter().copied().fold(0.0, f64::max);
        let p = schedule.len().unwrap_or(1).max(base.len());
        let rate_at = |s: f64| -> Result<f64> {
            let sched = Schedule {
                lr: Some(base.iter().map(|x| x * s).collect()),
                ..schedule.clone()
            };
            Ok(Run::new(setting, &sched, p)?
                .periodic()?
                .worst(spectrum)?
                .rate)
        };
        let rate_at_one = rate_at(1.0)?;
        let stable = |s: f64| rate_at(s).map(|r| r < 1.0);
        let mut last_stable: Option<f64> = None;
        let mut hi = None;
        for k in -320..=320 {
            let s = (k as f64 / 8.0).exp2();
            if stable(s)? {
                last_stable = Some(s);
            } else if let Some(a) = last_stable {
                let (mut a, mut b) = (a, s);
                for _ in 0..200 {
                    let mid = 0.5 * (a + b);
                    if mid <= a || mid >= b {
                        break;
                    }
                    if stable(mid)? {
                        a = mid;
                    } else {
                        b = mid;
                    }
                }
                hi = Some(a);
                break;
            } else {
                // unstable at the smallest scale: no stable range from 0
                break;
            }
        }
        let (hi, unbounded) = match (hi, last_stable) {
            (Some(h), _) => (h, false),
            (None, Some(s)) => (s, true),
            (None, None) => (0.0, false),
        };
        Ok(StableScale {
            hi,
            unbounded,
            peak_lr: hi * peak,
            rate_at_one,
        })
    }
}
