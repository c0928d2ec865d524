"""Stability edges of the issue-26 optimizer zoo from real optax runs (float64, one curvature).

    python3 scripts/zoo_edges.py            # needs jax, optax, numpy; ~35 s

For each optimizer and parameter set: the learning rate is bisected on real runs
(python/tests/zoo_runs.py: optax inside jax.lax.scan; AggMo the paper's update) until the
bracket [lo, hi] is 1e-6 relative, lo converging and hi diverging:

- converged: the last 10% of the horizon stays below 1e-6·|x₀| (transients that grow and come
  back are allowed: only the tail counts);
- diverged: the run grew past 1e30·|x₀| (or overflowed), or its tail is above |x₀| and growing.
  Schedule-free SGD is the exception: its stable transients grow past any bound near the edge
  (|y| peaks near 1.3e11·(20 − lr·λ)^−9 for b1 = 0.9) and last ~90/(20 − lr·λ) steps, so a tail
  still growing at T proves nothing. Two rows for it: "plain" (converged below 1e-6, or
  overflowed to inf; everything else unresolved) and "fit", where the fast mode C·t^k·rᵗ is
  fitted on log|y_{t+1} − y_t| over the last 20% of the horizon (zoo_runs.fast_mode_fit) and
  r < 1 (or the algebraic mode of the average already dominating) means stable;
- anything else ("slow") doubles the horizon, up to the cap; a bracket end that stays slow is
  reported as such.

The claimed column is the asymptotic linear map's edge computed here in NumPy (`*_matrix` in
zoo_runs.py, written from optax's update lines), next to the figure the issue quotes where it
quotes one. Then the schedule-free transient: the peak of |x_t|/|x₀| (x = the averaged iterate
`schedule_free_eval_params`), |y_t|/|y₀| (y = the params optax holds, the gradient point) and
|z_t|/|z₀| (z = state.z, the SGD sequence) against lr·λ.
"""

from __future__ import annotations

import math
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "python" / "tests"))

import zoo_runs as z  # noqa: E402

REL = 1e-6


def bisect(classify, lo, hi, T, Tmax):
    """classify(lr, T) -> 'conv' | 'div' | 'slow'; lo must converge and hi diverge. A 'slow'
    midpoint doubles the horizon up to Tmax; one still slow there splits the search in two (the
    largest converging lr below it, the smallest diverging one above it), so the bracket is
    [largest conv, smallest div] with the unresolved zone (s_lo, s_hi) between them."""

    def judge(lr):
        nonlocal T
        v = classify(lr, T)
        while v == "slow" and T < Tmax:
            T *= 2
            v = classify(lr, T)
        return v

    assert judge(lo) == "conv", ("lo does not converge", lo)
    assert judge(hi) == "div", ("hi does not diverge", hi)
    s_lo = s_hi = None
    while hi - lo > REL * hi:
        if s_lo is None:
            mid = 0.5 * (lo + hi)
            v = judge(mid)
            if v == "conv":
                lo = mid
            elif v == "div":
                hi = mid
            else:
                s_lo = s_hi = mid
            continue
        progressed = False
        if s_lo - lo > REL * hi:
            mid = 0.5 * (lo + s_lo)
            v = judge(mid)
            lo, s_lo = (mid, s_lo) if v == "conv" else (lo, mid)
            progressed = True
        if hi - s_hi > REL * hi:
            mid = 0.5 * (s_hi + hi)
            v = judge(mid)
            hi, s_hi = (mid, s_hi) if v == "div" else (hi, mid)
            progressed = True
        if not progressed:
            break
    return lo, hi, T, (s_lo, s_hi) if s_lo is not None else None


