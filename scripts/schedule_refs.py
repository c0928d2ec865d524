#!/usr/bin/env python3
"""Reference data for learning-rate / momentum *schedules*, from real framework code.

Writes tests/data/schedules.json (described in tests/data/schedules.md).
Every number in it comes from running the frameworks themselves (optax on JAX,
PyTorch's torch.optim.SGD + torch.optim.lr_scheduler, Keras 3 on the JAX
backend), in float64, on the diagonal quadratic f(x) = 1/2 sum_i lam_i x_i^2
with x_0 = ones, so x_t[i] = e_t/e_0 for curvature lam_i.  The only
hand-written arithmetic is (a) the "from rest" heavy-ball NumPy loop in the
`chebyshev` section, labelled as such, and (b) the Chebyshev step sizes and
1/T_N comparison value, which are inputs/claims, not framework output, and
(c) the `numpy_replay_max_rel_diff` check fields, which only re-check a
framework's recorded lrs against its own trajectory.

How to run (CPU is enough; about 2 minutes on 2 cores, the two 10^6-point runs included):

    python3 -m venv /tmp/venv-refs
    /tmp/venv-refs/bin/pip install numpy==2.4.6 jax==0.10.2 optax==0.2.8 keras==3.15.1 torch==2.15.0
    /tmp/venv-refs/bin/python scripts/schedule_refs.py [--out tests/data/schedules.json]

(torch came from PyPI, the default CUDA build, ~5 GB with its nvidia-* wheels;
it runs on CPU here.  The CPU-only wheel index was not reachable from the
machine that made the committed file.)

PyTorch and Keras are optional: a section whose framework does not import is
recorded as {"skipped": "<reason>"}.  The versions that produced the committed
file are written into its `versions` field; the committed file was made with
numpy 2.4.6, jax/jaxlib 0.10.2, optax 0.2.8, keras 3.15.1 (JAX backend) and
torch 2.15.0+cu132, Python 3.11.7, x86_64 Linux CPU.
"""

import argparse
import json
import math
import os
import platform
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402
import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402

# The curvatures of the `runs` section: logspace(-2, 0, 12) plus 1.5 and 2.5.
LAMS = [float(v) for v in np.logspace(-2, 0, 12)] + [1.5, 2.5]


def num(v):
    """A float64 as JSON: finite values as themselves (repr precision, which
    json.dumps uses), non-finite ones as the strings "inf", "-inf", "nan"."""
    v = float(v)
    if math.isfinite(v):
        return v
    return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")


def nums(a):
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return num(a)
    return [nums(x) for x in a]


# --------------------------------------------------------------------------
# 1. named schedules
# --------------------------------------------------------------------------

NAMED_OPTAX = [
    ("warmup_cosine_decay_schedule(init_value=0.0, peak_value=3.0, warmup_steps=100, decay_steps=1000, end_value=0.0)", 1100),
    ("warmup_cosine_decay_schedule(init_value=0.01, peak_value=0.5, warmup_steps=10, decay_steps=200, end_value=0.001, exponent=2.0)", 250),
    ("cosine_decay_schedule(init_value=1.0, decay_steps=100, alpha=0.1)", 120),
    ("cosine_decay_schedule(init_value=1.0, decay_steps=100, alpha=0.1, exponent=2.0)", 120),
    ("linear_schedule(init_value=1.0, end_value=0.1, transition_steps=50, transition_begin=10)", 80),
    ("polynomial_schedule(init_value=1.0, end_value=0.0, power=2, transition_steps=50, transition_begin=5)", 70),
    ("exponential_decay(init_value=1.0, transition_steps=10, decay_rate=0.5)", 60),
    ("exponential_decay(init_value=1.0, transition_steps=10, decay_rate=0.5, staircase=True)", 60),
    ("exponential_decay(init_value=1.0, transition_steps=10, decay_rate=0.5, transition_begin=5, end_value=0.1)", 60),
    ("piecewise_constant_schedule(init_value=1.0, boundaries_and_scales={20: 0.5, 40: 0.1})", 60),
    ("cosine_onecycle_schedule(transition_steps=100, peak_value=2.0, pct_start=0.3, div_factor=25.0, final_div_factor=1e4)", 110),
    ("linear_onecycle_schedule(transition_steps=100, peak_value=2.0, pct_start=0.3, div_factor=25.0, final_div_factor=1e4)", 110),
    ("warmup_constant_schedule(init_value=0.0, peak_value=1.0, warmup_steps=10)", 30),
    ("warmup_exponential_decay_schedule(init_value=0.0, peak_value=1.0, warmup_steps=10, transition_steps=5, decay_rate=0.8)", 50),
    ("sgdr_schedule(cosine_kwargs=[dict(init_value=0.0, peak_value=1.0, warmup_steps=5, decay_steps=20, end_value=0.0), dict(init_value=0.0, peak_value=0.5, warmup_steps=5, decay_steps=30, end_value=0.01)])", 60),
]


