//! The small dense kernels of the step lengths (`ipm::max_step_psd`) on flat column-major slices
//! and reused buffers. The factorisations, L⁻¹ΔXL⁻ᵀ and the tridiagonal form are nalgebra 0.33's
//! operations replayed in the same order, so the same bits (`tests` compares them with nalgebra
//! bit for bit), without its allocations and generic views. λ_min of the tridiagonal form comes
//! from Sturm counts instead of nalgebra's implicit QR ([`sturm_min`]): QR's 135 Givens rotations
//! per call are a latency-bound chain of square roots and divisions; the counts for eight shifts
//! run side by side. Its answer is within 1e-13 of nalgebra's, not equal to it, so the
//! interior-point trajectories move at the rounding level (docs/DESIGN.md, fifth round).

/// nalgebra's `dotx` for dynamic sizes: eight partial sums over blocks of eight, folded as
/// (a0 + a4), (a1 + a5), (a2 + a6), (a3 + a7) into a running sum, then the tail one by one.
#[inline(always)]
fn ndot(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len();
    let y = &y[..n];
    let mut res = 0.0;
    let (mut a0, mut a1, mut a2, mut a3) = (0.0, 0.0, 0.0, 0.0);
    let (mut a4, mut a5, mut a6, mut a7) = (0.0, 0.0, 0.0, 0.0);
    let mut i = 0;
    while n - i >= 8 {
        a0 += x[i] * y[i];
        a1 += x[i + 1] * y[i + 1];
        a2 += x[i + 2] * y[i + 2];
        a3 += x[i + 3] * y[i + 3];
        a4 += x[i + 4] * y[i + 4];
        a5 += x[i + 5] * y[i + 5];
        a6 += x[i + 6] * y[i + 6];
        a7 += x[i + 7] * y[i + 7];
        i += 8;
    }
    res += a0 + a4;
    res += a1 + a5;
    res += a2 + a6;
    res += a3 + a7;
    for k in i..n {
        res += x[k] * y[k];
    }
    res
}

/// nalgebra's `Cholesky::new` (left-looking, by columns) in place on the lower triangle of the
/// d × d column-major `a`; false where nalgebra returns `None`. The upper triangle is not touched.
pub(super) fn cholesky(a: &mut [f64], d: usize) -> bool {
    for j in 0..d {
        for k in 0..j {
            let f = -a[k * d + j];
            let (head, tail) = a.split_at_mut(j * d);
            let ck = &head[k * d + j..k * d + d];
            for (y, &x) in tail[j..d].iter_mut().zip(ck) {
                *y += f * x;
            }
        }
        let diag = a[j * d + j];
        if diag == 0.0 || diag.is_nan() || diag < 0.0 {
            return false;
        }
        let denom = diag.sqrt();
        a[j * d + j] = denom;
        for v in &mut a[j * d + j + 1..j * d + d] {
            *v /= denom;
        }
    }
    true
}

/// nalgebra's `Cholesky::inverse` from the factor `l` of [`cholesky`] (d × d column-major, lower
/// triangle): the columns of I through the lower solve, then Lᵀx = y by dot products from the
/// last row up; `x` (column-major) gets the inverse, `rows` is scratch of d × d.
pub(super) fn cholesky_inverse(l: &[f64], d: usize, x: &mut [f64], rows: &mut [f64]) {
    rows[..d * d].fill(0.0);
    for i in 0..d {
        rows[i * d + i] = 1.0;
    }
    // the pivots of a Cholesky factor are positive: no refusal
    solve_lower_rows(l, &mut rows[..d * d], d);
    for i in 0..d {
        for j in 0..d {
            x[j * d + i] = rows[i * d + j];
        }
    }
    for j in 0..d {
        let col = &mut x[j * d..j * d + d];
        for i in (0..d).rev() {
            let dot = ndot(&l[i * d + i + 1..i * d + d], &col[i + 1..]);
            col[i] = (col[i] - dot) / l[i * d + i];
        }
    }
}

