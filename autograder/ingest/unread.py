"""What a left-out cell appears to define, so the report can say what was lost.

A cell that could not be read (a syntax error, not text, too deep, too large) has no
tree; its top-level `def`, `class` and `name = lambda` lines are found by their text
instead, at column 0 only, so methods and nested helpers are not claimed. A name that
was defined before keeps that earlier definition, as a top-to-bottom run would, and
the definition carries a note that a later attempt could not be read; a name defined
nowhere else is remembered so the missing item can be explained.
"""

from __future__ import annotations

import re
from dataclasses import replace

from autograder.ingest.model import Cell, CellProblem, IngestContext, Unread
from autograder.feedback import Message, msg

TOP_LEVEL = re.compile(r"^(?:(?:async[ \t]+)?def|class)[ \t]+([^\W\d]\w*)"
                       r"|^([^\W\d]\w*)[ \t]*=[ \t]*lambda\b", re.MULTILINE)
# Real cells define a handful of names; a cell built to flood the report stops here.
MAX_NAMES_PER_CELL = 50
# A cell's report lines about earlier definitions still in use, at most.
MAX_WARNINGS_PER_CELL = 10
# Matches looked at per cell (the same name a million times is still one name).
MAX_MATCHES_PER_CELL = 1000


def note_unread(cell: Cell, ctx: IngestContext) -> None:
    problem = cell.problem
    if problem is None:
        return
    warned = 0
    for name, line in _defined_names(cell.source):
        unread = Unread(cell.number, line, problem)
        earlier = ctx.definitions.get(name)
        if earlier is None:
            ctx.unread[name] = ctx.unread.get(name, ()) + (unread,)
            continue
        ctx.definitions[name] = replace(earlier, unread_later=earlier.unread_later + (unread,))
        if warned < MAX_WARNINGS_PER_CELL:
            warned += 1
            ctx.report.warnings.append(msg("ingest.warn.unread_redefinition", name=name,
                                           cell=cell.number, problem=describe(problem),
                                           graded=earlier.cell))


def describe(problem: CellProblem) -> Message:
    """What went wrong and where, said inside "could not be read (...)"."""
    if problem.reason == "too_large":
        return msg("ingest.problem.too_large")
    if problem.reason in ("syntax_error", "too_deep"):
        return msg(f"ingest.problem.{problem.reason}", line=problem.line)
    reason = problem.reason if problem.reason == "not_text" else "too_complex"
    return msg(f"ingest.problem.{reason}", line=problem.line, detail=problem.detail)


def _defined_names(source: str) -> list[tuple[str, int]]:
    """(name, line) for each name defined at column 0, first occurrence, in order."""
    found: dict[str, int] = {}
    line, position = 1, 0
    for count, match in enumerate(TOP_LEVEL.finditer(source)):
        if count == MAX_MATCHES_PER_CELL:
            break
        line += source.count("\n", position, match.start())
        position = match.start()
        name = match.group(1) or match.group(2)
        if name not in found:
            found[name] = line
            if len(found) == MAX_NAMES_PER_CELL:
                break
    return list(found.items())