def rows():
    out = []

    def add(name, params, classify, claimed, quoted, T, Tmax):
        t0 = time.time()
        lo, hi, T, slow = bisect(classify, 0.93 * claimed, 1.1 * claimed, T, Tmax)
        inside = lo <= claimed <= hi
        out.append((name, params, lo, hi, T, slow, claimed, quoted, inside, time.time() - t0))
        print(f"  {name} {params}: [{lo:.7g}, {hi:.7g}] T={T} claimed {claimed:.7g}", file=sys.stderr)

    # AdEMAMix, preconditioned curvature s = 1 (eps = 1, ν̂ ≈ 0 exactly): edge in lr·s
    for b1, b3, al, quoted in [
        (0.9, 0.9999, 5.0, "37.820"),
        (0.9, 0.99, 5.0, "25.721"),
        (0.9, 0.999, 8.0, ""),
        (0.9, 0.9999, 0.0, "38 (Adam)"),
    ]:
        claimed = z.matrix_edge(lambda lr: z.rho(z.ademamix_matrix(lr, 1.0, b1, b3, al)))
        add(
            "ademamix",
            f"b1={b1} b3={b3} alpha={al:g}",
            lambda lr, T, b1=b1, b3=b3, al=al: z.verdict(z.ademamix(lr, 1.0, b1, b3, al, T=T)),
            claimed, quoted, 200_000, 1_600_000,
        )
    for b1, al in [(0.99, 0.0), (0.9, 0.0), (0.99, 2.0)]:
        claimed = z.matrix_edge(lambda lr: z.rho(z.simplified_ademamix_matrix(lr, 1.0, b1, al)))
        add(
            "simplified_ademamix",
            f"b1={b1} alpha={al:g}",
            lambda lr, T, b1=b1, al=al: z.verdict(z.simplified_ademamix(lr, 1.0, b1, al, T=T)),
            claimed, "", 50_000, 800_000,
        )
    # Lookahead around optax.sgd, λ = 1
    for k, a, beta, nes, reset, quoted in [
        (5, 0.5, 0.0, False, False, "2.2457"),
        (5, 0.5, 0.9, False, False, ""),
        (5, 0.5, 0.9, True, False, ""),
        (5, 0.5, 0.9, False, True, ""),
        (10, 0.8, 0.0, False, False, ""),
    ]:
        claimed = z.matrix_edge(
            lambda lr: z.rho(z.lookahead_cycle_matrix(lr, 1.0, k, a, beta, nes, reset)), lo=1e-3, hi=1e2
        )
        add(
            "lookahead",
            f"k={k} a={a} momentum={beta}" + (" nesterov" if nes else "") + (" reset_state" if reset else ""),
            lambda lr, T, k=k, a=a, beta=beta, nes=nes, reset=reset: z.verdict(
                z.lookahead(lr, 1.0, k, a, beta, nes, reset, T=T)[1]
            ),
            claimed, quoted, 20_000, 640_000,
        )

    # schedule-free SGD, λ = 1 (see the module docstring)
    def sf_plain(lr, T, b1):
        x, _, _ = z.schedule_free(lr, 1.0, b1, T=T)
        if not np.all(np.isfinite(x)):
            return "div"
        return "conv" if z.verdict(x, blowup=False) == "conv" else "slow"

    def sf_fit(lr, T, b1):
        _, y, _ = z.schedule_free(lr, 1.0, b1, T=T, signed=True)
        if not np.all(np.isfinite(y)):
            return "div"
        r, k = z.fast_mode_fit(y, int(0.8 * T), T)
        if k < 0:  # the algebraic (average) mode dominates the tail: decaying
            return "conv"
        return "conv" if r < 1.0 else "div"

    for b1, quoted in [(0.9, "20"), (0.95, "40")]:
        add(
            "schedule_free_sgd",
            f"b1={b1}, plain verdict on x",
            lambda lr, T, b1=b1: sf_plain(lr, T, b1),
            2 / (1 - b1), quoted, 100_000, 1_600_000,
        )
        add(
            "schedule_free_sgd",
            f"b1={b1}, fit of the fast mode",
            lambda lr, T, b1=b1: sf_fit(lr, T, b1),
            2 / (1 - b1), quoted, 20_000, 20_000,
        )
    # AggMo (paper update), λ = 1
    for mom, quoted in [((0.0, 0.9, 0.99), ""), ((0.9,), "3.8 (HB 2(1+β))"), ((0.0, 0.9), "")]:
        claimed = z.matrix_edge(lambda g: z.rho(z.aggmo_matrix(g, 1.0, mom)), lo=1e-3, hi=1e2)
        add(
            "aggmo",
            "momenta=" + ",".join(map(str, mom)),
            lambda g, T, mom=mom: z.verdict(z.aggmo(g, 1.0, mom, T=T)),
            claimed, quoted, 20_000, 640_000,
        )
    # SAM (optax.contrib.sam, adversary optax.sgd(rho), sync_period 2), λ = 1
    for rho_, beta in [(0.1, 0.0), (0.1, 0.9), (0.5, 0.9)]:
        claimed = 2 * (1 + beta) / (1.0 * (1 + rho_ * 1.0))
        add(
            "sam",
            f"rho={rho_} momentum={beta}",
            lambda lr, T, rho_=rho_, beta=beta: z.verdict(z.sam(lr, 1.0, rho_, beta, T=T)),
            claimed, "2(1+β)/(λ(1+ρλ))", 20_000, 640_000,
        )
    return out


