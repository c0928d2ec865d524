#!/usr/bin/env python3
"""The IQC certified rate of docs/REFERENCE.md §9 in Python (cvxpy + Clarabel), on the same LMI as
momentum::certify::sdp, for the speed comparison in docs/DESIGN.md.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install cvxpy clarabel numpy
    /tmp/venv/bin/python scripts/certify_bench.py

Nesterov α = 1/L, β = 9/11 on [0.01, 1] (κ = 100): bisection on ρ ∈ [0, 1] to 1e-9, as in Rust.
"""
import statistics
import time

import cvxpy as cp
import numpy as np


def margin(a, beta, gamma, m, rho):
    cy = np.array([1 + gamma, -gamma, 0, 0.0])
    cu = np.array([0, 0, 0, 1.0])
    cz = np.array([0, 0, 1, 0.0])
    cp_, cq = cu - m * cy, cy - cu
    sym = lambda x, y: 0.5 * (np.outer(x, y) + np.outer(y, x))
    S, O = sym(cp_, cq), sym(cp_, cq - rho**2 * cz)
    E = np.array([[1 + beta, -beta, 0, -a], [1, 0, 0, 0], cq])
    F = np.hstack([np.eye(3), np.zeros((3, 1))])
    P = cp.Variable((3, 3), symmetric=True)
    lam = cp.Variable(2)
    s = cp.Variable()
    lmi = E.T @ P @ E - rho**2 * F.T @ P @ F + lam[0] * S + lam[1] * O
    cons = [-(lmi) - s * np.eye(4) >> 0, P >> 0, lam >= 0, cp.sum(lam) == 1, s <= 1]
    prob = cp.Problem(cp.Maximize(s), cons)
    prob.solve(solver=cp.CLARABEL)
    return s.value if prob.status in ("optimal", "optimal_inaccurate") else None


def certified_rate(a, beta, gamma, m):
    feasible = lambda r: (lambda v: v is not None and v > -1e-10)(margin(a, beta, gamma, m, r))
    if not feasible(1.0):
        return None
    lo, hi = 0.0, 1.0
    while hi - lo > 1e-9:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if feasible(mid) else (mid, hi)
    return hi


if __name__ == "__main__":
    args = (1.0, 9 / 11, 9 / 11, 0.01)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        r = certified_rate(*args)
        times.append(time.perf_counter() - t)
    print(f"rate {r:.9f}; median {statistics.median(times) * 1e3:.1f} ms per certified rate "
          f"({len(times)} runs, ~31 SDP solves each)")
    t = time.perf_counter()
    for _ in range(20):
        margin(*args, 0.93)
    print(f"mean {(time.perf_counter() - t) / 20 * 1e3:.2f} ms per SDP solve (cvxpy + Clarabel)")
