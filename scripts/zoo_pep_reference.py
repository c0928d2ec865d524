#!/usr/bin/env python3
"""PEPit reference values for `momentum::certify::pep_linear` (the order-n optimizers' N-step worst
case on F(μ, L), issue 26), each optimizer written here from its paper's / optax's update lines in
PEPit's own expressions (nothing of the Rust code):

    /tmp/venv-pep/bin/python scripts/zoo_pep_reference.py > tests/data/zoo_pep_reference.json

Metric ‖x_N − x*‖² under ‖x₀ − x*‖² ≤ 1, buffers zero at the start, Clarabel through cvxpy at tight
tolerances (as scripts/pep_reference.py).
"""
import json
import sys

import PEPit
from PEPit import PEP
from PEPit.functions import SmoothStronglyConvexFunction

TIGHT = dict(tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12, max_iter=500)


def run(case, mu, L, n):
    problem = PEP()
    f = problem.declare_function(SmoothStronglyConvexFunction, mu=mu, L=L)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    kind, p = case["optimizer"], case
    lr = p["lr"]
    x = x0
    if kind == "ademamix":
        b1, b3, al = p["beta1"], p["beta3"], p["alpha"]
        m1 = m2 = None
        for t in range(1, n + 1):
            g = f.gradient(x)
            m1 = (1 - b1) * g if m1 is None else b1 * m1 + (1 - b1) * g
            m2 = (1 - b3) * g if m2 is None else b3 * m2 + (1 - b3) * g
            x = x - lr * (m1 / (1 - b1**t) + al * m2)
    elif kind == "aggmo":
        bs = p["momenta"]
        vs = [None] * len(bs)
        for _ in range(n):
            g = f.gradient(x)
            vs = [(-g if v is None else b * v - g) for v, b in zip(vs, bs)]
            step = vs[0]
            for v in vs[1:]:
                step = step + v
            x = x + (lr / len(bs)) * step
    elif kind == "sam":
        rho, beta = p["rho"], p["momentum"]
        v = None
        for _ in range(n):
            g = f.gradient(x + rho * f.gradient(x))
            v = g if v is None else beta * v + g
            x = x - lr * v
    elif kind == "schedule_free":
        beta = p["beta"]
        z, xa = x0, x0
        for t in range(1, n + 1):
            y = (1 - beta) * z + beta * xa
            z = z - lr * f.gradient(y)
            c = 1.0 / t
            xa = (1 - c) * xa + c * z
        x = xa
    elif kind == "lookahead":
        k, a, beta = p["sync_period"], p["slow_step"], p["momentum"]
        phi, u = x0, None
        for t in range(1, n + 1):
            g = f.gradient(x)
            u = g if u is None else beta * u + g
            x = x - lr * u
            if t % k == 0:
                phi = phi + a * (x - phi)
                x = phi
    else:
        raise ValueError(kind)
    problem.set_performance_metric((x - xs) ** 2)
    return problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0, **TIGHT)


CASES = [
    ({"optimizer": "ademamix", "lr": 0.8, "beta1": 0.6, "beta3": 0.9, "alpha": 1.0}, 0.1, 1.0, 4),
    ({"optimizer": "ademamix", "lr": 0.5, "beta1": 0.9, "beta3": 0.99, "alpha": 5.0}, 0.2, 1.0, 3),
    ({"optimizer": "aggmo", "lr": 0.9, "momenta": [0.0, 0.5, 0.8]}, 0.1, 1.0, 4),
    ({"optimizer": "sam", "lr": 0.5, "rho": 0.1, "momentum": 0.0}, 0.1, 1.0, 3),
    ({"optimizer": "sam", "lr": 0.3, "rho": 0.2, "momentum": 0.5}, 0.1, 1.0, 3),
    ({"optimizer": "schedule_free", "lr": 1.0, "beta": 0.9}, 0.1, 1.0, 4),
    ({"optimizer": "lookahead", "lr": 0.8, "sync_period": 2, "slow_step": 0.5, "momentum": 0.0}, 0.1, 1.0, 4),
    ({"optimizer": "lookahead", "lr": 0.5, "sync_period": 3, "slow_step": 0.5, "momentum": 0.5}, 0.1, 1.0, 5),
]


def main():
    out = []
    for case, mu, L, n in CASES:
        v = run(case, mu, L, n)
        out.append(dict(case, mu=mu, L=L, steps=n, worst_factor_squared=v))
        print(f"{case} mu={mu} L={L} N={n}: {v}", file=sys.stderr)
    json.dump(
        {
            "source": "scripts/zoo_pep_reference.py",
            "pepit": getattr(PEPit, "__version__", "0.5.1"),
            "solver": "CLARABEL via cvxpy",
            "tolerances": TIGHT,
            "cases": out,
        },
        sys.stdout,
        indent=1,
    )
    print()


if __name__ == "__main__":
    main()
