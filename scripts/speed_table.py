#!/usr/bin/env python3
"""The README's speed table: `momentum` beside its peers, measured side by side in one run.

    cargo build --release -p momentum-cli
    pip install ./python numpy numba            # into the Python that runs this script
    python3 scripts/speed_table.py              # writes scripts/speed_table.md
    python3 scripts/readme.py --lists           # splices it into README.md (<!-- gen:speed -->)

Rows (medians; the ratio is peer time / momentum time, > 1 means momentum is faster):
- Python `momentum.analyze` on 10⁶ eigenvalues vs NumPy's closed form (python/bench.py's
  `numpy_analyze`), both in this process, medians of --repeat calls after a warm-up;
- the map kernels on a 4096² grid (HB and NAG over [1, 100]) vs the Numba peer
  (../shared/peers/numba_map.py): `benches/peers.rs` (summary, and `--stored`, which keeps ρ and
  the regimes per cell) against numba_map.py's best steady-state call, alternated --runs times;
- `momentum analyze --spectrum H.npy` on dense_bench.py's 2000² float64 and 3000² float32
  Hessians against `numpy.linalg.eigvalsh` in a Python process (start-up and `import numpy`
  included, as a user runs it), whole-process CPU time, one thread each (RAYON_NUM_THREADS and
  OPENBLAS_NUM_THREADS = 1), medians of min(--runs, 3); the flat, saddle and positive counts are
  checked against NumPy's eigenvalues under the same rule;
- whole-process CPU time (user + system) of `tune --kappa 100`, `analyze` and
  `report --no-figures` (medians of --runs), and of `report` with every figure into a scratch
  directory (one run), no peer;
- PEP (heavy ball at Polyak's tuning, κ = 10, N = 10: `benches/pep.rs` vs PEPit + cvxpy +
  Clarabel, scripts/pep_reference.py) and the certified rate (Nesterov κ = 100: `benches/certify.rs`
  vs cvxpy + Clarabel, scripts/certify_bench.py), when `pepit`/`cvxpy` import and the `sdp`
  feature builds; otherwise the row says why it was skipped.

The last column is the target the row is held to (issue 29, and issue 16 for the summary
kernels); the table shows the measurement whether or not it meets it. The machine is shared:
the load average before and after and the date go under the table.
`--quick` runs fewer repeats (for trying the script, not for the README).
"""
import argparse
import datetime
import importlib.util
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from peers import cargo_executable, has_module, run_json  # noqa: E402


