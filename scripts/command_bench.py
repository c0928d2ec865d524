#!/usr/bin/env python3
"""Whole-process times of the everyday commands (issue 29, "commands that feel instant").

Each command is run --runs times as a child process of this script; the CPU time (user + sys of
the child, from os.wait4's rusage) and the wall time are recorded and their medians printed
next to the issue's target (the target is on CPU time). The load average before and after the
runs is printed too: on a shared machine the wall times move with it, the CPU times much less.

    python3 scripts/command_bench.py                      # all commands, 5 runs each
    python3 scripts/command_bench.py --runs 7 --only tune,analyze
    python3 scripts/command_bench.py --bin /tmp/old/momentum   # another build, same table

The binary is --bin, else $CARGO_TARGET_DIR/release/momentum (else target/release/momentum);
build it first with `cargo build --release -p momentum-cli`. `report` (with figures) writes its
PNGs into a temporary directory that is removed afterwards. No speed is asserted: this script
only measures.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_bin():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "momentum")


def run_once(cmd):
    """(cpu seconds, wall seconds, exit code) of one child process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return ru.ru_utime + ru.ru_stime, wall, p.returncode


def fmt(seconds):
    return f"{seconds * 1e3:9.1f} ms" if seconds < 1.0 else f"{seconds:9.2f} s "


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=default_bin(), help="the momentum executable")
    ap.add_argument("--runs", type=int, default=5, help="runs per command (median of them)")
    ap.add_argument("--only", default="", help="comma-separated names of the rows to run")
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"no executable at {args.bin}: cargo build --release -p momentum-cli first")

    tmp = tempfile.mkdtemp(prefix="momentum-bench-")
    spectrum = os.path.join(tmp, "spectrum.txt")
    with open(spectrum, "w") as f:
        # a small spectrum file: 50 curvatures from 0.01 to 1
        f.write("\n".join(f"{0.01 * 100 ** (i / 49):.17g}" for i in range(50)) + "\n")
    figures = os.path.join(tmp, "figures")

    b = args.bin
    # (name, command, target CPU seconds)
    rows = [
        ("tune", [b, "tune", "--kappa", "100"], 0.050),
        ("tune-json", [b, "tune", "--kappa", "100", "--json"], 0.050),
        ("analyze-kappa", [b, "analyze", "--kappa", "100", "--lr", "1", "--momentum", "0.8"], 0.020),
        ("analyze-mu-L", [b, "analyze", "--mu", "0.1", "--L", "10", "--lr", "0.1", "--momentum", "0.9"], 0.020),
        ("analyze-spectrum", [b, "analyze", "--spectrum", spectrum, "--lr", "1", "--momentum", "0.9"], 0.020),
        ("analyze-pytorch", [b, "analyze", "--kappa", "100", "--convention", "pytorch", "--lr", "0.5",
                             "--momentum", "0.9", "--nesterov"], 0.020),
        ("report-no-figures", [b, "report", "--no-figures"], 0.5),
        ("report", [b, "report", "--out-dir", figures], 6.0),
    ]
    only = {x for x in args.only.split(",") if x}
    if only:
        unknown = only - {r[0] for r in rows}
        if unknown:
            shutil.rmtree(tmp)
            sys.exit(f"unknown rows {sorted(unknown)}; the rows are {', '.join(r[0] for r in rows)}")
        rows = [r for r in rows if r[0] in only]

    print(f"binary: {b}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  "
          f"(cores: {os.cpu_count()})")
    print(f"{'command':<19} {'CPU median':>12} {'wall median':>12} {'CPU min':>12} {'target CPU':>12}")
    try:
        for name, cmd, target in rows:
            cpu, wall = [], []
            for _ in range(args.runs):
                c, w, rc = run_once(cmd)
                if rc != 0:
                    sys.exit(f"{name}: exit code {rc}: {' '.join(cmd)}")
                cpu.append(c)
                wall.append(w)
            mark = "ok" if statistics.median(cpu) <= target else "over"
            print(f"{name:<19} {fmt(statistics.median(cpu)):>12} {fmt(statistics.median(wall)):>12} "
                  f"{fmt(min(cpu)):>12} {fmt(target):>12}  {mark}", flush=True)
    finally:
        shutil.rmtree(tmp)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"runs per command: {args.runs}; CPU = user + sys of the child process")


if __name__ == "__main__":
    main()
