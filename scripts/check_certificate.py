#!/usr/bin/env python3
"""Re-check a rate certificate of `momentum certify --certificate FILE`, exactly.

Independent of the Rust code: standard library only (`fractions`), the LMI rebuilt here from the
method's update line and the class (Lessard, Recht & Packard 2016, Theorem 4; docs/REFERENCE.md
section 9), scaled to L = 1 (a = alpha L, m = mu / L):

    y_k = (1 + gamma) x_k - gamma x_{k-1},  u_k = grad f(y_k),
    x_{k+1} = (1 + beta) x_k - beta x_{k-1} - a u_k,
    p_k = u_k - m y_k,  q_k = y_k - u_k,  zeta_{k+1} = q_k,

on w = (x_k, x_{k-1}, zeta_k, u_k). The certificate holds iff 0 < rho <= 1, both multipliers
>= 0, P is symmetric and P >= 0, and

    M = E^T P E - rho^2 F^T P F + l1 sym(c_p c_q^T) + l2 sym(c_p (c_q - rho^2 c_zeta)^T) <= 0,

E the rows of (x_{k+1}, x_k, zeta_{k+1}) over w, F those of (x_k, x_{k-1}, zeta_k). Both
semidefinite tests are exact LDL^T eliminations in rationals.

A lifted certificate (kind "iqc_lifted_frequency", `certify --window W`, docs/REFERENCE.md
section 9.1) is checked in the frequency domain instead: with D_lam(z) = z^2 - (1 + beta -
a lam (1 + gamma)) z + (beta - a lam gamma) and the multiplier

    M(z) = c + sum_j w_j (1 - conj(z)^j) + sum_j v_j (rho^(2j) - z^j),   j = 1 .. W,

it holds iff 0 < rho < 1, the weights are >= 0 and not all 0, c + sum_j (w_j - v_j)(1 - rho^(2j))
>= 0, both roots of D_m lie in |z| < rho (Jury's test on D_m(rho z)), and Re(M D_1 conj(D_m)) > 0
on |z| = rho: a cosine polynomial, rewritten in t = cos(omega) with Chebyshev polynomials and
decided on [-1, 1] by its end values and a Sturm sequence, all in Fractions.

Usage: check_certificate.py FILE [FILE ...]   (exit 0: every certificate holds; 1: one fails or
cannot be read).
"""

import json
import sys
from fractions import Fraction


def rational(s):
    """A "p/q" or integer string (or a JSON number, converted exactly) as a Fraction."""
    if isinstance(s, bool) or s is None:
        raise ValueError(f"not a number: {s!r}")
    if isinstance(s, (int, float)):
        return Fraction(s)
    return Fraction(str(s))


def is_psd(a):
    """Exact positive semidefiniteness of a symmetric rational matrix (symmetric elimination)."""
    a = [row[:] for row in a]
    n = len(a)
    alive = list(range(n))
    while alive:
        # a negative diagonal refutes; a zero diagonal needs a zero row (then it is dropped)
        for i in list(alive):
            if a[i][i] < 0:
                return False
            if a[i][i] == 0:
                if any(a[i][j] != 0 for j in alive):
                    return False
                alive.remove(i)
        if not alive:
            return True
        k = alive.pop(0)
        piv = a[k][k]
        for i in alive:
            f = a[k][i] / piv
            if f == 0:
                continue
            for j in alive:
                a[i][j] -= f * a[k][j]
    return True


def lmi(a, beta, gamma, m, rho, P, l1, l2):
    """The 4x4 matrix M of the module docs, in Fractions."""
    one, zero = Fraction(1), Fraction(0)
    c_y = [one + gamma, -gamma, zero, zero]
    c_u = [zero, zero, zero, one]
    c_z = [zero, zero, one, zero]
    c_p = [u - m * y for u, y in zip(c_u, c_y)]
    c_q = [y - u for y, u in zip(c_y, c_u)]
    rho2 = rho * rho
    c_qs = [q - rho2 * z for q, z in zip(c_q, c_z)]
    x_next = [one + beta, -beta, zero, -a]
    E = [x_next, [one, zero, zero, zero], c_q]
    F = [[one, zero, zero, zero], [zero, one, zero, zero], [zero, zero, one, zero]]

    def quad(R):  # R^T P R
        return [[sum(P[k][l] * R[k][r] * R[l][c] for k in range(3) for l in range(3))
                 for c in range(4)] for r in range(4)]

    def sym(v, w):
        return [[(v[r] * w[c] + w[r] * v[c]) / 2 for c in range(4)] for r in range(4)]

    EPE, FPF = quad(E), quad(F)
    S, O = sym(c_p, c_q), sym(c_p, c_qs)
    return [[EPE[r][c] - rho2 * FPF[r][c] + l1 * S[r][c] + l2 * O[r][c] for c in range(4)]
            for r in range(4)]


