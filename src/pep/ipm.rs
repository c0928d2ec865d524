//! A dedicated primal–dual interior-point method for the PEP SDP of [`super`] (issue 27): Mehrotra
//! predictor–corrector with the HKM direction, dense Schur complement over the primal variables
//! u = (svec G, f) (n = (N+1)(N+2)/2 + N, 76 at N = 10), no BLAS.
//!
//! Primal: max cᵀu s.t. u₀ = G₀₀ = 1, Au + s = 0, s ≥ 0, G = smat(u_G) ⪰ 0, where row r of A is
//! the interpolation inequality ⟨a_r, u⟩ ≤ 0. Dual: min τ s.t. Z = τE₀₀ + Σλ_r M_r − C ⪰ 0,
//! λ ≥ 0, Σλ_r a_{r,f} = 0 (the SDP [`super::Formulation::IterateDualClarabel`] hands clarabel).
//! Eliminating Δs, Δλ and ΔZ = R − sym(Z ΔG G⁻¹) leaves (AᵀDA + Z ⊛ G⁻¹) Δu + e₀Δτ = b with
//! D = diag(λ/s): one Cholesky factorisation of order n − 1 per iteration (Δu₀ is fixed by the
//! equality), used by both the predictor and the corrector, the corrector refined against the
//! dual equation. A pivot lost to rounding near the degenerate optimum is replaced by a huge one.
//! Stops at a gap ≤ 1e-13 or ≤ 1e-9·τ with scaled residuals ≤ 1e-10; when it stalls first, the
//! best iterate within 1e-9 (gap relative to max(τ, 1e-3), residuals) is kept, else `None`.

mod small;

use super::Sparse;
use nalgebra::DMatrix;

/// The solution of one PEP by [`solve`]: τ, the gap and the variables in the layout of the callers.
pub(super) struct IpmSolution {
    /// Dual objective τ (an upper bound on the PEP value up to the residuals).
    pub tau: f64,
    /// |cᵀu − τ|.
    pub gap: f64,
    /// Iterations (each one factorisation).
    pub iterations: u32,
    /// λ_r, one per row.
    pub multipliers: Vec<f64>,
    /// svec(G) of the primal (clarabel's svec ordering and scaling).
    pub gram: Vec<f64>,
    /// f_k.
    pub values: Vec<f64>,
}

/// Stopping tolerances: the gap, absolute or relative to τ, and the scaled residuals.
const TOL_GAP_ABS: f64 = 1e-13;
const TOL_GAP_REL: f64 = 1e-9;
const TOL_FEAS: f64 = 1e-10;
/// When the iteration stalls short of those (degenerate optima, no strict complementarity), the
/// best iterate is kept if its residuals and its gap (relative to max(τ, 1e-3)) are below this.
const LOOSE: f64 = 1e-9;
/// Iterations before giving up (the default PEPs take 7–25).
const MAX_ITER: u32 = 60;
/// Refinement rounds of the corrector against the dual equation (none for the predictor).
const REFINE: usize = 2;

fn svec_pos(r: usize, c: usize) -> usize {
    c * (c + 1) / 2 + r
}

/// (row, column) of each svec position, and α (1/√2 off the diagonal, 1/2 on it).
fn svec_pairs(d: usize) -> Vec<(usize, usize, f64)> {
    let mut out = Vec::with_capacity(d * (d + 1) / 2);
    for c in 0..d {
        for r in 0..=c {
            let a = if r == c {
                0.5
            } else {
                std::f64::consts::FRAC_1_SQRT_2
            };
            out.push((r, c, a));
        }
    }
    out
}

#[inline(always)]
fn smat(u: &[f64], d: usize) -> DMatrix<f64> {
    let mut g = DMatrix::zeros(d, d);
    smat_to(u, &mut g);
    g
}

#[inline(always)]
fn svec(m: &DMatrix<f64>, out: &mut [f64]) {
    let d = m.nrows();
    for c in 0..d {
        for r in 0..=c {
            out[svec_pos(r, c)] = if r == c {
                m[(r, c)]
            } else {
                (m[(r, c)] + m[(c, r)]) * std::f64::consts::FRAC_1_SQRT_2
            };
        }
    }
}

fn sym(m: &DMatrix<f64>) -> DMatrix<f64> {
    (m + m.transpose()) * 0.5
}

/// smat into a d × d buffer.
#[inline(always)]
fn smat_to(u: &[f64], g: &mut DMatrix<f64>) {
    let d = g.nrows();
    for c in 0..d {
        for r in 0..=c {
            let v = u[svec_pos(r, c)];
            let v = if r == c {
                v
            } else {
                v * std::f64::consts::FRAC_1_SQRT_2
            };
            g[(r, c)] = v;
            g[(c, r)] = v;
        }
    }
}

/// a −= sym(m), entry by entry as `a - sym(&m)` computes it: a_rc − (m_rc + m_cr)·0.5.
#[inline(always)]
fn sym_sub(a: &mut DMatrix<f64>, m: &DMatrix<f64>) {
    let d = m.nrows();
    for c in 0..d {
        for r in 0..d {
            a[(r, c)] -= (m[(r, c)] + m[(c, r)]) * 0.5;
        }
    }
}

/// One search direction: Δu, Δs, Δλ, ΔG = smat(Δu_G), ΔZ, Δτ.
struct Direction {
    du: Vec<f64>,
    ds: Vec<f64>,
    dl: Vec<f64>,
    dg: DMatrix<f64>,
    dz: DMatrix<f64>,
    dtau: f64,
}

impl Direction {
    fn new(n: usize, m: usize, d: usize) -> Self {
        Direction {
            du: vec![0.0; n],
            ds: vec![0.0; m],
            dl: vec![0.0; m],
            dg: DMatrix::zeros(d, d),
            dz: DMatrix::zeros(d, d),
            dtau: 0.0,
        }
    }
}

/// The buffers of one direction's computation, reused.
struct Scratch {
    q: Vec<f64>,
    b: Vec<f64>,
    rzv: Vec<f64>,
    x: Vec<f64>,
    adu: Vec<f64>,
    atdl: Vec<f64>,
    dzv: Vec<f64>,
    res: Vec<f64>,
    dx: Vec<f64>,
    rz: DMatrix<f64>,
    t1: DMatrix<f64>,
    t2: DMatrix<f64>,
}

