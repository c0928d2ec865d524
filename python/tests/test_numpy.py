"""Every function against an independent NumPy computation on random inputs (closed_form.py)."""

from __future__ import annotations

import numpy as np
import pytest

import momentum
from closed_form import coefficients, radius, regime, roots, run_scalar


def random_method(rng, family):
    a = rng.uniform(0.01, 1.0)
    b = rng.uniform(-0.9, 0.99)
    if family == "heavy_ball":
        return momentum.Method.heavy_ball(a, b), (a, b, 0.0)
    if family == "nesterov":
        return momentum.Method.nesterov(a, b), (a, b, b)
    g = rng.uniform(-1.0, 2.0)
    return momentum.Method.general(a, b, g), (a, b, g)


@pytest.mark.parametrize("family", ["heavy_ball", "nesterov", "general"])
def test_analyze_matches_closed_form_roots(rng, family):
    for _ in range(20):
        m, (a, b, g) = random_method(rng, family)
        lam = rng.uniform(-1.0, 5.0 / a, size=500)
        res = momentum.analyze(m, lam)
        c1, c0 = coefficients(a, b, g, lam)
        scale = 1.0 + np.abs(c1) + np.abs(c0)
        np.testing.assert_allclose(res.c1, c1, rtol=0, atol=1e-13 * scale.max())
        np.testing.assert_allclose(res.c0, c0, rtol=0, atol=1e-13 * scale.max())
        z1, z2 = roots(c1, c0)
        # a double root moves by √(rounding): compare with that sensitivity
        tol = 1e-12 * scale + np.sqrt(1e-15 * (c1 * c1 + 4 * np.abs(c0)))
        assert res.roots.shape == (len(lam), 2) and res.roots.dtype == np.complex128
        assert np.all(np.abs(res.spectral_radius - np.abs(z1)) <= tol)
        # the two roots as a set: match each package root to the nearer NumPy root
        r1, r2 = res.roots[:, 0], res.roots[:, 1]
        same = np.maximum(np.abs(r1 - z1), np.abs(r2 - z2))
        crossed = np.maximum(np.abs(r1 - z2), np.abs(r2 - z1))
        assert np.all(np.minimum(same, crossed) <= 2 * tol)
        # Vieta: z₁ + z₂ = c₁, z₁z₂ = c₀
        np.testing.assert_allclose((r1 + r2).real, c1, atol=1e-12 * scale.max())
        np.testing.assert_allclose((r1 * r2).real, c0, atol=1e-12 * scale.max())
        # stability and regime wherever the rounding cannot decide otherwise
        rho = np.abs(z1)
        clear = np.abs(rho - 1.0) > 1e-9
        np.testing.assert_array_equal(res.stable[clear], rho[clear] < 1.0)
        reg = regime(c1, c0)
        disc = c1 * c1 - 4 * c0
        decided = (np.abs(disc) > 1e-6 * scale**2) & (np.abs(z1.real) > 1e-9)
        np.testing.assert_array_equal(res.regime[decided], reg[decided].astype(str))


def test_analyze_matches_companion_matrix_eigenvalues(rng):
    m, (a, b, g) = random_method(rng, "general")
    lam = rng.uniform(0.0, 4.0 / a, size=200)
    res = momentum.analyze(m, lam)
    c1, c0 = coefficients(a, b, g, lam)
    for k in range(len(lam)):
        ev = np.linalg.eigvals(np.array([[c1[k], -c0[k]], [1.0, 0.0]]))
        assert abs(np.max(np.abs(ev)) - res.spectral_radius[k]) < 1e-7


def test_float32_input_equals_its_float64_values(rng):
    m = momentum.Method.heavy_ball(0.1, 0.9)
    lam32 = rng.uniform(0.0, 20.0, size=1000).astype(np.float32)
    a32 = momentum.analyze(m, lam32)
    a64 = momentum.analyze(m, lam32.astype(np.float64))
    np.testing.assert_array_equal(a32.spectral_radius, a64.spectral_radius)
    assert a32.lambdas.dtype == np.float64


