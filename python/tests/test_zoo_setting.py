"""The order-n optimizers (AdEMAMix, Lookahead, schedule-free SGD, AggMo, SAM) through
`analyze_setting`: the same document as `momentum analyze --json` with the same flags, to the last
bit, and the same refusals (ValueError in Python, one line and exit 1/2 on the command line).
Real optax runs check the numbers themselves: test_zoo_optax.py."""

from __future__ import annotations

import pytest

import momentum

CASES = [
    ("ademamix", dict(lr=0.5, momentum=0.9, b3=0.9999, alpha=5.0)),
    ("ademamix", dict(lr=0.5, momentum=0.9, b3=0.99, alpha=8.0)),
    ("lookahead", dict(lr=1.0, sync_period=5, slow_step=0.5)),
    ("lookahead", dict(lr=1.0, momentum=0.9, nesterov=True, sync_period=3, slow_step=0.8)),
    ("schedule_free", dict(lr=5.0, momentum=0.9)),
    ("aggmo", dict(lr=1.0, momenta=[0.0, 0.9, 0.99])),
    ("sam", dict(lr=0.5, rho=0.05, momentum=0.9)),
]
SPECTRA = [[0.01, 0.5, 2.0], (0.1, 1.0)]


def cli_flags(kw: dict) -> list[str]:
    out: list[str] = []
    for k, v in kw.items():
        name = "--" + k.replace("_", "-")
        if v is True:
            out.append(name)
        elif isinstance(v, list):
            out += [name, ",".join(repr(float(x)) for x in v)]
        else:
            out += [name, repr(v)]
    return out


@pytest.mark.parametrize("conv,kw", CASES)
@pytest.mark.parametrize("spectrum", SPECTRA)
def test_python_equals_the_cli(cli, conv, kw, spectrum):
    sp = ["--lambda", *map(repr, spectrum)] if isinstance(spectrum, list) else ["--mu", repr(spectrum[0]), "--L", repr(spectrum[1])]
    want = cli.json("analyze", "--convention", conv, *cli_flags(kw), *sp)
    got = momentum.analyze_setting(spectrum, conv, **kw)
    assert got == want


@pytest.mark.parametrize("conv,kw", CASES)
@pytest.mark.parametrize("spectrum", SPECTRA)
def test_the_noise_floor_equals_the_cli(cli, conv, kw, spectrum):
    sp = ["--lambda", *map(repr, spectrum)] if isinstance(spectrum, list) else ["--mu", repr(spectrum[0]), "--L", repr(spectrum[1])]
    want = cli.json("analyze", "--convention", conv, *cli_flags(kw), *sp, "--noise", "0.3")
    got = momentum.analyze_setting(spectrum, conv, noise=0.3, **kw)
    assert got == want
    assert "noise_floor" in got


def test_the_noise_floor_of_one_velocity_is_heavy_balls():
    d = momentum.analyze_setting([0.5, 2.0], "aggmo", lr=0.1, momenta=[0.9], noise=1.0)
    want = momentum.analyze_setting([0.5, 2.0], "pytorch", lr=0.1, momentum=0.9, noise=1.0)
    assert d["noise_floor"]["floor"] == pytest.approx(want["noise_floor"]["floor"], rel=1e-12)
    with pytest.raises(ValueError, match="noise"):
        momentum.analyze_setting([1.0], "aggmo", lr=0.1, noise=-1.0)


def test_the_edges_are_the_papers_numbers():
    d = momentum.analyze_setting([1.0], "ademamix", lr=1.0, b3=0.99)
    assert abs(d["largest_stable_lr"] - 25.721) < 5e-4
    d = momentum.analyze_setting([1.0], "lookahead", lr=1.0, sync_period=5, slow_step=0.5)
    assert abs(d["largest_stable_lr"] - 2.2457) < 1e-4
    d = momentum.analyze_setting([1.0], "schedule_free", lr=10.0, momentum=0.9)
    assert d["largest_stable_lr"] == pytest.approx(20.0, rel=1e-12)
    assert d["transient"]["peak"] == pytest.approx(126.0, rel=1e-9)


@pytest.mark.parametrize(
    "conv,kw,fragment",
    [
        ("sam", dict(lr=1.0), "needs --rho"),
        ("aggmo", dict(lr=1.0, momentum=0.9), "--momenta"),
        ("lookahead", dict(lr=1.0, sync_period=0), "sync period"),
        ("ademamix", dict(lr=1.0, b3=1.0), "b3"),
        ("optax", dict(lr=1.0, b3=0.9), "--b3"),
        ("aggmo", dict(lr=1.0, momenta=[]), "at least one momentum"),
    ],
)
def test_refusals_are_value_errors(conv, kw, fragment):
    with pytest.raises(ValueError, match=fragment):
        momentum.analyze_setting([1.0], conv, **kw)