def poly_trim(p):
    """Drop zero leading coefficients (index = power)."""
    p = list(p)
    while p and p[-1] == 0:
        p.pop()
    return p


def poly_eval(p, t):
    v = Fraction(0)
    for c in reversed(p):
        v = v * t + c
    return v


def poly_rem(a, b):
    """Remainder of a / b (index = power), b nonzero."""
    a = poly_trim(a)
    b = poly_trim(b)
    while len(a) >= len(b) and a:
        f = a[-1] / b[-1]
        shift = len(a) - len(b)
        for i, c in enumerate(b):
            a[i + shift] -= f * c
        a = poly_trim(a[:-1] if a[-1] == 0 else a)
    return a


def sign_changes(seq, t):
    vals = [poly_eval(p, t) for p in seq]
    vals = [v for v in vals if v != 0]
    return sum(1 for u, v in zip(vals, vals[1:]) if (u < 0) != (v < 0))


def positive_on_unit_interval(p):
    """Exactly: p(t) > 0 for every t in [-1, 1] (end values, then no root inside by Sturm)."""
    p = poly_trim(p)
    if not p:
        return False
    if poly_eval(p, Fraction(-1)) <= 0 or poly_eval(p, Fraction(1)) <= 0:
        return False
    if len(p) == 1:
        return True
    dp = [i * c for i, c in enumerate(p)][1:]
    seq = [p, dp]
    while True:
        r = poly_rem(seq[-2], seq[-1])
        if not r:
            break
        seq.append([-c for c in r])
    # distinct roots in (-1, 1]: none, as neither end is a root
    return sign_changes(seq, Fraction(-1)) == sign_changes(seq, Fraction(1))


def chebyshev(n):
    """T_n in powers of t."""
    t0, t1 = [Fraction(1)], [Fraction(0), Fraction(1)]
    if n == 0:
        return t0
    for _ in range(n - 1):
        nxt = [Fraction(0)] * (len(t1) + 1)
        for i, c in enumerate(t1):
            nxt[i + 1] += 2 * c
        for i, c in enumerate(t0):
            nxt[i] -= c
        t0, t1 = t1, nxt
    return t1


