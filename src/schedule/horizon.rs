//! The worst |e_N/e₀| over a spectrum and the peak over t ≤ N, without missing an interior
//! maximum.
//!
//! On [μ, L] the factor is a polynomial p of degree ≤ N in λ; with λ = c + r·cos θ
//! (c = (L+μ)/2, r = (L−μ)/2) it is a trigonometric polynomial q(θ) of degree ≤ N, and
//! Bernstein's inequality bounds |q''| ≤ N²·Q, Q = max|q|. At the maximiser θ* (q'(θ*) = 0) the
//! nearest of M + 1 samples θ_j = πj/M is within δ/2 = π/(2M), so
//!
//! ```text
//! max sampled |q| ≥ Q(1 − c),   c = (Nπ/M)²/8     (M = 8N: c = 0.0193)
//! ```
//!
//! which gives a certified upper bound Q ≤ S/(1 − c) from the best sample S, and says which
//! samples can sit next to a maximum above S: those ≥ S(1 − c/(1 − c)). Each such sampled local
//! maximum is refined by golden section on its two neighbouring cells. The same samples serve
//! every t ≤ N (degree t ≤ N), which gives the peak over t. All samples advance together, one
//! step at a time (a loop over samples inside the loop over steps: O(MN) = O(8N²) flops, no
//! dependence chain). Where values pass 1e250 the state is rescaled per sample and compared in
//! log₂.

use super::{Run, Step};
use crate::Spectrum;
use crate::error::{Error, Result, finite};
use std::f64::consts::PI;

/// Samples per unit of degree on an interval.
const PER_DEGREE: usize = 8;
/// Fewest samples on an interval.
const MIN_SAMPLES: usize = 64;
/// Sampled local maxima refined, best first.
const REFINED: usize = 48;
/// Where the fast sweep hands over to the rescaled one.
const BIG: f64 = 1e250;

/// The worst factor after N steps, and the peak over 1 ≤ t ≤ N.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Horizon {
    /// N.
    pub steps: usize,
    /// max over the spectrum of |e_N/e₀|: the worst ‖e_N‖/‖e₀‖ (null in JSON when beyond f64).
    pub worst_factor: f64,
    /// log₁₀ of it (finite where the factor overflows).
    pub worst_factor_log10: f64,
    /// A curvature attaining it.
    pub worst_lambda: f64,
    /// A certified upper bound of the maximum over an interval (Bernstein, module docs); the
    /// maximum itself for listed eigenvalues (∞ beyond f64).
    pub worst_factor_bound: f64,
    /// Its log₁₀.
    pub worst_factor_bound_log10: f64,
    /// |e_N/e₀| at the smallest and largest curvature (what an endpoint check would report).
    pub at_ends: [f64; 2],
    /// Their log₁₀.
    pub at_ends_log10: [f64; 2],
    /// The largest |e_t/e₀| over 1 ≤ t ≤ N and the spectrum.
    pub peak: Peak,
    /// Curvatures sampled (the cost).
    pub samples: usize,
}

/// The peak transient: where max over t and λ of |e_t/e₀| is reached.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Peak {
    /// max |e_t/e₀| over 1 ≤ t ≤ N and the spectrum.
    pub factor: f64,
    /// log₁₀ of it.
    pub factor_log10: f64,
    /// The step t where it is reached (1 ≤ t ≤ N).
    pub step: usize,
    /// The curvature.
    pub lambda: f64,
    /// Certified upper bound (log₁₀), as for the worst factor.
    pub bound_log10: f64,
}

