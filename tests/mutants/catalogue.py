"""Each chapter's catalogue of classic bugs (reference/chNN_topic/mutants.toml), as notebooks.

A mutant is the chapter's reference with one change, written as the exact text it
replaces in one reference module:

    [[mutant]]
    id = "softmax_no_max"                       # unique within the chapter
    module = "ch03_neural_networks/activations" # path under reference/, no .py
    old = "np.exp(a - np.max(a, axis=-1, keepdims=True))"
    new = "np.exp(a)"
    why = "softmax without subtracting the maximum overflows"

`old` must occur exactly once in that module, so a refactor of the reference that makes
a mutant stale fails loudly instead of silently testing nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.assignment import Assignment
from autograder.reference_source import chapter_sources

CATALOGUE_NAME = "mutants.toml"


@dataclass(frozen=True)
class Mutant:
    id: str
    module: str
    old: str
    new: str
    why: str


class StaleMutant(ValueError):
    """A mutant whose text no longer occurs exactly once in its module."""


def mutants_of(assignment: Assignment) -> list[Mutant]:
    path = assignment.config_path.parent / CATALOGUE_NAME
    if not path.is_file():
        return []
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("mutant", [])
    return [Mutant(e["id"], e["module"], e["old"], e["new"], e.get("why", "")) for e in entries]


def notebook(assignment: Assignment, mutant: Mutant | None = None) -> nbformat.NotebookNode:
    """The chapter's reference notebook, with `mutant` applied when given."""
    cells = []
    applied = mutant is None
    for module in chapter_sources(assignment.config_path.parent):
        source = module.source
        if mutant is not None and module.name == mutant.module:
            count = source.count(mutant.old)
            if count != 1:
                raise StaleMutant(f"{assignment.id}/{mutant.id}: {mutant.old!r} occurs {count} "
                                  f"times in {mutant.module}")
            source = source.replace(mutant.old, mutant.new)
            applied = True
        cells.append(new_code_cell(source))
    if not applied:
        raise StaleMutant(f"{assignment.id}/{mutant.id}: module {mutant.module} is not part of "
                          f"the chapter's notebook")
    nb = new_notebook(cells=cells)
    nb.metadata["dlfs"] = {"assignment": assignment.id}
    return nb


def write_notebooks(assignment: Assignment, folder: Path) -> dict[str, Mutant | None]:
    """Write the reference and every mutant into `folder`; file stem -> mutant (None: reference)."""
    written: dict[str, Mutant | None] = {}
    for mutant in [None, *mutants_of(assignment)]:
        stem = f"{assignment.id}__{mutant.id if mutant else 'reference'}"
        nbformat.write(notebook(assignment, mutant), folder / f"{stem}.ipynb")
        written[stem] = mutant
    return written