def check_lifted(doc, mu, L, alpha, beta, gamma):
    """(ok, reason) for a lifted frequency-domain certificate (module docs)."""
    rho = rational(doc["rho"])
    w = doc["window"]
    mult = doc["multipliers"]
    c = rational(mult["sector"])
    causal = [rational(v) for v in mult["causal"]]
    anti = [rational(v) for v in mult["anticausal"]]
    if not isinstance(w, int) or w < 1 or len(causal) != w or len(anti) != w:
        return False, "the window does not match the weights"
    if not (0 < rho < 1):
        return False, "rho not in (0, 1)"
    weights = [c] + causal + anti
    if any(v < 0 for v in weights) or all(v == 0 for v in weights):
        return False, "a negative weight, or all weights zero"
    if c + sum((cw - av) * (1 - rho ** (2 * j)) for j, (cw, av) in enumerate(zip(causal, anti), 1)) < 0:
        return False, "the weight of the iterate-to-minimiser term is negative"
    a, m = alpha * L, mu / L

    def d(lam):  # D_lam(z) coefficients by power of z
        return [beta - a * lam * gamma, -(1 + beta - a * lam * (1 + gamma)), Fraction(1)]

    d1, dm = d(Fraction(1)), d(m)
    # Jury on D_m(rho z) / rho^2 = z^2 + b z + k: both roots inside |z| < 1
    b, k = dm[1] / rho, dm[0] / (rho * rho)
    if not (abs(k) < 1 and abs(b) < 1 + k):
        return False, "D_mu has a root outside |z| < rho"
    # Laurent coefficients in e^{i omega} of M, D_1 and conj(D_m) on z = rho e^{i omega}
    def add(series, n, v):
        series[n] = series.get(n, Fraction(0)) + v

    M = {}
    add(M, 0, c)
    for j, (cw, av) in enumerate(zip(causal, anti), 1):
        add(M, 0, cw + av * rho ** (2 * j))
        add(M, -j, -cw * rho ** j)
        add(M, j, -av * rho ** j)
    prod = {}
    for n1, v1 in M.items():
        for p1, c1 in enumerate(d1):
            for p2, c2 in enumerate(dm):
                add(prod, n1 + p1 - p2, v1 * c1 * c2 * rho ** (p1 + p2))
    # real coefficients: Re(sum p_n e^{i n omega}) = sum p_n cos(n omega)
    deg = max(abs(n) for n in prod)
    poly = [Fraction(0)] * (deg + 1)
    for n, v in prod.items():
        for i, tc in enumerate(chebyshev(abs(n))):
            poly[i] += v * tc
    if not positive_on_unit_interval(poly):
        return False, "the frequency inequality fails somewhere on |z| = rho"
    rate = doc.get("rate")
    if rate is not None and Fraction(rate) < rho:
        return False, f"the stated rate {rate} is below the certified rho"
    return True, f"rho = {float(rho):.10g} holds on F({float(mu):g}, {float(L):g}) (lifted, window {w})"


def check(doc):
    """(ok, reason) for one certificate document."""
    if doc.get("kind") == "iqc_lifted_frequency":
        cls = doc["class"]
        if cls.get("name") != "smooth_strongly_convex":
            return False, f"unknown class {cls.get('name')!r}"
        mu, L = rational(cls["mu"]), rational(cls["L"])
        if not (0 < mu < L):
            return False, "the lifted certificate needs 0 < mu < L"
        meth = doc["method"]
        alpha, beta, gamma = (rational(meth[k]) for k in ("step", "momentum", "lookahead"))
        return check_lifted(doc, mu, L, alpha, beta, gamma)
    if doc.get("kind") != "iqc_lmi":
        return False, f"unknown kind {doc.get('kind')!r}"
    cls = doc["class"]
    if cls.get("name") != "smooth_strongly_convex":
        return False, f"unknown class {cls.get('name')!r}"
    mu, L = rational(cls["mu"]), rational(cls["L"])
    if not (0 < mu <= L):
        return False, "the class needs 0 < mu <= L"
    meth = doc["method"]
    alpha, beta, gamma = (rational(meth[k]) for k in ("step", "momentum", "lookahead"))
    rho = rational(doc["rho"])
    P = [[rational(v) for v in row] for row in doc["P"]]
    if len(P) != 3 or any(len(r) != 3 for r in P):
        return False, "P is not 3x3"
    l1 = rational(doc["multipliers"]["sector"])
    l2 = rational(doc["multipliers"]["off_by_one"])
    if not (0 < rho <= 1):
        return False, "rho not in (0, 1]"
    if l1 < 0 or l2 < 0:
        return False, "a negative multiplier"
    if any(P[i][j] != P[j][i] for i in range(3) for j in range(3)):
        return False, "P is not symmetric"
    if not is_psd(P):
        return False, "P is not positive semidefinite"
    M = lmi(alpha * L, beta, gamma, mu / L, rho, P, l1, l2)
    if not is_psd([[-v for v in row] for row in M]):
        return False, "the dissipation inequality fails: M is not negative semidefinite"
    rate = doc.get("rate")
    if rate is not None and Fraction(rate) < rho:
        return False, f"the stated rate {rate} is below the certified rho"
    return True, f"rho = {float(rho):.10g} holds on F({float(mu):g}, {float(L):g})"


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 1
    ok = True
    for path in argv[1:]:
        try:
            with open(path) as f:
                doc = json.load(f)
            good, why = check(doc)
        except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError) as e:
            good, why = False, f"unreadable certificate: {e!r}"
        print(f"{path}: {'OK' if good else 'FAIL'}: {why}")
        ok = ok and good
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
