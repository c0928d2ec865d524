"""momentum.lanczos, spectral_density and Monitor: Lanczos against numpy.linalg.eigvalsh on
operators with known spectra, SLQ moments against tr(Hʲ)/n, the monitor's edge against the
closed forms and against analyze_setting on the same setting (stable just below, unstable just
above), Adam's preconditioned sharpness against the diagonal formula; with jax and optax
installed, the JAX adapter against jax.hessian and the example's MLP: Lanczos against the dense
Hessian and the predicted edge against real optax.sgd runs at 0.9× and 1.1× of it."""

from __future__ import annotations

import importlib.util
import math
import pathlib
import warnings

import numpy as np
import pytest

import momentum
from momentum.monitor import EdgeWarning

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def rotated(eigs: np.ndarray, seed: int = 0) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(eigs), len(eigs))))
    return (q * eigs) @ q.T


def test_lanczos_against_eigvalsh():
    rng = np.random.default_rng(3)
    eigs = np.concatenate([rng.uniform(-2.0, 1.0, 295), [5.0, 5.0, 4.999, -3.0, -2.9999]])
    h = rotated(eigs, 1)
    dense = np.linalg.eigvalsh(h)
    top = momentum.lanczos(lambda v: h @ v, 300, k=4)
    np.testing.assert_allclose(top, dense[::-1][:4], atol=1e-9)
    assert list(top) == sorted(top, reverse=True)
    low = momentum.lanczos(lambda v: h @ v, 300, k=2, which="smallest")
    np.testing.assert_allclose(low, dense[:2], atol=1e-9)
    r = momentum.lanczos(lambda v: h @ v, 300, k=3, full_output=True)
    assert r.converged and r.matvecs > 0 and np.all(r.residuals <= 1e-8 * r.scale * 1.01)


def test_lanczos_errors():
    d = np.arange(1.0, 11.0)
    with pytest.raises(ValueError, match="which"):
        momentum.lanczos(lambda v: d * v, 10, which="top")
    with pytest.raises(ValueError, match="k"):
        momentum.lanczos(lambda v: d * v, 10, k=0)
    with pytest.raises(ValueError, match="k"):
        momentum.lanczos(lambda v: d * v, 10, k=11)
    with pytest.raises(ValueError, match="tol"):
        momentum.lanczos(lambda v: d * v, 10, tol=2.0)
    with pytest.raises(ValueError, match="dimension 10"):
        momentum.lanczos(lambda v: np.ones(3), 10)
    with pytest.raises(ValueError, match="callable"):
        momentum.lanczos(d, 10)
    with pytest.raises(ValueError, match="dim"):
        momentum.lanczos(lambda v: d * v)
    with pytest.raises(ValueError, match="not symmetric"):
        momentum.lanczos(lambda v: np.roll(v, 1), 10)

    class Boom(Exception):
        pass

    def bad(v):
        raise Boom("the model broke")

    with pytest.raises(Boom, match="the model broke"):
        momentum.lanczos(bad, 10)
    big = np.linspace(0.0, 1.0, 2000)
    with pytest.raises(RuntimeError, match="did not reach"):
        momentum.lanczos(lambda v: big * v, 2000, k=3, max_matvecs=4)
    r = momentum.lanczos(lambda v: big * v, 2000, k=3, max_matvecs=4, full_output=True)
    assert not r.converged and r.matvecs == 4 and r.values[0] <= 1.0 + 1e-12


def test_spectral_density_moments():
    n = 400
    eigs = np.linspace(-1.0, 2.0, n) ** 3
    nodes, weights = momentum.spectral_density(lambda v: eigs * v, n, probes=3, steps=15, seed=2)
    assert abs(weights.sum() - 1.0) < 1e-12
    for j in range(2 * 15):
        # diagonal H, Rademacher probes: every probe's vᵀHʲv is tr(Hʲ)/n
        want = np.mean(eigs**j)
        assert abs(weights @ nodes**j - want) <= 1e-9 * max(1.0, abs(want)), j


@pytest.mark.parametrize(
    "convention,kw,closed",
    [
        ("optax", dict(momentum=0.9), lambda lam: 2 * 1.9 / lam),
        ("pytorch", dict(momentum=0.5, dampening=0.5), lambda lam: 2 * 1.5 / (0.5 * lam)),
        ("optax", dict(momentum=0.9, nesterov=True), lambda lam: 2 * 1.9 / (2.8 * lam)),
        ("optax", dict(), lambda lam: 2 / lam),
    ],
)
def test_monitor_edge_against_closed_form_and_analyze(convention, kw, closed):
    d = np.array([37.5, 3.0, 0.1, -0.2])
    lr = 0.01
    mon = momentum.Monitor(convention, lr=lr, **kw)
    r = mon(0, lambda v: d * v, dim=4)
    assert abs(r.sharpness - 37.5) < 1e-9
    assert r.lr_max == pytest.approx(closed(37.5), rel=1e-12)
    assert r.margin == pytest.approx(lr / closed(37.5), rel=1e-12)
    assert r.edge == pytest.approx(37.5 / r.margin, rel=1e-12)
    # analyze on the same setting: stable just below the monitor's lr_max, unstable just above
    below = momentum.analyze_setting([37.5], convention, lr=r.lr_max * (1 - 1e-9), **kw)
    above = momentum.analyze_setting([37.5], convention, lr=r.lr_max * (1 + 1e-9), **kw)
    assert below["stable"] and not above["stable"]


