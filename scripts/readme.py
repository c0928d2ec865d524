#!/usr/bin/env python3
"""Regenerate README.md from scripts/README.template.md with real output of the release binary.

    cargo build --release && python3 scripts/readme.py
    python3 scripts/readme.py --lists    only the generated lists, in README.md itself (fast)
    python3 scripts/readme.py --check    fail if README.md's generated lists are stale (.ci/run)
    (MOMENTUM_BIN=path/to/momentum picks another binary; by default the release one, else debug)

@@RUN args   -> stdout of `momentum args`
@@ERR args   -> "    " + stderr of `momentum args` (one line)
@@JSON args  -> the JSON document, curvatures cut to one and bulky fields dropped
@@EXAMPLE name -> stdout of `cargo run --release --example name` (paths relative to the repository)

Between `<!-- gen:NAME -->` and `<!-- /gen:NAME -->` (kept in README.md, invisible on the page)
the lists that would drift if written by hand, taken from the code:
  subcommands  the commands of `momentum --help`, and which of them take --json
  layout       the workspace members (Cargo.toml) with their package names and descriptions
  claims       the number of claim checks (the rows of CLAIMS.md's table)
"""
import argparse
import json
import os
import pathlib
import re
import shlex
import subprocess
import sys
import tomllib

root = pathlib.Path(__file__).resolve().parent.parent
target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", root / "target"))
if "MOMENTUM_BIN" in os.environ:
    binary = pathlib.Path(os.environ["MOMENTUM_BIN"])
else:
    binary = next((target / p / "momentum" for p in ("release", "debug")
                   if (target / p / "momentum").exists()), target / "release" / "momentum")


def run(args):
    return subprocess.run([str(binary), *shlex.split(args)], capture_output=True, text=True)


def subcommands():
    """A bullet per subcommand of `momentum --help`, then which ones take --json."""
    help_text = run("--help").stdout
    if "Commands:" not in help_text:
        sys.exit(f"{binary} --help printed no command list: build it first (cargo build -p momentum-cli)")
    section = help_text.split("Commands:", 1)[1].split("\n\n", 1)[0]
    commands = []
    for line in section.splitlines():
        m = re.match(r"\s{2}(\S+)\s+(.*)", line)
        if m:
            if m.group(1) != "help":
                commands.append((m.group(1), m.group(2).strip()))
        elif commands and line.strip():  # a description clap wrapped onto the next line
            commands[-1] = (commands[-1][0], commands[-1][1] + " " + line.strip())
    lines = [f"- `{name}`: {what}" for name, what in commands]
    plain = [name for name, _ in commands if "--json" not in run(f"{name} --help").stdout]
    names = [f"`{n}`" for n in plain]
    but = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    lines += ["", f"Each has `--help`; every one but {but} takes `--json`." if plain
              else "Each has `--help` and takes `--json`."]
    return "\n".join(lines)


def layout():
    """The workspace members as a table: folder, package, description."""
    ws = tomllib.loads((root / "Cargo.toml").read_text())
    rows = ["| folder | package | what |", "|---|---|---|"]
    for member in ws["workspace"]["members"]:
        manifest = tomllib.loads((root / member / "Cargo.toml").read_text())
        package = manifest["package"]
        if member == ".":
            folders = [f"`{d}/`" for d in ("src", "tests", "examples", "benches") if (root / d).is_dir()]
        else:
            folders = [f"`{member}/`"]
        rows.append(f"| {', '.join(folders)} | `{package['name']}` | {package.get('description', '')} |")
    return "\n".join(rows)


def claims():
    """The number of claim checks: the rows `| **Cnn** …` of CLAIMS.md's table."""
    return str(len(re.findall(r"^\| \*\*C\d", (root / "CLAIMS.md").read_text(), re.M)))


GEN = re.compile(r"<!-- gen:(\w+) -->(.*?)<!-- /gen:\1 -->", re.S)


def fill(text, lists):
    def one(m):
        name = m.group(1)
        if name not in lists:
            sys.exit(f"unknown generated list gen:{name}")
        body = lists[name]
        inner = f"\n{body}\n" if "\n" in m.group(2) or "\n" in body else body
        return f"<!-- gen:{name} -->{inner}<!-- /gen:{name} -->"
    return GEN.sub(one, text)


ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
mode = ap.add_mutually_exclusive_group()
mode.add_argument("--lists", action="store_true", help="update only the generated lists in README.md")
mode.add_argument("--check", action="store_true", help="fail if README.md's generated lists are stale")
args = ap.parse_args()
lists = {"subcommands": subcommands(), "layout": layout(), "claims": claims()}
readme = root / "README.md"

if args.lists or args.check:
    now = readme.read_text()
    new = fill(now, lists)
    if args.check:
        if new != now:
            sys.exit("README.md's generated lists are stale: run python3 scripts/readme.py --lists")
        print(f"README.md lists up to date ({', '.join(sorted(lists))})")
    else:
        readme.write_text(new)
    sys.exit(0)

out = []
for line in fill((root / "scripts" / "README.template.md").read_text(), lists).split("\n"):
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
readme.write_text("\n".join(out))
