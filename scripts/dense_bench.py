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

Usage: python3 scripts/dense_bench.py [--bin target/release/momentum] [--runs 3] [--dir /tmp/dense]
                                      [--sizes 3000:float32,2000:float64] [--threads 1,2]
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    ap.add_argument("--bin", default=os.path.join(target, "release", "momentum"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/momentum-dense-bench")
    ap.add_argument("--sizes", default="3000:float32,2000:float64")
    ap.add_argument("--threads", default="1,2")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
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