impl Scratch {
    fn new(n: usize, m: usize, d: usize) -> Self {
        let nv = d * (d + 1) / 2;
        Scratch {
            q: vec![0.0; m],
            b: vec![0.0; n],
            rzv: vec![0.0; nv],
            x: vec![0.0; n - 1],
            adu: vec![0.0; m],
            atdl: vec![0.0; n],
            dzv: vec![0.0; nv],
            res: vec![0.0; n - 1],
            dx: vec![0.0; n - 1],
            rz: DMatrix::zeros(d, d),
            t1: DMatrix::zeros(d, d),
            t2: DMatrix::zeros(d, d),
        }
    }
}

/// Largest α ≤ `cap` with X + αΔX ⪰ 0 given the Cholesky factor L of X (from the smallest
/// eigenvalue of M = L⁻¹ ΔX L⁻ᵀ), or `at_least` = a (the LP step, ≤ `cap`) when the PSD step is
/// shown to be no smaller: I + a·M − δI passes a Cholesky test, δ = 1e-12·max(1, a·max|M_ij|),
/// far above the eigenvalue's error (1e-13 relative, or ~d·ε·‖M‖), so the eigenvalue would give
/// a step ≥ a too and the caller's min(a, ·) is the same number without it. The kernels are on
/// reused buffers ([`small`]); λ_min by Sturm counts ([`small::Work::min_eigenvalue_sturm`]),
/// within 1e-13 of [`max_step_psd_nalgebra`]'s eigenvalues, which still serve a non-finite M.
#[cfg(test)]
fn max_step_psd(
    w: &mut small::Work,
    l: &DMatrix<f64>,
    dx: &DMatrix<f64>,
    cap: f64,
    at_least: f64,
) -> Option<f64> {
    match psd_step_or_eigen(w, l, dx, cap, at_least) {
        PsdStep::Known(a) => a,
        PsdStep::Eigen => Some(psd_step(w.min_eigenvalue_sturm(), cap)),
    }
}

/// The primal and the dual [`max_step_psd`] (same order d), their eigenvalue problems, where both
/// are needed, solved together.
fn max_step_psd_pair(
    w: (&mut small::Work, &mut small::Work),
    x: (&DMatrix<f64>, &DMatrix<f64>),
    dx: (&DMatrix<f64>, &DMatrix<f64>),
    cap: f64,
    at_least: (f64, f64),
) -> (Option<f64>, Option<f64>) {
    let a = psd_step_or_eigen(w.0, x.0, dx.0, cap, at_least.0);
    let b = psd_step_or_eigen(w.1, x.1, dx.1, cap, at_least.1);
    match (a, b) {
        (PsdStep::Known(a), PsdStep::Known(b)) => (a, b),
        (PsdStep::Eigen, PsdStep::Known(b)) => (Some(psd_step(w.0.min_eigenvalue_sturm(), cap)), b),
        (PsdStep::Known(a), PsdStep::Eigen) => (a, Some(psd_step(w.1.min_eigenvalue_sturm(), cap))),
        (PsdStep::Eigen, PsdStep::Eigen) => {
            let (ea, eb) = small::Work::min_eigenvalue_sturm_pair(w.0, w.1);
            (Some(psd_step(ea, cap)), Some(psd_step(eb, cap)))
        }
    }
}

/// [`max_step_psd`]'s answer, or that it needs the smallest eigenvalue of `w.m`.
enum PsdStep {
    Known(Option<f64>),
    Eigen,
}

/// The step from λ_min(M).
#[inline(always)]
fn psd_step(min: f64, cap: f64) -> f64 {
    if min >= 0.0 {
        cap
    } else {
        (-1.0 / min).min(cap)
    }
}

/// [`max_step_psd`] up to its eigendecomposition.
fn psd_step_or_eigen(
    w: &mut small::Work,
    l: &DMatrix<f64>,
    dx: &DMatrix<f64>,
    cap: f64,
    at_least: f64,
) -> PsdStep {
    if !w.psd_matrix(l.as_slice(), dx.as_slice()) {
        return PsdStep::Known(None);
    }
    if !w.m.iter().all(|v| v.is_finite()) {
        return PsdStep::Known(max_step_psd_nalgebra(l, dx, cap, at_least));
    }
    let d = l.nrows();
    let size = w.m.iter().fold(0.0f64, |a, v| a.max(v.abs())) * at_least;
    if size.is_finite() {
        let margin = 1e-12 * size.max(1.0);
        for c in 0..d {
            for r in 0..d {
                let v = at_least * w.m[c * d + r];
                w.t[c * d + r] = v + if r == c { 1.0 - margin } else { 0.0 };
            }
        }
        if small::cholesky(&mut w.t, d) {
            return PsdStep::Known(Some(at_least));
        }
    }
    PsdStep::Eigen
}

/// [`max_step_psd`] through nalgebra (its first form).
fn max_step_psd_nalgebra(
    l: &DMatrix<f64>,
    dx: &DMatrix<f64>,
    cap: f64,
    at_least: f64,
) -> Option<f64> {
    // L⁻¹ ΔX L⁻ᵀ
    let a = l.solve_lower_triangular(dx)?;
    let b = l.solve_lower_triangular(&a.transpose())?;
    let m = sym(&b);
    let size = m.amax() * at_least;
    if size.is_finite() {
        let margin = 1e-12 * size.max(1.0);
        let t = DMatrix::from_fn(m.nrows(), m.ncols(), |r, c| {
            at_least * m[(r, c)] + if r == c { 1.0 - margin } else { 0.0 }
        });
        if t.cholesky().is_some() {
            return Some(at_least);
        }
    }
    let e = m.symmetric_eigenvalues();
    let min = e.iter().copied().fold(f64::INFINITY, f64::min);
    Some(if min >= 0.0 {
        cap
    } else {
        (-1.0 / min).min(cap)
    })
}

#[inline(always)]
fn max_step_lp(x: &[f64], dx: &[f64], cap: f64) -> f64 {
    x.iter()
        .zip(dx)
        .filter(|(_, d)| **d < 0.0)
        .fold(cap, |a, (x, d)| a.min(-x / d))
}