@pytest.mark.parametrize(
    "what,conv,kw,flags",
    [
        ("bound", "schedule_free", dict(lr=10.0, momentum=0.9, steps=500), ["--lr", "10.0", "--momentum", "0.9", "--steps", "500"]),
        ("bound", "ademamix", dict(lr=0.5, b3=0.99, steps=300), ["--lr", "0.5", "--b3", "0.99", "--steps", "300"]),
        ("simulate", "aggmo", dict(lr=0.5, momenta=[0.0, 0.9], steps=200), ["--lr", "0.5", "--momenta", "0.0,0.9", "--steps", "200"]),
        ("tune", "lookahead", dict(sync_period=5, slow_step=0.5), ["--sync-period", "5", "--slow-step", "0.5"]),
    ],
)
def test_zoo_runs_equal_the_cli(cli, what, conv, kw, flags):
    spectrum = [0.1, 1.0]
    fn = {"bound": momentum.zoo_bound, "simulate": momentum.zoo_simulate, "tune": momentum.zoo_tune}[what]
    got = fn(spectrum, conv, **kw)
    sp = ["--lambda", "0.1", "1.0"] if what != "tune" else ["--mu", "0.1", "--L", "1.0"]
    want = cli.json(what, "--convention", conv, *flags, *sp)
    if what == "tune":
        got = momentum.zoo_tune((0.1, 1.0), conv, **kw)
    assert got == want


def test_zoo_runs_refuse_bad_input():
    with pytest.raises(ValueError, match="steps is required"):
        momentum._zoo("bound", [1.0], "aggmo", None, dict(lr=1.0))
    with pytest.raises(ValueError, match="not optax"):
        momentum.zoo_bound([1.0], "optax", steps=3, lr=1.0)
    with pytest.raises(ValueError, match="listed curvatures"):
        momentum.zoo_simulate((0.1, 1.0), "aggmo", steps=3, lr=1.0)


@pytest.mark.parametrize(
    "conv,kw",
    [
        ("ademamix", dict(lr=0.8, momentum=0.6, b3=0.9, alpha=1.0)),
        ("ademamix", dict(lr=0.5, momentum=0.9, b3=0.99, alpha=5.0)),
        ("aggmo", dict(lr=0.9, momenta=[0.0, 0.5, 0.8])),
        ("aggmo", dict(lr=0.5, momenta=[0.3])),
    ],
)
def test_certify_setting_equals_the_cli(cli, conv, kw):
    want = cli.json("certify", "--convention", conv, *cli_flags(kw), "--mu", "0.1", "--L", "1.0")
    got = momentum.certify_setting((0.1, 1.0), conv, **kw)
    assert got == want
    assert got["certified"] and got["rate"] >= got["quadratic_rate"]


@pytest.mark.parametrize(
    "conv,kw,fragment",
    [
        ("sam", dict(lr=0.5, rho=0.05), "two gradients"),
        ("schedule_free", dict(lr=1.0), "unit root"),
        ("lookahead", dict(lr=1.0), "periodic"),
        ("aggmo", dict(lr=1.0, window=3), "window"),
        ("aggmo", dict(lr=1.0, lookahead=0.5), "lookahead"),
        ("canonical", dict(method="hb", lr=1.0, momentum=0.5, b3=0.9), "b3"),
    ],
)
def test_certify_setting_refusals(conv, kw, fragment):
    with pytest.raises(ValueError, match=fragment):
        momentum.certify_setting((0.1, 1.0), conv, **kw)


