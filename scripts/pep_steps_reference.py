#!/usr/bin/env python3
"""PEPit reference values for `momentum::pep::worst_case_steps` (a step list: per-step (αₖ, βₖ, γₖ)).

    python3 -m venv /tmp/venv-pep && /tmp/venv-pep/bin/pip install pepit clarabel cvxpy
    /tmp/venv-pep/bin/python scripts/pep_steps_reference.py > tests/data/pep_steps_reference.json

The method x_{k+1} = x_k + βₖ(x_k − x_{k−1}) − αₖ∇f(x_k + γₖ(x_k − x_{k−1})) from rest (x₋₁ = x₀)
on PEPit's SmoothStronglyConvexFunction(μ, L), metric ‖x_N − x*‖² under ‖x₀ − x*‖² ≤ 1, solved
through cvxpy with Clarabel at the tolerances of scripts/pep_reference.py (TIGHT), and again with
SCS (eps 1e-10) as a second solver. tests/it/pep.rs reads the JSON (`sdp_steps_match_pepit_…`)
and repeats a few values inline; CI does not run this script.
"""
import json
import math
import sys
from importlib.metadata import version

import cvxpy
from PEPit import PEP
from PEPit.functions import SmoothStronglyConvexFunction

TIGHT = dict(tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12, max_iter=500)


def worst_case(steps, mu, L, solver="CLARABEL"):
    """PEPit's worst ‖x_N − x*‖² / ‖x₀ − x*‖² of the step list [(α, β, γ), …]."""
    problem = PEP()
    f = problem.declare_function(SmoothStronglyConvexFunction, mu=mu, L=L)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x_prev, x = x0, x0
    for alpha, beta, gamma in steps:
        y = x + gamma * (x - x_prev)
        x_prev, x = x, x + beta * (x - x_prev) - alpha * f.gradient(y)
    problem.set_performance_metric((x - xs) ** 2)
    if solver == "CLARABEL":
        return problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0, **TIGHT)
    return problem.solve(wrapper="cvxpy", solver="SCS", verbose=0, eps=1e-10, max_iters=200000)


def chebyshev(mu, L, n):
    """Young's Chebyshev steps 1/rₖ, rₖ = (L+μ)/2 + (L−μ)/2·cos((2k−1)π/(2N)), k = 1 … N."""
    return [1 / ((L + mu) / 2 + (L - mu) / 2 * math.cos((2 * k - 1) * math.pi / (2 * n)))
            for k in range(1, n + 1)]


def cases():
    gd = lambda hs: [(h, 0.0, 0.0) for h in hs]
    cheb = chebyshev(0.1, 1.0, 5)
    return [
        ("gd_chebyshev_n5", 0.1, 1.0, gd(cheb)),
        ("gd_chebyshev_n5_reversed", 0.1, 1.0, gd(cheb[::-1])),
        # GD with steps in (0, 2/L): L first (the PEP exceeds every quadratic), L last (below
        # the product bound)
        ("gd_long_first", 1.0, 10.0, gd([0.19, 0.035, 0.065])),
        ("gd_long_last", 1.0, 10.0, gd([0.05, 0.19])),
        ("gd_short", 1.0, 10.0, gd([0.1, 0.15, 0.05, 0.18])),
        ("hb_alternating", 0.1, 1.0, [(a, 0.5, 0.0) for a in (0.5, 1.5, 0.5, 1.5)]),
    ]


def main():
    out = []
    for name, mu, L, steps in cases():
        v = worst_case(steps, mu, L)
        try:
            v_scs = worst_case(steps, mu, L, solver="SCS")
        except Exception as e:  # SCS is the second opinion only
            print(f"{name}: SCS failed: {e}", file=sys.stderr)
            v_scs = None
        print(f"{name} mu={mu} L={L} N={len(steps)}: Clarabel {v!r}  SCS {v_scs!r}", file=sys.stderr)
        out.append({"case": name, "mu": mu, "L": L, "steps": steps,
                    "worst_factor_squared": v, "worst_factor_squared_scs": v_scs})
    json.dump({
        "source": "scripts/pep_steps_reference.py",
        "pepit": version("pepit"),
        "clarabel": version("clarabel"),
        "scs": version("scs"),
        "cvxpy": cvxpy.__version__,
        "solver_settings": TIGHT,
        "metric": "|x_N - x*|^2 / |x_0 - x*|^2, from rest, SmoothStronglyConvexFunction(mu, L)",
        "cases": out,
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
