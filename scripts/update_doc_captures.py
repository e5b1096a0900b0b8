#!/usr/bin/env python3
"""Rewrite each screen capture in README.md and docs/tui.md from its snapshot.

A capture is a ```text block after a `<!-- capture: NAME -->` line; its rows are taken from
tests/snapshots/NAME.snap (the screens the snapshot tests render from the program).
tests/tui_docs.rs fails when a capture and its snapshot differ; run this after accepting
changed snapshots:  python3 scripts/update_doc_captures.py
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARK = re.compile(r"^(\s*)<!-- capture: (\S+) -->$")


def snapshot_rows(name):
    text = (ROOT / "tests" / "snapshots" / f"{name}.snap").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    if not body.startswith('"'):
        return [l.rstrip() for l in body.rstrip("\n").split("\n")]
    rows = []
    for line in body.splitlines():
        if not line.startswith('"'):
            break
        out, i = [], 1
        while i < len(line):
            c = line[i]
            if c == "\\":
                out.append(line[i + 1])
                i += 2
                continue
            if c == '"':
                break
            out.append(c)
            i += 1
        rows.append("".join(out).rstrip())
    return rows


def update(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if m:
            indent, name = m.groups()
            start = next(j for j in range(i + 1, len(lines)) if lines[j].strip().startswith("```"))
            end = next(j for j in range(start + 1, len(lines)) if lines[j].strip() == "```")
            rows = [(indent + r).rstrip() for r in snapshot_rows(name)]
            lines[start + 1 : end] = rows
            i = start + 1 + len(rows)
        i += 1
    path.write_text("\n".join(lines), encoding="utf-8")


for doc in ("README.md", "docs/tui.md"):
    update(ROOT / doc)