@pytest.mark.parametrize(
    "what,conv,kw,flags",
    [
        ("bound", "schedule_free", dict(lr_schedule="warmup_constant_schedule(0, 10, 10)", momentum=0.9, steps=400),
         ["--lr-schedule", "warmup_constant_schedule(0, 10, 10)", "--momentum", "0.9", "--steps", "400"]),
        ("bound", "ademamix", dict(lr=0.5, b3=0.999, b3_schedule="linear_hl_warmup_scheduler(0.999, 0.9, 100)", alpha_schedule="linear_schedule(0, 5, 100)"),
         ["--lr", "0.5", "--b3", "0.999", "--b3-schedule", "linear_hl_warmup_scheduler(0.999, 0.9, 100)", "--alpha-schedule", "linear_schedule(0, 5, 100)"]),
        ("simulate", "lookahead", dict(lr_schedule=[0.5, 1.0, 1.5, 1.0] * 25, momentum_schedule=[0.5, 0.9] * 50, sync_period=3, slow_step=0.5),
         None),
        ("simulate", "sam", dict(lr_schedule="cosine_decay_schedule(1, 150)", rho=0.1, steps=200),
         ["--lr-schedule", "cosine_decay_schedule(1, 150)", "--rho", "0.1", "--steps", "200"]),
    ],
)
def test_scheduled_zoo_runs_equal_the_cli(cli, tmp_path, what, conv, kw, flags):
    spectrum = [0.1, 1.0]
    fn = {"bound": momentum.zoo_bound, "simulate": momentum.zoo_simulate}[what]
    got = fn(spectrum, conv, **kw)
    if flags is None:  # lists go to the CLI as files
        flags = ["--sync-period", "3", "--slow-step", "0.5"]
        for name in ("lr_schedule", "momentum_schedule"):
            path = tmp_path / f"{name}.txt"
            path.write_text("\n".join(repr(float(x)) for x in kw[name]) + "\n")
            flags += ["--" + name.replace("_", "-"), str(path)]
    want = cli.json(what, "--convention", conv, *flags, "--lambda", "0.1", "1.0")
    assert want["schedule"].pop("source")
    assert got == want
    assert got["spectral_radius"] is None and got["schedule"]["length"] > 0


def test_scheduled_zoo_runs_refuse_what_the_optimizer_lacks():
    with pytest.raises(ValueError, match="constant b1"):
        momentum.zoo_bound([1.0], "ademamix", lr=1.0, momentum_schedule=[0.5, 0.9])
    with pytest.raises(ValueError, match="AdEMAMix's"):
        momentum.zoo_bound([1.0], "aggmo", lr=1.0, b3_schedule=[0.5, 0.9])
    with pytest.raises(ValueError, match="not both"):
        momentum.zoo_bound([1.0], "sam", rho=0.1, lr=1.0, lr_schedule=[0.5, 0.9])
    with pytest.raises(ValueError, match="zoo_tune takes a constant setting"):
        momentum.zoo_tune((0.1, 1.0), "aggmo", lr_schedule=[0.5, 0.9])
    with pytest.raises(ValueError, match="step 1"):
        momentum.zoo_simulate([1.0], "lookahead", lr_schedule=[0.5, -0.5])


@pytest.mark.parametrize(
    "conv,kw",
    [
        ("aggmo", dict(lr=0.5, momenta=[0.3])),
        ("ademamix", dict(lr=0.05, momentum=0.9, b3=0.999, alpha=5.0)),
        ("sam", dict(lr=0.5, rho=0.05)),
        ("lookahead", dict(lr=0.5)),
    ],
)
@pytest.mark.parametrize("window", [0, 2, 3])
def test_certify_window_refusal_is_the_clis_word_for_word(cli, conv, kw, window):
    # one decision (setting::certify::zoo_options): the CLI's message and Python's are the same text
    r = cli.run("certify", "--convention", conv, *cli_flags(kw), "--mu", "0.1", "--L", "1.0", "--window", str(window))
    assert r.returncode == 2
    with pytest.raises(ValueError) as e:
        momentum.certify_setting((0.1, 1.0), conv, window=window, **kw)
    assert r.stderr.strip() == f"error: {e.value}"
    # window 1 is the certificate itself (or the optimizer's own refusal, without a window)
    if conv in ("aggmo", "ademamix"):
        assert momentum.certify_setting((0.1, 1.0), conv, window=1, **kw) == momentum.certify_setting((0.1, 1.0), conv, **kw)


def test_a_pytorch_scheduler_scales_the_lr_given_with_it():
    # CosineAnnealingLR scales the base lr (as on the command line); an optax shape holds every lr
    d = momentum.zoo_bound([1.0], "sam", rho=0.1, lr=0.5, lr_schedule="CosineAnnealingLR(T_max=20)")
    import math
    lo = 0.5 * 0.5 * (1 + math.cos(math.pi * 19 / 20))  # PyTorch's closed form at the last of 20 steps
    assert d["schedule"]["lr"][1] == 0.5 and d["schedule"]["lr"][0] == pytest.approx(lo, rel=1e-12)
    with pytest.raises(ValueError, match="not both"):
        momentum.zoo_bound([1.0], "sam", rho=0.1, lr=0.5, lr_schedule="cosine_decay_schedule(0.5, 20)")
