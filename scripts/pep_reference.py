#!/usr/bin/env python3
"""Reference values for `momentum::pep` from PEPit (Goujaud et al.), and the Python side of the
PEP benchmark.

    python3 -m venv /tmp/pep-venv && /tmp/pep-venv/bin/pip install pepit clarabel cvxpy
    /tmp/pep-venv/bin/python scripts/pep_reference.py > tests/data/pep_reference.json
    /tmp/pep-venv/bin/python scripts/pep_reference.py --bench     (medians per solve, N = 1, 5, 10)

Each case: the family x_{k+1} = x_k + β(x_k − x_{k−1}) − α∇f(x_k + γ(x_k − x_{k−1})) from rest
(x₋₁ = x₀) on PEPit's SmoothStronglyConvexFunction(μ, L), metric ‖x_N − x*‖² under
‖x₀ − x*‖² ≤ 1, solved through cvxpy with Clarabel at tight tolerances (TIGHT). The JSON records the versions and
the solver settings.
"""
import json
import math
import statistics
import sys
import time

import clarabel
import cvxpy
import PEPit
from PEPit import PEP
from PEPit.functions import SmoothStronglyConvexFunction


def worst_case(alpha, beta, gamma, mu, L, n, solver_times=None):
    """PEPit's worst ‖x_N − x*‖² / ‖x₀ − x*‖² (dual value, PEPit's default); appends Clarabel's
    own solve time (cvxpy's solver_stats) to `solver_times` when given."""
    problem = PEP()
    f = problem.declare_function(SmoothStronglyConvexFunction, mu=mu, L=L)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x_prev, x = x0, x0
    for _ in range(n):
        y = x + gamma * (x - x_prev)
        x_prev, x = x, x + beta * (x - x_prev) - alpha * f.gradient(y)
    problem.set_performance_metric((x - xs) ** 2)
    # Clarabel's default stopping tolerances (1e-8) leave these degenerate SDPs ~2e-5 relative
    # off (checked against SCS at eps 1e-10); at 1e-12 PEPit's primal and dual agree to ~1e-9.
    value = problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0, **TIGHT)
    if solver_times is not None:
        solver_times.append(problem.wrapper.prob.solver_stats.solve_time)
    return value


TIGHT = dict(tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12, max_iter=500)


def tunings(mu, L):
    sk = math.sqrt(L / mu)
    rho = 1 - 1 / sk
    tmm = ((1 + rho) / L, rho * rho / (2 - rho), rho * rho / ((1 + rho) * (2 - rho)))
    return {
        "gd_1_over_L": (1 / L, 0.0, 0.0),
        "gd_2_over_L_plus_mu": (2 / (L + mu), 0.0, 0.0),
        "hb_polyak": (4 / (math.sqrt(L) + math.sqrt(mu)) ** 2, ((sk - 1) / (sk + 1)) ** 2, 0.0),
        "nesterov": (1 / L, (sk - 1) / (sk + 1), (sk - 1) / (sk + 1)),
        "triple_momentum": tmm,
        "general": (0.8 / L, 0.3, 0.5),
    }


CASES = [(1.0, 10.0, n) for n in (1, 2, 5, 10)] + [(0.1, 1.0, n) for n in (3, 8)]


def main():
    if "--bench" in sys.argv:
        return bench()
    out = []
    for mu, L, n in CASES:
        for name, (a, b, g) in tunings(mu, L).items():
            v = worst_case(a, b, g, mu, L, n)
            out.append({"method": name, "step": a, "momentum": b, "lookahead": g,
                        "mu": mu, "L": L, "steps": n, "worst_factor_squared": v})
            print(f"{name} mu={mu} L={L} N={n}: {v}", file=sys.stderr)
    json.dump({
        "source": "scripts/pep_reference.py",
        "pepit": PEPit.__version__ if hasattr(PEPit, "__version__") else "0.5.1",
        "cvxpy": cvxpy.__version__,
        "clarabel": clarabel.__version__,
        "solver_settings": TIGHT,
        "metric": "|x_N - x*|^2 / |x_0 - x*|^2, from rest, SmoothStronglyConvexFunction(mu, L)",
        "cases": out,
    }, sys.stdout, indent=1)
    print()


def bench():
    """Median wall and CPU (process) time of one PEPit solve (problem build + cvxpy + Clarabel),
    heavy ball at Polyak's tuning for [1, 10], N = 1, 5, 10."""
    a, b, g = tunings(1.0, 10.0)["hb_polyak"]
    for n in (1, 5, 10):
        reps = 15 if n < 10 else 9
        ts, cpu, solver = [], [], []
        for _ in range(reps):
            t0, c0 = time.perf_counter(), time.process_time()
            v = worst_case(a, b, g, 1.0, 10.0, n, solver)
            ts.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        print(f"PEPit+cvxpy+Clarabel  N={n:2d}  median {statistics.median(ts)*1e3:8.2f} ms"
              f"  (of which Clarabel's solve {statistics.median(solver)*1e3:.2f} ms)"
              f"  ({reps} runs)  value {v:.9f}  cpu median {statistics.median(cpu)*1e3:.2f} ms")


if __name__ == "__main__":
    main()