/// L⁻¹B for the lower-triangular d × d column-major `l` and the d × d `b`, given and returned by
/// rows (`b[i·d + j]` = B_ij), every column as nalgebra's `solve_lower_triangular` treats it
/// (x_i = b_i / L_ii, then b_k −= x_i·L_ki for k > i), the columns side by side; false on a zero
/// pivot.
#[inline(always)]
fn solve_lower_rows(l: &[f64], b: &mut [f64], d: usize) -> bool {
    for i in 0..d {
        let piv = l[i * d + i];
        if piv == 0.0 {
            return false;
        }
        let (head, tail) = b.split_at_mut((i + 1) * d);
        let bi = &mut head[i * d..];
        for v in bi.iter_mut() {
            *v /= piv;
        }
        for (k, bk) in tail.chunks_exact_mut(d).enumerate() {
            let lk = l[i * d + i + 1 + k];
            for (y, &x) in bk.iter_mut().zip(bi.iter()) {
                *y += -x * lk;
            }
        }
    }
    true
}

/// Buffers of [`Work::psd_matrix`] and [`Work::min_eigenvalue_sturm`] for one order d.
pub(super) struct Work {
    d: usize,
    a: Vec<f64>,
    b: Vec<f64>,
    /// M of [`Work::psd_matrix`], column-major (symmetric).
    pub m: Vec<f64>,
    /// Scratch for a Cholesky test.
    pub t: Vec<f64>,
    p: Vec<f64>,
    diag: Vec<f64>,
    off: Vec<f64>,
}

impl Work {
    pub(super) fn new(d: usize) -> Self {
        Work {
            d,
            a: vec![0.0; d * d],
            b: vec![0.0; d * d],
            m: vec![0.0; d * d],
            t: vec![0.0; d * d],
            p: vec![0.0; d],
            diag: vec![0.0; d],
            off: vec![0.0; d],
        }
    }

    /// `self.m` = sym(L⁻¹ ΔX L⁻ᵀ) as nalgebra computes `sym(&L.solve_lower_triangular(
    /// &L.solve_lower_triangular(ΔX)?.transpose())?)` from the column-major L and ΔX; false where
    /// that is `None`.
    pub(super) fn psd_matrix(&mut self, l: &[f64], dx: &[f64]) -> bool {
        let d = self.d;
        // L⁻¹ΔX by rows (ΔZ need not be bitwise symmetric)
        for i in 0..d {
            for j in 0..d {
                self.a[i * d + j] = dx[j * d + i];
            }
        }
        if !solve_lower_rows(l, &mut self.a, d) {
            return false;
        }
        // the right-hand sides (L⁻¹ΔX)ᵀ by rows are L⁻¹ΔX's columns
        for i in 0..d {
            for j in 0..d {
                self.b[i * d + j] = self.a[j * d + i];
            }
        }
        if !solve_lower_rows(l, &mut self.b, d) {
            return false;
        }
        for c in 0..d {
            for r in 0..d {
                self.m[c * d + r] = (self.b[r * d + c] + self.b[c * d + r]) * 0.5;
            }
        }
        true
    }

    /// λ_min of the symmetric `self.m` (lower triangle read; overwritten) to a relative
    /// 1e-13: nalgebra's scaling and Householder tridiagonalisation, then [`sturm_min`] on the
    /// tridiagonal instead of its QR iteration; +0 when the matrix has no negative eigenvalue.
    pub(super) fn min_eigenvalue_sturm(&mut self) -> f64 {
        let amax = self.scale();
        for i in 0..self.d.saturating_sub(1) {
            self.tridiagonal_step(i);
        }
        self.unpack();
        sturm_min_outlined([(&self.diag, &self.off)], self.d)[0] * amax
    }

    /// [`Work::min_eigenvalue_sturm`] of two matrices of the same order, their bisections in one
    /// loop.
    pub(super) fn min_eigenvalue_sturm_pair(a: &mut Work, b: &mut Work) -> (f64, f64) {
        let d = a.d;
        assert_eq!(d, b.d);
        let (sa, sb) = (a.scale(), b.scale());
        for i in 0..d.saturating_sub(1) {
            a.tridiagonal_step(i);
            b.tridiagonal_step(i);
        }
        a.unpack();
        b.unpack();
        let [x, y] = sturm_min_outlined([(&a.diag, &a.off), (&b.diag, &b.off)], d);
        (x * sa, y * sb)
    }

    /// Divides `m` by max|m_ij| (unless 0) and returns that scale.
    #[inline(always)]
    fn scale(&mut self) -> f64 {
        let d = self.d;
        let m = &mut self.m;
        let amax = m[..d * d].iter().fold(0.0f64, |a, v| a.max(v.abs()));
        if amax != 0.0 {
            for v in &mut m[..d * d] {
                *v /= amax;
            }
        }
        amax
    }

