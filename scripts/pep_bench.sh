#!/bin/sh
# PEP speed, both sides on the same inputs (heavy ball at Polyak's tuning for [1, 10], N = 1, 5, 10;
# medians of 15 Rust / 15, 15, 9 Python solves): momentum::pep, then PEPit + cvxpy + Clarabel,
# wall time (divan) and CPU time (PEP_BENCH_CPU; Python's process_time), `rounds` times in turn.
#   scripts/pep_bench.sh [python] [rounds]   python: a venv with `pip install pepit cvxpy clarabel`
#                                            (default /tmp/pepvenv/bin/python); needs libopenblas-dev
# Both sides use OpenBLAS (system / scipy's); its threads only add contention on these tiny
# matrices, so BLAS runs single-threaded unless OPENBLAS_NUM_THREADS is set. On a shared machine
# the wall times move with the load (printed by uptime); the CPU times much less.
set -e
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
PY=${1:-/tmp/pepvenv/bin/python}
ROUNDS=${2:-1}
for _ in $(seq "$ROUNDS"); do
    uptime
    cargo bench -q -p momentum --features sdp --bench pep
    PEP_BENCH_CPU=1 cargo bench -q -p momentum --features sdp --bench pep
    "$PY" scripts/pep_reference.py --bench
done
uptime