impl Run {
    /// The exact worst |e_N/e₀| over `spectrum` (an interval: every curvature in [μ, L],
    /// interior maxima included, with a certified upper bound; or the listed eigenvalues) and
    /// the peak over 1 ≤ t ≤ N (module docs of [`crate::schedule`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Spectrum, setting::Setting, schedule::{Run, Schedule}};
    /// // gradient descent with Chebyshev steps on [0.01, 1], N = 10: max |P_N| = 1/T_N(101/99)
    /// let (mu, l, n) = (0.01f64, 1.0f64, 10usize);
    /// let steps: Vec<f64> = (1..=n)
    ///     .map(|k| 1.0 / ((l + mu) / 2.0 + (l - mu) / 2.0
    ///         * ((2 * k - 1) as f64 * std::f64::consts::PI / (2 * n) as f64).cos()))
    ///     .collect();
    /// let s = Spectrum::interval(mu, l)?;
    /// let gd = Setting { lr: Some(1.0), ..Setting::named("canonical", Some("gd"))? }.resolve(&s)?;
    /// let w = Run::new(&gd, &Schedule::lr(steps), n)?.worst(&s)?;
    /// let t_n = ((n as f64) * ((l + mu) / (l - mu)).acosh()).cosh();
    /// assert!((w.worst_factor - 1.0 / t_n).abs() < 1e-12, "{w:?}");
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An interval with μ > L or L − μ beyond f64; a curvature not finite.
    pub fn worst(&self, spectrum: &Spectrum) -> Result<Horizon> {
        let n = self.len();
        let (lams, interval) = match spectrum {
            Spectrum::Interval { mu, l } => {
                let (mu, l) = (finite("mu", *mu)?, finite("L", *l)?);
                if mu > l {
                    return Err(Error::EmptyInterval { mu, l });
                }
                finite("L - mu", l - mu)?;
                (
                    nodes(mu, l, (PER_DEGREE * n).max(MIN_SAMPLES)),
                    Some((mu, l)),
                )
            }
            Spectrum::Eigenvalues(v) => (v.clone(), None),
        };
        let sweep = sweep(&self.steps, self.start, &lams);
        let m = lams.len();
        let (mut worst_j, mut worst) = (0usize, f64::NEG_INFINITY);
        for (j, &v) in sweep.last.iter().enumerate() {
            if v > worst {
                worst = v;
                worst_j = j;
            }
        }
        let ends = {
            let (a, b) = lams.iter().enumerate().fold((0, 0), |(lo, hi), (j, &x)| {
                (
                    if x < lams[lo] { j } else { lo },
                    if x > lams[hi] { j } else { hi },
                )
            });
            [sweep.last[a], sweep.last[b]]
        };
        let (mut peak_v, mut peak_t, mut peak_j) = (f64::NEG_INFINITY, 1, 0);
        for (t, &(v, j)) in sweep.per_step.iter().enumerate() {
            if v > peak_v {
                (peak_v, peak_t, peak_j) = (v, t + 1, j);
            }
        }
        let mut worst_lambda = lams[worst_j];
        let mut peak_lambda = lams[peak_j];
        let (mut worst_bound, mut peak_bound) = (worst, peak_v);
        // the certified bound in plain arithmetic from the best sample (the same bits everywhere)
        let mut slack_factor = 1.0;
        if let Some((mu, l)) = interval
            && l > mu
        {
            let c = (n as f64 * PI / (m - 1) as f64).powi(2) / 8.0;
            slack_factor = 1.0 / (1.0 - c);
            let slack = -(1.0 - c).log2();
            worst_bound = worst + slack;
            peak_bound = peak_v + slack;
            // a maximum above S has a sample ≥ S(1 − c/(1 − c)) within half a cell
            let keep = (1.0 - c / (1.0 - c)).log2();
            let theta = |j: usize| PI * j as f64 / (m - 1) as f64;
            let lam_of = |th: f64| lam_at(mu, l, th);
            let refine = |t: usize, j: usize, v: f64| -> (f64, f64) {
                let (a, b) = (theta(j.saturating_sub(1)), theta((j + 1).min(m - 1)));
                let f = |th: f64| -log2_at(&self.steps, self.start, lam_of(th), t);
                let (th, y) = crate::numeric::minimize::golden(&f, a, b, (theta(j), -v));
                (lam_of(th), -y)
            };
            let mut cands: Vec<usize> = (0..m)
                .filter(|&j| {
                    let v = sweep.last[j];
                    v >= worst + keep
                        && (j == 0 || v >= sweep.last[j - 1])
                        && (j + 1 == m || v >= sweep.last[j + 1])
                })
                .collect();
            cands.sort_by(|&a, &b| sweep.last[b].total_cmp(&sweep.last[a]));
            for &j in cands.iter().take(REFINED) {
                let (lam, v) = refine(n, j, sweep.last[j]);
                if v > worst {
                    (worst, worst_lambda) = (v, lam);
                }
            }
            let mut pc: Vec<(usize, usize, f64)> = sweep
                .candidates
                .iter()
                .copied()
                .filter(|&(_, _, v)| v >= peak_v + keep)
                .collect();
            pc.sort_by(|a, b| b.2.total_cmp(&a.2));
            for &(t, j, v) in pc.iter().take(REFINED) {
                let (lam, v2) = refine(t, j, v);
                if v2 > peak_v {
                    (peak_v, peak_t, peak_lambda) = (v2, t, lam);
                }
            }
            worst_bound = worst_bound.max(worst);
            peak_bound = peak_bound.max(peak_v);
        }
        let l10 = std::f64::consts::LOG10_2;
        // the reported values straight from the recurrence at their λ (no exp/log: the same bits
        // on every platform); log₂ only where they overflow
        let direct = |lam: f64, t: usize, log2: f64| -> (f64, f64) {
            let x = self.eval(lam, t).abs();
            if x.is_finite() {
                (x, x.log10())
            } else {
                (f64::INFINITY, log2 * l10)
            }
        };
        let (wf, wl) = direct(worst_lambda, n, worst);
        let sampled = self.eval(lams[worst_j], n).abs() * slack_factor;
        let bound = if sampled.is_finite() {
            sampled.max(wf)
        } else {
            f64::INFINITY
        };
        let (pf, pl) = direct(peak_lambda, peak_t, peak_v);
        let (lo_l, hi_l) = lams
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let e0 = direct(lo_l, n, ends[0]);
        let e1 = direct(hi_l, n, ends[1]);
        Ok(Horizon {
            steps: n,
            worst_factor: wf,
            worst_factor_log10: wl,
            worst_lambda,
            worst_factor_bound: bound,
            worst_factor_bound_log10: (worst_bound * l10).max(wl),
            at_ends: [e0.0, e1.0],
            at_ends_log10: [e0.1, e1.1],
            peak: Peak {
                factor: pf,
                factor_log10: pl,
                step: peak_t,
                lambda: peak_lambda,
                bound_log10: (peak_bound * l10).max(pl),
            },
            samples: m,
        })
    }
}

