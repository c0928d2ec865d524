#!/usr/bin/env python3
"""Dense Hessians: `momentum analyze --spectrum H.npy` against NumPy's `eigvalsh`, whole processes.

Generates seeded matrices with `np.save` (a 3000x3000 float32 Hessian-like matrix and a 2000x2000
float64 one: a Wishart part with a null space plus a few negative directions), then times, for 1
and 2 threads,

* `momentum analyze --spectrum H.npy --method hb --lr LR --momentum 0.9 --json` with
  RAYON_NUM_THREADS=t (faer's threads are the rayon pool's), and
* `python -c "np.linalg.eigvalsh(np.load(H))"` with OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=t
  (interpreter start-up and `import numpy` included, as a user runs it; the start-up alone is
  timed too and printed),

as medians of --runs runs of CPU time (user + sys of the child) and wall time, and prints a table,
the ratio ours/NumPy, and the load (`os.getloadavg`) before and after. It also checks that the
verdict and the counts (flat, saddle, positive) agree with the ones NumPy's eigenvalues give under
the same rule (flat when |lambda| <= n * eps * max|lambda|, eps of the file's dtype).

With --compare OLD_BIN it times nothing and instead runs OLD_BIN and --bin on small files of every
kind (random, clustered, a null space with saddles in float64 and float32, a JSON matrix, a
PyHessian top-k list) under four settings, and checks that the JSON documents agree but for the
rounding of the eigenvalues (every number, also inside the notes, within 1e-9 of itself or, for
the eigenvalues of a null space, of max|λ|).

Usage: python3 scripts/dense_bench.py [--bin target/release/momentum] [--runs 3] [--dir /tmp/dense]
                                      [--sizes 3000:float32,2000:float64] [--threads 1,2]
       python3 scripts/dense_bench.py --compare OLD_BIN [--bin NEW_BIN]
Needs numpy (`pip install numpy`).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

LR, MOMENTUM = 0.01, 0.9


def matrix(n: int, dtype: str, seed: int = 29) -> np.ndarray:
    """A Hessian-like symmetric matrix: G Gᵀ/m of rank m = 3n/4 (a null space of n/4 flat
    directions), scaled to a top curvature near 100, plus 5 negative (saddle) directions."""
    rng = np.random.default_rng(seed)
    m = 3 * n // 4
    g = rng.standard_normal((n, m))
    h = g @ g.T / m
    v = rng.standard_normal((n, 5))
    v, _ = np.linalg.qr(v)
    h -= v @ np.diag([0.5, 0.2, 0.1, 0.05, 0.01]) @ v.T
    h *= 100.0 / 4.0
    h = (h + h.T) / 2
    return h.astype(dtype)


def timed(cmd: list[str], env: dict) -> tuple[float, bytes]:
    """(wall seconds, stdout) of one run; its CPU time is read by the caller."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {err.decode()}")
    return wall, out


