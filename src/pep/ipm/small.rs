//! The small dense kernels of the step lengths (`ipm::max_step_psd`) on flat column-major slices
//! and reused buffers: nalgebra 0.33's operations replayed with the same floating-point operations
//! in the same order, so the same bits (`tests` compares them with nalgebra bit for bit), without
//! its allocations and generic views. The interior-point trajectory of the hard PEPs moves with
//! any rounding-level change (see docs/DESIGN.md), hence replicas rather than other algorithms.

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

/// Buffers of [`psd_matrix`] and [`min_symmetric_eigenvalue`] for one order d.
pub(super) struct Work {
    d: usize,
    a: Vec<f64>,
    b: Vec<f64>,
    /// M of [`psd_matrix`], column-major (symmetric).
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

    /// The smallest eigenvalue of the symmetric `self.m` (only its lower triangle is read),
    /// nalgebra's `symmetric_eigenvalues` (scaled by max|m_ij|, Householder tridiagonalisation,
    /// implicit QR with Wilkinson shifts) bit for bit, then the fold min(∞, λ₀, λ₁, …). `self.m`
    /// is overwritten.
    pub(super) fn min_symmetric_eigenvalue(&mut self) -> f64 {
        let d = self.d;
        let amax = self.scale();
        for i in 0..d.saturating_sub(1) {
            self.tridiagonal_step(i);
        }
        self.unpack();
        if d > 1 {
            implicit_qr(&mut self.diag, &mut self.off, d);
        }
        self.min(amax)
    }

