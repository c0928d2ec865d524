"""Shared fixtures: the `momentum` CLI binary (for the `--json` cross-checks) and a seeded RNG.

The CLI is found through MOMENTUM_BIN, else in the workspace's target/{release,debug} (or
$CARGO_TARGET_DIR). .ci/run builds it and sets MOMENTUM_BIN; tests that need it are skipped with
the reason when it is absent.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _find_cli() -> pathlib.Path | None:
    env = os.environ.get("MOMENTUM_BIN")
    if env:
        return pathlib.Path(env)
    targets = [ROOT / "target"]
    if os.environ.get("CARGO_TARGET_DIR"):
        targets.insert(0, pathlib.Path(os.environ["CARGO_TARGET_DIR"]))
    for t in targets:
        for profile in ("release", "debug"):
            p = t / profile / "momentum"
            if p.is_file():
                return p
    return None


class Cli:
    def __init__(self, path: pathlib.Path):
        self.path = path

    def run(self, *args: object) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.path), *map(str, args)], capture_output=True, text=True, timeout=300
        )

    def json(self, *args: object) -> dict:
        r = self.run(*args, "--json")
        assert r.returncode == 0, f"momentum {' '.join(map(str, args))}: {r.stderr}"
        doc = json.loads(r.stdout)
        assert doc["schema"] == "momentum/1"
        return doc


@pytest.fixture(scope="session")
def cli() -> Cli:
    path = _find_cli()
    if path is None or not path.is_file():
        pytest.skip(
            "the momentum CLI binary is absent: build it (cargo build -p momentum-cli) or set "
            f"MOMENTUM_BIN (looked for {os.environ.get('MOMENTUM_BIN') or ROOT / 'target/{release,debug}/momentum'})"
        )
    return Cli(path)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261130)
