//! Eigenvalues of a dense symmetric matrix in two steps: a blocked Householder reduction to
//! tridiagonal form (the lower-triangle scheme of LAPACK's `dsytrd`/`dlatrd`: per column one
//! symmetric matrix–vector product that only reads the trailing triangle, the panel's reflectors
//! applied to it lazily, and one rank-2k update per panel by faer's matrix product), then the
//! implicit QL iteration with Wilkinson shifts on the tridiagonal matrix. From
//! [`TWO_STAGE_FROM`] rows the reduction goes through a band instead (LAPACK's two-stage
//! `dsytrd_2stage` scheme): blocked QR panels and matrix products to a band of [`BAND`]
//! sub-diagonals, then bulge chasing to tridiagonal form; it does not read the whole trailing
//! matrix once per column, which bounds the one-stage reduction once the matrix leaves the cache.
//!
//! Why not faer's own `self_adjoint_evd`: its reduction applies every reflector to the trailing
//! matrix at once (a fused level-2 pass that reads and writes it per column), twice the memory
//! traffic of the blocked scheme, which is what bounds both once the matrix leaves the cache
//! (docs/DESIGN.md, "Dense spectra").
//!
//! Every step is backward stable: the eigenvalues are those of A + E with ‖E‖ a small multiple
//! of n·ε·‖A‖ (Golub & Van Loan, *Matrix Computations*, §8.3 and §8.3.5).

use faer::linalg::matmul::triangular::{BlockStructure, matmul};
use faer::{Accum, MatMut, MatRef, Par};

/// Columns per panel (LAPACK's `dsytrd` default).
const NB: usize = 32;

/// The size from which [`eigenvalues`] reduces in two stages ([`tridiagonalize_two_stage`]): the
/// two are level at n = 1600 (20 MB, inside a 32 MB last-level cache) on one thread, and the
/// one-stage reduction slows by a third once the matrix leaves the cache (docs/DESIGN.md, "Dense
/// spectra").
const TWO_STAGE_FROM: usize = 1600;

/// QL sweeps allowed per eigenvalue before giving up (LAPACK's `dsterf` allows 30 per
/// eigenvalue on average; a Wilkinson shift converges cubically, in 2–3 sweeps typically).
const MAX_SWEEPS: usize = 60;

/// The eigenvalues, ascending, of the symmetric n × n matrix whose lower triangle is stored
/// column-major in `a` (the strict upper triangle is not read; `a` is overwritten); `None` if the
/// QL iteration does not converge (the caller then takes another solver).
pub(super) fn eigenvalues(a: &mut [f64], n: usize, par: Par) -> Option<Vec<f64>> {
    assert_eq!(a.len(), n * n);
    let (mut d, mut e) = if n >= TWO_STAGE_FROM {
        tridiagonalize_two_stage(a, n, BAND, par)
    } else {
        tridiagonalize(a, n, par)
    };
    tridiagonal_ql(&mut d, &mut e)?;
    d.sort_by(f64::total_cmp);
    Some(d)
}

/// Householder reduction Qᵀ A Q = T of the lower triangle: (diagonal, sub-diagonal) of T.
fn tridiagonalize(a: &mut [f64], n: usize, par: Par) -> (Vec<f64>, Vec<f64>) {
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n.saturating_sub(1)];
    if n == 0 {
        return (d, e);
    }
    // W of the current panel, column-major with n rows (rows indexed as in A)
    let mut w = vec![0.0; n * NB];
    let mut y = vec![0.0; n];
    let mut p = 0;
    while p + 1 < n {
        let b = NB.min(n - 1 - p);
        panel(a, n, p, b, &mut w, &mut y, &mut d, &mut e);
        let q = p + b;
        // A[q.., q..] −= V Wᵀ + W Vᵀ on the lower triangle, V = A[q.., p..q], W = w[q.., ..b]
        let (left, right) = a.split_at_mut(q * n);
        let v = MatRef::from_column_major_slice_with_stride(&left[q + p * n..], n - q, b, n);
        let wm = MatRef::from_column_major_slice_with_stride(&w[q..], n - q, b, n);
        let mut dst =
            MatMut::from_column_major_slice_with_stride_mut(&mut right[q..], n - q, n - q, n);
        for (l, r) in [(v, wm), (wm, v)] {
            matmul(
                dst.as_mut(),
                BlockStructure::TriangularLower,
                Accum::Add,
                l,
                BlockStructure::Rectangular,
                r.transpose(),
                BlockStructure::Rectangular,
                -1.0,
                par,
            );
        }
        p = q;
    }
    d[n - 1] = a[(n - 1) * (n + 1)];
    (d, e)
}

/// Bandwidth of the two-stage reduction's band (and the width of its QR panels).
const BAND: usize = 32;