/// Dot product with four partial sums (vectorises; the order of a plain fold does not).
#[inline(always)]
fn dot4(u: &[f64], v: &[f64]) -> f64 {
    let (mut a, mut b, mut c, mut d) = (0.0, 0.0, 0.0, 0.0);
    let (uc, vc) = (u.chunks_exact(4), v.chunks_exact(4));
    let tail: f64 = uc
        .remainder()
        .iter()
        .zip(vc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in uc.zip(vc) {
        a += x[0] * y[0];
        b += x[1] * y[1];
        c += x[2] * y[2];
        d += x[3] * y[3];
    }
    (a + b) + (c + d) + tail
}

/// Rows of L computed together by [`cholesky`] (one AVX2 register pair, four on SSE2).
const BLOCK: usize = 8;

/// In-place Cholesky of a k × k matrix stored by columns with stride `ks` ≥ k + [`BLOCK`] − 1
/// (a[p·ks + i] = A_ip, i ≥ p; the rows past k are padding), from its lower triangle; false if a
/// pivot is not positive. `lj` (length ≥ k) is scratch. Column j: L_ij = (A_ij − ⟨L_i,:j,
/// L_j,:j⟩)/L_jj for [`BLOCK`] rows i at once, each dot product with the four partial sums and the
/// tail of [`dot4`] (the same bits as row by row) but vectorised across the rows, so no
/// horizontal sums.
#[inline(always)]
fn cholesky(a: &mut [f64], k: usize, ks: usize, lj: &mut [f64]) -> bool {
    for j in 0..k {
        for (p, v) in lj[..j].iter_mut().enumerate() {
            *v = a[p * ks + j];
        }
        let orig = a[j * ks + j];
        let s = orig - dot4(&lj[..j], &lj[..j]);
        // a pivot lost to rounding (the Schur complement is ill-conditioned near the degenerate
        // optimum): a huge pivot makes that component of the solution ~0 (SeDuMi's remedy)
        let piv = if s > 1e-13 * orig {
            s.sqrt()
        } else if orig > 0.0 {
            1e64
        } else {
            return false;
        };
        a[j * ks + j] = piv;
        let q = j / 4 * 4;
        for i0 in (j + 1..k).step_by(BLOCK) {
            let col = |p: usize| -> &[f64; BLOCK] {
                a[p * ks + i0..p * ks + i0 + BLOCK].try_into().unwrap()
            };
            let mut acc = [[0.0f64; BLOCK]; 4];
            for p in (0..q).step_by(4) {
                for (l, acc) in acc.iter_mut().enumerate() {
                    let (c, y) = (col(p + l), lj[p + l]);
                    for r in 0..BLOCK {
                        acc[r] += c[r] * y;
                    }
                }
            }
            let mut tail = [-0.0f64; BLOCK];
            for (p, &y) in lj[..j].iter().enumerate().skip(q) {
                let c = col(p);
                for r in 0..BLOCK {
                    tail[r] += c[r] * y;
                }
            }
            let out = &mut a[j * ks + i0..j * ks + i0 + BLOCK];
            for r in 0..BLOCK {
                let d = (acc[0][r] + acc[1][r]) + (acc[2][r] + acc[3][r]) + tail[r];
                out[r] = (out[r] - d) / piv;
            }
        }
    }
    true
}

/// [`cholesky`] as a function of its own, for AVX2 where the CPU has it: inlined into
/// `solve_body` the same code ran ~1.4× slower (stand-alone 20 k cycles, in place 37 k).
#[inline(never)]
fn cholesky_outlined(a: &mut [f64], k: usize, ks: usize, lj: &mut [f64]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 is present on this CPU.
        return unsafe { cholesky_avx2(a, k, ks, lj) };
    }
    cholesky(a, k, ks, lj)
}

/// [`cholesky`] compiled for AVX2 (no FMA: the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn cholesky_avx2(a: &mut [f64], k: usize, ks: usize, lj: &mut [f64]) -> bool {
    cholesky(a, k, ks, lj)
}

/// [`cholesky_solve`] as a function of its own, for AVX2 where the CPU has it (the closure of
/// the directions that calls it is not compiled for AVX2).
#[inline(never)]
fn solve_outlined(l: &[f64], k: usize, b: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 is present on this CPU.
        return unsafe { solve_avx2_kernel(l, k, b) };
    }
    cholesky_solve(l, k, b)
}

/// [`cholesky_solve`] compiled for AVX2 (no FMA: the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn solve_avx2_kernel(l: &[f64], k: usize, b: &mut [f64]) {
    cholesky_solve(l, k, b)
}

#[inline(always)]
fn cholesky_solve(l: &[f64], k: usize, b: &mut [f64]) {
    for i in 0..k {
        b[i] = (b[i] - dot4(&l[i * k..i * k + i], &b[..i])) / l[i * k + i];
    }
    // Lᵀx = y by rows of L: once x_i is known, subtract x_i·L[i, ..i] (contiguous)
    for i in (0..k).rev() {
        b[i] /= l[i * k + i];
        let (head, rest) = b.split_at_mut(i);
        let xi = rest[0];
        head.iter_mut()
            .zip(&l[i * k..i * k + i])
            .for_each(|(h, v)| *h -= v * xi);
    }
}

#[inline(always)]
fn dot(u: &[f64], v: &[f64]) -> f64 {
    u.iter().zip(v).map(|(a, b)| a * b).sum()
}

#[inline(always)]
fn inf_norm(u: &[f64]) -> f64 {
    u.iter().fold(0.0f64, |a, v| a.max(v.abs()))
}

/// What [`direction`] reads of the current iterate.
struct DirectionContext<'a> {
    rows: &'a [Sparse],
    tiles: &'a Tiles,
    lam: &'a [f64],
    s: &'a [f64],
    rp: &'a [f64],
    rd: &'a [f64],
    w: &'a DMatrix<f64>,
    zm: &'a DMatrix<f64>,
    kmat: &'a [f64],
    l1: &'a [f64],
    col0: &'a [(usize, f64)],
    r0: f64,
}

