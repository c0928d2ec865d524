"""During training: the stability monitor on a small JAX MLP trained full-batch with optax.sgd.

    pip install ./python jax optax
    python python/examples/monitor_jax.py

A 4-16-16-1 tanh network fits a smooth regression (64 points) with optax.sgd(lr, momentum=0.9).
Every 1000 steps `momentum.Monitor` measures the sharpness (the top Hessian eigenvalue, by
Lanczos on forward-over-reverse Hessian-vector products from `momentum.jax.hvp`) and reports the
largest stable lr of optax's heavy ball at that sharpness, 2(1 + β)/λ, and the margin lr/lr_max.
At the trained point the prediction is then put to the test: from the same parameters, runs at
0.9× and 1.1× the predicted edge either stay at the minimum or leave it. Lanczos is checked
against the dense Hessian (`jax.hessian` + `numpy.linalg.eigvalsh`). Float64 throughout (in
float32 the monitor's default tolerance becomes 1e-5 and the numbers agree to about that).
"""

from __future__ import annotations

import time
from typing import Any, Dict

import numpy as np

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402
from jax.flatten_util import ravel_pytree  # noqa: E402

import momentum  # noqa: E402
from momentum import jax as mj  # noqa: E402

BETA = 0.9


def problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(64, 4))
    y = np.sin(x @ np.array([1.0, -0.5, 0.3, 0.8]))[:, None] + 0.1 * rng.normal(size=(64, 1))
    key = jax.random.PRNGKey(seed)
    params = []
    for a, b in [(4, 16), (16, 16), (16, 1)]:
        key, sub = jax.random.split(key)
        params.append((jax.random.normal(sub, (a, b)) / np.sqrt(a), jnp.zeros(b)))
    return params, jnp.asarray(x), jnp.asarray(y)


def loss(params, x, y):
    h = x
    for w, b in params[:-1]:
        h = jnp.tanh(h @ w + b)
    w, b = params[-1]
    return 0.5 * jnp.mean((h @ w + b - y) ** 2)


def run(params, lr: float, steps: int, x, y):
    """`steps` updates of optax.sgd(lr, momentum=0.9) from a fresh state: the final parameters,
    the loss before each update and the distance from the start after each."""
    opt = optax.sgd(lr, momentum=BETA)
    start, _ = ravel_pytree(params)

    def body(carry, _):
        p, s = carry
        value, g = jax.value_and_grad(loss)(p, x, y)
        u, s = opt.update(g, s, p)
        p = optax.apply_updates(p, u)
        return (p, s), (value, jnp.linalg.norm(ravel_pytree(p)[0] - start))

    (p, _), (values, dist) = jax.lax.scan(body, (params, opt.init(params)), None, length=steps)
    return p, np.asarray(values), np.asarray(dist)


def main(verbose: bool = True) -> Dict[str, Any]:
    say = print if verbose else (lambda *a, **k: None)
    params, x, y = problem()
    lr = 0.05
    mon = momentum.Monitor("optax", lr=lr, momentum=BETA, every=1000)
    t0 = time.perf_counter()
    for chunk in range(6):
        if mon.due(chunk * 1000):
            say(mon(chunk * 1000, mj.hvp(loss, params, x, y)))
        params, values, _ = run(params, lr, 1000, x, y)
    report = mon(6000, mj.hvp(loss, params, x, y))
    say(report)
    say(f"training and monitoring: {time.perf_counter() - t0:.1f} s")

    # Lanczos against the dense Hessian
    flat, unravel = ravel_pytree(params)
    t1 = time.perf_counter()
    dense = np.linalg.eigvalsh(np.asarray(jax.hessian(lambda f: loss(unravel(f), x, y))(flat)))
    t_dense = time.perf_counter() - t1
    h = mj.hvp(loss, params, x, y)
    t1 = time.perf_counter()
    top = momentum.lanczos(h, k=3)
    low = momentum.lanczos(h, which="smallest")
    t_lanczos = time.perf_counter() - t1
    say(f"{h.dim} parameters; Lanczos top 3 {np.array2string(top, precision=10)}, smallest {low[0]:.3e}")
    say(f"  jax.hessian + eigvalsh      {np.array2string(dense[::-1][:3], precision=10)}, smallest {dense[0]:.3e}")
    say(f"  ({t_lanczos:.2f} s for Lanczos, {t_dense:.2f} s for the dense route)")

    # the predicted edge against training at 0.9x and 1.1x of it, from the trained point
    edge = report.lr_max
    out: Dict[Any, Any] = {"report": report, "lanczos": top, "lanczos_smallest": low[0], "dense": dense}
    loss0 = float(loss(params, x, y))
    out["loss0"] = loss0
    say(f"loss at the trained point {loss0:.6e}; predicted largest stable lr 2(1+β)/λ = {edge:.6f}")
    for factor in (0.9, 1.1):
        p, values, dist = run(params, factor * edge, 500, x, y)
        sharp_end = float(momentum.lanczos(mj.hvp(loss, p, x, y))[0])
        out[factor] = {"max_distance": float(dist.max()), "max_loss": float(values.max()), "final_loss": float(values[-1]), "sharpness_end": sharp_end}
        rise = values.max() / loss0
        verdict = "stable: the loss never rises above its start" if rise <= 1.0 + 1e-9 else f"unstable: the loss rises {rise:.0f}-fold, training leaves the minimum"
        say(
            f"lr = {factor:.1f} x edge = {factor * edge:.6f}: max loss {values.max():.3e}, final loss {values[-1]:.3e}, "
            f"max |θ − θ*| {dist.max():.2f}, sharpness after {sharp_end:.3f} (edge at this lr {2 * (1 + BETA) / (factor * edge):.3f}): {verdict}"
        )
    return out


if __name__ == "__main__":
    main()