def optax_schedule(call):
    return eval("optax." + call, {"optax": optax})


def eval_schedule_scalar(sched, T):
    """sched(count) for count = 0..T-1, each as an int32 scalar inside jit,
    exactly as optax's scale_by_schedule / inject_hyperparams call it."""
    f = jax.jit(lambda c: jnp.asarray(sched(c), dtype=jnp.float64))
    return np.array([float(f(jnp.asarray(t, dtype=jnp.int32))) for t in range(T)])


def named_optax():
    out = {}
    for call, T in NAMED_OPTAX:
        sched = optax_schedule(call)
        vals = eval_schedule_scalar(sched, T)
        # The same schedule vmapped over a whole int32 array at once.
        vec = np.asarray(jax.vmap(sched)(jnp.arange(T, dtype=jnp.int32)), dtype=np.float64)
        raw_dtype = str(jnp.asarray(sched(jnp.asarray(0, jnp.int32))).dtype)
        # The same optax code fed a float64 count: its arithmetic is then float64
        # throughout (an int32 count makes several schedules compute in float32).
        f64 = jax.jit(lambda c: jnp.asarray(sched(c), dtype=jnp.float64))
        vals64 = np.array([float(f64(jnp.asarray(float(t), dtype=jnp.float64))) for t in range(T)])
        out[call] = {
            "framework": "optax",
            "call": "optax." + call,
            "T": T,
            "t": "0..T-1 (int32 count, as optax's optimizers pass it)",
            "values": nums(vals),
            "output_dtype": raw_dtype,
            "values_float64_count": nums(vals64),
            "max_abs_diff_int32_vs_float64_count": float(np.max(np.abs(vals64 - vals))),
            "vectorized_max_abs_diff": float(np.max(np.abs(vec - vals))),
        }
    return out


TORCH_SCHEDS = [
    # (key, base lr, SGD kwargs, scheduler ctor source, T, record momentum)
    ("OneCycleLR(opt, max_lr=2.0, total_steps=100)", 1.0, dict(momentum=0.9),
     "torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2.0, total_steps=100)", 100, True),
    ("CosineAnnealingLR(opt, T_max=100, eta_min=0.01)", 1.0, dict(),
     "torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=100, eta_min=0.01)", 150, False),
    ("StepLR(opt, step_size=20, gamma=0.5)", 1.0, dict(),
     "torch.optim.lr_scheduler.StepLR(opt, step_size=20, gamma=0.5)", 80, False),
    ("LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=10)", 1.0, dict(),
     "torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=10)", 30, False),
    ("ExponentialLR(opt, gamma=0.95)", 1.0, dict(),
     "torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)", 60, False),
    ("CyclicLR(opt, base_lr=0.1, max_lr=1.0, step_size_up=10, cycle_momentum=False)", 1.0, dict(),
     "torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.1, max_lr=1.0, step_size_up=10, cycle_momentum=False)", 50, False),
]


def named_torch(torch):
    out = {}
    for key, lr0, kw, ctor, T, rec_mom in TORCH_SCHEDS:
        p = torch.nn.Parameter(torch.ones(1, dtype=torch.float64))
        opt = torch.optim.SGD([p], lr=lr0, **kw)
        sch = eval(ctor, {"torch": torch, "opt": opt})
        lrs, moms = [], []
        for _ in range(T):
            lrs.append(opt.param_groups[0]["lr"])
            if rec_mom:
                moms.append(opt.param_groups[0]["momentum"])
            p.grad = torch.zeros_like(p)
            opt.step()
            sch.step()
        ent = {
            "framework": "torch",
            "call": f"torch.optim.SGD([p], lr={lr0}" + "".join(f", {k}={v}" for k, v in kw.items()) + "); " + ctor,
            "T": T,
            "t": "0..T-1: param_groups[0]['lr'] read just before the t-th optimizer.step() (scheduler.step() after each optimizer.step())",
            "values": nums(lrs),
        }
        if rec_mom:
            ent["momentum"] = nums(moms)
        out["torch." + key] = ent
    return out


