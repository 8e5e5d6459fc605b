"""Parse each cell on its own, so one unreadable cell loses that cell, not the notebook.

A cell is unreadable when Python refuses it (a syntax error), when it is not text
(a lone surrogate from a `\\ud800` escape in the notebook's JSON, a NUL byte), when the
parser gives up on it (RecursionError or MemoryError on a 1,200-term sum or 50,000
unary minuses), or when it nests deeper than the later steps can walk. Each of these
leaves that cell out with a sentence in the report; the rest is graded.
"""

from __future__ import annotations

import ast
import logging
import warnings

from autograder.ingest.model import Cell, CellProblem, IngestContext
from autograder.feedback import msg

log = logging.getLogger("autograder.ingest")

# The later steps (and ast.unparse, up to four frames a level) walk a tree recursively.
# 100 levels keep that under ~400 frames, well inside Python's default limit of 1,000
# wherever ingest is called from; real cells are under 20 levels deep.
MAX_DEPTH = 100

WARNING_KEY = {"syntax_error": "ingest.warn.syntax_error", "not_text": "ingest.warn.not_text",
               "too_deep": "ingest.warn.too_deep", "too_complex": "ingest.warn.too_complex"}


def parse_cells(cells: list[Cell], ctx: IngestContext) -> list[Cell]:
    for cell in cells:
        if cell.dropped:
            continue
        tree, problem = _parse(cell)
        if problem is None:
            cell.tree = tree
            continue
        log.info("%s, line %s: %s", cell.label, problem.line, problem.detail)
        cell.tree, cell.dropped, cell.problem = None, True, problem
        ctx.report.syntax_errors.append((cell.number, problem.line, problem.detail))
        # Each sentence keeps only the facts it says: a stored message is its key and those.
        said = {"limit": MAX_DEPTH} if problem.reason == "too_deep" else {"message": problem.detail}
        ctx.report.warnings.append(msg(WARNING_KEY[problem.reason], cell=cell.number,
                                       line=problem.line, **said))
    return cells


def _parse(cell: Cell) -> tuple[ast.Module | None, CellProblem | None]:
    source = cell.source
    problem = _not_text(source)
    if problem is not None:
        return None, problem
    try:
        with warnings.catch_warnings():
            # Students' "\d" in regexes and `is 1` comparisons are not our business here
            # (3.11 warns of the first with a DeprecationWarning, 3.12 a SyntaxWarning); were
            # warnings errors, the compiler would turn them into syntax errors.
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            tree = ast.parse(source, filename=cell.label)
            # Jupyter compiles the whole cell first; what it refuses (a top-level
            # `return`, `nonlocal` at module level) never ran, so it is lost here too.
            compile(tree, cell.label, "exec", dont_inherit=True)
    except SyntaxError as error:
        return None, CellProblem("syntax_error", error.lineno or 1,
                                 error.msg or type(error).__name__)
    except (RecursionError, MemoryError) as error:
        return None, CellProblem("too_complex", _longest_line(source), type(error).__name__)
    except Exception as error:  # noqa: BLE001 - whatever the parser throws is this cell's problem
        return None, CellProblem("too_complex", _longest_line(source),
                                 f"{type(error).__name__}: {str(error)[:200]}")
    line = _too_deep(tree)
    if line:
        return None, CellProblem("too_deep", line, f"nested more than {MAX_DEPTH} levels deep")
    return tree, None


def _not_text(source: str) -> CellProblem | None:
    """A NUL byte or a lone surrogate: neither can be Python source (nor UTF-8 for the sandbox)."""
    if "\x00" in source:
        return _bad_character(source, source.index("\x00"))
    try:
        source.encode("utf-8")
    except UnicodeEncodeError as error:
        return _bad_character(source, error.start)
    return None


def _bad_character(source: str, at: int) -> CellProblem:
    line = source.count("\n", 0, at) + 1
    return CellProblem("not_text", line, f"U+{ord(source[at]):04X}")


def _longest_line(source: str) -> int:
    """Where a parser-breaking expression almost always is: the cell's longest line."""
    lines = source.split("\n")
    return max(range(len(lines)), key=lambda i: len(lines[i])) + 1


def _too_deep(tree: ast.AST) -> int:
    """The line of the first node nested deeper than MAX_DEPTH, else 0 (walked without recursion)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return getattr(node, "lineno", 1)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return 0
