"""Leave out cells too large to read safely, before any step looks at their text.

CPython's parser is the costly part of ingest and it runs in the grader's own process:
measured on 3.11, a cell of bare names (`a` on every line) peaks at about 900 bytes of
memory per character while it is parsed, and its tree keeps about 330 bytes per
character until the module is written out. An 8 MB pasted list literal cost 3.9 GB.
Real cells of this course are 0.1 to 5 KB and whole notebooks 2 to 60 KB of code, so
both caps sit far above honest work and far below what hurts.
"""

from __future__ import annotations

import logging

from autograder.ingest.model import Cell, CellProblem, IngestContext
from autograder.feedback import msg

log = logging.getLogger("autograder.ingest")

# One cell: at most ~90 MB while it is parsed (the worst case measured above).
MAX_CELL_CHARS = 100 * 1024
# All code cells together: their trees (kept until the module is written) stay under
# ~100 MB, so one cell being parsed plus everything before it stays under ~200 MB.
MAX_NOTEBOOK_CHARS = 300 * 1024
# A report line naming left-out cells lists at most this many of them.
LISTED_CELLS = 10


def limit_cells(cells: list[Cell], ctx: IngestContext) -> list[Cell]:
    used = 0
    over_budget: list[int] = []
    for cell in cells:
        size = len(cell.source)
        if size > MAX_CELL_CHARS:
            log.info("%s: %d characters, over the per-cell cap", cell.label, size)
            _leave_out(cell, f"{_kb(size)} KB, over the {_kb(MAX_CELL_CHARS)} KB limit per cell")
            ctx.report.warnings.append(msg("ingest.warn.cell_too_large", cell=cell.number,
                                           size_kb=_kb(size), limit_kb=_kb(MAX_CELL_CHARS)))
        elif used + size > MAX_NOTEBOOK_CHARS:
            _leave_out(cell, f"over the {_kb(MAX_NOTEBOOK_CHARS)} KB limit for a whole notebook")
            over_budget.append(cell.number)
        else:
            used += size
    if over_budget:
        log.info("code budget spent: %d cells left out", len(over_budget))
        listed = ", ".join(str(n) for n in over_budget[:LISTED_CELLS])
        if len(over_budget) > LISTED_CELLS:
            listed += ", ..."
        ctx.report.warnings.append(msg("ingest.warn.notebook_too_large", cells=listed,
                                       count=len(over_budget), limit_kb=_kb(MAX_NOTEBOOK_CHARS)))
    return cells


def _leave_out(cell: Cell, detail: str) -> None:
    cell.dropped = True
    cell.problem = CellProblem("too_large", 1, detail)


def _kb(chars: int) -> int:
    return -(-chars // 1024)