/// Two-stage reduction Qᵀ A Q = T of the lower triangle (the scheme of LAPACK's
/// `dsytrd_sy2sb` + `dsytrd_sb2st`): blocked QR panels bring A to a band of [`BAND`]
/// sub-diagonals with matrix products only ([`to_band`]), then Householder bulge chasing takes
/// the band to tridiagonal form ([`band_to_tridiagonal`]). The first stage reads the trailing
/// matrix twice per panel instead of once per column, which is what bounds the one-stage
/// reduction once the matrix leaves the cache.
fn tridiagonalize_two_stage(
    a: &mut [f64],
    n: usize,
    band: usize,
    par: Par,
) -> (Vec<f64>, Vec<f64>) {
    to_band(a, n, band, par);
    // the band in compact storage: (r, c) with 0 ≤ r − c ≤ 2·band at r + c·2·band (column c from
    // c·(2·band + 1)), room for the
    // bulge (r − c < 2·band) that the second stage chases down
    let ld = 2 * band;
    let mut ab = vec![0.0; n * (ld + 1)];
    for c in 0..n {
        let rows = c..(c + band + 1).min(n);
        ab[rows.start + c * ld..rows.end + c * ld]
            .copy_from_slice(&a[rows.start + c * n..rows.end + c * n]);
    }
    band_to_tridiagonal(&mut ab, n, band)
}

/// First stage: Qᵀ A Q with `band` sub-diagonals, in place in the lower triangle of `a`
/// (column-major, n × n). For each panel of `band` columns, the Householder QR V, T, R of the
/// block below the band (R stays in the band, the rest becomes 0), then the trailing matrix
/// A₂₂ ← (I − VTVᵀ)ᵀ A₂₂ (I − VTVᵀ) = A₂₂ − ZVᵀ − VZᵀ with W = A₂₂VT and Z = W − ½V(TᵀVᵀW).
#[inline(never)] // one call per matrix; out of line, profiles name it
fn to_band(a: &mut [f64], n: usize, band: usize, par: Par) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        return unsafe { to_band_avx2(a, n, band, par) };
    }
    to_band_body(a, n, band, par)
}

/// [`to_band`]'s own loops (the panels' QR) four lanes wide, as [`band_to_tridiagonal_avx2`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn to_band_avx2(a: &mut [f64], n: usize, band: usize, par: Par) {
    to_band_body(a, n, band, par)
}