    /// [`Work::min_symmetric_eigenvalue`] of two matrices of the same order at once: the same
    /// operations for each, interleaved so that the latency-bound chains of one (the QR sweeps'
    /// square roots and divisions) overlap the other's.
    pub(super) fn min_symmetric_eigenvalue_pair(a: &mut Work, b: &mut Work) -> (f64, f64) {
        let d = a.d;
        assert_eq!(d, b.d);
        let (sa, sb) = (a.scale(), b.scale());
        for i in 0..d.saturating_sub(1) {
            a.tridiagonal_step(i);
            b.tridiagonal_step(i);
        }
        a.unpack();
        b.unpack();
        if d > 1 {
            let mut qa = Qr::new(&mut a.diag, &mut a.off, d);
            let mut qb = Qr::new(&mut b.diag, &mut b.off, d);
            loop {
                match (qa.done(), qb.done()) {
                    (false, false) => {
                        qa.step();
                        qb.step();
                    }
                    (false, true) => qa.step(),
                    (true, false) => qb.step(),
                    (true, true) => break,
                }
            }
        }
        (a.min(sa), b.min(sb))
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

    /// min over the eigenvalues (in `diag`) times the scale.
    #[inline(always)]
    fn min(&self, amax: f64) -> f64 {
        self.diag[..self.d]
            .iter()
            .map(|v| v * amax)
            .fold(f64::INFINITY, f64::min)
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

/// The implicit QR iteration of [`implicit_qr`] as a state machine, one Givens rotation (or one
/// 2 × 2 block, or the setup of a sweep) per [`Qr::step`], so that two can be interleaved.
struct Qr<'a> {
    diag: &'a mut [f64],
    off: &'a mut [f64],
    start: usize,
    end: usize,
    /// Within a sweep: the next rotation, the sweep's last row, the vector to rotate.
    sweep: bool,
    i: usize,
    n: usize,
    vx: f64,
    vy: f64,
}

impl<'a> Qr<'a> {
    fn new(diag: &'a mut [f64], off: &'a mut [f64], d: usize) -> Self {
        let (start, end) = delimit(diag, off, d - 1);
        Qr {
            diag,
            off,
            start,
            end,
            sweep: false,
            i: 0,
            n: 0,
            vx: 0.0,
            vy: 0.0,
        }
    }

    #[inline(always)]
    fn done(&self) -> bool {
        !self.sweep && self.end == self.start
    }

    #[inline(always)]
    fn step(&mut self) {
        let eps = f64::EPSILON;
        let (diag, off) = (&mut *self.diag, &mut *self.off);
        if !self.sweep {
            let (start, end) = (self.start, self.end);
            let subdim = end - start + 1;
            if subdim > 2 {
                let m = end - 1;
                self.n = end;
                self.vx = diag[start] - wilkinson_shift(diag[m], diag[end], off[m]);
                self.vy = off[start];
                self.i = start;
                self.sweep = true;
            } else {
                // subdim == 2
                self.end = two_by_two(diag, off, start, end);
                (self.start, self.end) = delimit(diag, off, self.end);
            }
            return;
        }
        let (i, n) = (self.i, self.n);
        let more = self.vy != 0.0 && {
            (self.vx, self.vy) = rotate(diag, off, self.start, n, i, (self.vx, self.vy));
            self.i = i + 1;
            i + 1 < n
        };
        if !more {
            let m = n - 1;
            if off[m].abs() <= eps * (diag[m].abs() + diag[n].abs()) {
                self.end -= 1;
            }
            (self.start, self.end) = delimit(diag, off, self.end);
            self.sweep = false;
        }
    }
}

/// One Givens rotation of [`implicit_qr`]'s sweep over rows start..=n, at row i (vy ≠ 0): the
/// rotation that cancels vy against vx (nalgebra's `GivensRotation::cancel_y`) applied to the
/// 2 × 2 block (i, i + 1) of the tridiagonal (diag, off); returns the next (vx, vy), or the same
/// pair at the sweep's last row.
#[inline(always)]
fn rotate(
    diag: &mut [f64],
    off: &mut [f64],
    start: usize,
    n: usize,
    i: usize,
    (vx, vy): (f64, f64),
) -> (f64, f64) {
    let j = i + 1;
    let (mod0, sign0) = if vx >= 0.0 { (vx, 1.0) } else { (-vx, -1.0) };
    let denom = (mod0 * mod0 + vy * vy).sqrt();
    let c = mod0 / denom;
    let s = -vy / (sign0 * denom);
    let norm = sign0 * denom;
    if i > start {
        off[i - 1] = norm;
    }
    let (mii, mjj, mij) = (diag[i], diag[j], off[i]);
    let cc = c * c;
    let ss = s * s;
    let cs = c * s;
    let b = cs * 2.0 * mij;
    diag[i] = (cc * mii + ss * mjj) - b;
    diag[j] = (ss * mii + cc * mjj) + b;
    off[i] = cs * (mii - mjj) + mij * (cc - ss);
    if i == n - 1 {
        return (vx, vy);
    }
    let next = (off[i], -s * off[i + 1]);
    off[i + 1] *= c;
    next
}

/// The 2 × 2 block (start, start + 1) of [`implicit_qr`]: its eigenvalues by nalgebra's
/// `Matrix2::eigenvalues`, which nalgebra unwraps; returns the new end.
#[inline(always)]
fn two_by_two(diag: &mut [f64], off: &[f64], start: usize, end: usize) -> usize {
    let (h00, h11, h10) = (diag[start], diag[start + 1], off[start]);
    let val = (h00 - h11) * 0.5;
    let discr = h10 * h10 + val * val;
    assert!(discr >= 0.0, "2 × 2 eigenvalues: discriminant {discr}");
    let sq = discr.sqrt();
    let half = (h00 + h11) * 0.5;
    diag[start] = half + sq;
    diag[start + 1] = half - sq;
    end - 1
}

/// nalgebra's `SymmetricEigen::delimit_subproblem` (ε = f64::EPSILON).
#[inline(always)]
fn delimit(diag: &[f64], off: &mut [f64], end: usize) -> (usize, usize) {
    let eps = f64::EPSILON;
    let mut n = end;
    while n > 0 {
        let m = n - 1;
        if off[m].abs() > eps * (diag[n].abs() + diag[m].abs()) {
            break;
        }
        n -= 1;
    }
    if n == 0 {
        return (0, 0);
    }
    let mut start = n - 1;
    while start > 0 {
        let m = start - 1;
        if off[m] == 0.0 || off[m].abs() <= eps * (diag[start].abs() + diag[m].abs()) {
            off[m] = 0.0;
            break;
        }
        start -= 1;
    }
    (start, n)
}

/// The eigenvalue loop of nalgebra's `SymmetricEigen::do_decompose` without eigenvectors, on the
/// tridiagonal (diag, off) of order d ≥ 2; the eigenvalues are left in `diag`.
fn implicit_qr(diag: &mut [f64], off: &mut [f64], d: usize) {
    let eps = f64::EPSILON;
    let (mut start, mut end) = delimit(diag, off, d - 1);
    while end != start {
        let subdim = end - start + 1;
        if subdim > 2 {
            let m = end - 1;
            let n = end;
            let (mut vx, mut vy) = (
                diag[start] - wilkinson_shift(diag[m], diag[n], off[m]),
                off[start],
            );
            for i in start..n {
                // GivensRotation::cancel_y
                if vy == 0.0 {
                    break;
                }
                (vx, vy) = rotate(diag, off, start, n, i, (vx, vy));
            }
            if off[m].abs() <= eps * (diag[m].abs() + diag[n].abs()) {
                end -= 1;
            }
        } else if subdim == 2 {
            end = two_by_two(diag, off, start, end);
        }
        let sub = delimit(diag, off, end);
        start = sub.0;
        end = sub.1;
    }
}

/// nalgebra's `wilkinson_shift`.
#[inline(always)]
fn wilkinson_shift(tmm: f64, tnn: f64, tmn: f64) -> f64 {
    let sq = tmn * tmn;
    if sq != 0.0 {
        let d = (tmm - tnn) * 0.5;
        tnn - sq / (d + d.signum() * (d * d + sq).sqrt())
    } else {
        tnn
    }
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

    /// Every kernel against nalgebra bit for bit: the eigenvalue minimum (alone and in pairs), the
    /// Cholesky factor (and its refusals) and inverse, L⁻¹ΔXL⁻ᵀ; orders 1–20 (the eight-term dot products
    /// start at 9).
    #[test]
    fn kernels_are_nalgebra_bit_for_bit() {
        let mut state = 5u64;
        for case in 0..1200 {
            let d = 1 + case % 20;
            let mut w = Work::new(d);
            let m = random(d, &mut state, case / 20);
            let want = m
                .symmetric_eigenvalues()
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min);
            w.m.copy_from_slice(m.as_slice());
            let got = w.min_symmetric_eigenvalue();
            assert_eq!(
                got.to_bits(),
                want.to_bits(),
                "eigenvalue {case}: {got} {want}"
            );
            // the interleaved pair: each its own answer, whatever the other's deflations
            let other = random(d, &mut state, case / 7);
            let want2 = other
                .symmetric_eigenvalues()
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min);
            let mut w2 = Work::new(d);
            w.m.copy_from_slice(m.as_slice());
            w2.m.copy_from_slice(other.as_slice());
            let (a, b) = Work::min_symmetric_eigenvalue_pair(&mut w, &mut w2);
            assert_eq!(a.to_bits(), want.to_bits(), "pair {case}");
            assert_eq!(b.to_bits(), want2.to_bits(), "pair {case}");

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
    }
}