/// [`direction`] as a function of its own, for AVX2 where the CPU has it.
#[inline(never)]
fn direction_outlined(
    c: &DirectionContext,
    sigma_mu: f64,
    refine: usize,
    corr: Option<&Direction>,
    out: &mut Direction,
    sc: &mut Scratch,
) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 is present on this CPU.
        return unsafe { direction_avx2(c, sigma_mu, refine, corr, out, sc) };
    }
    direction(c, sigma_mu, refine, corr, out, sc)
}

/// [`direction`] compiled for AVX2 (no FMA: the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn direction_avx2(
    c: &DirectionContext,
    sigma_mu: f64,
    refine: usize,
    corr: Option<&Direction>,
    out: &mut Direction,
    sc: &mut Scratch,
) {
    direction(c, sigma_mu, refine, corr, out, sc)
}

/// One direction for the given σμ and second-order terms (the predictor's, for the corrector)
/// into `out`.
#[inline(always)]
fn direction(
    c: &DirectionContext,
    sigma_mu: f64,
    refine: usize,
    corr: Option<&Direction>,
    out: &mut Direction,
    sc: &mut Scratch,
) {
    let DirectionContext {
        rows,
        tiles,
        lam,
        s,
        rp,
        rd,
        w,
        zm,
        kmat,
        l1,
        col0,
        r0,
    } = *c;
    let (m, n, d) = (lam.len(), rd.len(), zm.nrows());
    let (nv, k1) = (d * (d + 1) / 2, n - 1);
    // q = (σμ − λs − Δλₐ∘Δsₐ + λ∘r_p)/s
    for r in 0..m {
        let cr = corr.map_or(0.0, |a| a.dl[r] * a.ds[r]);
        sc.q[r] = (sigma_mu - lam[r] * s[r] - cr + lam[r] * rp[r]) / s[r];
    }
    for (v, (&wv, &z)) in sc.rz.iter_mut().zip(w.iter().zip(zm.iter())) {
        *v = wv * sigma_mu - z;
    }
    if let Some(a) = corr {
        a.dz.mul_to(&a.dg, &mut sc.t1);
        sc.t1.mul_to(w, &mut sc.t2);
        sym_sub(&mut sc.rz, &sc.t2);
    }
    tiles.at_mul(&sc.q, &mut sc.b);
    svec(&sc.rz, &mut sc.rzv);
    for (k, (b, &r)) in sc.b.iter_mut().zip(rd).enumerate() {
        *b = r - *b + if k < nv { sc.rzv[k] } else { 0.0 };
    }
    let du0 = -r0;
    for i in 1..n {
        sc.x[i - 1] = sc.b[i] - kmat[i * n] * du0;
    }
    solve_outlined(l1, k1, &mut sc.x);
    let mut round = 0;
    loop {
        out.du[0] = du0;
        out.du[1..].copy_from_slice(&sc.x);
        a_mul(rows, &out.du, &mut sc.adu);
        for r in 0..m {
            out.dl[r] = sc.q[r] + lam[r] / s[r] * sc.adu[r];
        }
        smat_to(&out.du[..nv], &mut out.dg);
        zm.mul_to(&out.dg, &mut sc.t1);
        sc.t1.mul_to(w, &mut sc.t2);
        out.dz.copy_from(&sc.rz);
        sym_sub(&mut out.dz, &sc.t2);
        // the dual equation −e₀Δτ − AᵀΔλ + svec ΔZ = −r_d: row 0 gives Δτ, the others'
        // residual is the Schur solve's (K Δu − b), refined against the formulas above;
        // the last round needs only Δτ (row 0 of AᵀΔλ)
        let done = if round == refine {
            let atdl0 = col0.iter().fold(0.0, |a, &(r, v)| a + v * out.dl[r]);
            out.dtau = rd[0] - atdl0 + out.dz[(0, 0)];
            true
        } else {
            tiles.at_mul(&out.dl, &mut sc.atdl);
            svec(&out.dz, &mut sc.dzv);
            out.dtau = rd[0] - sc.atdl[0] + sc.dzv[0];
            for (k, v) in sc.res.iter_mut().enumerate().map(|(i, v)| (i + 1, v)) {
                *v = -rd[k] + sc.atdl[k] - if k < nv { sc.dzv[k] } else { 0.0 };
            }
            let size = inf_norm(&sc.atdl).max(inf_norm(&sc.dzv)).max(inf_norm(rd));
            inf_norm(&sc.res) <= 1e-15 * size
        };
        if done {
            for (v, (&p, &a)) in out.ds.iter_mut().zip(rp.iter().zip(&sc.adu)) {
                *v = -p - a;
            }
            break;
        }
        for (v, &r) in sc.dx.iter_mut().zip(&sc.res) {
            *v = -r;
        }
        solve_outlined(l1, k1, &mut sc.dx);
        sc.x.iter_mut().zip(&sc.dx).for_each(|(a, b)| *a += b);
        round += 1;
    }
}

/// Columns per tile of [`Tiles`].
const TILE: usize = 4;

/// The rows of A cut into tiles of [`TILE`] consecutive columns (a tile for each group of
/// columns where the row has an entry, zeros elsewhere; the last group of a row ending past
/// column n moved left to end at n), so that AᵀDA and Aᵀy are added tile by tile:
/// K_i,[c, c+4) += (d_r·a_ri)·a_r,[c, c+4) for every entry a_ri of row r and every tile of that
/// row up to i's, and (Aᵀy)_[c, c+4) += y_r·a_r,[c, c+4), the rows in order. Each entry of the
/// lower triangle of K and of Aᵀy gets exactly the terms of the scalar loops ([`add_atda_scalar`],
/// [`at_mul`]) in the same order, plus (…)·0 = ±0 where row r has no entry, which leaves every
/// sum as it was (the sums start at +0 and never become −0); entries of K right of the diagonal
/// get values that nothing reads.
struct Tiles {
    /// Order of K.
    n: usize,
    /// The entries (i, a_ri) of the rows in order.
    entries: Vec<(usize, f64)>,
    /// Per row, the range of its entries and of its tiles.
    rows: Vec<(usize, usize, usize, usize)>,
    /// First column of each tile.
    start: Vec<usize>,
    /// The row's values on the tile's columns.
    vals: Vec<[f64; TILE]>,
    /// Per entry, how many of its row's tiles come before or hold it.
    upto: Vec<usize>,
}