#[inline(always)]
fn to_band_body(a: &mut [f64], n: usize, band: usize, par: Par) {
    let mut v = vec![0.0; n * band];
    let mut x = vec![0.0; n * band];
    let mut z = vec![0.0; n * band];
    let mut t = vec![0.0; band * band];
    let mut s = vec![0.0; band];
    let mut taus = vec![0.0; band];
    let mut k = 0;
    // a panel is needed while some entry lies more than `band` below the diagonal
    while k + band + 1 < n {
        let q = k + band;
        let m = n - q;
        let r = band.min(m);
        // Householder QR of the m × band block A[q.., k..q] (LAPACK's dgeqr2)
        for j in 0..r {
            let col = (k + j) * n;
            let (tau, beta) = reflector(&mut a[col + q + j..col + n]);
            taus[j] = tau;
            if tau != 0.0 {
                let (left, right) = a.split_at_mut(col + n);
                let vj = &left[col + q + j + 1..];
                for c in (j + 1)..band {
                    let other = &mut right[(c - j - 1) * n + q + j..(c - j) * n];
                    let (head, tail) = other.split_first_mut().expect("m > j");
                    let sc = tau * (*head + dot(vj, tail));
                    *head -= sc;
                    for (o, &vv) in tail.iter_mut().zip(vj) {
                        *o -= sc * vv;
                    }
                }
            }
            a[col + q + j] = beta;
        }
        // V explicit (m × r, unit diagonal, zero above), the block below R zeroed
        for j in 0..r {
            let col = (k + j) * n;
            let vj = &mut v[j * m..(j + 1) * m];
            vj[..j].fill(0.0);
            vj[j] = 1.0;
            vj[j + 1..].copy_from_slice(&a[col + q + j + 1..col + n]);
            a[col + q + j + 1..col + n].fill(0.0);
        }
        // T upper triangular with H₀⋯H_{r−1} = I − VTVᵀ (LAPACK's dlarft, forward, by columns)
        for j in 0..r {
            t[j + j * band] = taus[j];
            for i in 0..j {
                let vi = &v[i * m + j..(i + 1) * m];
                let vj = &v[j * m + j..(j + 1) * m];
                s[i] = -taus[j] * dot(vi, vj);
            }
            for i in 0..j {
                let mut acc = 0.0;
                for l in i..j {
                    acc += t[i + l * band] * s[l];
                }
                t[i + j * band] = acc;
            }
        }
        let vm = MatRef::from_column_major_slice(&v[..m * r], m, r);
        let tm = MatRef::from_column_major_slice_with_stride(&t, r, r, band);
        let (_, trailing) = a.split_at_mut(q * n);
        let mut a22 = MatMut::from_column_major_slice_with_stride_mut(&mut trailing[q..], m, m, n);
        // X = A₂₂V from the lower triangle: tril(A₂₂)·V + strict_tril(A₂₂)ᵀ·V
        {
            let mut xm = MatMut::from_column_major_slice_mut(&mut x[..m * r], m, r);
            matmul(
                xm.as_mut(),
                BlockStructure::Rectangular,
                Accum::Replace,
                a22.as_ref(),
                BlockStructure::TriangularLower,
                vm,
                BlockStructure::Rectangular,
                1.0,
                par,
            );
            matmul(
                xm.as_mut(),
                BlockStructure::Rectangular,
                Accum::Add,
                a22.as_ref().transpose(),
                BlockStructure::StrictTriangularUpper,
                vm,
                BlockStructure::Rectangular,
                1.0,
                par,
            );
        }
        // W = X·T (into z), S = Tᵀ(VᵀW), Z = W − ½V·S
        let xm = MatRef::from_column_major_slice(&x[..m * r], m, r);
        let mut zm = MatMut::from_column_major_slice_mut(&mut z[..m * r], m, r);
        matmul(
            zm.as_mut(),
            BlockStructure::Rectangular,
            Accum::Replace,
            xm,
            BlockStructure::Rectangular,
            tm,
            BlockStructure::TriangularUpper,
            1.0,
            Par::Seq,
        );
        let mut vtw = faer::Mat::<f64>::zeros(r, r);
        faer::linalg::matmul::matmul(
            vtw.as_mut(),
            Accum::Replace,
            vm.transpose(),
            zm.as_ref(),
            1.0,
            Par::Seq,
        );
        let mut sm = faer::Mat::<f64>::zeros(r, r);
        matmul(
            sm.as_mut(),
            BlockStructure::Rectangular,
            Accum::Replace,
            tm.transpose(),
            BlockStructure::TriangularLower,
            vtw.as_ref(),
            BlockStructure::Rectangular,
            1.0,
            Par::Seq,
        );
        faer::linalg::matmul::matmul(zm.as_mut(), Accum::Add, vm, sm.as_ref(), -0.5, Par::Seq);
        // A₂₂ −= ZVᵀ + VZᵀ on the lower triangle
        let zr = zm.as_ref();
        for (l, rr) in [(zr, vm), (vm, zr)] {
            matmul(
                a22.as_mut(),
                BlockStructure::TriangularLower,
                Accum::Add,
                l,
                BlockStructure::Rectangular,
                rr.transpose(),
                BlockStructure::Rectangular,
                -1.0,
                par,
            );
        }
        k = q;
    }
}

/// Second stage: the band (`band` sub-diagonals, compact storage of [`tridiagonalize_two_stage`])
/// to tridiagonal form by Householder bulge chasing (Schwarz; Lang; LAPACK's `dsb2st_kernels`):
/// sweep j annihilates column j below its sub-diagonal with a reflector on rows j+1..j+band,
/// applied on both sides of the diagonal block; applied from the right, it fills the block below
/// (the bulge), whose first column the next reflector annihilates, and so on down the band.
/// Returns (diagonal, sub-diagonal).
#[inline(never)] // as `to_band`
fn band_to_tridiagonal(ab: &mut [f64], n: usize, band: usize) -> (Vec<f64>, Vec<f64>) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        return unsafe { band_to_tridiagonal_avx2(ab, n, band) };
    }
    band_to_tridiagonal_body(ab, n, band)
}

/// [`band_to_tridiagonal`]'s loops four lanes wide (the same operations: no contraction).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn band_to_tridiagonal_avx2(ab: &mut [f64], n: usize, band: usize) -> (Vec<f64>, Vec<f64>) {
    band_to_tridiagonal_body(ab, n, band)
}

