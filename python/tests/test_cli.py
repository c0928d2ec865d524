"""Every function against the CLI's `--json` for the same inputs (the CLI is the same library
behind a different front end: these tests pin the binding's plumbing — argument order,
conventions, which curvature is reported)."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

import momentum

EIG = [0.03, 0.5, 2.0, 7.5, 19.0]


def fmt(x: float) -> str:
    return repr(float(x))


CASES = [
    # (python method, CLI method flags)
    (lambda: momentum.Method.heavy_ball(0.1, 0.9), ["--method", "hb", "--lr", "0.1", "--momentum", "0.9"]),
    (lambda: momentum.Method.nesterov(0.08, 0.7), ["--method", "nag", "--lr", "0.08", "--momentum", "0.7"]),
    (lambda: momentum.Method.general(0.05, 0.6, 0.3), ["--lr", "0.05", "--momentum", "0.6", "--lookahead", "0.3"]),
    (
        lambda: momentum.from_framework("pytorch", lr=0.1, momentum=0.9, weight_decay=0.01),
        ["--convention", "pytorch", "--lr", "0.1", "--momentum", "0.9", "--weight-decay", "0.01"],
    ),
    (
        lambda: momentum.from_framework("keras", lr=0.1, momentum=0.8, nesterov=True, weight_decay=0.02),
        ["--convention", "keras", "--lr", "0.1", "--momentum", "0.8", "--nesterov", "--weight-decay", "0.02"],
    ),
    (
        lambda: momentum.from_framework("ewma", lr=0.3, momentum=0.9),
        ["--convention", "ewma", "--lr", "0.3", "--momentum", "0.9"],
    ),
    (
        lambda: momentum.from_framework("pytorch", lr=0.2, momentum=0.5, dampening=0.5),
        ["--convention", "pytorch", "--lr", "0.2", "--momentum", "0.5", "--dampening", "0.5"],
    ),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_analyze_worst_case_stable_lr_critical_momentum(cli, case):
    make, flags = CASES[case]
    m = make()
    doc = cli.json("analyze", *flags, "--lambda", *map(fmt, EIG))
    r = doc["recurrence"]
    assert m.recurrence == (r["p0"], r["p1"], r["q0"], r["q1"])
    assert m.framework == doc["convention"]
    a = momentum.analyze(m, EIG)
    for k, c in enumerate(doc["curvatures"]):
        assert c["lambda"] == EIG[k]
        assert (a.c1[k], a.c0[k]) == (c["c1"], c["c0"])
        assert a.spectral_radius[k] == c["spectral_radius"]
        assert a.regime[k] == c["regime"] and bool(a.stable[k]) == c["stable"]
        assert list(a.roots[k]) == [complex(z["re"], z["im"]) for z in c["roots"]]
    w = momentum.worst_case(m, EIG)
    assert (w.spectral_radius, w.stable, w.worst_lambda) == (
        doc["spectral_radius"],
        doc["stable"],
        doc["worst_lambda"],
    )
    assert w.iterations_per_decade == doc["iterations_per_decade"]
    lr = momentum.stable_lr(m, EIG)
    want = doc["stable_lr"]
    if want is None:
        assert lr is None
    else:
        assert lr[0] == want["lo"]
        assert lr[1] == (np.inf if want["hi"] is None else want["hi"])
    crit = momentum.critical_momentum(m, EIG)
    assert [(c.lam, c.momentum, c.rate, c.root) for c in crit] == [
        (c["lambda"], c["momentum"], c["rate"], c["root"]) for c in doc["critical_momentum"]
    ]


def test_interval_worst_case_and_triple_momentum(cli):
    doc = cli.json("analyze", "--method", "tmm", "--mu", "0.1", "--L", "10")
    m = momentum.Method.triple_momentum(0.1, 10.0)
    assert doc["framework_method"] == {"step": m.step, "momentum": m.momentum, "lookahead": m.lookahead}
    w = momentum.worst_case(m, (0.1, 10.0))
    assert (w.spectral_radius, w.stable, w.worst_lambda) == (
        doc["spectral_radius"],
        doc["stable"],
        doc["worst_lambda"],
    )


@pytest.mark.parametrize("fw", ["pytorch", "keras", "optax", "ewma", "physics", "sutskever"])
def test_to_framework_matches_convert(cli, fw):
    for nesterov in (False, True):
        m = (momentum.Method.nesterov if nesterov else momentum.Method.heavy_ball)(0.1, 0.9)
        # PyTorch's (0.1, 0.9[, nesterov]) is canonical heavy ball (Nesterov) (0.1, 0.9)
        r = cli.run("convert", "--from", "pytorch", "--lr", "0.1", "--momentum", "0.9",
                    *(["--nesterov"] if nesterov else []), "--to", fw, "--json")
        if r.returncode != 0:
            with pytest.raises(ValueError) as e:
                m.to_framework(fw)
            assert str(e.value) in r.stderr
            continue
        to = json.loads(r.stdout)["to"]
        args = m.to_framework(fw)
        assert args.get("lr", args.get("learning_rate")) == to["lr"]
        assert args["momentum"] == to["momentum"] and args["nesterov"] == to["nesterov"]


@pytest.mark.parametrize("fw", ["pytorch", "keras", "optax", "ewma"])
def test_from_framework_matches_convert(cli, fw):
    extra = {"pytorch": ["--weight-decay", "0.01"], "keras": ["--weight-decay", "0.01"],
             "optax": ["--nesterov"], "ewma": []}[fw]
    doc = cli.json("convert", "--from", fw, "--lr", "0.1", "--momentum", "0.9", *extra)
    kw = {"weight_decay": 0.01} if "--weight-decay" in extra else {}
    m = momentum.from_framework(fw, lr=0.1, momentum=0.9, nesterov="--nesterov" in extra, **kw)
    r = doc["recurrence"]
    assert m.recurrence == (r["p0"], r["p1"], r["q0"], r["q1"])
    wd = doc["weight_decay"]
    assert m.weight_decay == (wd["kind"], wd.get("value", 0.0))
    assert m.notes == doc["notes"]
    # never None, as the CLI's method: the canonical method on the curvature method_on names
    assert (m.step, m.momentum, m.lookahead) == tuple(doc["method"].values())
    assert m.method_on == doc["method_on"]


@pytest.mark.parametrize("spec", [("--kappa", "100"), ("--mu", "0.5", "--L", "40")])
@pytest.mark.parametrize("fw", ["pytorch", "keras", "optax"])
def test_tune(cli, spec, fw):
    doc = cli.json("tune", *spec, "--convention", fw)
    kw = {"kappa": 100.0} if spec[0] == "--kappa" else {"mu": 0.5, "L": 40.0}
    got = momentum.tune(**kw, framework=fw)
    assert [t.name for t in got] == [d["name"] for d in doc["methods"]]
    for t, d in zip(got, doc["methods"]):
        assert (t.step, t.momentum, t.lookahead, t.rate) == (d["step"], d["momentum"], d["lookahead"], d["rate"])
        assert t.iterations_per_decade == pytest.approx(d["iterations_per_decade"], rel=1e-14)
        f = d["framework"]
        if f["note"] is not None:
            assert t.framework_args is None and t.framework_note == f["note"]
        else:
            lr = t.framework_args.get("lr", t.framework_args.get("learning_rate"))
            assert (lr, t.framework_args["momentum"], t.framework_args["nesterov"]) == (
                f["lr"], f["momentum"], f["nesterov"])


@pytest.mark.parametrize(
    "flags,steps",
    [
        (["--method", "hb", "--lr", "0.1", "--momentum", "0.5"], 50),
        (["--method", "nag", "--lr", "0.05", "--momentum", "0.9"], 300),
        (["--method", "hb", "--lr", "1.0", "--momentum", "0.5"], 100000),  # unstable, beyond f64
    ],
)
@pytest.mark.parametrize("listed", [False, True])
def test_bound(cli, flags, steps, listed):
    spec = ["--lambda", *map(fmt, EIG)] if listed else ["--mu", "1", "--L", "10"]
    doc = cli.json("bound", *flags, *spec, "--steps", steps)
    a, b = float(flags[flags.index("--lr") + 1]), float(flags[flags.index("--momentum") + 1])
    m = (momentum.Method.nesterov if "nag" in flags else momentum.Method.heavy_ball)(a, b)
    got = momentum.bound(m, EIG if listed else (1.0, 10.0), steps)
    for k in ("steps", "stable", "worst_factor", "worst_factor_log10", "worst_factor_exact",
              "worst_lambda", "spectral_radius"):
        assert getattr(got, k) == doc[k], k


@pytest.mark.parametrize(
    "extra,kw",
    [
        ([], {}),
        (["--dim", "40", "--dense", "--seed", "7"], {"dim": 40, "dense": True, "seed": 7}),
        (["--noise", "0.01", "--seed", "3", "--start", "gaussian"], {"noise": 0.01, "seed": 3, "start": "gaussian"}),
    ],
)
def test_simulate(cli, extra, kw):
    doc = cli.json("simulate", "--method", "hb", "--lr", "0.1", "--momentum", "0.5",
                   "--mu", "1", "--L", "10", "--steps", "200", *extra)
    t = momentum.simulate(momentum.Method.heavy_ball(0.1, 0.5), (1.0, 10.0), 200, **kw)
    assert t.steps_taken == doc["steps_taken"] and t.ending == doc["ending"]
    assert t.error[0] == doc["initial_error"] and t.error[-1] == doc["final_error"]
    assert t.excess[-1] == doc["final_excess"]
    assert t.empirical_rate == doc["empirical_rate"]
    assert t.predicted_rate == doc["predicted_rate"]


def test_simulate_listed_and_diverging(cli):
    doc = cli.json("simulate", "--method", "nag", "--lr", "0.2", "--momentum", "0.9",
                   "--lambda", *map(fmt, EIG), "--steps", "5000")
    t = momentum.simulate(momentum.Method.nesterov(0.2, 0.9), EIG, 5000)
    assert t.ending == doc["ending"] == "diverged"
    assert (t.steps_taken, t.error[-1]) == (doc["steps_taken"], doc["final_error"])


@pytest.mark.parametrize("method,family,look", [("hb", "heavy_ball", None), ("nag", "nesterov", None),
                                                 ("gd", "gradient_descent", None), ("hb", "heavy_ball", 0.4)])
def test_stability_map(cli, tmp_path, method, family, look):
    out = tmp_path / "map.csv"
    extra = ["--lookahead", "0.4"] if look is not None else ["--method", method]
    doc = cli.json("map", *extra, "--mu", "1", "--L", "50", "--lr-max", "0.09",
                   "--grid", "24", "--grid-momentum", "17", "--momentum-min", "-0.4",
                   "--momentum-max", "1.1", "--csv", out, "--quiet")
    sm = momentum.stability_map(family, 1.0, 50.0, 0.09, (24, 17), momentum_range=(-0.4, 1.1), lookahead=look)
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == sm.radius.size == doc["cells"]
    assert int(sm.stable.sum()) == doc["stable_cells"]
    assert float(sm.radius[sm.stable].sum()) == pytest.approx(doc["checksum"], rel=1e-12)
    for row in rows:
        i = int(np.argmin(np.abs(sm.steps - float(row["step"]))))
        j = int(np.argmin(np.abs(sm.momenta - float(row["momentum"]))))
        assert sm.steps[i] == float(row["step"]) and sm.momenta[j] == float(row["momentum"])
        assert sm.radius[j, i] == float(row["radius"])
        assert bool(sm.stable[j, i]) == (row["stable"] == "true")
        worst = row["regime_mu"] if row["worst"] == "mu" else row["regime_L"]
        assert sm.regime[j, i] == worst


@pytest.mark.parametrize(
    "cli_args,call",
    [
        (["analyze", "--method", "hb", "--lr", "-0.1", "--momentum", "0.5", "--lambda", "1"],
         lambda: momentum.Method.heavy_ball(-0.1, 0.5)),
        (["analyze", "--convention", "pytorch", "--lr", "0.1", "--momentum", "0.9", "--nesterov",
          "--dampening", "0.1", "--lambda", "1"],
         lambda: momentum.from_framework("pytorch", lr=0.1, momentum=0.9, nesterov=True, dampening=0.1)),
        (["tune", "--kappa", "0.5"], lambda: momentum.tune(kappa=0.5)),
        (["tune", "--mu", "2", "--L", "1"], lambda: momentum.tune(mu=2.0, L=1.0)),
        (["bound", "--method", "hb", "--lr", "0.1", "--momentum", "0.5", "--mu", "1", "--L", "10",
          "--steps", "0"], lambda: momentum.bound(momentum.Method.heavy_ball(0.1, 0.5), (1.0, 10.0), 0)),
    ],
)
def test_errors_carry_the_library_message(cli, cli_args, call):
    r = cli.run(*cli_args, "--json")
    assert r.returncode == 1, r.stderr
    with pytest.raises(ValueError) as e:
        call()
    assert str(e.value) in r.stderr