impl Tiles {
    /// The tiles of `rows` (indices increasing, all < n; n ≥ [`TILE`]).
    fn new(rows: &[Sparse], n: usize) -> Self {
        assert!(n >= TILE, "order {n} below a tile");
        let len = rows.iter().map(Vec::len).sum();
        let mut t = Tiles {
            n,
            entries: Vec::with_capacity(len),
            rows: Vec::with_capacity(rows.len()),
            start: Vec::new(),
            vals: Vec::new(),
            upto: Vec::with_capacity(len),
        };
        for row in rows {
            let (first, tile) = (t.entries.len(), t.start.len());
            for &(j, v) in row {
                assert!(j < n, "column {j} of a row of order {n}");
                let c = (j / TILE * TILE).min(n - TILE);
                if t.start.len() == tile || *t.start.last().expect("a tile") != c {
                    t.start.push(c);
                    t.vals.push([0.0; TILE]);
                }
                t.vals.last_mut().expect("a tile")[j - c] = v;
                t.upto.push(t.start.len() - tile);
                t.entries.push((j, v));
            }
            t.rows.push((first, t.entries.len(), tile, t.start.len()));
        }
        t
    }

    /// kmat (row-major n × n) += AᵀDA, D = diag(λ/s) (one λ_r and s_r per row), on and below
    /// the diagonal.
    fn add_atda(&self, lam: &[f64], s: &[f64], kmat: &mut [f64]) {
        assert!(kmat.len() >= self.n * self.n);
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx") {
            // SAFETY: AVX is present on this CPU; the assert above bounds every tile's stores.
            return unsafe { self.add_atda_avx(lam, s, kmat) };
        }
        self.each_tile(lam, s, |t, c, v| add_tile(&mut kmat[c..c + TILE], t, v));
    }

    /// [`Tiles::add_atda`] with one 4-lane multiply and add per tile (no FMA: the same bits).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    fn add_atda_avx(&self, lam: &[f64], s: &[f64], kmat: &mut [f64]) {
        let k = kmat.as_mut_ptr();
        self.each_tile(lam, s, |t, c, v| {
            // SAFETY: c = i·n + (a tile's start) ≤ i·n + n − TILE with i < n (both checked in
            // `new`), so c + TILE ≤ n·n ≤ kmat.len() (asserted in `add_atda`).
            unsafe { add_tile_avx(k.add(c), t, v) }
        });
    }

    /// Calls `f(d_r·a_ri, offset i·n + c of the tile in kmat, the tile's values)` for every entry
    /// a_ri and every tile of row r up to i's, rows in order.
    #[inline(always)]
    fn each_tile(&self, lam: &[f64], s: &[f64], mut f: impl FnMut(f64, usize, &[f64; TILE])) {
        for (r, &(first, end, tile, _)) in self.rows.iter().enumerate() {
            let dr = lam[r] / s[r];
            for (&(i, vi), &upto) in self.entries[first..end].iter().zip(&self.upto[first..end]) {
                let t = dr * vi;
                let tiles = tile..tile + upto;
                for (&c, v) in self.start[tiles.clone()].iter().zip(&self.vals[tiles]) {
                    f(t, i * self.n + c, v);
                }
            }
        }
    }

    /// out = Aᵀy (out of length n, y one value per row), as [`at_mul`] sums it.
    fn at_mul(&self, y: &[f64], out: &mut [f64]) {
        assert!(out.len() == self.n && y.len() == self.rows.len());
        out.iter_mut().for_each(|v| *v = 0.0);
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx") {
            // SAFETY: AVX is present on this CPU; every tile ends at or before n = out.len().
            return unsafe { self.at_mul_avx(y, out) };
        }
        for (&(_, _, t0, t1), &yr) in self.rows.iter().zip(y) {
            for (&c, v) in self.start[t0..t1].iter().zip(&self.vals[t0..t1]) {
                add_tile(&mut out[c..c + TILE], yr, v);
            }
        }
    }

    /// [`Tiles::at_mul`] with one 4-lane multiply and add per tile.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    fn at_mul_avx(&self, y: &[f64], out: &mut [f64]) {
        let o = out.as_mut_ptr();
        for (&(_, _, t0, t1), &yr) in self.rows.iter().zip(y) {
            for (&c, v) in self.start[t0..t1].iter().zip(&self.vals[t0..t1]) {
                // SAFETY: c + TILE ≤ n = out.len() (`new` and the assert in `at_mul`).
                unsafe { add_tile_avx(o.add(c), yr, v) }
            }
        }
    }
}

/// k += t·v, lane by lane.
#[inline(always)]
fn add_tile(k: &mut [f64], t: f64, v: &[f64; TILE]) {
    for (k, &v) in k.iter_mut().zip(v) {
        *k += t * v;
    }
}

/// [`add_tile`] on the four doubles at `k` in one multiply and one add (no FMA: the same bits).
///
/// # Safety
/// AVX must be present and `k..k + 4` valid for reads and writes.
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "avx")]
unsafe fn add_tile_avx(k: *mut f64, t: f64, v: &[f64; TILE]) {
    use std::arch::x86_64::{
        _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_storeu_pd,
    };
    // SAFETY: the caller's.
    unsafe {
        let prod = _mm256_mul_pd(_mm256_set1_pd(t), _mm256_loadu_pd(v.as_ptr()));
        _mm256_storeu_pd(k, _mm256_add_pd(_mm256_loadu_pd(k), prod));
    }
}

/// AᵀDA added entry by entry, the route [`Tiles::add_atda`] replaces (kept for its test).
#[cfg(test)]
fn add_atda_scalar(rows: &[Sparse], lam: &[f64], s: &[f64], kmat: &mut [f64], n: usize) {
    for (r, row) in rows.iter().enumerate() {
        let dr = lam[r] / s[r];
        for (p, &(i, vi)) in row.iter().enumerate() {
            let t = dr * vi;
            let krow = &mut kmat[i * n..i * n + i + 1];
            // rows are sorted by index: the entries up to p are the lower triangle
            for &(j, vj) in &row[..=p] {
                krow[j] += t * vj;
            }
        }
    }
}