#[inline(always)]
fn band_to_tridiagonal_body(ab: &mut [f64], n: usize, band: usize) -> (Vec<f64>, Vec<f64>) {
    let ld = 2 * band;
    let at = |r: usize, c: usize| r + c * ld;
    let mut v = vec![0.0; band];
    let mut u = vec![0.0; band];
    let mut p = vec![0.0; band];
    for j in 0..n.saturating_sub(2) {
        // the first reflector, of column j below its sub-diagonal
        let mut r = j + 1;
        let mut l = band.min(n - r);
        v[..l].copy_from_slice(&ab[at(r, j)..at(r, j) + l]);
        let (mut tau, beta) = reflector(&mut v[..l]);
        v[0] = 1.0;
        ab[at(r, j)] = beta;
        ab[at(r, j) + 1..at(r, j) + l].fill(0.0);
        loop {
            // D ← H D H on the diagonal block rows/columns r..r+l
            if tau != 0.0 {
                two_sided(&mut ab[at(r, r)..], ld, &v[..l], tau, &mut p[..l]);
            }
            let r1 = r + l;
            if r1 >= n {
                break;
            }
            let l1 = band.min(n - r1);
            // B ← B·H on the block rows r1..r1+l1, columns r..r+l (it fills: the bulge)
            if tau != 0.0 {
                let pb = &mut p[..l1];
                pb.fill(0.0);
                for (c, &vc) in v[..l].iter().enumerate() {
                    let col = &ab[at(r1, r + c)..at(r1, r + c) + l1];
                    for (pp, &bb) in pb.iter_mut().zip(col) {
                        *pp += bb * vc;
                    }
                }
                for (c, &vc) in v[..l].iter().enumerate() {
                    let sc = tau * vc;
                    let col = &mut ab[at(r1, r + c)..at(r1, r + c) + l1];
                    for (bb, &pp) in col.iter_mut().zip(pb.iter()) {
                        *bb -= pp * sc;
                    }
                }
            }
            // the next reflector annihilates the bulge's first column below its first row
            u[..l1].copy_from_slice(&ab[at(r1, r)..at(r1, r) + l1]);
            let (tau1, beta1) = reflector(&mut u[..l1]);
            u[0] = 1.0;
            ab[at(r1, r)] = beta1;
            ab[at(r1, r) + 1..at(r1, r) + l1].fill(0.0);
            // … and is applied from the left to the bulge's other columns
            if tau1 != 0.0 {
                for c in 1..l {
                    let col = &mut ab[at(r1, r + c)..at(r1, r + c) + l1];
                    let sc = tau1 * dot(&u[..l1], col);
                    for (bb, &uu) in col.iter_mut().zip(&u[..l1]) {
                        *bb -= sc * uu;
                    }
                }
            }
            std::mem::swap(&mut u, &mut v);
            (r, l, tau) = (r1, l1, tau1);
        }
    }
    let d = (0..n).map(|c| ab[at(c, c)]).collect();
    let e = (0..n.saturating_sub(1)).map(|c| ab[at(c + 1, c)]).collect();
    (d, e)
}

/// D ← (I − τvvᵀ) D (I − τvvᵀ) on the lower triangle of the symmetric l × l block at `d`
/// (leading dimension `ld`, l = v.len()): p = τDv, w = p − ½τ(pᵀv)v, D −= vwᵀ + wvᵀ.
#[inline(always)]
fn two_sided(d: &mut [f64], ld: usize, v: &[f64], tau: f64, p: &mut [f64]) {
    let l = v.len();
    symv_lower(d, ld, v, p);
    for x in p.iter_mut() {
        *x *= tau;
    }
    let half = -0.5 * tau * dot(p, v);
    for (x, &vv) in p.iter_mut().zip(v) {
        *x += half * vv;
    }
    for c in 0..l {
        let (vc, wc) = (v[c], p[c]);
        let col = &mut d[c * ld + c..c * ld + l];
        for ((x, &vr), &wr) in col.iter_mut().zip(&v[c..]).zip(&p[c..]) {
            *x -= vr * wc + wr * vc;
        }
    }
}

/// One panel of `b` columns from column `p` (LAPACK's `dlatrd`, lower): each column brought up
/// to date with the panel's earlier reflectors, its reflector H = I − τvvᵀ (v stored in place
/// below the diagonal, v₀ = 1), and w = τ(A₂₂v − V(Wᵀv) − W(Vᵀv)) − ½τ(wᵀv)·v with A₂₂ the
/// trailing matrix as of the panel's start.
#[allow(clippy::too_many_arguments)]
fn panel(
    a: &mut [f64],
    n: usize,
    p: usize,
    b: usize,
    w: &mut [f64],
    y: &mut [f64],
    d: &mut [f64],
    e: &mut [f64],
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        return unsafe { panel_avx2(a, n, p, b, w, y, d, e) };
    }
    panel_body(a, n, p, b, w, y, d, e)
}