# --------------------------------------------------------------------------
# 2. optimizer runs
# --------------------------------------------------------------------------

def optax_run(tx, lams, N, lr_of_state, mom_of_state=None):
    """Run optax transformation `tx` for N steps on f = 1/2 sum lam x^2 from
    ones; return (x_t for t=0..N [N+1, d], lr used per step [N], momentum used
    per step [N] or None).  lr_of_state(state_before_update) reads the lr the
    optimizer uses in that update from its own state (count)."""
    lam = jnp.asarray(lams, dtype=jnp.float64)
    x0 = jnp.ones_like(lam)
    s0 = tx.init(x0)

    def step(carry, _):
        x, s = carry
        lr = lr_of_state(s)
        g = lam * x
        u, s2 = tx.update(g, s, x)
        x2 = optax.apply_updates(x, u)
        mom = mom_of_state(s2) if mom_of_state is not None else jnp.zeros(())
        return (x2, s2), (x2, jnp.asarray(lr, jnp.float64), jnp.asarray(mom, jnp.float64))

    (_, _), (xs, lrs, moms) = jax.lax.scan(jax.jit(step), (x0, s0), None, length=N)
    assert xs.dtype == jnp.float64
    xs = np.concatenate([np.asarray(x0)[None, :], np.asarray(xs)], axis=0)
    return xs, np.asarray(lrs), (np.asarray(moms) if mom_of_state is not None else None)


def sched_lr(sched, idx):
    """lr used by optax.sgd(learning_rate=sched) in the update about to run:
    sched(count) with the ScaleByScheduleState found at path idx."""
    def f(s):
        for i in idx:
            s = s[i]
        return sched(s.count)
    return f


def replay_sgd(lams, lrs, beta, nesterov, xs):
    """Max over steps and coordinates of |x_replay - x_optax| / (running max of
    |x_optax| for that coordinate), where x_replay is a NumPy replay of one
    optax sgd step (trace + scale, from the optax state x_k) with the recorded
    lr; a check that the recorded lrs are the ones used (a wrong lr by one
    float32 ulp shows as ~1e-8; last-bit rounding as ~1e-16)."""
    lam = np.asarray(lams, dtype=np.float64)
    xs = np.asarray(xs, dtype=np.float64)
    t = np.zeros_like(lam)
    scale = np.abs(xs[0])
    worst = 0.0
    with np.errstate(all="ignore"):
        for k, lr in enumerate(lrs):
            x = xs[k]
            g = lam * x
            t = g + beta * t
            u = g + beta * t if nesterov else t
            x1 = x + (-lr) * u
            a = xs[k + 1]
            scale = np.maximum(scale, np.abs(a))
            m = np.isfinite(a) & np.isfinite(x1) & (scale > 0) & np.isfinite(scale)
            if m.any():
                worst = max(worst, float(np.max(np.abs(x1[m] - a[m]) / scale[m])))
            # keep the trace consistent with optax's own trajectory
            t = np.where(np.isfinite(t), t, 0.0)
    return worst