@pytest.mark.parametrize("family", ["heavy_ball", "nesterov", "general"])
def test_worst_case_is_the_max_over_a_dense_grid(rng, family):
    for _ in range(20):
        m, (a, b, g) = random_method(rng, family)
        mu = rng.uniform(0.0, 1.0)
        L = mu + rng.uniform(0.1, 3.0 / a)
        w = momentum.worst_case(m, (mu, L))
        grid = np.linspace(mu, L, 4001)
        brute = radius(a, b, g, grid).max()
        # the endpoint theorem: the grid (which contains both ends) attains it
        assert abs(w.spectral_radius - brute) <= 1e-7 * max(1.0, brute)
        assert w.worst_lambda in (mu, L)
        # listed eigenvalues: the worst of the list
        eig = rng.uniform(mu, L, size=50)
        wl = momentum.worst_case(m, eig)
        assert abs(wl.spectral_radius - radius(a, b, g, eig).max()) <= 1e-7
        if abs(brute - 1.0) > 1e-6:
            assert w.stable == (brute < 1.0)


def test_stable_lr_closed_forms_and_brute_force(rng):
    for _ in range(30):
        b = rng.uniform(-0.9, 0.95)
        mu = rng.uniform(0.01, 1.0)
        L = mu * rng.uniform(1.0, 1000.0)
        lo, hi = momentum.stable_lr(momentum.Method.heavy_ball(0.1, b), (mu, L))
        # heavy ball: 0 < α < 2(1 + β)/L
        assert lo == 0.0
        assert abs(hi - 2 * (1 + b) / L) <= 1e-12 * hi
        # just inside stable, just outside unstable, by the closed-form roots at the ends
        for step, want in ((hi * (1 - 1e-6), True), (hi * (1 + 1e-6), False)):
            rho = radius(step, b, 0.0, np.array([mu, L])).max()
            assert (rho < 1.0) == want
        if b >= 0:
            lo, hi = momentum.stable_lr(momentum.Method.nesterov(0.1, b), (mu, L))
            assert abs(hi - (2 + 2 * b) / ((1 + 2 * b) * L)) <= 1e-12 * hi
    # β ≥ 1: no stable learning rate
    assert momentum.stable_lr(momentum.Method.heavy_ball(0.1, 1.0), (1.0, 10.0)) is None


def test_stable_lr_in_a_framework_convention():
    # EWMA runs heavy ball with step lr·(1 − β): its stable lr is 2(1 + β)/(L(1 − β))
    m = momentum.from_framework("ewma", lr=0.1, momentum=0.9)
    lo, hi = momentum.stable_lr(m, (1.0, 10.0))
    assert abs(hi - 2 * 1.9 / (10 * 0.1)) < 1e-12


def test_critical_momentum_is_a_double_root(rng):
    for _ in range(30):
        a = rng.uniform(0.001, 0.5)
        mu, L = sorted(rng.uniform(0.01, 1.0 / a, size=2))
        for family, look in (("heavy_ball", 0), ("nesterov", 1)):
            m = getattr(momentum.Method, family)(a, 0.5)
            for c in momentum.critical_momentum(m, (mu, L)):
                g = c.momentum * look
                c1, c0 = coefficients(a, c.momentum, g, c.lam)
                assert abs(c1 * c1 - 4 * c0) <= 1e-12 * (1 + c1 * c1)
                assert abs(c.root - c1 / 2) <= 1e-9
                assert abs(c.rate - abs(c1 / 2)) <= 1e-9