/// [`panel`]'s loops vectorised four lanes wide.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(clippy::too_many_arguments)]
fn panel_avx2(
    a: &mut [f64],
    n: usize,
    p: usize,
    b: usize,
    w: &mut [f64],
    y: &mut [f64],
    d: &mut [f64],
    e: &mut [f64],
) {
    panel_body(a, n, p, b, w, y, d, e)
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn panel_body(
    a: &mut [f64],
    n: usize,
    p: usize,
    b: usize,
    w: &mut [f64],
    y: &mut [f64],
    d: &mut [f64],
    e: &mut [f64],
) {
    let mut t1 = [0.0; NB];
    let mut t2 = [0.0; NB];
    for i in 0..b {
        let c = p + i;
        // column c, rows c.., minus Σₖ V[·, p+k]·W[c, k] + W[·, k]·V[c, p+k]
        for k in 0..i {
            let (s1, s2) = (w[c + k * n], a[c + (p + k) * n]);
            let (vk, rest) = a.split_at_mut(c * n);
            let vk = &vk[(p + k) * n + c..(p + k + 1) * n];
            let col = &mut rest[c..n];
            let wk = &w[k * n + c..(k + 1) * n];
            for ((x, &v), &u) in col.iter_mut().zip(vk).zip(wk) {
                *x -= v * s1 + u * s2;
            }
        }
        d[c] = a[c * (n + 1)];
        // the reflector of x = A[c+1.., c]
        let x = &mut a[c * n + c + 1..(c + 1) * n];
        let (tau, beta) = reflector(x);
        e[c] = beta;
        x[0] = 1.0;
        let m = n - c - 1;
        let v: &[f64] = &a[c * n + c + 1..(c + 1) * n];
        let y = &mut y[..m];
        symv_lower(&a[(c + 1) * (n + 1)..], n, v, y);
        // y −= W[c+1.., ..i]·(Vᵀv) + V[c+1.., p..c]·(Wᵀv)
        for k in 0..i {
            let vk = &a[(p + k) * n + c + 1..(p + k + 1) * n];
            let wk = &w[k * n + c + 1..(k + 1) * n];
            t1[k] = dot(vk, v);
            t2[k] = dot(wk, v);
        }
        for k in 0..i {
            let vk = &a[(p + k) * n + c + 1..(p + k + 1) * n];
            let wk = &w[k * n + c + 1..(k + 1) * n];
            let (s1, s2) = (t1[k], t2[k]);
            for ((yy, &u), &vv) in y.iter_mut().zip(wk).zip(vk) {
                *yy -= u * s1 + vv * s2;
            }
        }
        let half = -0.5 * tau * tau * dot(y, v);
        let wi = &mut w[i * n + c + 1..(i + 1) * n];
        for ((wv, &yy), &vv) in wi.iter_mut().zip(y.iter()).zip(v) {
            *wv = tau * yy + half * vv;
        }
    }
}

/// H = I − τvvᵀ with H·x = (β, 0, …, 0): returns (τ, β) and leaves v₁.. in x[1..] (v₀ = 1 is
/// implicit). τ = 0 and β = x₀ when x[1..] is zero. The norm is scaled by the largest entry so
/// that its squares neither overflow nor underflow.
#[inline]
fn reflector(x: &mut [f64]) -> (f64, f64) {
    let alpha = x[0];
    let tail = &mut x[1..];
    let big = tail.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if big == 0.0 {
        return (0.0, alpha);
    }
    let s = alpha.abs().max(big);
    let sum: f64 = tail.iter().map(|v| (v / s) * (v / s)).sum::<f64>() + (alpha / s) * (alpha / s);
    let norm = s * sum.sqrt();
    let beta = if alpha >= 0.0 { -norm } else { norm };
    let tau = (beta - alpha) / beta;
    let scale = 1.0 / (alpha - beta);
    for v in tail.iter_mut() {
        *v *= scale;
    }
    (tau, beta)
}

/// y = A·v for the m × m symmetric matrix whose lower triangle starts at `a[0]` (column-major,
/// leading dimension `ld`), m = v.len(): one pass over the triangle, each column giving a dot
/// product (its row of the upper triangle) and an axpy (its column).
fn symv_lower(a: &[f64], ld: usize, v: &[f64], y: &mut [f64]) {
    let m = v.len();
    y.fill(0.0);
    #[cfg(target_arch = "x86_64")]
    let fast =
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma");
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    let widest = std::arch::is_x86_feature_detected!("avx512f");
    // K columns j.. at a time: their rows from j + K on share the loads of v and y
    let mut j = 0;
    while j + K <= m {
        let cols: [&[f64]; K] = std::array::from_fn(|k| &a[(j + k) * ld + j + K..(j + k) * ld + m]);
        let s: [f64; K] = std::array::from_fn(|k| v[j + k]);
        let (head, tail) = y[j..].split_at_mut(K);
        #[cfg(all(target_arch = "x86_64", momentum_avx512))]
        let dots = if widest {
            // SAFETY: the CPU has AVX-512F (checked above).
            unsafe { avx512::dots_axpys(cols, &v[j + K..], tail, s) }
        } else if fast {
            // SAFETY: the CPU has AVX2 and FMA (checked above).
            unsafe { avx2::dots_axpys(cols, &v[j + K..], tail, s) }
        } else {
            dots_axpys(cols, &v[j + K..], tail, s)
        };
        #[cfg(all(target_arch = "x86_64", not(momentum_avx512)))]
        let dots = if fast {
            // SAFETY: the CPU has AVX2 and FMA (checked above).
            unsafe { avx2::dots_axpys(cols, &v[j + K..], tail, s) }
        } else {
            dots_axpys(cols, &v[j + K..], tail, s)
        };
        #[cfg(not(target_arch = "x86_64"))]
        let dots = dots_axpys(cols, &v[j + K..], tail, s);
        // the K × K diagonal block, from its lower triangle
        for (r, yr) in head.iter_mut().enumerate() {
            let mut t = dots[r];
            for (c, &vc) in s.iter().enumerate() {
                let (hi, lo) = (r.max(c), r.min(c));
                t += a[(j + lo) * ld + j + hi] * vc;
            }
            *yr += t;
        }
        j += K;
    }
    // the last m mod K columns one by one
    for j in j..m {
        let col = &a[j * ld + j..j * ld + m];
        let mut t = col[0] * v[j];
        for (i, &x) in col.iter().enumerate().skip(1) {
            t += x * v[j + i];
            y[j + i] += x * v[j];
        }
        y[j] += t;
    }
}

/// Columns per pass of [`symv_lower`].
const K: usize = 4;

/// (Σ cₖ·v)ₖ, and y += Σₖ cₖ·sₖ, in one pass (the portable copy).
fn dots_axpys(cols: [&[f64]; K], v: &[f64], y: &mut [f64], s: [f64; K]) -> [f64; K] {
    let mut acc = [0.0; K];
    for (i, (vv, yy)) in v.iter().zip(y.iter_mut()).enumerate() {
        let mut t = *yy;
        for k in 0..K {
            let x = cols[k][i];
            acc[k] += x * vv;
            t += x * s[k];
        }
        *yy = t;
    }
    acc
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::K;
    use std::arch::x86_64::*;

    /// [`super::dots_axpys`] in AVX2 with fused multiply-adds, four lanes per column.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn dots_axpys(cols: [&[f64]; K], v: &[f64], y: &mut [f64], s: [f64; K]) -> [f64; K] {
        let n = cols
            .iter()
            .fold(v.len().min(y.len()), |n, c| n.min(c.len()));
        let (v, y) = (&v[..n], &mut y[..n]);
        let w: [__m256d; K] = std::array::from_fn(|k| _mm256_set1_pd(s[k]));
        let mut acc = [_mm256_setzero_pd(); K];
        let blocks = n / 4;
        for b in 0..blocks {
            let i = b * 4;
            // SAFETY: i + 4 ≤ 4·blocks ≤ n, within v, y and every column.
            unsafe {
                let vv = _mm256_loadu_pd(v.as_ptr().add(i));
                let mut yy = _mm256_loadu_pd(y.as_ptr().add(i));
                for k in 0..K {
                    let x = _mm256_loadu_pd(cols[k].as_ptr().add(i));
                    acc[k] = _mm256_fmadd_pd(x, vv, acc[k]);
                    yy = _mm256_fmadd_pd(x, w[k], yy);
                }
                _mm256_storeu_pd(y.as_mut_ptr().add(i), yy);
            }
        }
        let start = blocks * 4;
        let tail = super::dots_axpys(
            std::array::from_fn(|k| &cols[k][start..n]),
            &v[start..],
            &mut y[start..],
            s,
        );
        std::array::from_fn(|k| {
            let mut lanes = [0.0; 4];
            // SAFETY: four f64 into a four-element array.
            unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), acc[k]) };
            (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail[k]
        })
    }
}