def runs_optax():
    out = []
    wc_call = "optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=3.0, warmup_steps=100, decay_steps=1000, end_value=0.0)"
    wc = eval(wc_call, {"optax": optax})
    for nest in (False, True):
        call = f"optax.sgd(learning_rate={wc_call}, momentum=0.9, nesterov={nest})"
        tx = optax.sgd(learning_rate=wc, momentum=0.9, nesterov=nest)
        # sgd = chain(trace, scale_by_learning_rate) -> state[1] is ScaleByScheduleState
        xs, lrs, _ = optax_run(tx, LAMS, 1000, sched_lr(wc, (1,)))
        out.append(dict(name=f"optax_sgd_warmup_cosine_m0.9{'_nesterov' if nest else ''}",
                        framework="optax", call=call, lams=LAMS, N=1000,
                        lr=nums(lrs), momentum_const=0.9, x=nums(xs),
                        numpy_replay_max_rel_diff=replay_sgd(LAMS, lrs, 0.9, nest, xs)))

    cyc_src = "lambda count: jnp.where(count % 2 == 0, 0.5, 2.5)"
    cyc = eval(cyc_src, {"jnp": jnp})
    call = f"optax.sgd(learning_rate={cyc_src}, momentum=0.5)"
    tx = optax.sgd(learning_rate=cyc, momentum=0.5)
    xs, lrs, _ = optax_run(tx, [1.0, 0.3], 40, sched_lr(cyc, (1,)))
    out.append(dict(name="optax_sgd_cyclic_0.5_2.5_m0.5", framework="optax", call=call,
                    lams=[1.0, 0.3], N=40, lr=nums(lrs), momentum_const=0.5, x=nums(xs),
                    numpy_replay_max_rel_diff=replay_sgd([1.0, 0.3], lrs, 0.5, False, xs)))

    mom_src = "lambda k: k / (k + 3.0)"
    msched = eval(mom_src)
    call = f"optax.inject_hyperparams(optax.sgd)(learning_rate=0.5, momentum={mom_src})"
    tx = optax.inject_hyperparams(optax.sgd)(learning_rate=0.5, momentum=msched)
    # The hyperparameters actually used in an update are stored in the state it returns.
    xs, lrs, moms = optax_run(tx, LAMS, 100,
                              lambda s: s.hyperparams["learning_rate"],
                              mom_of_state=lambda s: s.hyperparams["momentum"])
    # lrs above was read from the state *before* the update (= 0.5 always, constant);
    out.append(dict(name="optax_inject_sgd_lr0.5_momentum_k_over_k+3", framework="optax",
                    call=call, lams=LAMS, N=100, lr=nums(lrs), momentum=nums(moms), x=nums(xs),
                    note="momentum[t] = state.hyperparams['momentum'] of the state returned by the t-th update, i.e. the value that update used (= t/(t+3), 0 at t=0)"))

    wd_sched_call = "optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=1.5, warmup_steps=20, decay_steps=200, end_value=0.0)"
    wds = eval(wd_sched_call, {"optax": optax})
    call = f"optax.chain(optax.add_decayed_weights(1e-2), optax.sgd({wd_sched_call}, 0.9))"
    tx = optax.chain(optax.add_decayed_weights(1e-2), optax.sgd(wds, 0.9))
    # chain(add_decayed_weights, chain(trace, scale_by_schedule)) -> state[1][1]
    xs, lrs, _ = optax_run(tx, LAMS, 200, sched_lr(wds, (1, 1)))
    out.append(dict(name="optax_chain_add_decayed_weights_1e-2_sgd_warmup_cosine_m0.9",
                    framework="optax", call=call, lams=LAMS, N=200, lr=nums(lrs),
                    momentum_const=0.9, weight_decay=1e-2, x=nums(xs),
                    note="weight decay is coupled: gradient becomes (lam + 1e-2) x before momentum"))
    return out


TORCH_RUNS = [
    ("torch_sgd_m0.9_onecycle", "torch.optim.SGD([p], lr=1.0, momentum=0.9)",
     "torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2.0, total_steps=100)", 100, True),
    ("torch_sgd_m0.9_dampening0.5_steplr", "torch.optim.SGD([p], lr=0.5, momentum=0.9, dampening=0.5)",
     "torch.optim.lr_scheduler.StepLR(opt, step_size=20, gamma=0.5)", 100, False),
    ("torch_sgd_m0.9_nesterov_cosine", "torch.optim.SGD([p], lr=1.0, momentum=0.9, nesterov=True)",
     "torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=100, eta_min=0.01)", 150, False),
    ("torch_sgd_m0.9_wd1e-2_linearlr", "torch.optim.SGD([p], lr=1.0, momentum=0.9, weight_decay=1e-2)",
     "torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=10)", 300, False),
]