    /// The diagonal and |off-diagonal| of the tridiagonal form into `diag`, `off`.
    #[inline(always)]
    fn unpack(&mut self) {
        let d = self.d;
        for k in 0..d {
            self.diag[k] = self.m[k * d + k];
        }
        for v in &mut self.off[..d.saturating_sub(1)] {
            *v = v.abs();
        }
    }

    /// Step i of nalgebra's `SymmetricTridiagonal::new`: the Householder reflection of column i
    /// below the diagonal applied to the trailing block (lower triangle).
    #[inline(always)]
    fn tridiagonal_step(&mut self, i: usize) {
        let d = self.d;
        let m = &mut self.m;
        let p = &mut self.p;
        let off = &mut self.off;
        let n = d - 1 - i;
        // axis = column i below the diagonal; the trailing block starts at (i+1, i+1)
        let (left, right) = m.split_at_mut((i + 1) * d);
        let axis = &mut left[i * d + i + 1..i * d + d];
        let at = |c: usize| (c * d) + i + 1; // start of column i+1+c of the block
        // householder::reflection_axis_mut
        let sq = 0.0 + ndot(axis, axis);
        let norm = sq.sqrt();
        let (modulus, sign) = if axis[0] >= 0.0 {
            (axis[0], 1.0)
        } else {
            (-axis[0], -1.0)
        };
        let signed = sign * norm;
        let factor = (sq + modulus * norm) * 2.0;
        axis[0] += signed;
        let not_zero = factor != 0.0;
        if not_zero {
            let f = factor.sqrt();
            for v in axis.iter_mut() {
                *v /= f;
            }
            let nn = (0.0 + ndot(axis, axis)).sqrt();
            for v in axis.iter_mut() {
                *v /= nn;
            }
            off[i] = -signed;
        } else {
            off[i] = signed;
        }
        if not_zero {
            let p = &mut p[..n];
            // p = 2·M·axis (hegemv from the lower triangle)
            let a2 = 2.0 * axis[0];
            for (k, v) in p.iter_mut().enumerate() {
                *v = a2 * right[at(0) + k];
            }
            p[0] += 2.0 * ndot(&right[at(0) + 1..at(0) + n], &axis[1..]);
            for j in 1..n {
                let col = &right[at(j) + j..at(j) + n];
                let dot = ndot(col, &axis[j..]);
                p[j] += 2.0 * dot;
                let a2 = 2.0 * axis[j];
                for (v, &c) in p[j + 1..].iter_mut().zip(&col[1..]) {
                    *v += a2 * c;
                }
            }
            let dot = ndot(axis, p);
            // M −= p·axisᵀ + axis·pᵀ − 2(axisᵀp)·axis·axisᵀ, three hegerc on the lower triangle
            for j in 0..n {
                let a = -axis[j];
                for (v, &x) in right[at(j) + j..at(j) + n].iter_mut().zip(&p[j..]) {
                    *v += a * x;
                }
            }
            for j in 0..n {
                let a = -p[j];
                for (v, &x) in right[at(j) + j..at(j) + n].iter_mut().zip(&axis[j..]) {
                    *v += a * x;
                }
            }
            let alpha = dot * 2.0;
            for j in 0..n {
                let a = alpha * axis[j];
                for (v, &x) in right[at(j) + j..at(j) + n].iter_mut().zip(&axis[j..]) {
                    *v += a * x;
                }
            }
        }
    }
}

/// Shifts tried per matrix and pass of [`sturm_min`].
const SHIFTS: usize = 8;

/// Relative width at which [`sturm_min`] stops.
const STURM_REL: f64 = 1e-13;

/// [`sturm_min`] as a function of its own, compiled for AVX where the CPU has it (the shifts of
/// a pass in vector lanes; no FMA, and lane-wise operations only: the same bits).
#[inline(never)]
fn sturm_min_outlined<const P: usize>(t: [(&[f64], &[f64]); P], d: usize) -> [f64; P] {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx") {
        // SAFETY: AVX is present on this CPU.
        return unsafe { sturm_min_avx(t, d) };
    }
    sturm_min(t, d)
}

/// [`sturm_min`] compiled for AVX.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn sturm_min_avx<const P: usize>(t: [(&[f64], &[f64]); P], d: usize) -> [f64; P] {
    sturm_min(t, d)
}

