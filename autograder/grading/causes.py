"""Why a name the student's code uses is not there: the hint for a NameError.

Every NameError used to get one hint (top-level code was skipped). Ingest knows more,
and the pipeline hands it over as a `NotebookSummary`, so the hint can say which cause
it is, most specific first:

- the name is defined in a cell whose loading stopped before reaching it;
- it is defined in a cell that could not be read (a syntax error), named with its line;
- only top-level code that grading does not run makes it (the old hint, with the place);
- the student wrote it under another name (`ce_loss` for cross_entropy_error), or a
  near one (`cross_entropy_eror`): did you mean;
- a star import that failed in grading (`from common.functions import *`) would have
  brought it;
- it is defined nowhere: each notebook is graded on its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..ingest.explain import close_names, shadowed, written_cell
from ..ingest.model import Definition, IngestResult, Skipped, Unread
from ..ingest.unread import describe
from ..messages import say

NAME_ERROR = re.compile(r"name '([^'\s]{1,200})' is not defined")
# Names that are a module by convention, with the import that makes them: numpy is the
# one package grading has, so "define `np` here" would be the wrong advice.
MODULE_NAMES = {"np": "import numpy as np", "numpy": "import numpy"}
CELL_LABEL = re.compile(r"cell (\d+)")
# Cells named in one hint, at most.
MAX_CELLS = 5


@dataclass(frozen=True)
class NotebookSummary:
    """What ingest (and loading the module) learned about one notebook, for explaining
    what the student's code could not find while a hidden test ran."""

    definitions: Mapping[str, Definition] = field(default_factory=dict)
    skipped: Mapping[str, Skipped] = field(default_factory=dict)
    unread: Mapping[str, tuple[Unread, ...]] = field(default_factory=dict)
    # Every book name and alias of a graded item -> the student's name graded for it.
    graded: Mapping[str, str] = field(default_factory=dict)
    # Cells left out because they do not compile, with the line of the error.
    broken_cells: tuple[tuple[int, int], ...] = ()
    # Cells whose loading stopped: cell -> (line, "ExcType: message").
    load_errors: Mapping[int, tuple[int, str]] = field(default_factory=dict)
    # Star imports that failed in grading: (cell, module).
    failed_star_imports: tuple[tuple[int, str], ...] = ()


def summarize(ingest: IngestResult, graded: Mapping[str, str],
              load_errors: Mapping[int, tuple[int, str]] | None = None,
              failed_imports: tuple[tuple[str, str], ...] = ()) -> NotebookSummary:
    """`failed_imports` are (block label, statement) pairs of the imports that failed."""
    stars = []
    for label, statement in failed_imports:
        match = re.fullmatch(r"from\s+([\w.]+)\s+import\s+\*", statement.strip())
        cell = CELL_LABEL.fullmatch(label)
        if match and cell:
            stars.append((int(cell.group(1)), match.group(1)))
    return NotebookSummary(ingest.definitions, ingest.skipped, ingest.unread, dict(graded),
                           tuple((c, line) for c, line, _ in ingest.report.syntax_errors),
                           dict(load_errors or {}), tuple(stars))


def cell_number(label: str) -> int | None:
    """The cell a block label names ("cell 7" -> 7), or None for the grader's own blocks."""
    match = CELL_LABEL.fullmatch(label)
    return int(match.group(1)) if match else None


def name_error_hint(message: str, notebook: NotebookSummary) -> str:
    """The hint for a NameError whose message is `message`; "" when nothing more is known."""
    match = NAME_ERROR.search(message)
    return explain_name(match.group(1), notebook) if match else ""


def explain_name(name: str, notebook: NotebookSummary) -> str:
    definition = notebook.definitions.get(name)
    if definition is not None:
        return _defined_yet_missing(definition, notebook)
    if name in notebook.unread:
        last = notebook.unread[name][-1]
        return say("grading.cause.unread", name=name, cell=last.cell, problem=describe(last.problem))
    if (binding := notebook.skipped.get(name)) is not None:
        return " ".join([say("grading.cause.skipped", name=name, cell=binding.cell,
                             line=binding.line, kind=binding.kind), say("hint.name_undefined")])
    graded = notebook.graded.get(name)
    if graded and graded != name:
        return say("grading.cause.did_you_mean", name=name, suggestion=graded)
    # Any kept name, constants too: `w1` for `W1` is the same slip as `Softmax`.
    kept = [n for n in notebook.definitions if not n.startswith("* ")]
    if close := close_names(name, kept, cutoff=0.8):
        return say("grading.cause.did_you_mean", name=name, suggestion=close[0])
    if notebook.failed_star_imports:
        cell, module = notebook.failed_star_imports[-1]
        return say("grading.cause.star_import", name=name, cell=cell, module=module)
    if notebook.broken_cells:
        cells = ", ".join(str(c) for c, _ in notebook.broken_cells[:MAX_CELLS])
        return say("grading.cause.nowhere_readable", name=name, cells=cells)
    if name in MODULE_NAMES:
        return say("grading.cause.not_imported", name=name, statement=MODULE_NAMES[name])
    return say("grading.cause.nowhere", name=name)


def _defined_yet_missing(definition: Definition, notebook: NotebookSummary) -> str:
    """A name ingest kept that was still not there when the student's code ran."""
    if shadowed(definition):
        return say("ingest.resolve.shadowed", name=definition.name, cell=written_cell(definition),
                   import_cell=definition.cell, module=definition.imported_from)
    failed = notebook.load_errors.get(definition.cell)
    if failed is not None and failed[0] < definition.line:
        return say("grading.cause.load_failed", name=definition.name, cell=definition.cell,
                   line=definition.line, failed_line=failed[0], error=failed[1])
    return say("hint.name_undefined")
