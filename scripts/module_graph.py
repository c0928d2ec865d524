#!/usr/bin/env python3
"""Print a crate's module import graph and fail on a cycle.

    python3 scripts/module_graph.py                           the library (src/)
    python3 scripts/module_graph.py --root cli/src --strict   the CLI (both run by .ci/run)

Nodes are the modules under the root (a file, or a folder's mod.rs and its files as one node per
file: tune/search.rs is `tune::search`); lib.rs is the crate root and main.rs (a separate binary
crate) is left out. An edge A -> B is, in A's code:
- a `crate::B...` path (`crate::` is the crate under the root), or a `super::B` path, relative to
  A (inside an inline `mod tests { ... }`, `super::` is the file's own module);
- a path `b::...` to a child module `b` that A declares with `mod b;` (a folder using its files);
- a path to an item of an ancestor (`super::CliResult` in commands/analyze.rs is commands).
Comments and doc comments are ignored (links are not imports), and so are the `pub use`
re-exports of a folder's mod.rs: they name what the folder offers, not what it needs.

By default a folder's mod.rs and its files are one unit towards the outside (the library's rule,
docs/DESIGN.md: `io::json` may call a private helper of `io` while `io` calls `io::json`): an
edge between a module and its own ancestor never closes a cycle. With --strict the mod.rs is a
node like any other, so a file may use its folder's shared items only if that mod.rs does not use
the file back (the CLI: commands/mod.rs dispatches to every subcommand, which therefore take
what they share from commands::common, not from commands).
"""
import argparse
import pathlib
import re
import sys

repo = pathlib.Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--root", default="src", help="source root, relative to the repository (default: src)")
ap.add_argument("--strict", action="store_true",
                help="edges between a folder's mod.rs and its files count like any other")
args = ap.parse_args()
src = (repo / args.root).resolve()
if not (src / "lib.rs").exists():
    sys.exit(f"{src}: no lib.rs")

nodes = {}
for f in sorted(src.rglob("*.rs")):
    rel = f.relative_to(src).with_suffix("")
    if rel.parts in (("main",),) or rel.parts[0] == "bin":
        continue  # a binary is its own crate
    parts = [p for p in rel.parts if p not in ("mod", "lib")]
    nodes["::".join(parts) or "crate"] = f


def resolve(path):
    """The longest known module that prefixes `path` (a::b::C -> a::b if a::b is a node)."""
    parts = [p for p in path.split("::") if p]
    for n in range(len(parts), 0, -1):
        cand = "::".join(parts[:n])
        if cand in nodes:
            return cand
    return None


def strip(line):
    """A line's code: no comment, no string or char literal (their braces are not code)."""
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(?:\\.|[^'\\])'", "''", line)
    return line.split("//")[0]


PATH = r"[a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*"
edges = {n: set() for n in nodes}
upward = set()  # (from, to): imports of an ancestor's items
for name, f in nodes.items():
    if name == "crate":
        continue  # lib.rs only declares and re-exports
    here = name.split("::")
    children = set()
    refs = []
    inline = []  # stack of (brace depth at which an inline module opened)
    depth = 0
    for line in f.read_text().splitlines():
        s = line.strip()
        if s.startswith("//"):
            continue
        code = strip(line)
        if f.name == "mod.rs" and s.startswith("pub use "):
            depth += code.count("{") - code.count("}")
            continue
        m = re.match(r"\s*(?:pub(?:\([a-z]+\))?\s+)?mod ([a-z_][a-z0-9_]*)\s*;", code)
        if m and not inline:
            children.add(m.group(1))
        # `super::` from inside k inline modules is the file's module itself for k = 1
        base = here[: len(here) - 1] if not inline else here + ["<inline>"] * (len(inline) - 1)
        for r in re.findall(r"\bcrate::(" + PATH + ")", code):
            refs.append(r)
        for group in re.findall(r"\bcrate::\{([^}]*)\}", code):
            refs += [g.strip() for g in group.split(",") if g.strip()]
        for m in re.finditer(r"\b((?:super::)+)(" + PATH + r"|\{[^}]*\})", code):
            up = m.group(1).count("super::") - 1
            b = base[: len(base) - up] if up else base
            items = m.group(2).strip("{}").split(",") if m.group(2).startswith("{") else [m.group(2)]
            for it in items:
                it = it.strip()
                if it:
                    refs.append("::".join([p for p in b if p != "<inline>"] + [it]))
        # a bare `child::item` path, not preceded by `::` or part of a longer name
        for m in re.finditer(r"(?<![:\w])([a-z_][a-z0-9_]*)::", code):
            if m.group(1) in children:
                refs.append("::".join(here + [m.group(1)]))
        # `super::Item` (an item of the parent itself) resolves to the parent
        for m in re.finditer(r"\b((?:super::)+)[A-Z]", code):
            up = m.group(1).count("super::") - 1
            b = [p for p in (base[: len(base) - up] if up else base) if p != "<inline>"]
            refs.append("::".join(b) or "crate")
        for m in re.finditer(r"\b(?:mod\s+[a-z_][a-z0-9_]*\s*)\{", code):
            inline.append(depth)
        depth += code.count("{") - code.count("}")
        while inline and depth <= inline[-1]:
            inline.pop()
    for r in refs:
        t = resolve(r) if r != "crate" else None
        if not t or t == name:
            continue
        if name.startswith(t + "::"):
            upward.add((name, t))
        if args.strict or not (name.startswith(t + "::") or t.startswith(name + "::")):
            edges[name].add(t)

order, state, cycle = [], {}, []


def visit(n, stack):
    state[n] = 1
    stack.append(n)
    for m in sorted(edges[n]):
        if state.get(m) == 1:
            cycle.append(stack[stack.index(m):] + [m])
        elif m not in state:
            visit(m, stack)
    stack.pop()
    state[n] = 2
    order.append(n)


for n in sorted(nodes):
    if n not in state:
        visit(n, [])
for n in order:
    if n != "crate":
        print(f"{n:<22} <- {', '.join(sorted(edges[n])) or '-'}")
print(f"{len(upward)} imports of an enclosing folder's items: "
      + (", ".join(f"{a} -> {b}" for a, b in sorted(upward)) or "none"))
if cycle:
    for c in cycle:
        print("cycle: " + " -> ".join(c), file=sys.stderr)
    sys.exit(1)
print(f"{args.root}: {len(nodes) - 1} modules, no import cycle")
