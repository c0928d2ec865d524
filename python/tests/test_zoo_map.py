"""`zoo_map`: an order-n optimizer's (lr, y) map, the same document as `momentum map
--convention X --json` with the same flags (less the timing), its cells equal to the CSV the
CLI writes and to `analyze_setting` at the cell's parameters, and the refusals as ValueError."""

from __future__ import annotations

import csv

import numpy as np
import pytest

import momentum
from test_zoo_setting import cli_flags

CASES = [
    ("ademamix", dict(alpha=5.0), {}),
    ("ademamix", dict(alpha=8.0), dict(axis="b3", y_range=(0.9, 0.9999))),
    ("lookahead", dict(sync_period=3), {}),
    ("lookahead", {}, dict(axis="slow_step")),
    ("schedule_free", {}, dict(marks=[(1.0, 0.5)])),
    ("aggmo", dict(momenta=[0.0, 0.5]), dict(log_lr=True)),
    ("sam", dict(rho=0.05, nesterov=True), {}),
]
SPECTRA = [[0.0, 0.3, 1.0, 2.5], (0.1, 1.0)]


def map_flags(opts: dict) -> list[str]:
    out: list[str] = []
    if "axis" in opts:
        out += ["--axis", opts["axis"].replace("_", "-")]
    if "y_range" in opts:
        out += ["--momentum-min", repr(opts["y_range"][0]), "--momentum-max", repr(opts["y_range"][1])]
    for lr, y in opts.get("marks", []):
        out += ["--mark", f"{lr!r},{y!r}"]
    if opts.get("log_lr"):
        out.append("--log-lr")
    return out


@pytest.mark.parametrize("conv,kw,opts", CASES)
@pytest.mark.parametrize("spectrum", SPECTRA)
def test_python_equals_the_cli(cli, tmp_path, conv, kw, opts, spectrum):
    sp = ["--lambda", *map(repr, spectrum)] if isinstance(spectrum, list) else ["--mu", repr(spectrum[0]), "--L", repr(spectrum[1])]
    path = tmp_path / "m.csv"
    want = cli.json("map", "--convention", conv, "--grid", "10", "--grid-momentum", "3",
                    *cli_flags(kw), *map_flags(opts), *sp, "--csv", path, "--quiet")
    got = momentum.zoo_map(spectrum, conv, (10, 3), **opts, **kw)
    for k in ("seconds", "cells_per_second"):
        want.pop(k)
    radius, stable = got.pop("radius"), got.pop("stable")
    assert got == want
    with open(path) as f:
        rows = list(csv.DictReader(f))
    assert radius.shape == (3, 10)
    assert [float(r["radius"]) for r in rows] == radius.ravel().tolist()
    assert [r["stable"] == "true" for r in rows] == stable.ravel().tolist()
    assert int(stable.sum()) == want["stable_cells"]


def test_a_cell_is_analyze_setting_at_its_parameters():
    d = momentum.zoo_map([0.5, 2.0], "ademamix", (6, 4), b3=0.99)
    assert len(d["edge"]) == 4
    n = 6
    for j in range(4):
        y = d["y_range"][0] + (d["y_range"][1] - d["y_range"][0]) * (j + 0.5) / 4
        for i in (0, 3, 5):
            lr = d["lr_max"] * (i + 0.5) / n
            a = momentum.analyze_setting([0.5, 2.0], "ademamix", lr=lr, momentum=y, b3=0.99)
            assert a["spectral_radius"] == d["radius"][j, i]
            if a["stable"]:
                assert a["largest_stable_lr"] == d["edge"][j]["lr_hi"]


def test_bad_arguments_are_value_errors():
    with pytest.raises(ValueError, match="not a hyperparameter of aggmo"):
        momentum.zoo_map([1.0], "aggmo", 4, axis="b3")
    with pytest.raises(ValueError, match="needs --rho"):
        momentum.zoo_map([1.0], "sam", 4)
    with pytest.raises(ValueError, match="ademamix, lookahead"):
        momentum.zoo_map([1.0], "optax", 4)
    with pytest.raises(ValueError, match="does not take"):
        momentum.zoo_map([1.0], "aggmo", 4, weight_decay=0.1)
    with pytest.raises(ValueError):
        momentum.zoo_map([1.0], "ademamix", 4, y_range=(0.5, 1.5))
    assert np.isfinite(momentum.zoo_map([1.0], "sam", 4, rho=0.1)["radius"]).all()
