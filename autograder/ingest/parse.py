"""Parse each cell on its own, so one syntax error loses one cell, not the notebook."""

from __future__ import annotations

import ast
import logging
import warnings

from autograder.ingest.model import Cell, IngestContext
from autograder.messages import say

log = logging.getLogger("autograder.ingest")


def parse_cells(cells: list[Cell], ctx: IngestContext) -> list[Cell]:
    for cell in cells:
        if cell.dropped:
            continue
        try:
            with warnings.catch_warnings():
                # Students' "\d" in regexes and `is 1` comparisons are not our business here.
                warnings.simplefilter("ignore", SyntaxWarning)
                cell.tree = ast.parse(cell.source, filename=cell.label)
                # Jupyter compiles the whole cell first; what it refuses (a top-level
                # `return`, `nonlocal` at module level) never ran, so it is lost here too.
                compile(cell.tree, cell.label, "exec", dont_inherit=True)
        except SyntaxError as error:
            cell.tree = None
            line, message = error.lineno or 1, error.msg or type(error).__name__
            log.info("%s, line %s: %s", cell.label, line, message)
            ctx.report.syntax_errors.append((cell.number, line, message))
            ctx.report.warnings.append(say("ingest.warn.syntax_error", cell=cell.number,
                                           line=line, message=message))
            cell.dropped = True
    return cells
