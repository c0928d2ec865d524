"""Schedules: `analyze_schedule` against `momentum analyze --lr-schedule … --json` (files and
named shapes, periodic or not, several frameworks), every number equal; named shapes against
optax's and PyTorch's own values (tests/data/schedules.json); bad input raises ValueError."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

import numpy as np
import pytest

import momentum

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFS = json.loads((ROOT / "tests" / "data" / "schedules.json").read_text())


def cli(*args: str) -> dict:
    exe = os.environ.get("MOMENTUM_BIN", str(ROOT / "target" / "debug" / "momentum"))
    out = subprocess.run([exe, *args, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


CASES = [
    # (flags, python kwargs)
    (["--convention", "optax", "--momentum", "0.9", "--mu", "0.01", "--L", "1"],
     dict(spectrum=(0.01, 1.0), convention="optax", momentum=0.9),
     "warmup_cosine_decay_schedule(init_value=0, peak_value=3, warmup_steps=100, decay_steps=1000)"),
    (["--convention", "pytorch", "--momentum", "0.9", "--dampening", "0.5", "--lambda", "0.05", "0.3", "1"],
     dict(spectrum=[0.05, 0.3, 1.0], convention="pytorch", momentum=0.9, dampening=0.5),
     "FILE"),
    (["--convention", "keras", "--momentum", "0.9", "--nesterov", "--weight-decay", "0.01", "--mu", "0.1", "--L", "1"],
     dict(spectrum=(0.1, 1.0), convention="keras", momentum=0.9, nesterov=True, weight_decay=0.01),
     "cosine_onecycle_schedule(transition_steps=100, peak_value=2.0)"),
    (["--method", "hb", "--momentum", "0.5", "--mu", "0.1", "--L", "1.3", "--periodic"],
     dict(spectrum=(0.1, 1.3), method="hb", momentum=0.5, periodic=True),
     "cyclic(0.5, 2.5, 1)"),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_python_equals_cli(case, tmp_path):
    flags, kw, sched = CASES[case]
    if sched == "FILE":
        f = tmp_path / "lr.txt"
        np.savetxt(f, [0.5 * 0.9 ** (t // 10) for t in range(60)])
        sched = str(f)
    want = cli("analyze", *flags, "--lr-schedule", sched)
    # where the values came from is the command line's to say (a file, a shape)
    assert want["schedule"].pop("source")["lr"]["kind"] in ("file", "shape")
    got = momentum.analyze_schedule(lr_schedule=sched, **kw)
    for k, v in got.items():
        assert want[k] == v, k
    # an array of the same values gives the same document
    if not sched.endswith(")"):
        arr = np.loadtxt(sched)
        assert momentum.analyze_schedule(lr_schedule=arr, **kw) == got


def test_bound_and_analyze_print_one_document():
    flags = ["--convention", "optax", "--momentum", "0.9", "--mu", "0.01", "--L", "1",
             "--lr-schedule", "warmup_cosine_decay_schedule(0, 3, 100, 1000)"]
    assert cli("bound", *flags) == cli("analyze", *flags)


def test_named_shapes_equal_optax():
    for call, v in REFS["named"].items():
        if call.startswith(("sgdr", "torch.")):
            continue
        want = np.asarray(v.get("values_float64_count", v["values"]))
        lr, _ = momentum.schedule_values(call, len(want))
        np.testing.assert_allclose(lr, want, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize(
    "kw",
    [
        dict(lr_schedule=[0.1, -0.1]),
        dict(lr_schedule=[0.1, float("nan")]),
        dict(lr_schedule=[]),
        dict(lr_schedule="no_such_shape(1)"),
        dict(lr_schedule="linear_schedule(1.0)"),
        dict(lr_schedule=[0.1, 0.2], momentum_schedule=[0.9]),
        dict(),
    ],
)
def test_bad_schedules_raise_value_error(kw):
    with pytest.raises(ValueError):
        momentum.analyze_schedule((0.1, 1.0), method="hb", momentum=0.5, **kw)


def test_schedule_under_a_batch_equals_the_cli():
    shape = "warmup_cosine_decay_schedule(init_value=0, peak_value=1.5, warmup_steps=10, decay_steps=60)"
    d = momentum.analyze_schedule(
        (0.1, 1.0), method="hb", momentum=0.7, lr_schedule=shape, batch=4, dim=12
    )
    c = cli(
        "bound", "--method", "hb", "--momentum", "0.7", "--mu", "0.1", "--L", "1",
        "--lr-schedule", shape, "--batch", "4", "--data-dim", "12",
    )
    assert d["minibatch"] == c["minibatch"]
    m = d["minibatch"]
    assert m["batch"] == 4 and m["dim"] == 12 and m["steps"] == 60
    # the minibatch diverges where the full batch converges
    assert m["mean_square_factor"] > 1.0 > 1e3 * m["full_batch_mean_square_factor"]
    # a listed spectrum: one eigenvalue, SGD, B = 1: the product of (1 − 2h + 3h²)
    lrs = [0.25, 0.5, 0.1]
    one = momentum.analyze_schedule([1.0], method="gd", lr_schedule=lrs, batch=1)
    want = np.prod([1 - 2 * h + 3 * h * h for h in lrs])
    assert abs(one["minibatch"]["mean_square_factor"] - want) < 1e-15
    for bad in [dict(batch=0), dict(batch=2, dim=5), dict(label_noise=0.1), dict(batch=1.5)]:
        with pytest.raises(ValueError):
            momentum.analyze_schedule([1.0], method="gd", lr_schedule=lrs, **bad)
