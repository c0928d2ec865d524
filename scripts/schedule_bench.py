"""The worst case of a schedule over an interval: `momentum bound --lr-schedule` against a NumPy
loop over a dense λ grid (what a user would write), on the issue's case: optax.sgd(momentum=0.9)
under warmup_cosine_decay_schedule(0, 3, 100, 1000), λ ∈ [0.01, 1], N = 1000.

    cargo build --release && python3 scripts/schedule_bench.py [MOMENTUM_BIN]

Prints medians (whole process for the CLI; the NumPy loop alone) and how far each grid's maximum
falls below the certified one. Needs numpy.
"""

import json
import math
import subprocess
import sys
import time

import numpy as np

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/momentum"
ARGS = [BIN, "bound", "--convention", "optax", "--momentum", "0.9", "--mu", "0.01", "--L", "1",
        "--lr-schedule", "warmup_cosine_decay_schedule(0, 3, 100, 1000)", "--json"]


def lr_values(n=1000):
    t = np.arange(n, dtype=np.float64)
    return np.where(t < 100, 3.0 * t / 100, 1.5 * (1 + np.cos(np.pi * (t - 100) / 900)))


def numpy_worst(grid):
    lam = np.linspace(0.01, 1.0, grid)
    x = np.ones(grid)
    tr = np.zeros(grid)
    for a in lr_values():
        g = lam * x
        tr = g + 0.9 * tr
        x = x - a * tr
    i = int(np.argmax(np.abs(x)))
    return abs(x[i]), lam[i]


def median(f, reps):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[reps // 2], out


def main():
    t_cli, doc = median(lambda: json.loads(subprocess.run(ARGS, capture_output=True, text=True, check=True).stdout), 7)
    exact = doc["worst_factor"]
    print(f"momentum bound (whole process, median of 7): {t_cli * 1e3:.1f} ms; worst {exact:.12e} at λ = {doc['worst_lambda']:.9f}, certified <= {doc['worst_factor_bound']:.6e}")
    for grid in (10_000, 100_000, 1_000_000):
        reps = 3 if grid < 1_000_000 else 1
        t, (w, lam) = median(lambda: numpy_worst(grid), reps)
        print(f"NumPy loop, {grid:>9,} λ (median of {reps}): {t * 1e3:9.1f} ms; worst {w:.12e} at λ = {lam:.9f}; "
              f"below the engine by {(exact - w) / exact:.1e} relative; {t / t_cli:.0f}x the CLI's time")


if __name__ == "__main__":
    main()