/// Compiled by rustc ≥ 1.89 only (`build.rs` sets `momentum_avx512`), where these intrinsics are
/// stable: the MSRV lint does not see the cfg.
#[cfg(all(target_arch = "x86_64", momentum_avx512))]
#[allow(clippy::incompatible_msrv)]
mod avx512 {
    use super::K;
    use std::arch::x86_64::*;

    /// [`super::dots_axpys`] in AVX-512F, eight lanes per column.
    #[target_feature(enable = "avx512f")]
    pub(super) fn dots_axpys(cols: [&[f64]; K], v: &[f64], y: &mut [f64], s: [f64; K]) -> [f64; K] {
        let n = cols
            .iter()
            .fold(v.len().min(y.len()), |n, c| n.min(c.len()));
        let (v, y) = (&v[..n], &mut y[..n]);
        let w: [__m512d; K] = std::array::from_fn(|k| _mm512_set1_pd(s[k]));
        let mut acc = [_mm512_setzero_pd(); K];
        let blocks = n / 8;
        for b in 0..blocks {
            let i = b * 8;
            // SAFETY: i + 8 ≤ 8·blocks ≤ n, within v, y and every column.
            unsafe {
                let vv = _mm512_loadu_pd(v.as_ptr().add(i));
                let mut yy = _mm512_loadu_pd(y.as_ptr().add(i));
                for k in 0..K {
                    let x = _mm512_loadu_pd(cols[k].as_ptr().add(i));
                    acc[k] = _mm512_fmadd_pd(x, vv, acc[k]);
                    yy = _mm512_fmadd_pd(x, w[k], yy);
                }
                _mm512_storeu_pd(y.as_mut_ptr().add(i), yy);
            }
        }
        let start = blocks * 8;
        let tail = super::dots_axpys(
            std::array::from_fn(|k| &cols[k][start..n]),
            &v[start..],
            &mut y[start..],
            s,
        );
        std::array::from_fn(|k| _mm512_reduce_add_pd(acc[k]) + tail[k])
    }
}

