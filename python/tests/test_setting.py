"""One setting, one answer: `analyze_setting` against `momentum analyze --json` on a corpus of
settings × spectra (flat, negative, weight decay, float32 files, QHM, Adam, triple momentum), and
`worst_case`/`stable_lr` against the same document. Every number equal to the last bit; errors
the same message (ValueError in Python, one line and exit 1/2 on the command line)."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import momentum

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = json.loads((ROOT / "tests" / "data" / "parity.json").read_text())
# the order-n optimizers (momentum::zoo)
ZOO = ("ademamix", "lookahead", "schedule_free", "aggmo", "sam")


def flags(setting: dict) -> list[str]:
    out = []
    for k, v in setting.items():
        name = "--" + k.replace("_", "-")
        if v is True:
            out.append(name)
        else:
            out += [name, repr(v) if isinstance(v, float) else str(v)]
    return out


def spectrum_flags(s: dict) -> list[str]:
    if "lambda" in s:
        return ["--lambda", *(repr(float(x)) for x in s["lambda"])]
    if "file" in s:
        return ["--spectrum", str(ROOT / s["file"])]
    return ["--mu", repr(s["mu"]), "--L", repr(s["L"])]


def spectrum_arg(s: dict):
    if "lambda" in s:
        return np.array(s["lambda"], dtype=np.float64)
    if "file" in s:
        return ROOT / s["file"]
    return (s["mu"], s["L"])


PAIRS = [
    (i, j, k)
    for i in range(len(CORPUS["settings"]))
    for j in range(len(CORPUS["spectra"]))
    for k in range(len(CORPUS["options"]))
]


def test_the_corpus_is_large_enough():
    assert len(PAIRS) >= 50


@pytest.mark.parametrize("case", range(len(CORPUS["preconditioned"])))
def test_python_gives_the_cli_document_under_a_preconditioner(cli, case):
    c = CORPUS["preconditioned"][case]
    pre = str(ROOT / c["preconditioner"])
    args = ["analyze", *flags(c["setting"]), *spectrum_flags(c["spectrum"]), *flags(c["options"])]
    want = json.loads(cli.run(*args, "--preconditioner", pre, "--json").stdout)
    spec = c["spectrum"]
    hessian = str(ROOT / spec["file"]) if "file" in spec else np.array(spec["lambda"])
    got = momentum.analyze_setting(hessian, **c["setting"], **c["options"], preconditioner=pre)
    assert got == want
    assert got["noise_floor"]["coordinates"] == "parameters"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"setting{p[0]}-spectrum{p[1]}-options{p[2]}")
def test_python_gives_the_cli_document(cli, pair):
    setting = CORPUS["settings"][pair[0]]
    spec = CORPUS["spectra"][pair[1]]
    options = CORPUS["options"][pair[2]]
    args = ["analyze", *flags(setting), *spectrum_flags(spec), *flags(options), "--json"]
    out = cli.run(*args)
    try:
        got = momentum.analyze_setting(spectrum_arg(spec), **setting, **options)
    except ValueError as e:
        assert out.returncode in (1, 2), f"{args}: Python refused ({e}), the CLI did not"
        assert out.stderr.strip() == f"error: {e}", (out.stderr, str(e))
        return
    assert out.returncode == 0, f"{args}: the CLI refused: {out.stderr}"
    want = json.loads(out.stdout)
    assert got == want
    if options:
        return
    # the lower-level functions agree with the document
    kw = {k: v for k, v in setting.items() if k not in ("convention", "method")}
    if setting.get("method") not in (None, "tmm"):
        return
    if "method" in setting or setting.get("convention", "canonical") == "canonical":
        return
    if setting["convention"] in ZOO:
        return  # not two-step methods: from_framework does not take them (test_zoo_setting.py)
    m = momentum.from_framework(setting["convention"], **kw)
    w = momentum.worst_case(m, spectrum_arg(spec))
    assert w.spectral_radius == want["spectral_radius"]
    assert w.stable == want["stable"]
    assert w.flat_directions == want["flat_directions"]
    assert [s[0] for s in w.saddle_directions] == [s["lambda"] for s in want["saddle_directions"]]
    lr = momentum.stable_lr(m, spectrum_arg(spec))
    if want["stable_lr"] is None:
        assert lr is None
    else:
        hi = want["stable_lr"]["hi"]
        assert lr == (want["stable_lr"]["lo"], float("inf") if hi is None else hi)


def test_the_issue_example_is_one_answer():
    # eigvalsh at a minimum, PyTorch lr 0.01, momentum 0.9: stable, the flat direction set apart
    m = momentum.from_framework("pytorch", lr=0.01, momentum=0.9)
    w = momentum.worst_case(m, [-1e-15, 0.01, 30.0])
    assert w.stable and w.flat_directions == 1
    beta, a = 0.9, 0.01
    c1 = 1 + beta - a * 0.01
    assert w.spectral_radius == pytest.approx((c1 + np.sqrt(c1 * c1 - 4 * beta)) / 2, rel=1e-14)
    assert momentum.stable_lr(m, [-1e-15, 0.01, 30.0]) == pytest.approx((0.0, 2 * 1.9 / 30))


def test_a_float32_array_keeps_float32s_flat_tolerance():
    ev = np.array([-3e-6, 2e-6, 1.0, 32.0], dtype=np.float32)
    m = momentum.Method.heavy_ball(0.05, 0.9)
    w32 = momentum.worst_case(m, ev)
    w64 = momentum.worst_case(m, ev.astype(np.float64))
    assert w32.flat_directions == 2 and w32.saddle_directions == ()
    assert w32.flat_tolerance == 4 * float(np.finfo(np.float32).eps) * 32.0
    assert len(w64.saddle_directions) == 1  # read as float64, -3e-6 is a saddle


def test_files_load_with_their_precision():
    s = momentum.load_spectrum(ROOT / "tests" / "data" / "spectra" / "eig_f32.npy")
    assert s.precision == "float32" and s.kind == "eigenvalues"
    assert momentum.load_spectrum(str(ROOT / "tests/data/spectra/pyhessian_top3.json")).precision == "float64"
    with pytest.raises(ValueError, match="cannot read the file"):
        momentum.load_spectrum("no/such/file.npy")
    with pytest.raises(ValueError, match="lr is required"):
        momentum.analyze_setting((0.1, 1.0), "pytorch", momentum=0.9)
    with pytest.raises(ValueError, match="unknown method"):
        momentum.analyze_setting((0.1, 1.0), method="adam", lr=0.1)


CERTIFY = [(i, j) for i in range(len(CORPUS["settings"])) for j in range(len(CORPUS["intervals"]))]


@pytest.mark.parametrize("pair", CERTIFY, ids=lambda p: f"setting{p[0]}-interval{p[1]}")
def test_certify_setting_gives_the_cli_document(cli, pair):
    setting = CORPUS["settings"][pair[0]]
    iv = CORPUS["intervals"][pair[1]]
    out = cli.run("certify", *flags(setting), *spectrum_flags(iv), "--json")
    # the order-n optimizers too: a certificate for ademamix and aggmo, the same refusal for
    # the others
    try:
        got = momentum.certify_setting(spectrum_arg(iv), **setting)
    except ValueError as e:
        assert out.returncode in (1, 2) and out.stderr.strip() == f"error: {e}", (out.stderr, str(e))
        return
    assert out.returncode == 0, out.stderr
    assert got == json.loads(out.stdout)


def test_certify_setting_answers_in_three_zones():
    # heavy ball on F(0.1, 1), beta = 1/2: certified at a small step, a verified 3-cycle at
    # alpha = 2.7 (stable on every quadratic: alpha < 3), divergent on a quadratic past alpha = 3
    small = momentum.certify_setting((0.1, 1.0), method="hb", lr=1.0, momentum=0.5)
    assert small["verdict"] == "certified" and small["rate"] < 1
    cyc = momentum.certify_setting((0.1, 1.0), method="hb", lr=2.7, momentum=0.5)
    assert cyc["verdict"] == "counterexample" and cyc["quadratic_stable"]
    assert cyc["rate"] is None and cyc["counterexample"]["period"] == 3
    far = momentum.certify_setting((0.1, 1.0), method="hb", lr=3.2, momentum=0.5)
    assert far["verdict"] == "counterexample" and not far["quadratic_stable"]
