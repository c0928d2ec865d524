#!/usr/bin/env python3
"""Independent check of `momentum certify --convention ademamix|aggmo` (issue 26): the IQC LMI of
each optimizer built in cvxpy from its update lines alone (nothing of the Rust code, no pencil).

State of the literal update (no lr scaling), one gradient g_k = ∇f(x_k) per step:

    AdEMAMix:  m1' = β1 m1 + (1−β1) g,  m2' = β3 m2 + (1−β3) g,  x' = x − lr (m1' + α m2')
    AggMo:     v_i' = β_i v_i − g,      x' = x + (lr/K) Σ v_i'

loop-transformed g = μx + p, q = (L−μ)x − p, with the filter state (x_{k−1}, p_{k−1}) and the
supply a0 p_k q_k + a1 p_k (q_k − q_{k−1}), a0, a1 ≥ 0, a0 + a1(1 − ρ^{−2}) ≥ 0 (the sector and
ρ²-weighted off-by-one interpolation inequalities; function values telescoped). The KYP
dissipation LMI with P symmetric,

    [A B]ᵀ P [A B] − ρ² [I 0]ᵀ P [I 0] + a0 S0 + a1 S1 ⪯ −t I,   a0 + a1 = 1,

is feasible at ρ when the best t > 0 (clarabel); ρ is bisected on (ρ_quad, 1), ρ_quad from the
eigenvalues of the literal state matrix on a grid of curvatures. Compared with
`momentum certify --convention X --json` on 24 methods; prints one line a method and a summary.

Usage: python3 scripts/check_zoo_certify_cvxpy.py [path/to/momentum]
(needs cvxpy, clarabel, numpy: /tmp/venv-pep has them)
"""

import json
import subprocess
import sys
import warnings

import cvxpy as cp
import numpy as np


def ademamix(lr, b1, b3, alpha):
    """(A, B) of s' = A s + B g with s = (x, m1, m2)."""
    A = np.array(
        [
            [1.0, -lr * b1, -lr * alpha * b3],
            [0.0, b1, 0.0],
            [0.0, 0.0, b3],
        ]
    )
    B = np.array([-lr * ((1 - b1) + alpha * (1 - b3)), 1 - b1, 1 - b3])
    return A, B


def aggmo(lr, betas):
    K = len(betas)
    n = K + 1
    A = np.zeros((n, n))
    B = np.zeros(n)
    A[0, 0] = 1.0
    for i, b in enumerate(betas):
        A[i + 1, i + 1] = b
        B[i + 1] = -1.0
        A[0, i + 1] = lr * b / K
        B[0] += -lr / K
    return A, B


def quadratic_rate(A, B, mu, L, n=2001):
    return max(
        max(abs(np.linalg.eigvals(A + lam * np.outer(B, np.eye(len(B))[0]))))
        for lam in np.linspace(mu, L, n)
    )


def margin(A, B, mu, L, rho):
    n = A.shape[0]
    h = L - mu
    # closed loop in p: g = μx + p
    Acl = A + mu * np.outer(B, np.eye(n)[0])
    N = n + 2  # ξ = (s, x_{k−1}, p_{k−1})
    dim = N + 1  # plus p_k

    def e(i):
        v = np.zeros(dim)
        v[i] = 1.0
        return v

    x, xm, pm, pk = e(0), e(n), e(n + 1), e(N)
    q = h * x - pk
    qm = h * xm - pm
    rows = []
    for i in range(n):
        r = np.zeros(dim)
        r[:n] = Acl[i]
        r[N] = B[i]
        rows.append(r)
    rows += [x, pk]
    AB = np.array(rows)
    I0 = np.hstack([np.eye(N), np.zeros((N, 1))])

    def sym(u, v):
        return 0.5 * (np.outer(u, v) + np.outer(v, u))

    S0, S1 = sym(pk, q), sym(pk, q - qm)
    P = cp.Variable((N, N), symmetric=True)
    a = cp.Variable(2, nonneg=True)
    t = cp.Variable()
    M = AB.T @ P @ AB - rho**2 * (I0.T @ P @ I0) + a[0] * S0 + a[1] * S1
    cons = [
        0.5 * (M + M.T) << -t * np.eye(dim),
        cp.sum(a) == 1,
        a[0] + a[1] * (1 - rho ** (-2)) >= 0,
        t <= 1,
    ]
    prob = cp.Problem(cp.Maximize(t), cons)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            prob.solve(solver=cp.CLARABEL)
    except cp.error.SolverError:
        return -np.inf
    return t.value if t.value is not None else -np.inf


def lmi_rate(A, B, mu, L, tol=1e-7):
    lo = quadratic_rate(A, B, mu, L)
    if lo >= 1 or margin(A, B, mu, L, 1 - 1e-9) <= 1e-9:
        return None, lo
    q = lo
    hi = 1 - 1e-9
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if margin(A, B, mu, L, mid) > 1e-9:
            hi = mid
        else:
            lo = mid
    return hi, q


def cli(binary, conv, flags, mu, L):
    out = subprocess.run(
        [binary, "certify", "--convention", conv, "--mu", str(mu), "--L", str(L), "--json"] + flags,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def cases():
    rng = np.random.default_rng(26)
    out = []
    for i in range(24):
        mu = float(np.round(rng.uniform(0.05, 0.4), 3))
        if i % 2 == 0:
            lr = float(np.round(rng.uniform(0.1, 1.5), 3))
            b1 = float(np.round(rng.uniform(0.1, 0.9), 3))
            b3 = float(np.round(rng.uniform(0.5, 0.98), 3))
            alpha = float(np.round(rng.uniform(0.3, 3.0), 3))
            if abs(b1 - b3) < 0.02:
                b3 = min(0.98, b1 + 0.05)
            flags = ["--lr", str(lr), "--momentum", str(b1), "--b3", str(b3), "--alpha", str(alpha)]
            out.append(("ademamix", flags, ademamix(lr, b1, b3, alpha), mu))
        else:
            lr = float(np.round(rng.uniform(0.1, 2.0), 3))
            k = int(rng.integers(2, 4))
            betas = sorted(set(float(np.round(rng.uniform(0.05, 0.9), 3)) for _ in range(k)))
            flags = ["--lr", str(lr), "--momenta", ",".join(str(b) for b in betas)]
            out.append(("aggmo", flags, aggmo(lr, betas), mu))
    return out


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/momentum"
    worst, agree, n = 0.0, 0, 0
    for conv, flags, (A, B), mu in cases():
        d = cli(binary, conv, flags, mu, 1.0)
        r, q = lmi_rate(A, B, mu, 1.0)
        n += 1
        both = (r is None) == (d["rate"] is None)
        diff = abs(r - d["rate"]) if (r is not None and d["rate"] is not None) else 0.0
        if both:
            agree += 1
        worst = max(worst, diff)
        print(
            f"{conv:9s} {' '.join(flags):60s} mu={mu:<6} quad {q:.6f}/{d['quadratic_rate']:.6f} "
            f"lmi {r} cli {d['rate']} |d| {diff:.2e}"
        )
    print(f"{agree}/{n} same verdict; max |rate difference| {worst:.2e}")
    return 0 if agree == n and worst < 1e-5 else 1


if __name__ == "__main__":
    sys.exit(main())
