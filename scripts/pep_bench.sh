#!/bin/sh
# PEP speed, both sides on the same inputs (heavy ball at Polyak's tuning for [1, 10], N = 1, 5, 10;
# medians of 15 Rust / 15, 15, 9 Python solves): momentum::pep, then PEPit + cvxpy + Clarabel.
#   scripts/pep_bench.sh [python]   python: a venv with `pip install pepit cvxpy clarabel`
#                                   (default /tmp/pepvenv/bin/python); needs libopenblas-dev
# Both sides use OpenBLAS (system / scipy's); its threads only add contention on these tiny
# matrices, so BLAS runs single-threaded unless OPENBLAS_NUM_THREADS is set.
set -e
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
PY=${1:-/tmp/pepvenv/bin/python}
uptime
cargo bench -q -p momentum --features sdp --bench pep
"$PY" scripts/pep_reference.py --bench
uptime
