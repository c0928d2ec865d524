#!/usr/bin/env python3
"""Independent check of the lifted certificates (issue 27, "Tighter") against `momentum certify`.

Builds the lifted IQC LMI in cvxpy from the method's update lines alone (nothing of the Rust
code): the method x⁺ = (1+β)x − βx⁻ − α∇f(y), y = (1+γ)x − γx⁻, loop-transformed u = μy + p,
with the past (y, p) of W steps as filter state, and the off-by-j supply

    σ_k = a₀ p_k q_k + Σ_j a_j p_k (q_k − q_{k−j}) + Σ_j b_j p_{k−j} (q_{k−j} − q_k),
    p = ∇f(y) − μy,  q = Ly − ∇f(y),
    a, b ≥ 0,  a₀ ≥ 0,  a₀ + Σ_j (a_j − b_j)(1 − ρ^{−2j}) ≥ 0,

(each term a nonnegative combination of interpolation inequalities of F(μ, L), function values
telescoped by the ρ^{−2k} weighting), and the KYP dissipation LMI on ξ = (x_k, x_{k−1}, y_{k−1},
p_{k−1}, …, y_{k−W}, p_{k−W}) with input p_k:

    [A B]ᵀ P [A B] − ρ² [I 0]ᵀ P [I 0] + Σ (weights · supply matrices) ⪯ −t I,  weights sum to 1,

P symmetric; feasible at ρ when the best t is > 0 (clarabel). The rate is bisected on
(ρ_quad, 1) with ρ_quad the largest spectral radius over a grid of curvatures. It is compared
with `momentum certify --json --window W` (`rate`, the better of one-step and lifted) on a set of
heavy-ball, Nesterov and general methods; prints one line a method and the summary.

Usage: python3 scripts/check_lifted_cvxpy.py [path/to/momentum] [--window W]
(needs cvxpy and numpy: python3 -m venv /tmp/venv-lift && /tmp/venv-lift/bin/pip install cvxpy numpy)
"""

import json
import warnings
import subprocess
import sys

import cvxpy as cp
import numpy as np


def quadratic_rate(alpha, beta, gamma, mu, L, n=4001):
    worst = 0.0
    for lam in np.linspace(mu, L, n):
        c1 = 1 + beta - alpha * lam * (1 + gamma)
        c0 = beta - alpha * lam * gamma
        worst = max(worst, max(abs(np.roots([1.0, -c1, c0]))))
    return worst


def lmi_margin(alpha, beta, gamma, mu, L, rho, W):
    """max t with the lifted LMI ⪯ −t I (weights normalised to sum 1); −inf if the solver fails."""
    h = L - mu
    n = 2 + 2 * W  # state: x_k, x_{k-1}, (y_{k-j}, p_{k-j}) j = 1..W
    dim = n + 1  # plus the input p_k

    def e(i):
        v = np.zeros(dim)
        v[i] = 1.0
        return v

    x, xm, pk = e(0), e(1), e(n)
    y = (1 + gamma) * x - gamma * xm
    ys = [e(2 + 2 * (j - 1)) for j in range(1, W + 1)]
    ps = [e(3 + 2 * (j - 1)) for j in range(1, W + 1)]
    q = h * y - pk
    qs = [h * ys[j] - ps[j] for j in range(W)]
    # next state rows over (ξ, p_k)
    xnext = (1 + beta) * x - beta * xm - alpha * (mu * y + pk)
    rows = [xnext, x, y, pk]
    for j in range(1, W):
        rows += [ys[j - 1], ps[j - 1]]
    AB = np.array(rows)  # n × dim
    I0 = np.hstack([np.eye(n), np.zeros((n, 1))])

    def sym(u, v):
        return 0.5 * (np.outer(u, v) + np.outer(v, u))

    supply = [sym(pk, q)]  # a0
    supply += [sym(pk, q - qs[j]) for j in range(W)]  # a_j
    supply += [sym(ps[j], qs[j] - q) for j in range(W)]  # b_j
    P = cp.Variable((n, n), symmetric=True)
    lam = cp.Variable(2 * W + 1, nonneg=True)
    t = cp.Variable()
    M = AB.T @ P @ AB - rho**2 * (I0.T @ P @ I0) + sum(lam[i] * supply[i] for i in range(2 * W + 1))
    cinf = lam[0] + sum((lam[1 + j] - lam[1 + W + j]) * (1 - rho ** (-2 * (j + 1))) for j in range(W))
    cons = [
        0.5 * (M + M.T) << -t * np.eye(dim),
        cp.sum(lam) == 1,
        cinf >= 0,
        cp.abs(P) <= 1e4,
    ]
    prob = cp.Problem(cp.Maximize(t), cons)
    try:
        prob.solve(solver=cp.CLARABEL)
    except cp.error.SolverError:
        return -np.inf
    if prob.status not in ("optimal", "optimal_inaccurate") or t.value is None:
        return -np.inf
    return float(t.value)