def run(cmd: list[str], env: dict, runs: int) -> tuple[float, float, bytes]:
    """Medians of CPU (RUSAGE_CHILDREN deltas: user + sys of the child) and wall over `runs`."""
    import resource

    cpus, walls, out = [], [], b""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, out = timed(cmd, env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        walls.append(wall)
    return statistics.median(cpus), statistics.median(walls), out


def env_threads(t: int) -> dict:
    env = dict(os.environ)
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
        env[k] = str(t)
    return env


def counts(eig: np.ndarray, dtype: str) -> tuple[int, int, int, float]:
    """(flat, saddle, positive, tolerance) by the rule momentum applies."""
    eps = np.finfo(dtype).eps
    tol = len(eig) * float(eps) * float(np.max(np.abs(eig)))
    flat = int(np.sum(np.abs(eig) <= tol))
    neg = int(np.sum(eig < -tol))
    return flat, neg, len(eig) - flat - neg, tol


def compare_cases(d: str) -> list[str]:
    """Small files of every kind for --compare: random, clustered, indefinite with a null space
    (float64 and float32), a JSON matrix and a PyHessian-like top-k JSON list."""
    rng = np.random.default_rng(7)
    n = 400
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    a = rng.standard_normal((n, n))
    files = {
        "random.npy": (a + a.T) / 2,
        "clustered.npy": q @ np.diag(np.repeat([0.5, 2.0, 2.0 + 1e-9, 30.0], n // 4)) @ q.T,
        "null_saddles.npy": q @ np.diag(np.r_[np.zeros(100), -np.linspace(0.1, 1, 20),
                                              np.linspace(0.5, 35, n - 120)]) @ q.T,
    }
    files["null_saddles_f32.npy"] = files["null_saddles.npy"].astype(np.float32)
    paths = []
    for name, h in files.items():
        path = os.path.join(d, name)
        np.save(path, (h + h.T) / 2 if h.dtype == np.float64 else h)
        paths.append(path)
    small = q[:60, :60] @ np.diag(np.linspace(-1, 20, 60)) @ q[:60, :60].T
    path = os.path.join(d, "matrix.json")
    with open(path, "w") as f:
        json.dump(((small + small.T) / 2).tolist(), f)
    paths.append(path)
    path = os.path.join(d, "pyhessian.json")
    with open(path, "w") as f:
        json.dump({"eigenvalues": [312.5, 41.2, 9.87, 3.3, 1.02]}, f)
    paths.append(path)
    return paths


def same(x, y, rel: float, floor: float, where: str = "") -> list[str]:
    """Where two JSON documents differ (numbers, also inside strings) by more than `rel` of the
    number or `floor` (the rounding of an eigenvalue that is zero but for rounding, e.g. a null
    space's ±3e-14: relative to max|λ|, not to itself)."""
    import re

    if isinstance(x, dict) and isinstance(y, dict):
        if x.keys() != y.keys():
            return [f"{where}: keys {sorted(x)} != {sorted(y)}"]
        return [m for k in x for m in same(x[k], y[k], rel, floor, f"{where}.{k}")]
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            return [f"{where}: {len(x)} != {len(y)} entries"]
        return [m for i, (u, v) in enumerate(zip(x, y))
                for m in same(u, v, rel, floor, f"{where}[{i}]")]
    if isinstance(x, float) and isinstance(y, (int, float)) and not isinstance(y, bool):
        ok = abs(x - y) <= max(rel * max(abs(x), abs(y)), floor)
        return [] if ok else [f"{where}: {x} != {y}"]
    if isinstance(x, str) and isinstance(y, str):
        num = r"-?\d+\.?\d*(?:e-?\d+)?"
        if re.sub(num, "#", x) != re.sub(num, "#", y):
            return [f"{where}: {x!r} != {y!r}"]
        pairs = zip(re.findall(num, x), re.findall(num, y))
        return [m for a, b in pairs for m in same(float(a), float(b), rel, floor, where)]
    return [] if x == y else [f"{where}: {x!r} != {y!r}"]


def compare(old: str, new: str, d: str) -> None:
    """Old and new binaries on the same files and settings: the same JSON but for the rounding
    of the eigenvalues (each number within 1e-9 of itself, or of max|λ| for a null space's)."""
    settings = [["--method", "hb", "--lr", "0.05", "--momentum", "0.9"],
                ["--method", "hb", "--lr", "0.06", "--momentum", "0.9"],
                ["--method", "nesterov", "--lr", "0.02", "--momentum", "0.95"],
                ["--convention", "pytorch", "--lr", "0.01", "--momentum", "0.9",
                 "--weight-decay", "0.01"]]
    bad = 0
    for path in compare_cases(d):
        for s in settings:
            outs = []
            for b in (old, new):
                p = subprocess.run([b, "analyze", "--spectrum", path, *s, "--json"],
                                   capture_output=True, text=True)
                outs.append((p.returncode, p.stdout, p.stderr))
            (r0, o0, e0), (r1, o1, e1) = outs
            diffs = [f"exit {r0} != {r1}"] if r0 != r1 else []
            if r0 == 0 and r1 == 0:
                d0 = json.loads(o0)
                scale = max(abs(d0["spectrum"]["min"]), abs(d0["spectrum"]["max"]))
                diffs += same(d0, json.loads(o1), 1e-9, 1e-9 * scale)
            elif e0 != e1:
                diffs.append(f"stderr {e0!r} != {e1!r}")
            doc = json.loads(o1) if r1 == 0 else {}
            print(f"{os.path.basename(path):>22} {' '.join(s):<60} "
                  f"stable={doc.get('stable')} flat={doc.get('flat_directions')} "
                  f"saddles={len(doc.get('saddle_directions', []))} "
                  f"{'same' if not diffs else 'DIFFERENT: ' + '; '.join(diffs[:3])}")
            bad += bool(diffs)
    if bad:
        sys.exit(f"{bad} documents differ beyond rounding")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    ap.add_argument("--bin", default=os.path.join(target, "release", "momentum"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/momentum-dense-bench")
    ap.add_argument("--sizes", default="3000:float32,2000:float64")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--compare", metavar="OLD_BIN",
                    help="instead of timing: compare this binary's JSON with --bin's on small files")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    if a.compare:
        compare(a.compare, a.bin, a.dir)
        return
    cases = [(int(s.split(":")[0]), s.split(":")[1]) for s in a.sizes.split(",")]
    threads = [int(t) for t in a.threads.split(",")]
    print(f"load before: {os.getloadavg()}  cpus: {os.cpu_count()}  numpy {np.__version__}")
    rows = []
    for n, dtype in cases:
        path = os.path.join(a.dir, f"h{n}_{dtype}.npy")
        if not os.path.exists(path):
            np.save(path, matrix(n, dtype))
        h = np.load(path)
        ref = np.linalg.eigvalsh(h.astype(np.float64))
        flat, neg, pos, tol = counts(ref, dtype)
        for t in threads:
            env = env_threads(t)
            ours = [a.bin, "analyze", "--spectrum", path, "--method", "hb", "--lr", str(LR),
                    "--momentum", str(MOMENTUM), "--json"]
            np_cmd = [sys.executable, "-c",
                      "import sys, numpy as np; np.linalg.eigvalsh(np.load(sys.argv[1]))", path]
            start = [sys.executable, "-c", "import numpy"]
            c_ours, w_ours, out = run(ours, env, a.runs)
            c_np, w_np, _ = run(np_cmd, env, a.runs)
            c_0, w_0, _ = run(start, env, a.runs)
            doc = json.loads(out)
            got = (doc["flat_directions"], len(doc["saddle_directions"]), doc["spectrum"]["count"])
            agree = got == (flat, neg, pos)
            rows.append((n, dtype, t, c_ours, w_ours, c_np, w_np, c_0, got, (flat, neg, pos),
                         agree, doc["stable"]))
    print()
    print(f"{'matrix':>16} {'thr':>3} | {'momentum cpu':>12} {'wall':>6} | {'numpy cpu':>9} "
          f"{'wall':>6} (import {'cpu':>4}) | {'cpu ratio':>9} {'wall ratio':>10} | counts (flat, saddle, positive)")
    for n, dtype, t, co, wo, cn, wn, c0, got, want, agree, stable in rows:
        print(f"{n}x{n} {dtype:>7} {t:>3} | {co:>12.2f} {wo:>6.2f} | {cn:>9.2f} {wn:>6.2f} "
              f"({c0:>10.2f}) | {co / cn:>9.2f} {wo / wn:>10.2f} | {got} "
              f"{'= numpy' if agree else '!= numpy ' + str(want)}; stable={stable}")
    print(f"\nload after: {os.getloadavg()}  (medians of {a.runs} runs; CPU = user + sys of the process)")
    if not all(r[10] for r in rows):
        sys.exit("counts differ from NumPy's")


if __name__ == "__main__":
    main()