def runs_torch(torch):
    out = []
    lam = torch.tensor(LAMS, dtype=torch.float64)
    for name, opt_src, sch_src, N, rec_mom in TORCH_RUNS:
        p = torch.nn.Parameter(torch.ones(len(LAMS), dtype=torch.float64))
        opt = eval(opt_src, {"torch": torch, "p": p})
        sch = eval(sch_src, {"torch": torch, "opt": opt})
        xs = [p.detach().clone().numpy()]
        lrs, moms = [], []
        for _ in range(N):
            lrs.append(opt.param_groups[0]["lr"])
            moms.append(opt.param_groups[0]["momentum"])
            p.grad = lam * p.detach()
            opt.step()
            sch.step()
            xs.append(p.detach().clone().numpy())
        ent = dict(name=name, framework="torch", call=opt_src + "; " + sch_src,
                   lams=LAMS, N=N, lr=nums(lrs), x=nums(np.array(xs)),
                   note="p.grad = lam * p.detach() set by hand; lr/momentum read from param_groups[0] before each optimizer.step(); scheduler.step() after it")
        if rec_mom:
            ent["momentum"] = nums(moms)
        else:
            ent["momentum_const"] = moms[0]
        out.append(ent)
    return out


def runs_keras():
    import keras
    keras.config.set_floatx("float64")
    out = []
    sched_src = ("keras.optimizers.schedules.CosineDecay(initial_learning_rate=0.0, decay_steps=80, "
                 "alpha=0.0, warmup_target=1.0, warmup_steps=20)")
    for nest in (False, True):
        sched = eval(sched_src, {"keras": keras})
        opt_src = f"keras.optimizers.SGD(learning_rate={sched_src}, momentum=0.9, nesterov={nest}, weight_decay=1e-2)"
        opt = keras.optimizers.SGD(learning_rate=sched, momentum=0.9, nesterov=nest, weight_decay=1e-2)
        v = keras.Variable(np.ones(len(LAMS)), dtype="float64")
        lam = np.asarray(LAMS, dtype=np.float64)
        opt.build([v])
        N = 100
        xs = [np.asarray(v.value, dtype=np.float64).copy()]
        lrs = []
        for _ in range(N):
            lrs.append(float(np.asarray(opt.learning_rate)))
            g = jnp.asarray(lam) * v.value
            opt.apply_gradients([(g, v)])
            xs.append(np.asarray(v.value).copy())
        assert v.value.dtype == jnp.float64, v.value.dtype
        out.append(dict(name=f"keras_sgd_m0.9{'_nesterov' if nest else ''}_wd1e-2_cosinedecay_warmup",
                        framework="keras", backend=keras.backend.backend(), call=opt_src,
                        lams=LAMS, N=N, lr=nums(lrs), momentum_const=0.9, weight_decay=1e-2,
                        x=nums(np.array(xs)),
                        note="keras.config.set_floatx('float64'); lr[t] = optimizer.learning_rate read before the t-th apply_gradients (schedule(iterations)); weight decay is Keras' decoupled one, x -= lr*wd*x before the SGD update"))
    return out


# --------------------------------------------------------------------------
# 3. interior max on a dense grid (real optax, 10^6 coordinates)
# --------------------------------------------------------------------------

def dense_run(tx, lam, N):
    """Run tx for N steps on the diagonal quadratic with curvatures lam from
    ones; return (|x_N|, running max_t |x_t| per coordinate, argmax t)."""
    lam = jnp.asarray(lam, dtype=jnp.float64)
    x0 = jnp.ones_like(lam)
    s0 = tx.init(x0)

    @jax.jit
    def run(x0, s0):
        def step(carry, t):
            x, s, m, am = carry
            u, s2 = tx.update(lam * x, s, x)
            x2 = optax.apply_updates(x, u)
            a = jnp.abs(x2)
            better = a > m
            return (x2, s2, jnp.where(better, a, m), jnp.where(better, t, am)), None
        init = (x0, s0, jnp.abs(x0), jnp.zeros(lam.shape, jnp.int32))
        (xN, _, m, am), _ = jax.lax.scan(step, init, jnp.arange(1, N + 1, dtype=jnp.int32))
        return xN, m, am

    xN, m, am = run(x0, s0)
    return np.abs(np.asarray(xN)), np.asarray(m), np.asarray(am)


def local_maxima(grid, v, k):
    i = np.nonzero((v[1:-1] > v[:-2]) & (v[1:-1] >= v[2:]))[0] + 1
    i = i[np.argsort(-v[i])][:k]
    return [[float(grid[j]), float(v[j])] for j in i]