def test_tune_closed_forms_and_grid_rates(rng):
    for kappa in (2.0, 10.0, 100.0, 1e4):
        mu, L = 1.0 / kappa, 1.0
        tunings = {t.name: t for t in momentum.tune(kappa=kappa)}
        s = np.sqrt(kappa)
        hb = tunings["heavy_ball"]
        assert abs(hb.step - 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2) <= 1e-12 * hb.step
        assert abs(hb.momentum - ((s - 1) / (s + 1)) ** 2) <= 1e-12
        assert abs(hb.rate - (s - 1) / (s + 1)) <= 1e-12
        gd = tunings["gradient_descent"]
        assert abs(gd.step - 2 / (mu + L)) <= 1e-12 * gd.step
        assert abs(gd.rate - (kappa - 1) / (kappa + 1)) <= 1e-12
        assert abs(tunings["triple_momentum"].rate - (1 - 1 / s)) <= 1e-12
        grid = np.linspace(mu, L, 20001)
        for t in tunings.values():
            brute = radius(t.step, t.momentum, t.lookahead, grid).max()
            # the stated rate is the worst ρ over [μ, L]; double roots cost √ε of the rounding
            assert brute <= t.rate + 1e-7, t.name
            assert brute >= t.rate - 1e-6, t.name
        assert tunings["heavy_ball"].framework_args == {
            "lr": hb.step,
            "momentum": hb.momentum,
            "nesterov": False,
        }
        assert tunings["triple_momentum"].framework_args is None
        assert "lookahead" in tunings["triple_momentum"].framework_note
    # mu/L form: steps scale as 1/L, rates depend on κ alone
    a = momentum.tune(kappa=50.0)
    b = momentum.tune(mu=2.0, L=100.0)
    for x, y in zip(a, b):
        assert abs(x.rate - y.rate) <= 1e-12 and abs(x.step - 100.0 * y.step) <= 1e-12 * x.step
    assert momentum.tune(kappa=100, framework="keras")[1].framework_args["learning_rate"] > 0


def test_bound_against_the_scalar_recurrence(rng):
    for _ in range(20):
        m, (a, b, g) = random_method(rng, "heavy_ball")
        eig = rng.uniform(0.01, 1.5 / a, size=40)
        n = int(rng.integers(1, 200))
        bd = momentum.bound(m, eig, n)
        e = np.abs(run_scalar(a, b, g, eig, n))
        assert abs(bd.worst_factor - e.max()) <= 1e-9 * max(e.max(), 1e-300) + 1e-300
        assert bd.worst_lambda == eig[np.argmax(e)]
        assert abs(bd.worst_factor_log10 - np.log10(e.max())) <= 1e-9
    # over an interval: at least the grid's max, and close to it on a fine grid
    m = momentum.Method.heavy_ball(0.1, 0.5)
    bd = momentum.bound(m, (1.0, 10.0), 50)
    e = np.abs(run_scalar(0.1, 0.5, 0.0, np.linspace(1.0, 10.0, 200001), 50)).max()
    assert e <= bd.worst_factor * (1 + 1e-9) and bd.worst_factor <= e * (1 + 1e-4)


def test_bound_on_an_unstable_setting_beyond_f64():
    b = momentum.bound(momentum.Method.heavy_ball(1.0, 0.5), (1.0, 10.0), 100000)
    assert not b.stable and b.worst_factor is None and not b.worst_factor_exact
    # a lower bound: N log10 ρ up to the polynomial's prefactor
    assert b.worst_factor_log10 >= 100000 * np.log10(b.spectral_radius) - 10


def test_simulate_against_a_numpy_run(rng):
    for _ in range(10):
        m, (a, b, g) = random_method(rng, "nesterov")
        eig = rng.uniform(0.0, 1.0 / a, size=30)
        n = 60
        t = momentum.simulate(m, eig, n)
        e0 = np.ones(30) / np.sqrt(30)
        prev, cur = e0.copy(), e0.copy()
        errors = [np.linalg.norm(cur)]
        excess = [0.5 * np.sum(eig * cur * cur)]
        for _ in range(n):
            look = cur + g * (cur - prev)
            prev, cur = cur, cur + b * (cur - prev) - a * eig * look
            errors.append(np.linalg.norm(cur))
            excess.append(0.5 * np.sum(eig * cur * cur))
        if t.ending == "completed":
            np.testing.assert_allclose(t.error, errors, rtol=1e-9, atol=1e-300)
            np.testing.assert_allclose(t.excess, excess, rtol=1e-9, atol=1e-300)
        assert abs(t.predicted_rate - radius(a, b, g, eig).max()) < 1e-9
    # the interval form spreads dim eigenvalues evenly, ends included
    t = momentum.simulate(momentum.Method.heavy_ball(0.1, 0.5), (1.0, 10.0), 5, dim=10)
    np.testing.assert_allclose(t.eigenvalues, np.linspace(1.0, 10.0, 10), rtol=1e-15)
    # a dense rotated Hessian has the same spectrum, so the same noise-free error norms
    d = momentum.simulate(momentum.Method.heavy_ball(0.1, 0.5), (1.0, 10.0), 40, dim=10, dense=True)
    np.testing.assert_allclose(d.error, momentum.simulate(
        momentum.Method.heavy_ball(0.1, 0.5), (1.0, 10.0), 40, dim=10).error, rtol=1e-9)


