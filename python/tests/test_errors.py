"""Bad input is a ValueError naming the value (the library's message where it decides), never a
crash, never NaN in the output."""

from __future__ import annotations

import numpy as np
import pytest

import momentum

HB = momentum.Method.heavy_ball(0.1, 0.5)


@pytest.mark.parametrize(
    "bad,match",
    [
        ([np.nan], "lambda must be a finite number, got NaN"),
        ([1.0, np.inf], "lambda must be a finite number"),
        ([-np.inf], "lambda must be a finite number"),
        ([], "empty"),
        (np.zeros((0,)), "empty"),
        (np.ones((2, 3)), "must be 1-D, got shape"),
        ([[1.0], [2.0]], "must be 1-D"),
        (np.array([1 + 2j]), "complex"),
        (np.array([1.0], dtype=np.complex64), "complex"),
        (["a", "b"], "real numbers"),
        ([1.0, None], "real numbers"),
        ([[1.0, 2.0], [3.0]], "1-D array of real numbers"),
        (np.array([True]), "real numbers"),
    ],
)
def test_analyze_rejects(bad, match):
    with pytest.raises(ValueError, match=match):
        momentum.analyze(HB, bad)


def test_nan_among_a_million_is_found():
    lam = np.ones(1_000_000)
    lam[765_432] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        momentum.analyze(HB, lam)


def test_the_first_bad_curvature_is_named_whichever_thread_finds_one():
    # chunks are analysed in parallel: the error is the first bad λ in order, every time
    lam = np.ones(1_000_000)
    lam[123_456] = np.inf
    lam[900_000] = np.nan
    for _ in range(5):
        with pytest.raises(ValueError, match="inf") as e:
            momentum.analyze(HB, lam)
        assert "NaN" not in str(e.value)