/// A u over the sparse rows, each row's sum in order from −0 (as `Iterator::sum`), four rows
/// side by side so that their chains of additions overlap.
#[inline(always)]
fn a_mul(rows: &[Sparse], u: &[f64], out: &mut [f64]) {
    let quads = rows.len() / 4 * 4;
    for (rs, out) in rows[..quads].chunks_exact(4).zip(out.chunks_exact_mut(4)) {
        let common = rs.iter().map(Vec::len).min().unwrap_or(0);
        let mut acc = [-0.0f64; 4];
        for k in 0..common {
            for (a, row) in acc.iter_mut().zip(rs) {
                let (j, v) = row[k];
                *a += v * u[j];
            }
        }
        for ((a, row), o) in acc.iter_mut().zip(rs).zip(out) {
            for &(j, v) in &row[common..] {
                *a += v * u[j];
            }
            *o = *a;
        }
    }
    for (r, row) in rows.iter().enumerate().skip(quads) {
        out[r] = row.iter().map(|&(k, v)| v * u[k]).sum();
    }
}

/// Aᵀ y over the sparse rows, the route [`Tiles::at_mul`] replaces (kept for its test).
#[cfg(test)]
fn at_mul(rows: &[Sparse], y: &[f64], out: &mut [f64]) {
    out.iter_mut().for_each(|v| *v = 0.0);
    for (r, row) in rows.iter().enumerate() {
        for &(k, v) in row {
            out[k] += v * y[r];
        }
    }
}

/// Solve the PEP with rows ⟨a_r, u⟩ ≤ 0 over u = (svec G, f), G of order d with N = `steps`
/// values, objective max ⟨c, u_G⟩ (`c` over svec positions). `None` when the method does not
/// meet the tolerances within [`MAX_ITER`] iterations or loses positive definiteness (the caller
/// then falls back to clarabel).
pub(super) fn solve(
    rows: &[Sparse],
    c_obj: &Sparse,
    d: usize,
    steps: usize,
) -> Option<IpmSolution> {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 is present on this CPU.
        return unsafe { solve_avx2(rows, c_obj, d, steps) };
    }
    solve_body(rows, c_obj, d, steps)
}

/// [`solve`] compiled for AVX2 (4 doubles per vector; no FMA: the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn solve_avx2(rows: &[Sparse], c_obj: &Sparse, d: usize, steps: usize) -> Option<IpmSolution> {
    solve_body(rows, c_obj, d, steps)
}