#[inline]
fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let n = x.len().min(y.len());
    let split = n - n % 4;
    for (x4, y4) in x[..split].chunks_exact(4).zip(y[..split].chunks_exact(4)) {
        for l in 0..4 {
            acc[l] += x4[l] * y4[l];
        }
    }
    let tail: f64 = x[split..n]
        .iter()
        .zip(&y[split..n])
        .map(|(a, b)| a * b)
        .sum();
    (acc[0] + acc[2]) + (acc[1] + acc[3]) + tail
}

/// Eigenvalues of the symmetric tridiagonal matrix (diagonal `d`, sub-diagonal `e`) in place in
/// `d`, unordered, by implicit QL with Wilkinson shifts (Golub & Van Loan §8.3.5; an off-diagonal
/// is negligible when |eₘ| ≤ ε(|dₘ| + |dₘ₊₁|) or |eₘ| ≤ ε·max(|d|, |e|)); `None` after
/// [`MAX_SWEEPS`] sweeps on one eigenvalue.
#[inline(never)] // as `to_band`
fn tridiagonal_ql(d: &mut [f64], e: &mut [f64]) -> Option<()> {
    let n = d.len();
    if n < 2 {
        return Some(());
    }
    let mut e2 = e.to_vec();
    e2.push(0.0);
    let e = &mut e2;
    // an off-diagonal below ε‖T‖ is dropped too: that perturbs T by no more than the reduction
    // did, and without it a cluster of eigenvalues near 0 (a null space) need not converge
    let norm = d.iter().chain(e.iter()).fold(0.0f64, |m, x| m.max(x.abs()));
    let floor = f64::EPSILON * norm;
    for l in 0..n {
        let mut sweeps = 0;
        loop {
            // the first negligible off-diagonal at or after l
            let mut m = l;
            while m + 1 < n {
                let dd = d[m].abs() + d[m + 1].abs();
                if e[m].abs() <= f64::EPSILON * dd || e[m].abs() <= floor {
                    break;
                }
                m += 1;
            }
            if m == l {
                break;
            }
            sweeps += 1;
            if sweeps > MAX_SWEEPS {
                return None;
            }
            // Wilkinson shift from the leading 2 × 2 block at l
            let mut g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            let r = g.hypot(1.0);
            g = d[m] - d[l] + e[l] / (g + r.copysign(g));
            let (mut s, mut c, mut p) = (1.0, 1.0, 0.0);
            let mut deflated = false;
            for i in (l..m).rev() {
                let f = s * e[i];
                let bb = c * e[i];
                // |f|, |g| ≤ ‖T‖ ≤ n here (entries in [−1, 1]): the squares cannot overflow, and
                // where they could underflow the root is taken the careful way
                let r = match (f * f + g * g).sqrt() {
                    r if r > 1e-140 => r,
                    _ => f.hypot(g),
                };
                e[i + 1] = r;
                if r == 0.0 {
                    // an exact zero off the diagonal: split here and sweep again
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    deflated = true;
                    break;
                }
                let inv = 1.0 / r;
                s = f * inv;
                c = g * inv;
                let gg = d[i + 1] - p;
                let rr = (d[i] - gg) * s + 2.0 * c * bb;
                p = s * rr;
                d[i + 1] = gg + p;
                g = c * rr - bb;
            }
            if !deflated {
                d[l] -= p;
                e[l] = g;
                e[m] = 0.0;
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DMatrix;

    /// Uniform in [−1, 1) from a 64-bit LCG (Knuth's MMIX constants), top 53 bits.
    fn uniform(state: &mut u64) -> f64 {
        crate::numeric::lcg_uniform(state) * 2.0 - 1.0
    }

    fn reference(h: &DMatrix<f64>) -> Vec<f64> {
        let mut v: Vec<f64> = h.clone().symmetric_eigenvalues().iter().copied().collect();
        v.sort_by(f64::total_cmp);
        v
    }

    fn ours(h: &DMatrix<f64>) -> Vec<f64> {
        let n = h.nrows();
        let mut a: Vec<f64> = h.as_slice().to_vec();
        eigenvalues(&mut a, n, Par::Seq).unwrap_or_else(|| panic!("QL fails at n = {n}: {h:.3}"))
    }

    fn check(h: &DMatrix<f64>, what: &str) {
        let (want, got) = (reference(h), ours(h));
        let n = h.nrows() as f64;
        let top = want.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        for (k, (x, y)) in want.iter().zip(&got).enumerate() {
            assert!(
                (x - y).abs() <= 4.0 * n * f64::EPSILON * top.max(f64::MIN_POSITIVE),
                "{what}: eigenvalue {k}: nalgebra {x}, blocked {y}"
            );
        }
    }

    #[test]
    fn matches_nalgebra_on_random_and_structured_matrices() {
        let mut rng = 29u64;
        // sizes around the panel width, one panel, several, and a ragged last panel
        for n in [1, 2, 3, 5, 31, 32, 33, 64, 65, 97, 200] {
            let g = DMatrix::<f64>::from_fn(n, n, |_, _| uniform(&mut rng));
            check(&((&g + g.transpose()) * 0.5), &format!("random {n}"));
            // low rank with a null space (zero reflectors), and clustered eigenvalues
            let r = (n / 3).max(1);
            let u = DMatrix::<f64>::from_fn(n, r, |_, _| uniform(&mut rng));
            check(&(&u * u.transpose()), &format!("rank {r} of {n}"));
            let diag = DMatrix::<f64>::from_fn(n, n, |i, j| {
                if i == j {
                    1.0 + 1e-12 * (i % 3) as f64
                } else {
                    0.0
                }
            });
            check(&diag, &format!("diagonal cluster {n}"));
            let tri = DMatrix::<f64>::from_fn(n, n, |i, j| match i.abs_diff(j) {
                0 => 2.0,
                1 => -1.0,
                _ => 0.0,
            });
            check(&tri, &format!("second difference {n}"));
        }
    }

    /// The two-stage reduction with a narrow band, so that small matrices take many panels and
    /// long chases, against nalgebra.
    fn two_stage(h: &DMatrix<f64>, band: usize) -> Vec<f64> {
        let n = h.nrows();
        let mut a: Vec<f64> = h.as_slice().to_vec();
        let (mut d, mut e) = tridiagonalize_two_stage(&mut a, n, band, Par::Seq);
        tridiagonal_ql(&mut d, &mut e).unwrap_or_else(|| panic!("QL fails at n = {n}"));
        d.sort_by(f64::total_cmp);
        d
    }

    #[test]
    fn two_stage_reduction_matches_nalgebra() {
        let mut rng = 31u64;
        for band in [1, 2, 3, 5, 8, 32] {
            for n in [1, 2, 3, 4, 7, 9, 17, 40, 65, 130] {
                let g = DMatrix::<f64>::from_fn(n, n, |_, _| uniform(&mut rng));
                let r = (n / 3).max(1);
                let u = DMatrix::<f64>::from_fn(n, r, |_, _| uniform(&mut rng));
                let tri = DMatrix::<f64>::from_fn(n, n, |i, j| match i.abs_diff(j) {
                    0 => 2.0,
                    1 => -1.0,
                    _ => 0.0,
                });
                for (what, h) in [
                    ("random", (&g + g.transpose()) * 0.5),
                    ("low rank", &u * u.transpose()),
                    ("second difference", tri),
                ] {
                    let (want, got) = (reference(&h), two_stage(&h, band));
                    let top = want.iter().fold(0.0f64, |m, x| m.max(x.abs()));
                    for (k, (x, y)) in want.iter().zip(&got).enumerate() {
                        assert!(
                            (x - y).abs()
                                <= 4.0 * n as f64 * f64::EPSILON * top.max(f64::MIN_POSITIVE),
                            "{what} n = {n} band {band}: eigenvalue {k}: nalgebra {x}, two-stage {y}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn second_difference_matrix_has_its_closed_form_eigenvalues() {
        // tridiag(−1, 2, −1) of size n: λₖ = 2 − 2cos(kπ/(n + 1)), k = 1..n
        let n = 150;
        let h = DMatrix::<f64>::from_fn(n, n, |i, j| match i.abs_diff(j) {
            0 => 2.0,
            1 => -1.0,
            _ => 0.0,
        });
        let got = ours(&h);
        for (k, y) in got.iter().enumerate() {
            let x = 2.0 - 2.0 * ((k + 1) as f64 * std::f64::consts::PI / (n + 1) as f64).cos();
            assert!((x - y).abs() <= 1e-13, "k = {k}: {x} vs {y}");
        }
    }
}
