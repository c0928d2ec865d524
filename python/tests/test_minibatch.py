"""`momentum.minibatch` against `momentum analyze/bound --batch B --json`'s `minibatch` block (the
same numbers to the last bit), the issue's edge, and ValueError on bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

import momentum


def harmonic(n: int) -> list[float]:
    return [1.0 / i for i in range(1, n + 1)]


@pytest.mark.parametrize("batch", [1, 8, 64])
def test_python_gives_the_cli_block(cli, batch):
    lam = harmonic(30)
    args = ["analyze", "--convention", "pytorch", "--lr", "0.05", "--momentum", "0.9",
            "--lambda", *map(repr, lam), "--batch", str(batch), "--label-noise", "0.3", "--json"]
    want = json.loads(cli.run(*args).stdout)["minibatch"]
    m = momentum.from_framework("pytorch", 0.05, momentum=0.9)
    got = momentum.minibatch(m, np.array(lam), batch, label_noise=0.3)
    assert got == want


def test_bound_factor_on_an_interval(cli):
    args = ["bound", "--method", "nag", "--lr", "0.3", "--momentum", "0.6", "--mu", "0.05",
            "--L", "1", "--steps", "40", "--batch", "4", "--data-dim", "25", "--json"]
    want = json.loads(cli.run(*args).stdout)["minibatch"]
    got = momentum.minibatch(momentum.Method.nesterov(0.3, 0.6), (0.05, 1.0), 4, steps=40, dim=25)
    assert got == want
    assert got["covariance"] == "evenly_spread"


def test_the_issues_edge():
    m = momentum.Method.heavy_ball(0.01, 0.9)
    d = momentum.minibatch(m, harmonic(100), 1)
    assert abs(d["largest_stable_lr"] - 0.0360375650119165) < 1e-9 * 0.036
    assert d["full_batch_largest_stable_lr"] == pytest.approx(3.8, rel=1e-15)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"batch": 0},
        {"batch": 2.5},
        {"batch": -3},
        {"batch": True},
        {"batch": 4, "label_noise": -1.0},
        {"batch": 4, "steps": -1},
        {"batch": 4, "dim": 5},
    ],
)
def test_bad_input_is_a_value_error(kwargs):
    m = momentum.Method.heavy_ball(0.1, 0.9)
    with pytest.raises(ValueError):
        momentum.minibatch(m, [1.0, 0.1], **kwargs)


def test_bad_spectra_are_value_errors():
    m = momentum.Method.heavy_ball(0.1, 0.9)
    with pytest.raises(ValueError):
        momentum.minibatch(m, [1.0, 0.0], 4)
    with pytest.raises(ValueError):
        momentum.minibatch(m, [], 4)
    with pytest.raises(ValueError):
        momentum.minibatch(m, (1.0, 0.5), 4)
