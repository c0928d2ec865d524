"""Benchmark of the Python package against the pure-NumPy closed form on the same inputs.

    python python/bench.py [--repeat N]

Reports medians over N runs (default 7) of: `analyze` on 10⁶ eigenvalues, a 1024² stability map,
and one scalar call, each beside the NumPy closed form (roots of z² − c₁z + c₀ by the quadratic
formula in complex128) that computes the same numbers. Not a test: numbers depend on the machine.
The package does more per curvature than the closed form — the discriminant and the Jury
stability margins in double-double arithmetic, so that ρ = 1 − 1e-20 is still called stable —
which is what its time buys.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

import momentum


def median_time(f, repeat):
    f()  # warm-up
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def numpy_analyze(a, b, g, lam):
    c1 = 1.0 + b - a * (1.0 + g) * lam
    c0 = b - a * g * lam
    disc = c1 * c1 - 4.0 * c0
    d = np.sqrt(disc.astype(np.complex128))
    z1, z2 = (c1 + d) / 2.0, (c1 - d) / 2.0
    rho = np.maximum(np.abs(z1), np.abs(z2))
    regime = np.where(disc < 0, 0, np.where(z1.real >= 0, 2, 3)).astype(np.uint8)
    return z1, z2, rho, regime, rho < 1.0


def numpy_map(mu, L, lr_max, n, lo, hi):
    a = lr_max * (np.arange(n) + 0.5) / n
    b = lo + (hi - lo) * (np.arange(n) + 0.5) / n
    A, B = np.meshgrid(a, b)
    rho = np.maximum(numpy_analyze(A, B, 0.0, mu)[2], numpy_analyze(A, B, 0.0, L)[2])
    return rho


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    r = p.parse_args().repeat
    rng = np.random.default_rng(0)
    m = momentum.Method.heavy_ball(0.01, 0.9)
    lam = rng.uniform(0.0, 300.0, size=1_000_000)

    rows = []
    t_pkg = median_time(lambda: momentum.analyze(m, lam), r)
    t_np = median_time(lambda: numpy_analyze(0.01, 0.9, 0.0, lam), r)
    rows.append(("analyze, 10^6 eigenvalues", t_pkg, t_np))

    t_pkg = median_time(lambda: momentum.stability_map("heavy_ball", 1.0, 100.0, 0.04, 1024), r)
    t_np = median_time(lambda: numpy_map(1.0, 100.0, 0.04, 1024, -1.0, 1.0), r)
    rows.append(("stability_map, 1024^2 cells", t_pkg, t_np))

    one = np.array([3.0])
    t_pkg = median_time(lambda: momentum.analyze(m, one), max(r, 1000))
    t_np = median_time(lambda: numpy_analyze(0.01, 0.9, 0.0, one), max(r, 1000))
    rows.append(("analyze, one eigenvalue", t_pkg, t_np))
    t_pkg = median_time(lambda: momentum.worst_case(m, (1.0, 100.0)), max(r, 1000))
    rows.append(("worst_case, one interval", t_pkg, float("nan")))

    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}, repeats: {r}")
    print(f"{'':30} {'momentum':>12} {'NumPy closed form':>18}")
    for name, a, b in rows:
        fb = "" if np.isnan(b) else f"{b * 1e3:15.3f} ms"
        print(f"{name:30} {a * 1e3:9.3f} ms {fb}")


if __name__ == "__main__":
    main()