def test_accepted_dtypes_and_layouts():
    base = momentum.analyze(HB, [1.0, 2.0, 3.0]).spectral_radius
    for x in (
        np.array([1, 2, 3]),
        np.array([1, 2, 3], dtype=np.uint8),
        np.array([1, 2, 3], dtype=np.float32),
        np.array([1.0, 9.0, 2.0, 9.0, 3.0])[::2],  # non-contiguous view
        (1.0, 2.0, 3.0),
    ):
        np.testing.assert_array_equal(momentum.analyze(HB, x).spectral_radius, base)
    assert len(momentum.analyze(HB, 2.0)) == 1  # a scalar is one curvature


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: momentum.Method.heavy_ball(np.nan, 0.5), "step must be a finite number"),
        (lambda: momentum.Method.heavy_ball(0.0, 0.5), "step must be > 0"),
        (lambda: momentum.Method.nesterov(0.1, np.inf), "momentum must be a finite number"),
        (lambda: momentum.Method.general(0.1, 0.5, np.nan), "lookahead"),
        (lambda: momentum.Method.triple_momentum(10.0, 1.0), "needs mu <= L"),
        (lambda: momentum.from_framework("caffe", lr=0.1), "unknown convention 'caffe'"),
        (lambda: momentum.from_framework("pytorch", lr=np.nan, momentum=0.9), "lr must be a finite number"),
        (lambda: momentum.from_framework("keras", lr=0.1, momentum=0.9, dampening=0.1), "dampening exists only in PyTorch"),
        (lambda: momentum.Method.triple_momentum(0.1, 1.0).to_framework("pytorch"), "neither heavy ball"),
        (lambda: momentum.from_framework("pytorch", lr=0.1, momentum=0.9, weight_decay=0.1).to_framework("keras"), "weight decay"),
        (lambda: momentum.worst_case(HB, (np.nan, 1.0)), "mu must be a finite number"),
        (lambda: momentum.worst_case(HB, (2.0, 1.0)), "mu <= L"),
        (lambda: momentum.worst_case(HB, []), "empty"),
        (lambda: momentum.worst_case(HB, [1.0, np.inf]), "eigenvalue must be a finite number"),
        (lambda: momentum.worst_case(HB, np.array([1j, 2j])), "complex"),
        (lambda: momentum.worst_case("hb", (1.0, 2.0)), "expected a momentum.Method"),
        (lambda: momentum.stable_lr(HB, (1.0, np.inf)), "L must be a finite number"),
        (lambda: momentum.critical_momentum(HB, []), "empty"),
        (lambda: momentum.tune(kappa=0.5), "kappa"),
        (lambda: momentum.tune(kappa=np.nan), "kappa"),
        (lambda: momentum.tune(kappa=1j), "kappa must be a real number"),
        (lambda: momentum.tune(mu=0.0, L=1.0), "mu"),
        (lambda: momentum.tune(mu=1.0), "give the condition number"),
        (lambda: momentum.tune(10.0, mu=1.0, L=2.0), "not both"),
        (lambda: momentum.tune(kappa=10.0, framework="caffe"), "unknown convention"),
        (lambda: momentum.bound(HB, (1.0, 10.0), 0), "steps"),
        (lambda: momentum.bound(HB, (1.0, 10.0), -5), "steps must be >= 0"),
        (lambda: momentum.bound(HB, (1.0, 10.0), 2.5), "steps must be an integer"),
        (lambda: momentum.simulate(HB, (1.0, 10.0), 10, noise=-1.0), "noise"),
        (lambda: momentum.simulate(HB, (1.0, 10.0), 10, noise=np.nan), "noise"),
        (lambda: momentum.simulate(HB, (1.0, 10.0), 0), "steps"),
        (lambda: momentum.simulate(HB, [1.0, np.nan], 10), "eigenvalue must be a finite number"),
        (lambda: momentum.simulate(HB, [1.0, 2.0], 10, dim=5), "dim"),
        (lambda: momentum.simulate(HB, (1.0, 10.0), 10, start="zeros"), "start"),
        (lambda: momentum.stability_map("heavy_ball", 1.0, 10.0, 0.0, 8), "lr-max must be > 0"),
        (lambda: momentum.stability_map("heavy_ball", 1.0, 10.0, np.nan, 8), "lr-max"),
        (lambda: momentum.stability_map("heavy_ball", 1.0, 10.0, 0.1, 0), "at least one cell"),
        (lambda: momentum.stability_map("heavy_ball", 1.0, 10.0, 0.1, (8, 8, 8)), "grid"),
        (lambda: momentum.stability_map("heavy_ball", 1.0, 10.0, 0.1, 8, momentum_range=(1.0, 0.0)), "momentum-min"),
        (lambda: momentum.stability_map("heavy_ball", np.nan, 10.0, 0.1, 8), "mu must be a finite number"),
        (lambda: momentum.stability_map("adam", 1.0, 10.0, 0.1, 8), "family must be"),
        (lambda: momentum.stability_map("heavy_ball", 1.0, 10.0, 0.1, 100_000_000), "cells"),
    ],
)
def test_errors_are_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_unstable_answers_are_numbers_not_nan():
    a = momentum.analyze(momentum.Method.heavy_ball(1.0, 0.99), [1e6, 1e-6, 3.0])
    assert np.all(np.isfinite(a.spectral_radius)) and not a.stable[0]
    b = momentum.bound(momentum.Method.heavy_ball(1.0, 0.5), (1.0, 10.0), 10_000_000)
    assert b.worst_factor is None and np.isfinite(b.worst_factor_log10)
    t = momentum.simulate(momentum.Method.heavy_ball(1.0, 0.5), (1.0, 10.0), 10_000)
    assert t.ending == "diverged" and np.all(np.isfinite(t.error))


def test_help_is_useful():
    for f in (momentum.analyze, momentum.tune, momentum.worst_case, momentum.stable_lr,
              momentum.critical_momentum, momentum.bound, momentum.simulate,
              momentum.stability_map, momentum.from_framework, momentum.Method.heavy_ball,
              momentum.Method.to_framework):
        assert f.__doc__ and len(f.__doc__) > 40, f
    assert "kappa" in momentum.tune.__doc__ and "framework_args" in momentum.tune.__doc__


def test_docstring_examples_run():
    import doctest

    failures, tried = doctest.testmod(momentum, verbose=False)
    assert tried >= 8 and failures == 0


def test_the_package_is_typed():
    import pathlib

    here = pathlib.Path(momentum.__file__).parent
    assert (here / "py.typed").is_file() and (here / "_native.pyi").is_file()