@pytest.mark.parametrize("family,look", [("heavy_ball", None), ("nesterov", None), ("gradient_descent", None), ("heavy_ball", 0.3)])
def test_stability_map_against_closed_form(family, look):
    mu, L = 1.0, 30.0
    sm = momentum.stability_map(family, mu, L, 0.2, (40, 30), momentum_range=(-0.5, 1.0), lookahead=look)
    assert sm.radius.shape == (30, 40) == sm.regime.shape == sm.stable.shape
    np.testing.assert_allclose(sm.steps, 0.2 * (np.arange(40) + 0.5) / 40)
    np.testing.assert_allclose(sm.momenta, -0.5 + 1.5 * (np.arange(30) + 0.5) / 30)
    A, B = np.meshgrid(sm.steps, sm.momenta)
    if family == "gradient_descent":
        B = np.zeros_like(B)
    G = {"heavy_ball": 0.0 * B, "nesterov": B, "gradient_descent": 0.0 * B}[family]
    if look is not None:
        G = np.full_like(B, look)
    want = np.maximum(radius(A, B, G, mu), radius(A, B, G, L))
    np.testing.assert_allclose(sm.radius, want, rtol=0, atol=1e-7)
    clear = np.abs(want - 1) > 1e-9
    np.testing.assert_array_equal(sm.stable[clear], want[clear] < 1)
    assert sm.extent == (0.0, 0.2, -0.5, 1.0)


def test_from_framework_conversions(rng):
    lam = rng.uniform(0.0, 10.0, size=100)
    pt = momentum.analyze(momentum.from_framework("pytorch", lr=0.05, momentum=0.9), lam)
    np.testing.assert_allclose(pt.spectral_radius, radius(0.05, 0.9, 0.0, lam), atol=1e-7)
    nag = momentum.analyze(momentum.from_framework("pytorch", lr=0.05, momentum=0.9, nesterov=True), lam)
    np.testing.assert_allclose(nag.spectral_radius, radius(0.05, 0.9, 0.9, lam), atol=1e-7)
    # coupled weight decay: every curvature is seen as λ + w
    wd = momentum.analyze(momentum.from_framework("pytorch", lr=0.05, momentum=0.9, weight_decay=0.3), lam)
    np.testing.assert_allclose(wd.spectral_radius, radius(0.05, 0.9, 0.0, lam + 0.3), atol=1e-7)
    # dampening τ: v = μv + (1 − τ)g, a heavy ball of step lr(1 − τ)
    dm = momentum.from_framework("pytorch", lr=0.05, momentum=0.9, dampening=0.5)
    assert abs(dm.step - 0.025) < 1e-15 and dm.momentum == 0.9
    # EWMA: step lr(1 − β)
    ew = momentum.from_framework("ewma", lr=0.1, momentum=0.9)
    assert abs(ew.step - 0.01) < 1e-15
    assert momentum.from_framework("keras", lr=0.1, momentum=0.9, nesterov=True).lookahead == 0.9


@pytest.mark.parametrize("fw", ["canonical", "pytorch", "keras", "optax", "ewma", "physics", "sutskever"])
def test_to_framework_round_trip(rng, fw):
    for m in (momentum.Method.heavy_ball(0.07, 0.8), momentum.Method.nesterov(0.07, 0.8)):
        if fw == "ewma" and m.lookahead != 0:
            with pytest.raises(ValueError, match="no Nesterov variant"):
                m.to_framework(fw)
            continue
        args = m.to_framework(fw)
        if fw == "canonical":
            back = momentum.Method.general(args["step"], args["momentum"], args["lookahead"])
        else:
            lr = args.get("lr", args.get("learning_rate"))
            back = momentum.from_framework(fw, lr=lr, momentum=args["momentum"], nesterov=args["nesterov"])
        np.testing.assert_allclose(back.recurrence, m.recurrence, rtol=1e-15)