impl Run {
    /// The envelope max over the spectrum of |e_t/e₀| for t = 1 … N (log₁₀), with the
    /// curvature of each: on an interval the max over the Chebyshev-angle samples of
    /// [`Run::worst`] (within its certified slack, c = (Nπ/M)²/8 ≤ 2 %, below the true max).
    ///
    /// # Errors
    ///
    /// As [`Run::worst`].
    pub fn envelope(&self, spectrum: &Spectrum) -> Result<Vec<(f64, f64)>> {
        let lams = match spectrum {
            Spectrum::Interval { mu, l } => {
                let (mu, l) = (finite("mu", *mu)?, finite("L", *l)?);
                if mu > l {
                    return Err(Error::EmptyInterval { mu, l });
                }
                nodes(mu, l, (PER_DEGREE * self.len()).max(MIN_SAMPLES))
            }
            Spectrum::Eigenvalues(v) => v.clone(),
        };
        let sw = sweep(&self.steps, self.start, &lams);
        Ok(sw
            .per_step
            .iter()
            .map(|&(v, j)| (v * std::f64::consts::LOG10_2, lams[j]))
            .collect())
    }
}

/// λ(θ) = c + r cos θ on [μ, L], exact at both ends.
pub(super) fn lam_at(mu: f64, l: f64, th: f64) -> f64 {
    if th <= 0.0 {
        l
    } else if th >= PI {
        mu
    } else {
        (0.5 * (mu + l) + 0.5 * (l - mu) * th.cos()).clamp(mu, l)
    }
}

/// The M + 1 Chebyshev-angle nodes on [μ, L] (from L down to μ).
fn nodes(mu: f64, l: f64, m: usize) -> Vec<f64> {
    if mu == l {
        return vec![mu];
    }
    (0..=m)
        .map(|j| lam_at(mu, l, PI * j as f64 / m as f64))
        .collect()
}

/// What one sweep of all samples through all steps gives, in log₂|x|.
struct Sweep {
    /// log₂|x_N| per sample.
    last: Vec<f64>,
    /// Per step t = 1..N: (max over samples of log₂|x_t|, its sample).
    per_step: Vec<(f64, usize)>,
    /// (t, sample, log₂|x_t|): sampled local maxima near the running peak.
    candidates: Vec<(usize, usize, f64)>,
}

/// All samples through all steps; the plain f64 sweep, or the rescaled one where it overflows.
fn sweep(steps: &[Step], start: [f64; 2], lams: &[f64]) -> Sweep {
    fast_sweep(steps, start, lams).unwrap_or_else(|| scaled_sweep(steps, start, lams))
}

/// Per step, keep sampled local maxima within this log₂ distance of the running peak.
const CANDIDATE_WINDOW: f64 = 0.1;
/// … and at most this many per step.
const CANDIDATES_PER_STEP: usize = 8;

