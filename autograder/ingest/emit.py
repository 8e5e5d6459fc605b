"""Write the kept statements back out, one block per cell, on their original lines.

Skipped lines become blank so "cell 3, line 7" in a traceback is the student's line 7.
Inside an opened block (see blocks.py) the cell's edits apply: skipped statements become
`pass`, clause headers `if True:`, imports guarded calls, each where it was.
Each import becomes one guarded call on its own line (a try/except would need more
lines than the import had), so a failing `from dataset.mnist import load_mnist` is
recorded in `__ingest_import_errors__` and the rest of the module still loads.
"""

from __future__ import annotations

import ast
from collections import Counter, defaultdict

from autograder.ingest.model import Cell, Edit, IngestContext, split_lines

PRELUDE_LABEL = "ingest prelude"
PRELUDE = '''\
# Added by the grader. An import that fails here (the book's `common` or `dataset`
# packages are not installed for grading) is recorded instead of stopping the module,
# and its names are bound to stand-ins that raise ImportError when used.
__ingest_import_errors__ = []


class __IngestMissing__:
    def __init__(self, name, error):
        self._name, self._error = name, error

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return __IngestMissing__(self._name + "." + attr, self._error)

    def __call__(self, *args, **kwargs):
        raise ImportError(self._name + " is not available: " + self._error)

    def __repr__(self):
        return "<missing " + self._name + ">"


def __ingest_import__(cell, line, statement, names):
    try:
        exec(statement, globals())
    except Exception as error:
        __ingest_import_errors__.append((cell, line, statement, repr(error)))
        for name in names:
            globals()[name] = __IngestMissing__(name, repr(error))
'''


def emit_blocks(cells: list[Cell], ctx: IngestContext) -> list[Cell]:
    for cell in cells:
        if cell.kept:
            cell.emitted = _emit(cell)
    return cells


def blocks_of(cells: list[Cell]) -> list[tuple[str, str]]:
    return [(PRELUDE_LABEL, PRELUDE)] + [(c.label, c.emitted) for c in cells if c.emitted]


def _emit(cell: Cell) -> str:
    lines = split_lines(cell.source)
    out = [""] * len(lines)
    crowded = _crowded_lines(cell.tree.body)
    fragments: dict[int, list[str]] = defaultdict(list)
    for stmt in cell.kept:
        first, last = _first_line(stmt), stmt.end_lineno
        # A statement sharing a line with another (`W = 1; print(W)`) is rewritten alone.
        shares_line = any(n in crowded for n in range(first, last + 1))
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            text = [guarded_import(cell.label, stmt)]
        elif shares_line:
            text = [ast.unparse(stmt).replace("\n", "; ")]
        else:
            text = lines[first - 1:last]
        if shares_line:
            fragments[first].append(text[0])
        else:
            out[first - 1:first - 1 + len(text)] = text
    for line, parts in fragments.items():
        out[line - 1] = "; ".join(parts)
    apply_edits(out, cell.edits)
    return "\n".join(out) + "\n"


def apply_edits(lines: list[str], edits: list[Edit]) -> None:
    """Apply non-overlapping edits in place, the last first, so earlier offsets stay right.

    A span over several lines leaves its first line holding the replacement (and whatever
    followed the span on its last line) and the lines after it blank."""
    for edit in sorted(edits, key=lambda e: (e.line, e.col), reverse=True):
        first = lines[edit.line - 1].encode("utf-8")
        last = lines[edit.end_line - 1].encode("utf-8")
        joined = first[:edit.col] + edit.text.encode("utf-8") + last[edit.end_col:]
        lines[edit.line - 1] = joined.decode("utf-8")
        for index in range(edit.line, edit.end_line):
            lines[index] = ""


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", [])
    return min([stmt.lineno] + [d.lineno for d in decorators])


def _crowded_lines(body: list[ast.stmt]) -> set[int]:
    """Lines that more than one top-level statement touches."""
    seen = Counter(n for stmt in body for n in range(_first_line(stmt), stmt.end_lineno + 1))
    return {n for n, count in seen.items() if count > 1}


def guarded_import(label: str, stmt: ast.Import | ast.ImportFrom) -> str:
    """One line that runs the import and, if it fails, records it and binds stand-ins."""
    names = [(a.asname or a.name.split(".")[0]) for a in stmt.names if a.name != "*"]
    return f"__ingest_import__({label!r}, {stmt.lineno}, {ast.unparse(stmt)!r}, {names!r})"