def test_monitor_schedule_warning_and_every():
    sched = lambda t: 0.01 * (1 + t / 10)  # noqa: E731  grows past 2(1+β)/λ = 0.038 at λ = 100
    mon = momentum.Monitor("optax", lr=sched, momentum=0.9, every=10)
    h = lambda v: np.array([100.0, 1.0]) * v  # noqa: E731
    assert mon(5, h, dim=2) is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reports = [mon(t, h, dim=2) for t in range(0, 60, 10)]
    assert [r.lr for r in reports] == pytest.approx([sched(t) for t in range(0, 60, 10)])
    crossing = [r.step for r in reports if not r.stable]
    assert crossing == [30, 40, 50]  # lr 0.04, 0.05, 0.06 > 0.038
    edge = [w for w in caught if issubclass(w.category, EdgeWarning)]
    assert len(edge) == 1 and "step 30" in str(edge[0].message)
    with pytest.raises(ValueError):
        momentum.Monitor("optax", lr=0.1, every=0)
    with pytest.raises(ValueError):
        momentum.Monitor("optax", lr=-0.1)
    with pytest.raises(ValueError):
        momentum.Monitor("pytorch", lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)


def test_monitor_adam_preconditioned_sharpness_and_onset():
    h = np.array([50.0, 20.0, 4.0, 0.5])
    nu = np.array([4e-2, 1e-3, 1e-4, 1e-6])
    b1, b2, eps, lr, count = 0.9, 0.999, 1e-8, 1e-3, 100
    mon = momentum.Monitor("adam", lr=lr, momentum=b1, b2=b2, eps=eps)
    r = mon(0, lambda v: h * v, nu=nu, count=count)
    pre = h / (np.sqrt(nu / (1 - b2**count)) + eps)
    assert r.sharpness == pytest.approx(pre.max(), rel=1e-10)
    assert r.lr_max == pytest.approx(2 * (1 + b1) / ((1 - b1) * pre.max()), rel=1e-12)
    assert r.steps_to_edge == pytest.approx(2 * math.log(1 / r.margin) / -math.log(b2), rel=1e-12)
    # the onset estimate's premise, checked on the operator: with v decayed by β₂ᵗ for
    # t = steps_to_edge (ε = 0, no bias correction) the margin is exactly 1
    plain = momentum.Monitor("adam", lr=lr, momentum=b1, b2=b2, eps=0.0, warn=False)
    t = plain(0, lambda v: h * v, nu=nu).steps_to_edge
    assert plain(0, lambda v: h * v, nu=nu * b2**t).margin == pytest.approx(1.0, rel=1e-9)
    with pytest.raises(ValueError, match="nu"):
        mon(0, lambda v: h * v)


# ---------------------------------------------------------------------------------------------
# with JAX


def test_jax_hvp_against_jax_hessian():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from jax.flatten_util import ravel_pytree

    from momentum import jax as mj

    def loss(p, x):
        return jnp.sum(jnp.tanh(x @ p["w"]) ** 2) + jnp.sum(p["b"] ** 4) * jnp.sum(p["w"])

    rng = np.random.default_rng(0)
    params = {"w": jnp.asarray(rng.normal(size=(3, 2))), "b": jnp.asarray(rng.normal(size=2))}
    x = jnp.asarray(rng.normal(size=(5, 3)))
    h = mj.hvp(loss, params, x)
    flat, unravel = ravel_pytree(params)
    dense = np.asarray(jax.hessian(lambda f: loss(unravel(f), x))(flat))
    assert h.dim == 8
    for _ in range(3):
        v = rng.normal(size=8)
        np.testing.assert_allclose(h(v), dense @ v, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(momentum.lanczos(h, k=8), np.linalg.eigvalsh(dense)[::-1], atol=1e-9)
    with pytest.raises(ValueError, match="shape"):
        h(np.ones(3))


def test_jax_example_edge_predicts_training():
    pytest.importorskip("jax")
    pytest.importorskip("optax")
    spec = importlib.util.spec_from_file_location("monitor_jax", EXAMPLES / "monitor_jax.py")
    ex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ex)
    out = ex.main(verbose=False)
    # Lanczos against jax.hessian + eigvalsh
    np.testing.assert_allclose(out["lanczos"], out["dense"][::-1][:3], rtol=1e-9)
    assert out["lanczos_smallest"] == pytest.approx(out["dense"][0], abs=1e-8)
    rep = out["report"]
    assert rep.lr_max == pytest.approx(2 * (1 + ex.BETA) / rep.sharpness, rel=1e-12)
    # 0.9x the predicted edge: the loss never rises; 1.1x: it rises by orders of magnitude
    assert out[0.9]["max_loss"] <= out["loss0"] * (1 + 1e-9)
    assert out[0.9]["final_loss"] < out["loss0"]
    assert out[1.1]["max_loss"] > 100 * out["loss0"]


