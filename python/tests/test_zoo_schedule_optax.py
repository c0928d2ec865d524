"""Issue 26: the order-n optimizers under schedules (per-step lr, momentum, AdEMAMix's β₃ and α)
against real optax runs in float64.

`momentum simulate --convention X --lr-schedule FILE [--momentum-schedule FILE] [--b3-schedule
FILE] [--alpha-schedule FILE] --lambda … --json` runs each optimizer's literal update in its
unscaled buffers (src/zoo/schedule.rs). Here the same per-step values drive optax itself: the
lr of `optax.sgd`/`contrib.ademamix`/`schedule_free_sgd` as a schedule callable, a momentum
schedule through `optax.inject_hyperparams(optax.sgd)`, AdEMAMix's `b3` and `alpha` as the
schedules optax.contrib.ademamix takes. Every iterate of the run must agree with the CLI's
error curve to 1e-10 relative (one curvature per run, so the curve is |x_t|).
"""

from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pytest

jax = pytest.importorskip("jax")
optax = pytest.importorskip("optax")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from optax import contrib  # noqa: E402

BIN = os.environ.get("MOMENTUM_BIN", "momentum")
T = 120


def cli(tmp_path, flags, lists):
    args = [BIN, "simulate", "--json", *flags]
    for name, values in lists.items():
        path = tmp_path / f"{name}.txt"
        np.savetxt(path, np.asarray(values, dtype=np.float64), fmt="%.17g")
        args += [f"--{name}-schedule", str(path)]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def fn(values):
    """A schedule callable reading index count (held after the end), as optax calls them."""
    arr = jnp.asarray(values, dtype=jnp.float64)
    return lambda count: arr[jnp.minimum(count, arr.shape[0] - 1)]


def run(opt, grad, x0, steps, extract=lambda p: p, params=None):
    p = jnp.asarray(x0, dtype=jnp.float64) if params is None else params
    st = opt.init(p)
    out = [abs(float(extract(p)))]
    for _ in range(steps):
        u, st = opt.update(grad(p), st, p)
        p = optax.apply_updates(p, u)
        out.append(abs(float(extract(p))))
    return np.array(out)


def warmup_cosine(peak, warm, total, end=0.0):
    s = optax.warmup_cosine_decay_schedule(0.0, peak, warm, total, end)
    return np.array([float(s(t)) for t in range(total)])


def agree(got, want, x0=1.0):
    """Every iterate to 1e-10 relative, or to 1e-13 of the largest so far: a run that peaks
    (schedule-free at lr·λ = 21 reaches 3e8) carries that peak's rounding into its tail."""
    want = np.abs(np.asarray(want)) / x0
    got = np.asarray(got)
    assert got.shape == want.shape
    peak = np.maximum.accumulate(want)
    err = np.abs(got - want) / (1e-10 * want + 1e-13 * peak)
    assert np.max(err) < 1.0, (int(np.argmax(err)), got[np.argmax(err)], want[np.argmax(err)])


@pytest.mark.parametrize("lam", [1.0, 30.0])
def test_ademamix_with_lr_b3_and_alpha_schedules(tmp_path, lam):
    lr = warmup_cosine(1.2, 20, T)
    b3 = np.array([0.9 + (0.999 - 0.9) * min(t / 60, 1.0) for t in range(T)])
    alpha = np.array([5.0 * min(t / 40, 1.0) for t in range(T)])
    x0 = 1e-150  # the second moment stays ≪ eps = 1: the preconditioner is 1, as in the CLI
    opt = contrib.ademamix(fn(lr), b1=0.9, b2=0.999, b3=fn(b3), alpha=fn(alpha), eps=1.0)
    want = run(opt, lambda p: lam * p, x0, T)
    doc = cli(tmp_path, ["--convention", "ademamix", "--momentum", "0.9", "--lambda", repr(lam)],
              {"lr": lr, "b3": b3, "alpha": alpha})
    assert doc["spectral_radius"] is None and doc["schedule"]["alpha"] == [0.0, 5.0]
    agree(doc["error"], want, x0)


def test_lookahead_with_lr_and_momentum_schedules(tmp_path):
    lr = warmup_cosine(2.5, 10, T)
    mom = np.linspace(0.5, 0.9, T)
    fast = optax.inject_hyperparams(optax.sgd)(learning_rate=fn(lr), momentum=fn(mom))
    opt = optax.lookahead(fast, sync_period=5, slow_step_size=0.5, reset_state=False)
    p0 = optax.LookaheadParams.init_synced(jnp.asarray(1.0))
    want = run(opt, lambda p: 1.3 * p.fast, None, T,
               extract=lambda p: p.fast, params=p0)
    doc = cli(tmp_path, ["--convention", "lookahead", "--sync-period", "5", "--slow-step", "0.5",
                         "--lambda", "1.3"], {"lr": lr, "momentum": mom})
    agree(doc["error"], want)