def median_call(f, repeat):
    f()  # warm-up
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def process_times(cmd, runs):
    """Medians of wall and CPU (user + system of the child) seconds of a whole process."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def fmt(seconds):
    if seconds != seconds:  # NaN: not measured
        return "—"
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def ratio(peer, ours):
    return "—" if peer != peer or ours != ours else f"{peer / ours:.2f}×"


NAN = float("nan")


def python_analyze(repeat):
    import numpy as np

    import momentum
    sys.path.insert(0, os.path.join(ROOT, "python"))
    from bench import numpy_analyze  # the NumPy closed form of python/bench.py

    lam = np.random.default_rng(0).uniform(0.0, 300.0, size=1_000_000)
    m = momentum.Method.heavy_ball(0.01, 0.9)
    ours = median_call(lambda: momentum.analyze(m, lam), repeat)
    peer = median_call(lambda: numpy_analyze(0.01, 0.9, 0.0, lam), repeat)
    return [("Python `analyze`, 10⁶ eigenvalues", ours, "NumPy closed form", peer, "≥ 2×")]


def maps(runs, repeat, peers):
    bench = cargo_executable(["bench", "--bench", "peers", "--no-run"])
    grid = ["--grid", "4096", "--mu", "1", "--L", "100", "--lr-max", "0.04"]
    numba = has_module("numba")
    rows = []
    for method in ["hb", "nag"]:
        t = {"numba": [], "summary": [], "stored": []}
        for _ in range(runs):
            if numba:
                r, _ = run_json([sys.executable, os.path.join(peers, "numba_map.py"), "--method", method,
                                 *grid, "--repeat", str(repeat)])
                t["numba"].append(r["seconds"])
            r, _ = run_json([bench, "--method", method, *grid, "--repeat", str(repeat)])
            t["summary"].append(r["seconds"])
            r, _ = run_json([bench, "--method", method, *grid, "--repeat", str(repeat), "--stored"])
            t["stored"].append(r["seconds"])
        peer = statistics.median(t["numba"]) if numba else NAN
        name = "Numba (`numba_map.py`)" if numba else "Numba (not installed)"
        for kind in ["summary", "stored"]:
            rows.append((f"{method.upper()} map 4096², {kind} kernel", statistics.median(t[kind]), name, peer,
                         "≥ 3×" if kind == "summary" else "≥ 2×"))
    return rows


def dense_spectrum(cli, runs):
    """dense_bench.py's protocol: whole processes on one thread each, CPU time (NumPy's process
    includes its start-up and `import numpy`, as a user runs it), and the counts checked."""
    import numpy as np
    from dense_bench import LR, MOMENTUM, counts, env_threads, matrix, run

    rows = []
    env = env_threads(1)
    with tempfile.TemporaryDirectory() as d:
        for n, dtype in [(2000, "float64"), (3000, "float32")]:
            path = os.path.join(d, f"h{n}_{dtype}.npy")
            h = matrix(n, dtype)
            np.save(path, h)
            flat, neg, pos, _ = counts(np.linalg.eigvalsh(h.astype(np.float64)), dtype)
            ours = [cli, "analyze", "--spectrum", path, "--method", "hb", "--lr", str(LR), "--momentum",
                    str(MOMENTUM), "--json"]
            peer = [sys.executable, "-c", "import sys, numpy as np; np.linalg.eigvalsh(np.load(sys.argv[1]))",
                    path]
            c_ours, _, out = run(ours, env, runs)
            c_np, _, _ = run(peer, env, runs)
            doc = json.loads(out)
            got = (doc["flat_directions"], len(doc["saddle_directions"]), doc["spectrum"]["count"])
            same = "counts = NumPy's" if got == (flat, neg, pos) else f"counts {got} ≠ NumPy's {(flat, neg, pos)}"
            rows.append((f"`analyze --spectrum`, {n}² {dtype} Hessian: process CPU, one thread ({same})",
                         c_ours, "`numpy.linalg.eigvalsh` (process)", c_np, "≥ 1.0×"))
    return rows


def commands(cli, runs):
    rows = []
    for label, args, target in [
        ("`tune --kappa 100`", ["tune", "--kappa", "100"], "≤ 50 ms"),
        ("`analyze` (one interval)", ["analyze", "--method", "nag", "--lr", "0.01", "--momentum", "0.9",
                                      "--mu", "1", "--L", "100"], "≤ 20 ms"),
        ("`report --no-figures`", ["report", "--no-figures"], "≤ 0.5 s"),
    ]:
        wall, cpu = process_times([cli, *args], runs)
        rows.append((f"{label}: whole process, CPU (wall {fmt(wall)})", cpu, "—", NAN, target))
    with tempfile.TemporaryDirectory() as d:  # every figure, into a scratch directory; one run
        wall, cpu = process_times([cli, "report", "--out-dir", d], 1)
    rows.append((f"`report` (every figure): whole process, CPU, one run (wall {fmt(wall)})", cpu, "—", NAN,
                 "≤ 6 s"))
    return rows


def divan_median(out, name, arg=None):
    """The median column of one divan row (`name` or its `arg` sub-row), in seconds."""
    units = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if re.search(rf"\b{name}\b", line):
            rest = lines[i:] if arg is None else [l for l in lines[i + 1:] if re.match(rf"[│├╰\s─]*{arg}\s", l)]
            for l in rest[:1]:
                cells = [c.strip() for c in l.split("│")]
                if len(cells) >= 4:
                    v, u = cells[3].split()
                    return float(v) * units[u]
    return NAN


def sdp_rows(python):
    rows = []
    env = dict(os.environ, OPENBLAS_NUM_THREADS=os.environ.get("OPENBLAS_NUM_THREADS", "1"))
    have = has_module("cvxpy") and has_module("clarabel")
    try:
        pep = subprocess.run(["cargo", "bench", "-q", "-p", "momentum", "--features", "sdp", "--bench", "pep"],
                             cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
        cert = subprocess.run(["cargo", "bench", "-q", "-p", "momentum", "--features", "sdp", "--bench",
                               "certify"], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as e:
        why = (e.stderr or "").strip().splitlines()[-1:] or ["?"]
        return [(f"PEP / certified rate: skipped (`--features sdp` did not build: {why[0][:60]})", NAN, "—", NAN,
                 "")]
    ours_pep = divan_median(pep, "pep_polyak_kappa_10", "10")
    ours_cert = divan_median(cert, "sdp_rate_nesterov_kappa100")
    peer_pep = peer_cert = NAN
    if have and has_module("PEPit"):
        out = subprocess.run([python, os.path.join(ROOT, "scripts", "pep_reference.py"), "--bench"], cwd=ROOT,
                             env=env, capture_output=True, text=True).stdout
        m = re.search(r"N=10\s+median\s+([\d.]+) ms", out)
        peer_pep = float(m.group(1)) * 1e-3 if m else NAN
    if have:
        out = subprocess.run([python, os.path.join(ROOT, "scripts", "certify_bench.py")], cwd=ROOT, env=env,
                             capture_output=True, text=True).stdout
        m = re.search(r"median ([\d.]+) ms per certified rate", out)
        peer_cert = float(m.group(1)) * 1e-3 if m else NAN
    rows.append(("PEP, heavy ball κ = 10, N = 10", ours_pep,
                 "PEPit + cvxpy + Clarabel" if peer_pep == peer_pep else "PEPit (not installed)", peer_pep,
                 "≥ 100×"))
    rows.append(("certified rate (IQC SDP), Nesterov κ = 100", ours_cert,
                 "cvxpy + Clarabel" if peer_cert == peer_cert else "cvxpy (not installed)", peer_cert, "—"))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="processes per row (medians)")
    ap.add_argument("--repeat", type=int, default=9, help="calls per in-process row (medians)")
    ap.add_argument("--quick", action="store_true", help="runs 2, repeat 3: to try the script")
    ap.add_argument("--no-sdp", action="store_true", help="skip the PEP and certified-rate rows")
    ap.add_argument("--out", default=os.path.join(ROOT, "scripts", "speed_table.md"))
    ap.add_argument("--peers", default=None)
    args = ap.parse_args()
    if args.quick:
        args.runs, args.repeat = 2, 3
    peers = args.peers or next((p for p in [os.path.join(ROOT, "..", "shared", "peers"), "/work/shared/peers"]
                                if os.path.isdir(p)), None)
    if peers is None:
        sys.exit("no peers directory: pass --peers DIR (holding numba_map.py)")
    if importlib.util.find_spec("momentum") is None or importlib.util.find_spec("numpy") is None:
        sys.exit("run with a Python that has the package and NumPy: pip install ./python numpy numba")
    load0 = os.getloadavg()
    cli = cargo_executable(["build", "--release", "-p", "momentum-cli"])
    rows = []
    rows += python_analyze(args.repeat)
    rows += maps(args.runs, min(args.repeat, 3), peers)
    rows += dense_spectrum(cli, min(args.runs, 3))
    rows += commands(cli, args.runs)
    if args.no_sdp:
        rows.append(("PEP / certified rate: skipped (--no-sdp)", NAN, "—", NAN, ""))
    else:
        rows += sdp_rows(sys.executable)
    load1 = os.getloadavg()
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["| | `momentum` | peer | peer time | peer / `momentum` | target |", "|---|---|---|---|---|---|"]
    for what, ours, peer, theirs, target in rows:
        lines.append(f"| {what} | {fmt(ours)} | {peer} | {fmt(theirs)} | {ratio(theirs, ours)} | {target} |")
    lines.append("")
    lines.append(f"Measured {when} by `scripts/speed_table.py` (medians of {args.runs} processes / "
                 f"{args.repeat} calls) on {os.cpu_count()} cores shared with other work: load average "
                 f"{load0[0]:.1f} before, {load1[0]:.1f} after. The ratios, measured in the same run, are "
                 f"what carries over; the times move with the load.")
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
