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


def check(doc):
    """(ok, reason) for one certificate document."""
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
