#!/usr/bin/env python3
"""Side by side: the map kernel against the Numba and NumPy peers, on the same grid.

Kernel vs kernel: `numba_map.py` (a @njit(parallel=True) double loop, timed by itself: one
compiling call, then the best of --repeat calls, filling a preallocated ρ array) and
`benches/peers.rs` (the same protocol for `map::summary`, and for `StabilityMap::recompute` into
a preallocated map, which stores ρ and the regimes), run back to back --runs times each,
interleaved; the medians and their ratios are printed, with `StabilityMap::compute`'s time
including its fresh buffer ("stored, fresh"). Arithmetic limit: `benches/peers.rs --limit`
measures the double-precision square roots per second of this CPU's widest vector unit on all
threads; a stored map takes one root per cell on AVX-512 (two in the other copies and in the
cells its proofs leave to the two-root loop), a summary two per stable cell (Nesterov,
lookahead) or one per cell before the row's unstable cut-off (heavy ball, gradient descent),
and the time of those roots at that rate is printed next to the kernel's. Process vs process: wall time of whole processes,
`numpy_map.py --repeat 1`, `numba_map.py --repeat 1` (compilation included) and
`momentum map --json`, medians of --runs. Stable fraction and checksum are compared across all.

    python3 scripts/peers.py                 # HB and NAG at 4096², 5 runs each
    python3 scripts/peers.py --runs 7 --no-numpy --methods hb

Needs numpy (and numba for the Numba rows: `pip install numpy numba`). The peers are read from
--peers (default: ../shared/peers next to the repository, else /work/shared/peers).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cargo_executable(args):
    """Build with cargo and return the path of the executable it reports."""
    out = subprocess.run(["cargo", *args, "--message-format=json-render-diagnostics"], cwd=ROOT,
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    exes = [m["executable"] for m in map(json.loads, out.splitlines())
            if m.get("reason") == "compiler-artifact" and m.get("executable")]
    return exes[-1]


def run_json(cmd):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    wall = time.perf_counter() - t0
    return json.loads(out.strip().splitlines()[-1]), wall


def has_module(name):
    return subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True).returncode == 0


def ms(xs):
    return f"{1e3 * statistics.median(xs):8.1f} ms  (min {1e3 * min(xs):.1f}, max {1e3 * max(xs):.1f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--methods", default="hb,nag")
    ap.add_argument("--grid", type=int, default=4096)
    ap.add_argument("--mu", type=float, default=1.0)
    ap.add_argument("--L", type=float, default=100.0)
    ap.add_argument("--lr-max", type=float, default=0.04)
    ap.add_argument("--runs", type=int, default=5, help="processes per row (medians over them)")
    ap.add_argument("--repeat", type=int, default=3, help="timed calls per kernel process (best)")
    ap.add_argument("--no-numpy", action="store_true", help="skip the NumPy process rows (~3 s each)")
    ap.add_argument("--no-stored", action="store_true", help="skip the stored-map kernel rows")
    ap.add_argument("--peers", default=None)
    args = ap.parse_args()
    if args.runs < 5:
        print("note: fewer than 5 runs; medians are less reliable", file=sys.stderr)
    peers = args.peers or next((p for p in [os.path.join(ROOT, "..", "shared", "peers"),
                                            "/work/shared/peers"] if os.path.isdir(p)), None)
    if peers is None:
        sys.exit("no peers directory: pass --peers DIR (holding numpy_map.py, numba_map.py)")
    numba = has_module("numba")
    numpy = not args.no_numpy and has_module("numpy")
    if not numba:
        print("numba is not importable: no Numba rows (pip install numba)", file=sys.stderr)
    bench = cargo_executable(["bench", "--bench", "peers", "--no-run"])
    cli = cargo_executable(["build", "--release", "-p", "momentum-cli"])
    grid = ["--grid", str(args.grid), "--mu", str(args.mu), "--L", str(args.L),
            "--lr-max", str(args.lr_max)]
    print(f"{args.grid}² map over [{args.mu}, {args.L}], lr-max {args.lr_max}, {os.cpu_count()} CPUs, "
          f"medians of {args.runs} processes (kernel rows: best of {args.repeat} calls each)")
    for method in args.methods.split(","):
        k = {"numba": [], "summary": [], "stored": [], "stored, fresh": []}
        roots = []
        p = {"numpy": [], "numba": [], "momentum map": []}
        results = {}
        for _ in range(args.runs):
            if numba:
                r, _ = run_json([sys.executable, os.path.join(peers, "numba_map.py"), "--method", method,
                                 *grid, "--repeat", str(args.repeat)])
                k["numba"].append(r["seconds"])
                results["numba"] = r
            r, _ = run_json([bench, "--method", method, *grid, "--repeat", str(args.repeat)])
            k["summary"].append(r["seconds"])
            results["kernel summary"] = r
            if not args.no_stored:
                r, _ = run_json([bench, "--method", method, *grid, "--repeat", str(args.repeat), "--stored"])
                k["stored"].append(r["seconds"])
                k["stored, fresh"].append(r["fresh_seconds"])
                results["kernel stored"] = r
            r, _ = run_json([bench, "--limit", "--repeat", str(args.repeat)])
            roots.append(r["roots_per_second"])
            copy = r["copy"]
            # whole processes
            r, wall = run_json([cli, "map", "--method", method, *grid, "--json", "--quiet"])
            p["momentum map"].append(wall)
            results["momentum map"] = r
            if numba:
                _, wall = run_json([sys.executable, os.path.join(peers, "numba_map.py"), "--method", method,
                                    *grid, "--repeat", "1"])
                p["numba"].append(wall)
            if numpy:
                r, wall = run_json([sys.executable, os.path.join(peers, "numpy_map.py"), "--method", method,
                                    *grid, "--repeat", "1"])
                p["numpy"].append(wall)
                results["numpy"] = r
        print(f"\n== {method} ==")
        print("kernel (steady state):")
        for name, xs in k.items():
            if xs:
                print(f"  {name:<16}{ms(xs)}")
        if k["numba"]:
            print(f"  ratio numba / summary kernel: {statistics.median(k['numba']) / statistics.median(k['summary']):.2f}")
            if k["stored"]:
                print(f"  ratio numba / stored kernel:  {statistics.median(k['numba']) / statistics.median(k['stored']):.2f}")
        rate = statistics.median(roots)
        stable = results["kernel summary"]["stable_cells"]
        print(f"arithmetic limit ({copy}, all threads): {rate / 1e6:.0f} M double roots/s (median)")
        # the summary takes one root per computed heavy-ball cell and two per cell otherwise;
        # any exact kernel needs at least the stable cells' ρ: both bounds are printed
        for name, per, need in [("summary", "2 per stable cell", 2 * stable),
                                ("summary", "1 per stable cell", stable),
                                ("stored", "1 per cell", args.grid ** 2)]:
            if k[name]:
                lim = need / rate
                print(f"  {name:<8} {per:<18} {need / 1e6:6.1f} M roots -> {1e3 * lim:6.1f} ms; "
                      f"kernel at {statistics.median(k[name]) / lim:.2f}x that")
        print("whole process (wall):")
        for name, xs in p.items():
            if xs:
                print(f"  {name:<16}{ms(xs)}")
        for name in ["numpy", "numba"]:
            if p[name]:
                print(f"  ratio {name} / momentum map: "
                      f"{statistics.median(p[name]) / statistics.median(p['momentum map']):.1f}")
        print("stable fraction, checksum:")
        for name, r in results.items():
            print(f"  {name:<16}{r['stable_fraction']!r:<22}{r['checksum']!r}")
        ref = results.get("numpy")
        if ref:
            for name, r in results.items():
                same = r["stable_fraction"] == ref["stable_fraction"]
                rel = abs(r["checksum"] - ref["checksum"]) / abs(ref["checksum"])
                print(f"  {name:<16}vs numpy: stable fraction {'equal' if same else 'DIFFERS'}, "
                      f"checksum relative difference {rel:.1e}")


if __name__ == "__main__":
    main()