#[inline(always)]
fn solve_body(rows: &[Sparse], c_obj: &Sparse, d: usize, steps: usize) -> Option<IpmSolution> {
    let nv = d * (d + 1) / 2;
    let n = nv + steps;
    let m = rows.len();
    let pairs = svec_pairs(d);
    let mut c = vec![0.0; n];
    for &(k, v) in c_obj {
        c[k] += v;
    }
    let scale_c = inf_norm(&c).max(1.0);
    // start: G = I, f = 0, s = λ = 1, Z = I, τ = 0
    let mut u = vec![0.0; n];
    for i in 0..d {
        u[svec_pos(i, i)] = 1.0;
    }
    let mut s = vec![1.0; m];
    let mut lam = vec![1.0; m];
    let mut zm = DMatrix::<f64>::identity(d, d);
    let mut tau = 0.0;

    let mut au = vec![0.0; m];
    let mut atl = vec![0.0; n];
    let mut zv = vec![0.0; nv];
    let mut kmat = vec![0.0; n * n];
    let tiles = Tiles::new(rows, n);
    let (mut zf, mut wt) = (vec![0.0; d * d], vec![0.0; d * d]);
    // K without row and column 0 (u₀ is fixed by the equality), factored in place; only the lower
    // triangle is written and read
    let k1 = n - 1;
    let ks = k1 + BLOCK - 1;
    let (mut lc, mut lj) = (vec![0.0; k1 * ks], vec![0.0; k1]);
    let mut l1 = vec![0.0; k1 * k1];
    let mut rd = vec![0.0; n];
    let mut work = (small::Work::new(d), small::Work::new(d));
    let (mut lg, mut lz, mut w) = (
        DMatrix::<f64>::zeros(d, d),
        DMatrix::<f64>::zeros(d, d),
        DMatrix::<f64>::zeros(d, d),
    );
    let mut inv_rows = vec![0.0; d * d];
    let mut rp = vec![0.0; m];
    let (mut pred, mut corr) = (Direction::new(n, m, d), Direction::new(n, m, d));
    let mut sc = Scratch::new(n, m, d);
    // the entries of column 0 of A (row, value), in row order
    let col0: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .flat_map(|(r, row)| row.iter().filter(|e| e.0 == 0).map(move |e| (r, e.1)))
        .collect();
    let mut iterations = 0;
    let mut best: Option<(f64, IpmSolution)> = None;
    loop {
        let g = smat(&u[..nv], d);
        // residuals
        a_mul(rows, &u, &mut au);
        for r in 0..m {
            rp[r] = au[r] + s[r];
        }
        tiles.at_mul(&lam, &mut atl);
        svec(&zm, &mut zv);
        for k in 0..n {
            rd[k] = c[k] - atl[k] + if k < nv { zv[k] } else { 0.0 };
        }
        rd[0] -= tau;
        let r0 = u[0] - 1.0;
        let pobj = dot(&c, &u);
        let gap = (pobj - tau).abs();
        let gz = g.dot(&zm);
        let mu = (dot(&lam, &s) + gz) / (m + d) as f64;
        let pinf = inf_norm(&rp).max(r0.abs()) / inf_norm(&s).max(1.0);
        let dinf = inf_norm(&rd) / inf_norm(&atl).max(inf_norm(&zv)).max(scale_c);
        let done =
            (gap <= TOL_GAP_ABS || gap <= TOL_GAP_REL * tau.abs()) && pinf.max(dinf) <= TOL_FEAS;
        let score = (gap / tau.abs().max(1e-3)).max(pinf).max(dinf);
        if done || score <= LOOSE && best.as_ref().is_none_or(|b| score < b.0) {
            best = Some((
                score,
                IpmSolution {
                    tau,
                    gap,
                    iterations,
                    multipliers: lam.clone(),
                    gram: u[..nv].to_vec(),
                    values: u[nv..].to_vec(),
                },
            ));
        }
        if done {
            break;
        }
        if iterations >= MAX_ITER {
            break;
        }
        // the factors of G and Z and G⁻¹, nalgebra's operations on reused buffers (small)
        lg.copy_from(&g);
        if !small::cholesky(lg.as_mut_slice(), d) {
            break;
        }
        lz.copy_from(&zm);
        if !small::cholesky(lz.as_mut_slice(), d) {
            break;
        }
        small::cholesky_inverse(lg.as_slice(), d, w.as_mut_slice(), &mut inv_rows);
        lg.fill_upper_triangle(0.0, 1);
        lz.fill_upper_triangle(0.0, 1);
        // Schur complement K = AᵀDA + Z ⊛ G⁻¹ (row-major n × n)
        kmat.iter_mut().for_each(|v| *v = 0.0);
        tiles.add_atda(&lam, &s, &mut kmat);
        // Z ⊛ G⁻¹ from row-major copies: zf[r·d + c] = Z_rc, wt[c·d + r] = W_rc
        for r in 0..d {
            for c in 0..d {
                zf[r * d + c] = zm[(r, c)];
                wt[c * d + r] = w[(r, c)];
            }
        }
        for (a, &(i, j, aa)) in pairs.iter().enumerate() {
            let (zi, zj) = (&zf[i * d..i * d + d], &zf[j * d..j * d + d]);
            let (wi, wj) = (&wt[i * d..i * d + d], &wt[j * d..j * d + d]);
            let krow = &mut kmat[a * n..a * n + a + 1];
            for (kv, &(k, l, ab)) in krow.iter_mut().zip(&pairs[..=a]) {
                let h = aa * ab * (zj[k] * wi[l] + zj[l] * wi[k] + zi[k] * wj[l] + zi[l] * wj[k]);
                *kv += h;
            }
        }
        // factor the block without u₀ (rows/cols 1..) by columns, then L by rows for the solves
        for i in 0..k1 {
            for (j, &v) in kmat[(i + 1) * n + 1..(i + 1) * n + i + 2]
                .iter()
                .enumerate()
            {
                lc[j * ks + i] = v;
            }
        }
        if !cholesky_outlined(&mut lc, k1, ks, &mut lj) {
            break;
        }
        for i in 0..k1 {
            for (j, v) in l1[i * k1..i * k1 + i + 1].iter_mut().enumerate() {
                *v = lc[j * ks + i];
            }
        }
        iterations += 1;
        let ctx = DirectionContext {
            rows,
            tiles: &tiles,
            lam: &lam,
            s: &s,
            rp: &rp,
            rd: &rd,
            w: &w,
            zm: &zm,
            kmat: &kmat,
            l1: &l1,
            col0: &col0,
            r0,
        };
        let steps_of = |work: &mut (small::Work, small::Work), dir: &Direction, cap: f64| {
            let (lp, ld) = (
                max_step_lp(&s, &dir.ds, cap),
                max_step_lp(&lam, &dir.dl, cap),
            );
            let (sp, sd) = max_step_psd_pair(
                (&mut work.0, &mut work.1),
                (&lg, &lz),
                (&dir.dg, &dir.dz),
                cap,
                (lp, ld),
            );
            (lp.min(sp.unwrap_or(0.0)), ld.min(sd.unwrap_or(0.0)))
        };
        // predictor
        direction_outlined(&ctx, 0.0, 0, None, &mut pred, &mut sc);
        let (ap, ad) = steps_of(&mut work, &pred, 1.0);
        for (v, (&a, &b)) in sc.t1.iter_mut().zip(g.iter().zip(pred.dg.iter())) {
            *v = a + b * ap;
        }
        for (v, (&a, &b)) in sc.t2.iter_mut().zip(zm.iter().zip(pred.dz.iter())) {
            *v = a + b * ad;
        }
        let gz_a = sc.t1.dot(&sc.t2);
        let ls_a: f64 = (0..m)
            .map(|r| (s[r] + ap * pred.ds[r]) * (lam[r] + ad * pred.dl[r]))
            .sum();
        let mu_a = (gz_a + ls_a) / (m + d) as f64;
        let sigma = (mu_a / mu).clamp(0.0, 1.0).powi(3);
        // corrector
        direction_outlined(&ctx, sigma * mu, REFINE, Some(&pred), &mut corr, &mut sc);
        let (du, ds, dl, dz, dtau) = (&corr.du, &corr.ds, &corr.dl, &corr.dz, corr.dtau);
        let (ap, ad) = steps_of(&mut work, &corr, 1e30);
        let gamma = 0.9 + 0.09 * ap.min(ad).min(1.0);
        let (ap, ad) = ((gamma * ap).min(1.0), (gamma * ad).min(1.0));
        if ap.max(ad) < 1e-3 {
            break; // stalled
        }
        for k in 0..n {
            u[k] += ap * du[k];
        }
        for r in 0..m {
            s[r] += ap * ds[r];
            lam[r] += ad * dl[r];
        }
        for (z, &v) in zm.iter_mut().zip(dz.iter()) {
            *z += v * ad;
        }
        sc.t1.copy_from(&zm);
        for c in 0..d {
            for r in 0..d {
                zm[(r, c)] = (sc.t1[(r, c)] + sc.t1[(c, r)]) * 0.5;
            }
        }
        tau += ad * dtau;
    }
    best.map(|b| b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AᵀDA and Aᵀy by tiles are the scalar loops bit for bit, and Au four rows at a time is each
    /// row's `sum`, on the rows of PEPs (both bases, orders that are not a whole number of tiles
    /// included) with λ and s spread over 1e-12–1e12; a tile one column off is seen.
    #[test]
    fn atda_by_tiles_is_the_scalar_loop() {
        let mut state = 5u64;
        let mut draw = |lo: f64, hi: f64| lo + (hi - lo) * crate::numeric::lcg_uniform(&mut state);
        let (mut checked, mut moved) = (0, 0);
        for steps in 1..=9 {
            for form in [
                super::super::Formulation::IterateDual,
                super::super::Formulation::GradientPrimal,
            ] {
                let m = crate::Method::general(draw(0.05, 0.3), draw(-0.5, 0.9), draw(-0.5, 1.0))
                    .unwrap();
                let (pts, _) = super::super::points(&vec![m; steps], form);
                let rows = super::super::interpolation_rows(&pts, draw(0.0, 1.0), 2.0);
                let d = steps + 1;
                let n = d * (d + 1) / 2 + steps;
                let lam: Vec<f64> = rows.iter().map(|_| 10f64.powf(draw(-12.0, 12.0))).collect();
                let s: Vec<f64> = rows.iter().map(|_| 10f64.powf(draw(-12.0, 12.0))).collect();
                let (mut a, mut b) = (vec![0.0; n * n], vec![0.0; n * n]);
                let tiles = Tiles::new(&rows, n);
                tiles.add_atda(&lam, &s, &mut a);
                add_atda_scalar(&rows, &lam, &s, &mut b, n);
                // Aᵀy by tiles, Au four rows at a time
                let y: Vec<f64> = rows
                    .iter()
                    .map(|_| draw(-1.0, 1.0) * 10f64.powf(draw(-9.0, 9.0)))
                    .collect();
                let u: Vec<f64> = (0..n)
                    .map(|_| draw(-1.0, 1.0) * 10f64.powf(draw(-9.0, 9.0)))
                    .collect();
                let (mut ty, mut sy) = (vec![7.0; n], vec![7.0; n]);
                tiles.at_mul(&y, &mut ty);
                at_mul(&rows, &y, &mut sy);
                let (mut au, mut su) = (vec![7.0; rows.len()], vec![7.0; rows.len()]);
                a_mul(&rows, &u, &mut au);
                for (r, row) in rows.iter().enumerate() {
                    su[r] = row.iter().map(|&(k, v)| v * u[k]).sum();
                }
                for (x, z) in ty.iter().zip(&sy).chain(au.iter().zip(&su)) {
                    assert_eq!(x.to_bits(), z.to_bits());
                }
                for i in 0..n {
                    for j in 0..=i {
                        assert_eq!(a[i * n + j].to_bits(), b[i * n + j].to_bits(), "{i} {j}");
                        checked += usize::from(b[i * n + j] != 0.0);
                    }
                }
                // the same tiles with the fullest one a column to the right (still inside K, so
                // not at N = 1, where K is one tile wide) are not
                let mut off = Tiles::new(&rows, n);
                let Some(k) = (0..off.start.len())
                    .filter(|&k| off.start[k] + TILE < n)
                    .max_by_key(|&k| off.vals[k].iter().filter(|v| **v != 0.0).count())
                else {
                    continue;
                };
                moved += 1;
                off.start[k] += 1;
                // (with equal weights, so that no row is lost in the rounding of another)
                let one = vec![1.0; rows.len()];
                a.iter_mut().for_each(|v| *v = 0.0);
                b.iter_mut().for_each(|v| *v = 0.0);
                off.add_atda(&one, &one, &mut a);
                add_atda_scalar(&rows, &one, &one, &mut b, n);
                assert!((0..n).any(|i| (0..=i).any(|j| a[i * n + j] != b[i * n + j])));
            }
        }
        assert!(checked > 5000 && moved == 16, "{checked} {moved}");
    }

    /// The Cholesky shortcut of `max_step_psd` gives min(LP step, PSD step) bit for bit as the
    /// eigenvalue does: LP steps well below, just below, at and just above the PSD step, on random
    /// X = LLᵀ (some badly scaled) and ΔX; and the PSD step by Sturm counts is within 1e-12 of
    /// `max_step_psd_nalgebra`'s (nalgebra's eigenvalues), ΔX not exactly symmetric included.
    #[test]
    fn psd_step_shortcut_is_the_eigenvalue_answer() {
        let mut state = 11u64;
        let mut draw = |lo: f64, hi: f64| lo + (hi - lo) * crate::numeric::lcg_uniform(&mut state);
        for case in 0..300 {
            let d = 1 + case % 12;
            let b = DMatrix::from_fn(d, d, |_, _| draw(-1.0, 1.0));
            let mut x = &b * b.transpose() + DMatrix::identity(d, d) * 1e-3;
            if case % 5 == 0 {
                x[(0, 0)] += 1e6; // badly scaled
            }
            let l = x.clone().cholesky().unwrap().l();
            let c = DMatrix::from_fn(d, d, |_, _| draw(-1.0, 1.0));
            let mut dx = &c + c.transpose();
            if case % 3 == 1 {
                // ΔZ = R − sym(·) with R from a computed inverse: symmetric up to rounding
                for r in 1..d {
                    dx[(r, r - 1)] *= 1.0 + f64::EPSILON;
                }
            }
            let cap = if case % 2 == 0 { 1.0 } else { 1e30 };
            // the eigenvalue route alone: `at_least` = ∞ skips the test
            let mut w = small::Work::new(d);
            let exact = max_step_psd(&mut w, &l, &dx, cap, f64::INFINITY).unwrap();
            let first = max_step_psd_nalgebra(&l, &dx, cap, f64::INFINITY).unwrap();
            // both eigenvalues are within ~dε·max|M_ij| absolute (and Sturm's 1e-13 relative) of
            // λ_min, so the steps −1/λ within that times α²
            let a = l.solve_lower_triangular(&dx).unwrap();
            let size = l.solve_lower_triangular(&a.transpose()).unwrap().amax();
            let tol = 1e-12 * first + first * first * 8.0 * d as f64 * f64::EPSILON * size;
            assert!((exact - first).abs() <= tol, "{case}: {exact} {first}");
            for f in [
                0.0,
                0.3,
                0.9,
                1.0 - 1e-9,
                1.0 - 1e-14,
                1.0,
                1.0 + 1e-14,
                1.5,
            ] {
                let lp = (exact * f).min(cap);
                let got = lp.min(max_step_psd(&mut w, &l, &dx, cap, lp).unwrap());
                // above the PSD step (f > 1) a wrong shortcut would answer lp instead of it
                assert_eq!(got.to_bits(), lp.min(exact).to_bits(), "{case} {f}");
            }
        }
    }
}