fn fast_sweep(steps: &[Step], start: [f64; 2], lams: &[f64]) -> Option<Sweep> {
    let m = lams.len();
    let mut x = vec![start[0]; m];
    let mut u = vec![start[1]; m];
    let mut per_step = Vec::with_capacity(steps.len());
    let mut candidates = vec![];
    let mut running = f64::NEG_INFINITY;
    for (t, st) in steps.iter().enumerate() {
        let ([a00, a01], [a10, a11]) = (st.a[0], st.a[1]);
        let ([b00, b01], [b10, b11]) = (st.b[0], st.b[1]);
        for ((xj, uj), &l) in x.iter_mut().zip(u.iter_mut()).zip(lams) {
            let nx = (a00 + l * b00) * *xj + (a01 + l * b01) * *uj;
            let nu = (a10 + l * b10) * *xj + (a11 + l * b11) * *uj;
            *xj = nx;
            *uj = nu;
        }
        let (mut best, mut bj) = (-1.0f64, 0usize);
        let mut bigu = 0.0f64;
        for (j, (xj, uj)) in x.iter().zip(&u).enumerate() {
            let v = xj.abs();
            if v > best {
                (best, bj) = (v, j);
            }
            bigu = bigu.max(uj.abs());
        }
        // NaN fails both comparisons
        if !(best < BIG && bigu < BIG) {
            return None;
        }
        let lb = best.log2();
        per_step.push((lb, bj));
        if lb >= running - CANDIDATE_WINDOW {
            running = running.max(lb);
            let thr = (running - CANDIDATE_WINDOW).exp2();
            let a = |j: usize| x[j].abs();
            let mut local: Vec<(usize, usize, f64)> = (0..m)
                .filter(|&j| {
                    let v = a(j);
                    v >= thr && (j == 0 || v >= a(j - 1)) && (j + 1 == m || v >= a(j + 1))
                })
                .map(|j| (t + 1, j, a(j).log2()))
                .collect();
            local.sort_by(|a, b| b.2.total_cmp(&a.2));
            local.truncate(CANDIDATES_PER_STEP);
            candidates.extend(local);
        }
    }
    Some(Sweep {
        last: x.iter().map(|v| v.abs().log2()).collect(),
        per_step,
        candidates,
    })
}

fn push_candidates(out: &mut Vec<(usize, usize, f64)>, t: usize, vals: &[f64], running: f64) {
    let m = vals.len();
    let mut local: Vec<(usize, usize, f64)> = (0..m)
        .filter(|&j| {
            let v = vals[j];
            v >= running - CANDIDATE_WINDOW
                && (j == 0 || v >= vals[j - 1])
                && (j + 1 == m || v >= vals[j + 1])
        })
        .map(|j| (t, j, vals[j]))
        .collect();
    local.sort_by(|a, b| b.2.total_cmp(&a.2));
    local.truncate(CANDIDATES_PER_STEP);
    out.extend(local);
}

/// The sweep with each sample's state rescaled by powers of two as it grows.
fn scaled_sweep(steps: &[Step], start: [f64; 2], lams: &[f64]) -> Sweep {
    let m = lams.len();
    let mut s: Vec<[f64; 2]> = vec![start; m];
    let mut e = vec![0.0f64; m];
    let mut per_step = Vec::with_capacity(steps.len());
    let mut candidates = vec![];
    let mut running = f64::NEG_INFINITY;
    let mut vals = vec![0.0; m];
    for (t, st) in steps.iter().enumerate() {
        let (mut best, mut bj) = (f64::NEG_INFINITY, 0usize);
        for j in 0..m {
            let mut v = st.apply(lams[j], s[j]);
            rescale(&mut v, &mut e[j]);
            s[j] = v;
            vals[j] = v[0].abs().log2() + e[j];
            if vals[j] > best {
                (best, bj) = (vals[j], j);
            }
        }
        per_step.push((best, bj));
        if best >= running - CANDIDATE_WINDOW {
            running = running.max(best);
            push_candidates(&mut candidates, t + 1, &vals, running);
        }
    }
    Sweep {
        last: (0..m).map(|j| s[j][0].abs().log2() + e[j]).collect(),
        per_step,
        candidates,
    }
}

const RESCALE_AT: f64 = 1e200;

#[inline]
fn rescale(v: &mut [f64; 2], e: &mut f64) {
    let big = v[0].abs().max(v[1].abs());
    if big > RESCALE_AT && big.is_finite() {
        let k = big.log2().floor();
        let f = (-k).exp2();
        v[0] *= f;
        v[1] *= f;
        *e += k;
    }
}

/// log₂|x_n| at λ, rescaling as it grows (−∞ where x_n = 0).
pub(super) fn log2_at(steps: &[Step], start: [f64; 2], lambda: f64, n: usize) -> f64 {
    let mut s = start;
    let mut e = 0.0;
    for st in &steps[..n] {
        s = st.apply(lambda, s);
        rescale(&mut s, &mut e);
    }
    s[0].abs().log2() + e
}
