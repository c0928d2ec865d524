#!/usr/bin/env python3
"""Regenerate README.md from scripts/README.template.md with real output of the release binary.

    cargo build --release && python3 scripts/readme.py
    (MOMENTUM_BIN=path/to/momentum picks another binary)

@@RUN args   -> stdout of `momentum args`
@@ERR args   -> "    " + stderr of `momentum args` (one line)
@@JSON args  -> the JSON document, curvatures cut to one and bulky fields dropped
@@EXAMPLE name -> stdout of `cargo run --release --example name` (paths relative to the repository)
"""
import json
import os
import pathlib
import shlex
import subprocess

root = pathlib.Path(__file__).resolve().parent.parent
binary = pathlib.Path(os.environ.get("MOMENTUM_BIN", root / "target" / "release" / "momentum"))


def run(args):
    return subprocess.run([str(binary), *shlex.split(args)], capture_output=True, text=True)


out = []
for line in (root / "scripts" / "README.template.md").read_text().split("\n"):
    if line.startswith("@@RUN "):
        out.append(run(line[6:]).stdout.rstrip("\n"))
    elif line.startswith("@@EXAMPLE "):
        ex = subprocess.run(["cargo", "run", "-q", "--release", "--example", line[10:].strip()],
                            cwd=root, capture_output=True, text=True)
        out.append(ex.stdout.rstrip("\n").replace(str(root) + "/", ""))
    elif line.startswith("@@ERR "):
        out.append("    " + run(line[6:]).stderr.strip())
    elif line.startswith("@@JSON "):
        d = json.loads(run(line[7:]).stdout)
        d["curvatures"] = d["curvatures"][:1]
        for k in ("framework_method", "spectrum", "notes", "weight_decay"):
            d.pop(k, None)
        out.append(json.dumps(d, indent=1, ensure_ascii=False))
    else:
        out.append(line)
(root / "README.md").write_text("\n".join(out))