/// The smallest eigenvalue of each symmetric tridiagonal matrix (diagonal, |off-diagonal|) of
/// order d, or +0 where none is negative, by multisection on Sturm counts: the number of
/// eigenvalues below x is the number of negative pivots q_i = (a_i − x) − b²_{i−1}/q_{i−1} of
/// T − xI = LDLᵀ (a pivot below pivmin = 2⁻¹⁰²²·max(1, b²) in size counts as −pivmin, as in
/// LAPACK's `dstebz`). The first pass splits [Gershgorin's lower bound, 0] in [`SHIFTS`] (a count
/// of 0 at x = 0: nothing negative); each later pass splits the bracket in [`SHIFTS`] + 1, until its width is
/// ≤ 1e-13 of its ends or ≤ 4ε‖T‖ (the counts' own accuracy); the midpoint is returned.
#[inline(always)]
fn sturm_min<const P: usize>(t: [(&[f64], &[f64]); P], d: usize) -> [f64; P] {
    let eps = f64::EPSILON;
    let (mut lo, mut hi, mut floor) = ([0.0f64; P], [0.0f64; P], [0.0f64; P]);
    let mut pivmin = [0.0f64; P];
    let mut out = [0.0f64; P];
    let mut open = [true; P];
    for (p, &(a, b)) in t.iter().enumerate() {
        let (mut g, mut norm, mut bmax) = (f64::INFINITY, 0.0f64, 0.0f64);
        for i in 0..d {
            let r = if i > 0 { b[i - 1] } else { 0.0 } + if i + 1 < d { b[i] } else { 0.0 };
            g = g.min(a[i] - r);
            norm = norm.max(a[i].abs() + r);
        }
        for &v in &b[..d.saturating_sub(1)] {
            bmax = bmax.max(v * v);
        }
        pivmin[p] = f64::MIN_POSITIVE * bmax.max(1.0);
        floor[p] = 4.0 * eps * norm;
        lo[p] = g - floor[p] - pivmin[p];
        if lo[p] >= 0.0 || norm == 0.0 {
            open[p] = false; // Gershgorin: no negative eigenvalue (T = 0: λ = 0)
        }
    }
    let mut parts = SHIFTS as f64;
    while open.iter().any(|&o| o) {
        let mut x = [[0.0f64; SHIFTS]; P];
        for (p, xp) in x.iter_mut().enumerate() {
            for (k, v) in xp.iter_mut().enumerate() {
                *v = lo[p] + (hi[p] - lo[p]) * ((k + 1) as f64 / parts);
            }
        }
        let mut q = [[1.0f64; SHIFTS]; P];
        let mut neg = [[0.0f64; SHIFTS]; P];
        for i in 0..d {
            for p in 0..P {
                let (a, bb) = (
                    t[p].0[i],
                    if i > 0 {
                        t[p].1[i - 1] * t[p].1[i - 1]
                    } else {
                        0.0
                    },
                );
                for k in 0..SHIFTS {
                    let v = (a - x[p][k]) - bb / q[p][k];
                    let v = if v.abs() < pivmin[p] { -pivmin[p] } else { v };
                    neg[p][k] += if v < 0.0 { 1.0 } else { 0.0 };
                    q[p][k] = v;
                }
            }
        }
        for p in 0..P {
            if !open[p] {
                continue;
            }
            match (0..SHIFTS).find(|&k| neg[p][k] > 0.0) {
                None if parts == SHIFTS as f64 => {
                    open[p] = false; // no eigenvalue below 0
                    continue;
                }
                None => lo[p] = x[p][SHIFTS - 1],
                Some(k) => {
                    hi[p] = x[p][k];
                    if k > 0 {
                        lo[p] = x[p][k - 1];
                    }
                }
            }
            if hi[p] - lo[p] <= (STURM_REL * lo[p].abs().max(hi[p].abs())).max(floor[p]) {
                out[p] = 0.5 * (lo[p] + hi[p]);
                open[p] = false;
            }
        }
        parts = (SHIFTS + 1) as f64;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DMatrix;

    fn random(d: usize, state: &mut u64, kind: usize) -> DMatrix<f64> {
        let mut draw = || 2.0 * crate::numeric::lcg_uniform(state) - 1.0;
        let b = DMatrix::from_fn(d, d, |_, _| draw());
        let mut m = &b + b.transpose();
        match kind % 6 {
            // diagonal: every off-diagonal zero
            1 => m.fill_with_identity(),
            // block diagonal: decoupled subproblems
            2 if d > 3 => {
                for r in 0..d {
                    for c in 0..d {
                        if (r < d / 2) != (c < d / 2) {
                            m[(r, c)] = 0.0;
                        }
                    }
                }
            }
            // repeated eigenvalues, a rank-one update of the identity
            3 => {
                let v = DMatrix::from_fn(d, 1, |_, _| draw());
                m = DMatrix::identity(d, d) * 2.0 + &v * v.transpose();
            }
            // badly scaled
            4 => m[(0, 0)] += 1e8,
            5 => m *= 1e-9,
            _ => {}
        }
        if kind % 13 == 7 {
            m.fill(0.0);
        }
        m
    }

    /// Every kernel against nalgebra bit for bit: the Cholesky factor (and its refusals) and
    /// inverse, L⁻¹ΔXL⁻ᵀ; orders 1–20 (the eight-term dot products start at 9). λ_min by Sturm
    /// counts against nalgebra's eigenvalues: within 1e-13 relative where negative (plus the
    /// counts' floor 4ε‖T‖ ≤ 4dε·max|m_ij|), never below −that floor where nalgebra finds none
    /// negative; alone and in pairs the same bits.
    #[test]
    fn kernels_are_nalgebra_bit_for_bit() {
        let mut state = 5u64;
        let mut negative = 0;
        for case in 0..1200 {
            let d = 1 + case % 20;
            let mut w = Work::new(d);
            let m = random(d, &mut state, case / 20);
            let want = m
                .symmetric_eigenvalues()
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min);
            let floor = 4.0 * d as f64 * f64::EPSILON * m.amax();
            w.m.copy_from_slice(m.as_slice());
            let got = w.min_eigenvalue_sturm();
            if want < 0.0 {
                negative += 1;
                let tol = 2.0 * STURM_REL * want.abs() + 2.0 * floor;
                assert!((got - want).abs() <= tol, "eigenvalue {case}: {got} {want}");
            } else {
                assert!(got >= -2.0 * floor, "eigenvalue {case}: {got} {want}");
            }
            // the pair: each its own answer, whatever the other's bracket
            let other = random(d, &mut state, case / 7);
            let mut w2 = Work::new(d);
            w2.m.copy_from_slice(other.as_slice());
            let alone = w2.min_eigenvalue_sturm();
            w.m.copy_from_slice(m.as_slice());
            w2.m.copy_from_slice(other.as_slice());
            let (a, b) = Work::min_eigenvalue_sturm_pair(&mut w, &mut w2);
            assert_eq!(a.to_bits(), got.to_bits(), "pair {case}");
            assert_eq!(b.to_bits(), alone.to_bits(), "pair {case}");

            // a positive definite X, its nalgebra factor, and the same for m itself (often not PD)
            let x = &m * &m + DMatrix::identity(d, d) * 1e-3;
            for a in [&x, &m] {
                let mut flat = a.as_slice().to_vec();
                let ok = cholesky(&mut flat, d);
                let chol = a.clone().cholesky();
                assert_eq!(ok, chol.is_some(), "cholesky {case}");
                if let Some(c) = chol {
                    let l = c.l();
                    for cidx in 0..d {
                        for r in cidx..d {
                            let (g, e) = (flat[cidx * d + r], l[(r, cidx)]);
                            assert_eq!(g.to_bits(), e.to_bits(), "L {case} ({r}, {cidx})");
                        }
                    }
                }
            }
            let chol = x.clone().cholesky().unwrap();
            let mut flat = x.as_slice().to_vec();
            assert!(cholesky(&mut flat, d));
            let (mut inv, mut rows) = (vec![0.0; d * d], vec![0.0; d * d]);
            cholesky_inverse(&flat, d, &mut inv, &mut rows);
            for (g, e) in inv.iter().zip(chol.inverse().as_slice()) {
                assert_eq!(g.to_bits(), e.to_bits(), "inverse {case}");
            }
            let l = chol.l();
            let dx = random(d, &mut state, 0);
            let a = l.solve_lower_triangular(&dx).unwrap();
            let b = l.solve_lower_triangular(&a.transpose()).unwrap();
            let want = (&b + b.transpose()) * 0.5;
            assert!(w.psd_matrix(l.as_slice(), dx.as_slice()));
            for (g, e) in w.m.iter().zip(want.as_slice()) {
                assert_eq!(g.to_bits(), e.to_bits(), "L⁻¹ΔXL⁻ᵀ {case}");
            }
        }
        assert!(negative > 600, "{negative}");
    }
}