def transient(b1=0.9, hs=(1, 2, 5, 10, 15, 19, 19.9, 19.99), T=200_000):
    out = []
    for h in hs:
        x, y, zz = z.schedule_free(float(h), 1.0, b1, T=T)
        tail = np.arange(int(0.9 * T), T + 1)
        with np.errstate(divide="ignore"):
            px = -np.polyfit(np.log(tail), np.log(x[tail]), 1)[0]
            py = -np.polyfit(np.log(tail), np.log(y[tail]), 1)[0]
        ys = z.schedule_free(float(h), 1.0, b1, T=1500, signed=True)[1]
        r, k = z.fast_mode_fit(ys, 1000, 1500) if h > 1 / (1 - b1) else (math.nan, math.nan)
        out.append((h, x.max(), int(x.argmax()), y.max(), int(y.argmax()), zz.max(), int(zz.argmax()), x[-1], px, py, r, k))
    return out


def main():
    t0 = time.time()
    print("## Stability edges from real runs (float64, one curvature λ = 1 or preconditioned s = 1)\n")
    print("| optimizer | parameters | edge by runs [conv, div] | horizon T | claimed (NumPy map) | quoted | claimed in bracket |")
    print("|---|---|---|---|---|---|---|")
    for name, params, lo, hi, T, slow, claimed, quoted, inside, _ in rows():
        br = f"[{lo:.7g}, {hi:.7g}]" + (f" (unresolved at T: {slow[0]:.7g}..{slow[1]:.7g})" if slow else "")
        print(f"| {name} | {params} | {br} | {T} | {claimed:.7g} | {quoted} | {'yes' if inside else 'NO'} |")
    for b1, hs in [(0.9, (1, 2, 5, 10, 15, 19, 19.9, 19.99)), (0.95, (2, 20, 30, 38, 39.9))]:
        print(f"\n## Schedule-free SGD (b1 = {b1}, λ = 1): transients over 200 000 steps\n")
        print("x = schedule_free_eval_params (the average), y = the params optax holds (gradient point), z = state.z (the SGD")
        print("sequence); p = the exponent of the algebraic tail |·| ~ t^−p fitted on the last 10%; r, k = the fast mode")
        print(f"C·t^k·rᵗ fitted on log|Δy| over steps 1000..1500 (— where it no longer dominates that window: the fitted k < 0)")
        print(f"against |1 − lr λ (1 − b1)|.\n")
        print("| lr·λ | peak |x|/|x0| (step) | peak |y|/|y0| (step) | peak |z|/|z0| (step) | |x_T|/|x0| | p (x) | p (y) | r fitted | |1−h(1−b1)| | k fitted |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for h, xm, xa, ym, ya, zm, za, xT, px, py, r, k in transient(b1, hs):
            print(
                f"| {h:g} | {xm:.3g} ({xa}) | {ym:.3g} ({ya}) | {zm:.3g} ({za}) | {xT:.3g} | {px:.3f} | {py:.3f} "
                + (f"| {r:.6f} | {abs(1 - h * (1 - b1)):.6f} | {k:.2f} |" if k > 0 else f"| — | {abs(1 - h * (1 - b1)):.6f} | — |")
            )
    print(f"\n(total {time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