def test_lookahead_nesterov_lr_schedule(tmp_path):
    lr = np.array([0.3 + 1.7 * (t % 7) / 6 for t in range(T)])  # a sawtooth
    fast = optax.sgd(fn(lr), momentum=0.8, nesterov=True)
    opt = optax.lookahead(fast, sync_period=4, slow_step_size=0.7, reset_state=False)
    p0 = optax.LookaheadParams.init_synced(jnp.asarray(1.0))
    want = run(opt, lambda p: 0.9 * p.fast, None, T,
               extract=lambda p: p.fast, params=p0)
    doc = cli(tmp_path, ["--convention", "lookahead", "--sync-period", "4", "--slow-step", "0.7",
                         "--momentum", "0.8", "--nesterov", "--lambda", "0.9"], {"lr": lr})
    agree(doc["error"], want)


@pytest.mark.parametrize("lam", [1.0, 7.0])
def test_schedule_free_with_a_warmup_reads_its_weight_one_step_ahead(tmp_path, lam):
    lr = warmup_cosine(3.0, 15, T, end=0.5)
    opt = contrib.schedule_free_sgd(fn(lr), b1=0.9)
    y = jnp.asarray(1.0)
    st = opt.init(y)
    want = [1.0]
    for _ in range(T):
        u, st = opt.update(lam * y, st, y)
        y = optax.apply_updates(y, u)
        want.append(abs(float(contrib.schedule_free_eval_params(st, y))))
    doc = cli(tmp_path, ["--convention", "schedule_free", "--momentum", "0.9", "--lambda", repr(lam)],
              {"lr": lr})
    agree(doc["error"], want)


def test_sam_with_lr_and_momentum_schedules(tmp_path):
    lr = warmup_cosine(0.8, 10, T)
    mom = np.linspace(0.0, 0.9, T)
    base = optax.inject_hyperparams(optax.sgd)(learning_rate=fn(lr), momentum=fn(mom))
    opt = contrib.sam(base, optax.sgd(0.1), sync_period=2)
    x = jnp.asarray(1.0)
    st = opt.init(x)
    want = [1.0]
    for _ in range(T):
        for _ in range(2):  # the adversarial call, then the descent call
            u, st = opt.update(2.0 * x, st, x)
            x = optax.apply_updates(x, u)
        want.append(abs(float(x)))
    doc = cli(tmp_path, ["--convention", "sam", "--rho", "0.1", "--lambda", "2"],
              {"lr": lr, "momentum": mom})
    agree(doc["error"], want)


def test_aggmo_lr_schedule_against_the_papers_lines(tmp_path):
    lr = warmup_cosine(2.0, 10, T)
    momenta = np.array([0.0, 0.9, 0.99])
    th, v, want = 1.0, np.zeros(3), [1.0]
    for t in range(T):
        v = momenta * v - 0.7 * th
        th = th + lr[t] / 3 * v.sum()
        want.append(abs(th))
    doc = cli(tmp_path, ["--convention", "aggmo", "--momenta", "0,0.9,0.99", "--lambda", "0.7"],
              {"lr": lr})
    agree(doc["error"], want)


def test_ademamix_paper_warmups_as_named_shapes(tmp_path):
    """The AdEMAMix paper warms up α linearly and β₃ linearly in half-life; the CLI's shapes
    `linear_schedule` and `linear_hl_warmup_scheduler` against those formulas written here."""
    T_w = 80

    def half_life(b):
        return np.log(0.5) / np.log(b + 1e-8) - 1

    b3 = [(0.5 ** (1 / ((1 - t / T_w) * half_life(0.9) + t / T_w * half_life(0.999) + 1))
          if t < T_w else 0.999) for t in range(T)]
    alpha = [8.0 * min(t / T_w, 1.0) for t in range(T)]
    x0 = 1e-150
    opt = contrib.ademamix(0.9, b1=0.9, b2=0.999, b3=fn(b3), alpha=fn(alpha), eps=1.0)
    want = run(opt, lambda p: 3.0 * p, x0, T)
    out = subprocess.run(
        [BIN, "simulate", "--json", "--convention", "ademamix", "--lr", "0.9", "--lambda", "3",
         "--steps", str(T), "--b3-schedule", "linear_hl_warmup_scheduler(beta_end=0.999, beta_start=0.9, warmup=80)",
         "--alpha-schedule", "linear_schedule(0, 8, 80)"],
        capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    assert abs(doc["schedule"]["b3"][0] - (0.9 + 1e-8)) < 1e-15  # the scheduler's ε in the log
    agree(doc["error"], want, x0)