def lifted_rate(alpha, beta, gamma, mu, L, W, tol=1e-7):
    # scale to L = 1 (the LMI is homogeneous in the class scale)
    a, m = alpha * L, mu / L
    q = quadratic_rate(a, beta, gamma, m, 1.0)
    if q >= 1:
        return None, q
    feasible = lambda r: lmi_margin(a, beta, gamma, m, 1.0, r, W) > 1e-9
    hi = 1.0 - 1e-9
    if not feasible(hi):
        return None, q
    lo = q
    while hi - lo > tol * max(1 - lo, 1e-12):
        mid = 0.5 * (lo + hi)
        if feasible(mid):
            hi = mid
        else:
            lo = mid
    return hi, q


def methods():
    out = []
    for a in (2.0, 2.3, 2.5, 2.549, 2.6, 2.63, 2.64):  # heavy ball β = 0.5 on F(0.1, 1)
        out.append(("hb", a, 0.5, 0.0, 0.1, 1.0))
    for k in (5.0, 10.0, 15.0, 20.0, 30.0):  # Polyak's heavy ball
        s = np.sqrt(k)
        out.append(("hb", 4 / (s + 1) ** 2, ((s - 1) / (s + 1)) ** 2, 0.0, 1.0, k))
    rng = np.random.default_rng(27)
    for i in range(24):
        k = 10 ** rng.uniform(0.3, 3.0)
        s = np.sqrt(k)
        kind = i % 3
        if kind == 0:
            beta = rng.uniform(0.1, 0.9)
            out.append(("hb", 2 * (1 + beta) * rng.uniform(0.5, 0.97), beta, 0.0, 1 / k, 1.0))
        elif kind == 1:
            b = (s - 1) / (s + 1) * rng.uniform(0.7, 1.0)
            out.append(("nag", rng.uniform(0.5, 1.5), b, b, 1 / k, 1.0))
        else:
            out.append(("gen", rng.uniform(0.2, 2.0), rng.uniform(0.0, 0.9), rng.uniform(0.0, 1.0), 1 / k, 1.0))
    return out


def rust(binary, alpha, beta, gamma, mu, L, W):
    args = [binary, "certify", "--json", "--window", str(W), "--lr", repr(float(alpha)), "--momentum",
            repr(float(beta)), "--lookahead", repr(float(gamma)), "--mu", repr(float(mu)), "--L", repr(float(L))]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def main():
    warnings.filterwarnings("ignore", message="Solution may be inaccurate")
    binary = "target/release/momentum"
    W = 3
    argv = sys.argv[1:]
    if "--window" in argv:
        i = argv.index("--window")
        W = int(argv[i + 1])
        del argv[i : i + 2]
    if argv:
        binary = argv[0]
    worst, count, agree_verdict = 0.0, 0, 0
    for name, a, b, g, mu, L in methods():
        d = rust(binary, a, b, g, mu, L, W)
        r_rust = d["rate"]
        r_cvx, q = lifted_rate(a, b, g, mu, L, W)
        same = (r_rust is None) == (r_cvx is None)
        agree_verdict += same
        delta = abs(r_rust - r_cvx) if (r_rust is not None and r_cvx is not None) else None
        if delta is not None:
            worst = max(worst, delta)
            count += 1
        print(f"{name:4s} a={a:.6g} b={b:.6g} g={g:.6g} mu={mu:.4g} L={L:.4g}: rust {r_rust} "
              f"(one-step {d['one_step_rate']}) cvxpy {r_cvx} quad {q:.8f} |d|={delta}")
    total = len(methods())
    print(f"window {W}: {count} methods rated by both, max |Δρ| = {worst:.3g}; "
          f"verdicts agree on {agree_verdict} of {total}")


if __name__ == "__main__":
    main()