def interior_max():
    call = ("optax.sgd(learning_rate=optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=3.0, "
            "warmup_steps=100, decay_steps=1000, end_value=0.0), momentum=0.9, nesterov=False)")
    tx = eval(call, {"optax": optax})
    G, N = 10 ** 6, 1000
    grid = np.linspace(0.01, 1.0, G)
    vN, peak, peak_t = dense_run(tx, grid, N)
    i = int(np.argmax(vN))
    j = int(np.argmax(peak))
    # The same run with the schedule fed a float64 count, so that its lrs are
    # float64-accurate (with optax's int32 count they are float32-rounded).
    sched = optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=3.0, warmup_steps=100,
                                               decay_steps=1000, end_value=0.0)
    tx64 = optax.sgd(learning_rate=lambda c: sched(jnp.asarray(c, jnp.float64)), momentum=0.9)
    w, _, _ = dense_run(tx64, grid, N)
    i64 = int(np.argmax(w))
    f64 = dict(
        call="optax.sgd(learning_rate=lambda c: <same schedule>(jnp.asarray(c, jnp.float64)), momentum=0.9)",
        max=dict(lam=float(grid[i64]), value=float(w[i64]), index=i64),
        at_mu=dict(lam=float(grid[0]), value=float(w[0])),
        at_L=dict(lam=float(grid[-1]), value=float(w[-1])),
        ratio_max_over_mu=float(w[i64] / w[0]),
        # how much optax's float32-rounded lrs move |x_N|: pointwise relative
        # differences blow up near the zeros of x_N(lam), so give the max
        # difference relative to the grid max, and the median pointwise one.
        max_abs_diff_vs_int32_count_run_over_grid_max=float(np.max(np.abs(w - vN)) / np.max(vN)),
        median_rel_diff_vs_int32_count_run=float(np.median(np.abs(w - vN) / np.maximum(w, vN))),
        top20_local_maxima=local_maxima(grid, w, 20),
    )
    return dict(
        float64_count_schedule=f64,
        call=call, N=N,
        grid="numpy.linspace(0.01, 1.0, 1000000) (G = 10^6 points, endpoints included)",
        quantity="|x_N| = |e_N/e_0| per curvature, x_0 = 1",
        max=dict(lam=float(grid[i]), value=float(vN[i]), index=i),
        at_mu=dict(lam=float(grid[0]), value=float(vN[0])),
        at_L=dict(lam=float(grid[-1]), value=float(vN[-1])),
        ratio_max_over_mu=float(vN[i] / vN[0]),
        ratio_mu_over_L=float(vN[0] / vN[-1]),
        top20_local_maxima=local_maxima(grid, vN, 20),
        peak_transient=dict(
            grid="same 10^6-point grid (full, not coarsened)",
            quantity="max over t in 0..N and the grid of |x_t|",
            value=float(peak[j]), t=int(peak_t[j]), lam=float(grid[j]), index=j,
            note="t = 0 means the max is the start value 1",
        ),
    )


# --------------------------------------------------------------------------
# 4. Chebyshev steps and Polyak heavy ball
# --------------------------------------------------------------------------