def test_adam_onset_against_a_real_optax_adam_run():
    jax = pytest.importorskip("jax")
    optax = pytest.importorskip("optax")
    spec = importlib.util.spec_from_file_location("monitor_jax", EXAMPLES / "monitor_jax.py")
    ex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ex)
    import jax.numpy as jnp

    from momentum import jax as mj

    params, x, y = ex.problem()
    params, _, _ = ex.run(params, 0.05, 3000, x, y)
    opt = optax.inject_hyperparams(optax.adam)(learning_rate=1e-3, b1=0.9, b2=0.999)

    def step(carry, _):
        p, s = carry
        v, g = jax.value_and_grad(ex.loss)(p, x, y)
        u, s = opt.update(g, s, p)
        return (optax.apply_updates(p, u), s), v

    run = jax.jit(lambda p, s, n: jax.lax.scan(step, (p, s), None, length=n), static_argnums=2)
    (params, state), _ = run(params, opt.init(params), 3000)
    nu, count = mj.adam_state(state)
    first = momentum.Monitor("adam", lr=1e-3, momentum=0.9, b2=0.999)(0, mj.hvp(ex.loss, params, x, y), nu=nu, count=count)
    # near the minimum, continue at 0.8x the frozen-preconditioner edge of this state
    lr = 0.8 * first.lr_max
    state = state._replace(hyperparams={**state.hyperparams, "learning_rate": jnp.asarray(lr)})
    mon = momentum.Monitor("adam", lr=lr, momentum=0.9, b2=0.999, warn=False)
    margins, losses = [], []
    p, s = params, state
    for chunk in range(14):
        nu, count = mj.adam_state(s)
        margins.append(mon(chunk * 50, mj.hvp(ex.loss, p, x, y), nu=nu, count=count).margin)
        (p, s), v = run(p, s, 50)
        losses.extend(np.asarray(v))
    predicted = mon.reports[0].steps_to_edge  # 2 ln(1/0.8)/ln(1/β₂) ≈ 446
    assert margins[0] == pytest.approx(0.8, rel=1e-6)
    assert predicted == pytest.approx(2 * math.log(1 / 0.8) / -math.log(0.999), rel=1e-6)
    # the margin measured on optax's own second moment crosses 1 near the predicted step
    i = next(i for i, m in enumerate(margins) if m >= 1.0)
    crossed = 50 * (i - 1 + (1.0 - margins[i - 1]) / (margins[i] - margins[i - 1]))
    assert abs(crossed - predicted) <= 0.2 * predicted, (crossed, predicted)
    # and the loss, falling until then, turns up within 150 steps of the crossing
    turn = int(np.argmin(losses))
    assert crossed <= turn <= crossed + 150, (turn, crossed)
    assert losses[-1] > 10 * losses[turn]


def test_batch_edge_is_the_minibatch_model_on_the_spectrum():
    # a diagonal H with four distinct curvatures: SLQ with Rademacher probes is exact on it (each
    # probe's quadrature weights are the multiplicities / n), so the monitor's mean-square edge is
    # momentum.minibatch's on the true eigenvalues
    d = np.repeat([2.0, 1.0, 0.5, 0.1], [5, 10, 20, 45])
    hvp = lambda v: d * v  # noqa: E731
    lr = 0.05
    for batch in [1, 8, 10**6]:
        mon = momentum.Monitor("optax", lr=lr, momentum=0.9, batch=batch, k=2, warn=False)
        rep = mon(0, hvp, dim=d.size)
        mb = momentum.minibatch(momentum.from_framework("optax", lr, momentum=0.9), d, batch)
        assert rep.batch == batch
        assert abs(rep.lr_max - mb["largest_stable_lr"]) <= 1e-9 * mb["largest_stable_lr"]
        assert abs(rep.lr_max_full_batch - 2 * 1.9 / 2.0) < 1e-12
        assert rep.margin == lr / rep.lr_max
    # the edge shrinks with the batch and reaches the full-batch one
    edges = [momentum.Monitor("optax", lr=lr, momentum=0.9, batch=b, warn=False)(0, hvp, dim=d.size).lr_max for b in (1, 4, 64, 10**7)]
    assert edges == sorted(edges) and abs(edges[-1] - 1.9) < 1e-3


def test_batch_rejections():
    with pytest.raises(ValueError):
        momentum.Monitor("optax", lr=0.1, momentum=0.9, batch=0)
    with pytest.raises(ValueError):
        momentum.Monitor("adam", lr=0.1, batch=4)
