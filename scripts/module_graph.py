#!/usr/bin/env python3
"""Print the library's module import graph and fail on a cycle.

    python3 scripts/module_graph.py        (run by .ci/run)

Nodes are the modules under src/ (a file, or a folder's mod.rs and its files as one node per
file: tune/search.rs is `tune::search`). An edge A -> B is a `crate::B...` or `super::B` path in
A's code (comments and doc comments are ignored: links are not imports). `pub use` re-exports in
a folder's mod.rs are not edges: they name what the folder offers, not what it needs.
"""
import pathlib
import re
import sys

src = pathlib.Path(__file__).resolve().parent.parent / "src"
nodes = {}
for f in sorted(src.rglob("*.rs")):
    rel = f.relative_to(src).with_suffix("")
    parts = [p for p in rel.parts if p not in ("mod", "lib")]
    nodes["::".join(parts) or "crate"] = f


def resolve(path):
    """The longest known module that prefixes `path` (a::b::C -> a::b if a::b is a node)."""
    parts = path.split("::")
    for n in range(len(parts), 0, -1):
        cand = "::".join(parts[:n])
        if cand in nodes:
            return cand
    return None


edges = {n: set() for n in nodes}
for name, f in nodes.items():
    code = []
    for line in f.read_text().splitlines():
        s = line.strip()
        if s.startswith("//"):
            continue
        if f.name == "mod.rs" and s.startswith("pub use "):
            continue
        if name == "crate":
            continue  # lib.rs only declares and re-exports
        code.append(line.split("//")[0])
    text = "\n".join(code)
    parent = name.rsplit("::", 1)[0] if "::" in name else ""
    refs = [m for m in re.findall(r"\bcrate::([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)", text)]
    refs += [(parent + "::" if parent else "") + m
             for m in re.findall(r"\bsuper::([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)", text)]
    # grouped imports: crate::{a, b::c}
    for group in re.findall(r"\bcrate::\{([^}]*)\}", text):
        refs += [g.strip() for g in group.split(",") if g.strip()]
    for r in refs:
        t = resolve(r)
        if t and t != name and not name.startswith(t + "::"):
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
if cycle:
    for c in cycle:
        print("cycle: " + " -> ".join(c), file=sys.stderr)
    sys.exit(1)
print(f"{len(nodes) - 1} modules, no import cycle")