def chebyshev():
    mu, L, N = 0.01, 1.0, 10
    k = np.arange(1, N + 1)
    r = (L + mu) / 2 + (L - mu) / 2 * np.cos((2 * k - 1) * np.pi / (2 * N))
    alphas = 1.0 / r
    grid = np.linspace(mu, L, 10 ** 5)
    al = jnp.asarray(alphas)
    sched = lambda count: al[count]  # noqa: E731
    tx = optax.sgd(learning_rate=sched)
    vN, _, _ = dense_run(tx, grid, N)
    # the lrs optax used, read from its own count
    _, lrs, _ = optax_run(tx, [1.0], N, sched_lr(sched, (1,)))
    x = (L + mu) / (L - mu)
    TN = math.cosh(N * math.acosh(x))
    i = int(np.argmax(vN))
    cheb = dict(
        mu=mu, L=L, N=N,
        alphas=nums(alphas), alphas_formula="alpha_k = 1/r_k, r_k = (L+mu)/2 + (L-mu)/2*cos((2k-1)pi/(2N)), k = 1..N, used in this order",
        call="optax.sgd(learning_rate=lambda count: jnp.asarray(alphas)[count])  # no momentum",
        lr_used=nums(lrs),
        grid="numpy.linspace(0.01, 1.0, 100000)",
        max_abs_eN=dict(value=float(vN[i]), lam=float(grid[i])),
        at_mu=float(vN[0]), at_L=float(vN[-1]),
        one_over_T_N=1.0 / TN,
        one_over_T_N_formula="1/cosh(N*acosh((L+mu)/(L-mu))) (computed in math, not a framework)",
    )

    kappa = L / mu
    a = 4.0 / (math.sqrt(L) + math.sqrt(mu)) ** 2
    b = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    tx = optax.sgd(learning_rate=a, momentum=b)
    vo, po, pto = dense_run(tx, grid, N)
    # plain NumPy heavy ball from rest: x_{k+1} = x_k + b (x_k - x_{k-1}) - a lam x_k, x_{-1} = x_0 = 1
    xp = np.ones_like(grid)
    xc = np.ones_like(grid)
    for _ in range(N):
        xp, xc = xc, xc + b * (xc - xp) - a * grid * xc
    vn = np.abs(xc)
    io, inp = int(np.argmax(vo)), int(np.argmax(vn))
    polyak = dict(
        alpha=a, beta=b, N=N, grid="numpy.linspace(0.01, 1.0, 100000)",
        optax=dict(call=f"optax.sgd(learning_rate={a!r}, momentum={b!r})",
                   max_abs_eN=dict(value=float(vo[io]), lam=float(grid[io])),
                   at_mu=float(vo[0]), at_L=float(vo[-1]),
                   peak_transient=dict(value=float(po.max()), lam=float(grid[int(po.argmax())]),
                                       t=int(pto[int(po.argmax())]))),
        numpy_from_rest=dict(recurrence="x_{k+1} = x_k + beta (x_k - x_{k-1}) - alpha lam x_k, x_{-1} = x_0 = 1 (plain NumPy, not a framework)",
                             max_abs_eN=dict(value=float(vn[inp]), lam=float(grid[inp])),
                             at_mu=float(vn[0]), at_L=float(vn[-1])),
        optax_vs_numpy_max_abs_diff_of_abs_eN=float(np.max(np.abs(vo - vn))),
    )
    return dict(chebyshev_gd=cheb, polyak_heavy_ball=polyak)


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data", "schedules.json"))
    args = ap.parse_args()

    versions = dict(python=platform.python_version(), numpy=np.__version__, jax=jax.__version__,
                    jaxlib=jax.lib.__version__ if hasattr(jax.lib, "__version__") else None,
                    optax=optax.__version__, platform=platform.platform(),
                    jax_devices=[str(d) for d in jax.devices()], jax_enable_x64=True)
    try:
        import jaxlib
        versions["jaxlib"] = jaxlib.__version__
    except Exception:
        pass

    try:
        import torch
        torch.set_default_dtype(torch.float64)
        versions["torch"] = torch.__version__
    except Exception as e:  # pragma: no cover
        torch = None
        torch_err = f"{type(e).__name__}: {e}"
    try:
        import keras
        versions["keras"] = keras.__version__
        versions["keras_backend"] = keras.backend.backend()
    except Exception as e:  # pragma: no cover
        keras = None
        keras_err = f"{type(e).__name__}: {e}"

    named = named_optax()
    runs = runs_optax()
    if torch is not None:
        named.update(named_torch(torch))
        runs += runs_torch(torch)
    else:
        named["torch"] = {"skipped": torch_err}
    if keras is not None:
        runs += runs_keras()
    else:
        runs.append({"framework": "keras", "skipped": keras_err})

    doc = dict(
        about="Reference data for momentum's schedule analysis, from real framework code; see tests/data/schedules.md and scripts/schedule_refs.py",
        produced_by="scripts/schedule_refs.py",
        versions=versions,
        objective="f(x) = 1/2 sum_i lam_i x_i^2, float64, x_0 = ones, gradient lam * x (so x_t[i] = e_t/e_0 for lam_i)",
        named=named,
        runs=runs,
        interior_max=interior_max(),
        chebyshev=chebyshev(),
    )
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(doc, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    sys.exit(main())
