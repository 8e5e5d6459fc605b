"""Remove IPython-only syntax so each cell is plain Python, keeping its line count.

A stripped line becomes blank (or `pass` when indented, so a block keeps a body),
so a traceback still points at the student's own line. `get_ipython()` calls are
valid Python and are left to the statement filter, which counts them here too.
"""

from __future__ import annotations

import logging
import re

from autograder.ingest.model import Cell, IngestContext, split_lines
from autograder.feedback import msg

log = logging.getLogger("autograder.ingest")

# Cell magics whose body is ordinary Python run in the user's namespace.
BODY_KEEPING_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
# Every other cell magic (%%bash, %%sh, %%html, %%writefile, %%javascript, ...) runs
# something that is not this kernel's Python, so the whole cell goes.

CELL_MAGIC = re.compile(r"^%%(\w+)")
LINE_MAGIC = re.compile(r"^\s*(%|!)")
# `x = !ls`, `a, b = %time f()`: targets made of these characters, then `=`, then % or !.
# Checked in two linear parts; one regex with `\s` on both sides of `=` backtracks
# quadratically on a long line of spaces.
ASSIGNED_TARGETS = re.compile(r"[\w.,\s()\[\]]+")
ASSIGNED_VALUE = re.compile(r"=\s*[%!]")
HELP_BEFORE = re.compile(r"^\s*\?{1,2}\s*[\w.]+\s*$")
HELP_AFTER = re.compile(r"^\s*[\w.]+(\(\))?\s*\?{1,2}\s*$")


def is_magic_line(line: str) -> bool:
    return bool(LINE_MAGIC.match(line) or _assigned_magic(line)
                or HELP_BEFORE.match(line) or HELP_AFTER.match(line))


def _assigned_magic(line: str) -> bool:
    equals = line.find("=")
    return (equals > 0 and ASSIGNED_TARGETS.fullmatch(line, 0, equals) is not None
            and ASSIGNED_VALUE.match(line, equals) is not None)


def strip_magics(cells: list[Cell], ctx: IngestContext) -> list[Cell]:
    for cell in cells:
        if cell.dropped:
            continue
        lines = split_lines(cell.source)
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and (match := CELL_MAGIC.match(lines[first])):
            ctx.report.magics_stripped += 1
            if match.group(1) not in BODY_KEEPING_CELL_MAGICS:
                log.info("%s: dropped %%%%%s cell", cell.label, match.group(1))
                ctx.report.warnings.append(msg("ingest.warn.cell_magic_dropped",
                                               cell=cell.number, magic=match.group(1)))
                cell.dropped = True
                continue
            lines[first] = ""
        cell.source = "\n".join(_strip_lines(lines, ctx))
    return cells


def _strip_lines(lines: list[str], ctx: IngestContext) -> list[str]:
    out: list[str] = []
    continuing = False
    previous = ""  # the last line of code so far (not blank, not a comment)
    for line in lines:
        if continuing or is_magic_line(line):
            if not continuing:
                ctx.report.magics_stripped += 1
            out.append("" if continuing else _placeholder(line, previous))
            continuing = line.rstrip().endswith("\\")
        else:
            out.append(line)
        if out[-1].strip() and not out[-1].lstrip().startswith("#"):
            previous = out[-1]
    return out


def _placeholder(line: str, previous: str) -> str:
    """`pass` where the magic was a block's statement (so the block keeps a body), else blank."""
    indent = line[:len(line) - len(line.lstrip())]
    if not indent or not previous:
        return ""
    previous_indent = len(previous) - len(previous.lstrip())
    opens_block = previous.rstrip().endswith(":")
    return indent + "pass" if opens_block or previous_indent >= len(indent) else ""
