"""Remove IPython-only syntax so each cell is plain Python, keeping its line count.

A stripped line becomes blank (or `pass` when indented, so a block keeps a body),
so a traceback still points at the student's own line. `get_ipython()` calls are
valid Python and are left to the statement filter, which counts them here too.
"""

from __future__ import annotations

import logging
import re

from autograder.ingest.model import Cell, IngestContext
from autograder.messages import say

log = logging.getLogger("autograder.ingest")

# Cell magics whose body is ordinary Python run in the user's namespace.
BODY_KEEPING_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
# Every other cell magic (%%bash, %%sh, %%html, %%writefile, %%javascript, ...) runs
# something that is not this kernel's Python, so the whole cell goes.

CELL_MAGIC = re.compile(r"^%%(\w+)")
LINE_MAGIC = re.compile(r"^\s*(%|!)")
ASSIGNED_MAGIC = re.compile(r"^\s*[\w.,\s()\[\]]+?\s*=\s*[%!]")
HELP_BEFORE = re.compile(r"^\s*\?{1,2}\s*[\w.]+\s*$")
HELP_AFTER = re.compile(r"^\s*[\w.]+(\(\))?\s*\?{1,2}\s*$")


def is_magic_line(line: str) -> bool:
    return bool(LINE_MAGIC.match(line) or ASSIGNED_MAGIC.match(line)
                or HELP_BEFORE.match(line) or HELP_AFTER.match(line))


def strip_magics(cells: list[Cell], ctx: IngestContext) -> list[Cell]:
    for cell in cells:
        lines = cell.source.splitlines()
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and (match := CELL_MAGIC.match(lines[first])):
            ctx.report.magics_stripped += 1
            if match.group(1) not in BODY_KEEPING_CELL_MAGICS:
                log.info("%s: dropped %%%%%s cell", cell.label, match.group(1))
                ctx.report.warnings.append(say("ingest.warn.cell_magic_dropped",
                                               cell=cell.number, magic=match.group(1)))
                cell.dropped = True
                continue
            lines[first] = ""
        cell.source = "\n".join(_strip_lines(lines, ctx))
    return cells


def _strip_lines(lines: list[str], ctx: IngestContext) -> list[str]:
    out: list[str] = []
    continuing = False
    for line in lines:
        if continuing or is_magic_line(line):
            if not continuing:
                ctx.report.magics_stripped += 1
            out.append("" if continuing else _placeholder(line, out))
            continuing = line.rstrip().endswith("\\")
        else:
            out.append(line)
    return out


def _placeholder(line: str, before: list[str]) -> str:
    """`pass` where the magic was a block's statement (so the block keeps a body), else blank."""
    indent = line[:len(line) - len(line.lstrip())]
    code = [b for b in before if b.strip() and not b.lstrip().startswith("#")]
    if not indent or not code:
        return ""
    previous = code[-1]
    previous_indent = len(previous) - len(previous.lstrip())
    opens_block = previous.rstrip().endswith(":")
    return indent + "pass" if opens_block or previous_indent >= len(indent) else ""
